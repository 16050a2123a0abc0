// The instance role (docs/design.md section 1): none, an existing role, or one tandem creates for
// one S3 bucket; Session Manager adds its own role when the spec names none (ways-in.ts).
import type {ControlModule, FindingDraft, LaunchPart, PanelEdits} from './control.js';
import {prowler} from './control.js';
import {needsSessionRole, sessionManagerOn, sessionRoleName, SSM_POLICY_NAME} from './ways-in.js';
import {createdRoleName, instanceProfileName, roleSteps} from '../plan-iam.js';
import type {LaunchSpec} from '../spec.js';

/** RunInstances' instance profile: one tandem creates (once it holds its role), or one that exists. */
export function launchProfile(spec: LaunchSpec): LaunchPart {
  // The profile must already hold the role, or the instance starts without credentials.
  if (createdRoleName(spec) !== undefined)
    return {params: {IamInstanceProfile: {Name: {ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'}}}, dependsOn: ['instance-profile-role']};
  const profile = instanceProfileName(spec);
  return {params: profile ? {IamInstanceProfile: {Name: profile}} : {}, dependsOn: []};
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const mode = option ?? spec.role.mode;
  if (mode === 'none' && sessionManagerOn(spec))
    return {
      'iam-instance-role': {
        customer: `No role for the app; for Session Manager tandem creates ${sessionRoleName(spec)} with only ${SSM_POLICY_NAME}. Prowler flags any role on a public instance.`,
        verify: `The instance profile ${sessionRoleName(spec)} is attached, holds its role, and EC2 may assume it.`,
      },
    };
  if (mode === 'none')
    return {
      'iam-instance-role': {
        customer: 'No role: code on the instance gets no AWS credentials. Prowler ec2_instance_profile_attached will flag it.',
        verify: 'The instance has no instance profile attached.',
      },
    };
  if (mode === 'create') {
    const bucket = spec.role.bucket || 'one bucket';
    const access = spec.role.access ?? 'read';
    return {
      'iam-instance-role': {
        customer: `tandem creates ${spec.role.name || 'EC2AccessToS3Role'}, trusted by EC2 only, for ${access} access to ${bucket}. You own it after.`,
      },
    };
  }
  return {
    'iam-instance-role': {
      customer: `You vouch for ${spec.role.name || 'the existing role'}: its trust policy and every permission it gives code on this instance.`,
    },
  };
}

const FINDING_IDS = ['public-instance-with-role', 'no-instance-role'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  const hasRole = instanceProfileName(spec) !== undefined;
  if (!hasRole)
    return [
      {
        id: 'no-instance-role',
        severity: 'info',
        title: 'No instance role',
        explanation:
          'Prowler ec2_instance_profile_attached fails every instance without a role. A web server that calls no AWS API needs none, and then no credentials can leak from it; Session Manager is off, since it would need one.',
        control: 'iam-instance-role',
        checkers: [prowler('ec2_instance_profile_attached')],
      },
    ];
  if (!spec.network.publicIp) return [];
  return [
    {
      id: 'public-instance-with-role',
      severity: 'medium',
      title: 'Internet-facing instance with a role',
      explanation: `A compromise of this internet-facing server hands the attacker the role's credentials. Prowler ec2_instance_internet_facing_with_instance_profile fails it; Security Hub has no matching check. Keep the role narrow and IMDSv2 required.${
        needsSessionRole(spec)
          ? ` Here the role exists only for Session Manager and holds just ${SSM_POLICY_NAME}, but Prowler flags it all the same; drop the public address (a load balancer in front) to clear it.`
          : ''
      }`,
      control: 'iam-instance-role',
      checkers: [prowler('ec2_instance_internet_facing_with_instance_profile')],
    },
  ];
}

export const roleControl: ControlModule<(typeof FINDING_IDS)[number]> = {
  step: 'iam-role',
  catalog: [
    {
      id: 'iam-instance-role',
      step: 'iam-role',
      title: 'Instance role',
      owner: 'Customer',
      kind: 'customer-specific',
      aws: 'Runs IAM and hands the instance short-lived credentials for its role through the metadata service.',
      customer: 'Decide whether the instance needs AWS access at all, and grant only the actions and resources it uses.',
      verify: "The instance profile is attached and holds the role, EC2 may still assume the role, and no policy on it allows '*' as action or resource.",
      checkerRows: ['iam-instance-role'],
      compliance: ['Roles, trust relationships and all access to the account are managed entirely by you.'],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.role.mode,
  panel,
  findings,
  planSteps: (spec) => roleSteps(spec),
};
