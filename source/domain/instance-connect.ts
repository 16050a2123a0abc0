// EC2 Instance Connect as a way in: port 22 opened only to the addresses of the EC2 Instance
// Connect service in the launch's region, named by the AWS-managed prefix list
// com.amazonaws.<region>.ec2-instance-connect (customer lists cannot take a com.amazonaws name,
// so the name finds AWS's list). Connections then carry a one-time key pushed through the
// Instance Connect API, which IAM decides (ec2-instance-connect:SendSSHPublicKey) and CloudTrail
// logs; no long-lived key has to sit on the instance.
import type {LaunchSpec} from './spec.js';

/** The managed prefix list holding EC2 Instance Connect's service addresses in `region`. */
export function instanceConnectListName(region: string): string {
  return `com.amazonaws.${region}.ec2-instance-connect`;
}

/**
 * What to tell someone whose region has no Instance Connect list (a region where the service
 * does not run): what is missing, and the choices left. Pre-flight and the dry run say it alike.
 */
export function noInstanceConnectList(region: string): {detail: string; fix: string} {
  return {
    detail: `region ${region} has no managed prefix list ${instanceConnectListName(region)}, so port 22 cannot be opened to EC2 Instance Connect alone`,
    fix: 'set access.instanceConnect to false (SSH from your address, or Session Manager), or launch in a region where EC2 Instance Connect runs',
  };
}

/** True when the launch adds the Instance Connect rule (only to a group tandem creates). */
export function wantsInstanceConnect(spec: LaunchSpec): boolean {
  return Boolean(spec.access?.instanceConnect) && spec.securityGroup.mode === 'create';
}

/** The description the port-22 prefix-list rule carries, in the API call and every export. */
export const INSTANCE_CONNECT_RULE = 'SSH from EC2 Instance Connect';
