// Session Manager as the way in: the AWS managed policy the instance role needs, the role tandem
// makes when the spec names none, and, for a private subnet of a new VPC (no route out), the
// interface endpoints the agent talks to, behind their own security group that admits HTTPS from
// the VPC only.
import {newVpcCidrs} from './plan-network.js';
import {partitionOf} from './plan-iam.js';
import {tagList, tagSpecifications} from './plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from './plan-types.js';
import type {LaunchSpec} from './spec.js';

/** The AWS managed policy that lets the SSM agent register and carry sessions. */
export const SSM_POLICY_NAME = 'AmazonSSMManagedInstanceCore';

export function ssmPolicyArn(region: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/${SSM_POLICY_NAME}`;
}

/** The three services the agent needs when it cannot reach the public endpoints. */
export const SSM_ENDPOINT_SERVICES = ['ssm', 'ssmmessages', 'ec2messages'] as const;
export type SsmEndpointService = (typeof SSM_ENDPOINT_SERVICES)[number];

export function endpointServiceName(region: string, service: SsmEndpointService): string {
  return `com.amazonaws.${region}.${service}`;
}

/**
 * What one interface endpoint costs per hour in us-east-1 (USD, per availability zone it is in);
 * other regions charge somewhat more. Data processed is billed on top, per GB.
 */
export const ENDPOINT_HOURLY_USD = 0.01;

export const sessionManagerOn = (spec: LaunchSpec): boolean => spec.access?.sessionManager === true;

/** True when tandem makes a role only so that Session Manager works (the spec names no role). */
export const needsSessionRole = (spec: LaunchSpec): boolean => sessionManagerOn(spec) && spec.role.mode === 'none';

/** True when the managed policy goes onto a role tandem creates (never onto an existing one). */
export const attachesSsmPolicy = (spec: LaunchSpec): boolean => sessionManagerOn(spec) && spec.role.mode !== 'existing';

/** A private subnet of a new VPC has no way out, so the agent needs endpoints inside it. */
export const needsSsmEndpoints = (spec: LaunchSpec): boolean =>
  sessionManagerOn(spec) && spec.network.vpc === 'new' && spec.network.subnet === 'private';

/** The name tandem makes up for that role; IAM names take letters, digits and +=,.@_- only, at most 64. */
export function defaultSessionRoleName(spec: LaunchSpec): string {
  return `tandem-ssm-${spec.instance.name.replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);
}

/** `role.name` names it when given (pre-flight renumbers a taken made-up name there). */
export function sessionRoleName(spec: LaunchSpec): string {
  return spec.role.name || defaultSessionRoleName(spec);
}

/** The endpoints' security group and its one rule, as every plan and export describes them. */
export const ENDPOINT_GROUP_DESCRIPTION = 'Session Manager endpoints, HTTPS from inside the VPC only, managed by tandem';
export const ENDPOINT_RULE_DESCRIPTION = 'HTTPS from the VPC to the endpoints';

export function endpointGroupName(spec: LaunchSpec): string {
  return `${spec.securityGroup.name || 'web-sg'}-ssm-endpoints`;
}

/** The step that attaches the managed policy to a role tandem creates (roleSteps adds it). */
export function ssmPolicyStep(spec: LaunchSpec, roleName: string): PlanStep {
  return {
    id: 'iam-role-ssm',
    service: 'iam',
    action: 'AttachRolePolicy',
    params: {RoleName: {ref: 'iam-role', output: 'Role.RoleName'}, PolicyArn: ssmPolicyArn(spec.region)},
    creates: [],
    dependsOn: ['iam-role'],
    controls: ['session-manager', 'iam-instance-role'],
    dryRunnable: false,
    summary: `Attach the AWS managed policy ${SSM_POLICY_NAME} to role ${roleName}, so Session Manager can reach the instance`,
  };
}

/** The role made for Session Manager alone: EC2 may assume it, and it holds only the managed policy. */
export function sessionRoleCreateParams(spec: LaunchSpec, trustPolicy: string): {[key: string]: ParamValue} {
  const name = sessionRoleName(spec);
  return {
    RoleName: name,
    AssumeRolePolicyDocument: trustPolicy,
    Description: `Lets Session Manager reach instance ${spec.instance.name.replace(/[^\u0020-\u007e]/g, '-')}; created by tandem`.slice(0, 1000),
    Tags: tagList(spec, name),
  };
}

/** Endpoint security group, its HTTPS rule, and one interface endpoint per service. */
export function endpointSteps(spec: LaunchSpec, subnetStep: string, subnetId: StepRef): PlanStep[] {
  if (!needsSsmEndpoints(spec)) return [];
  const vpcId: StepRef = {ref: 'vpc', output: 'Vpc.VpcId'};
  const vpcCidr = newVpcCidrs(spec.network).vpc;
  const groupName = endpointGroupName(spec);
  const groupId: StepRef = {ref: 'ssm-endpoint-group', output: 'GroupId'};
  const controls = ['session-manager', 'subnet-routing'] as const;
  const steps: PlanStep[] = [
    {
      // Private DNS names on interface endpoints need DNS hostnames on in the VPC (support is on by default).
      id: 'vpc-dns-hostnames',
      service: 'ec2',
      action: 'ModifyVpcAttribute',
      params: {VpcId: vpcId, EnableDnsHostnames: {Value: true}},
      creates: [],
      dependsOn: ['vpc'],
      controls: [...controls],
      dryRunnable: true,
      summary: 'Turn on DNS hostnames in the VPC, so the endpoints can answer for the public Session Manager names',
    },
    {
      id: 'ssm-endpoint-group',
      service: 'ec2',
      action: 'CreateSecurityGroup',
      params: {
        GroupName: groupName,
        Description: ENDPOINT_GROUP_DESCRIPTION,
        VpcId: vpcId,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group', name: groupName}]),
      },
      creates: ['security-group'],
      dependsOn: ['vpc'],
      controls: [...controls],
      dryRunnable: true,
      summary: `Create security group ${groupName} for the Session Manager endpoints`,
    },
    {
      id: 'ssm-endpoint-group-ingress',
      service: 'ec2',
      action: 'AuthorizeSecurityGroupIngress',
      params: {
        GroupId: groupId,
        IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: vpcCidr, Description: ENDPOINT_RULE_DESCRIPTION}]}],
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group-rule', name: groupName}]),
      },
      creates: [],
      dependsOn: ['ssm-endpoint-group'],
      controls: [...controls],
      dryRunnable: true,
      summary: `Allow inbound HTTPS ${vpcCidr} (the VPC) to the endpoints`,
    },
  ];
  for (const service of SSM_ENDPOINT_SERVICES) {
    steps.push({
      id: `ssm-endpoint-${service}`,
      service: 'ec2',
      action: 'CreateVpcEndpoint',
      params: {
        VpcEndpointType: 'Interface',
        VpcId: vpcId,
        ServiceName: endpointServiceName(spec.region, service),
        SubnetIds: [subnetId],
        SecurityGroupIds: [groupId],
        PrivateDnsEnabled: true,
        TagSpecifications: tagSpecifications(spec, [{type: 'vpc-endpoint', name: `${spec.instance.name}-${service}`}]),
      },
      creates: ['vpc-endpoint'],
      dependsOn: ['vpc-dns-hostnames', 'ssm-endpoint-group', subnetStep],
      controls: [...controls],
      dryRunnable: true,
      summary: `Create interface endpoint ${endpointServiceName(spec.region, service)} in the private subnet (private DNS on, about $${ENDPOINT_HOURLY_USD.toFixed(2)} an hour)`,
    });
  }
  return steps;
}
