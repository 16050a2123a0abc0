// The instance role tandem creates: EC2 may assume it, and it may touch exactly one S3 bucket.
// The policy names actions and resources explicitly; no '*' action or whole-service resource. It
// is inline, so Prowler iam_inline_policy_no_administrative_privileges and Checkov CKV_AWS_62/63
// judge it; Security Hub IAM.1 and IAM.21 look at customer managed policies only.
import type {ControlId} from './catalog-types.js';
import {tagList} from './plan-tags.js';
import type {PlanStep} from './plan-types.js';
import type {LaunchSpec, RoleAccess} from './spec.js';
import {attachesSsmPolicy, needsSessionRole, sessionRoleCreateParams, sessionRoleName, ssmPolicyStep} from './controls/ways-in.js';
import {partitionOf} from './partition.js';

export const DEFAULT_ROLE_NAME = 'EC2AccessToS3Role';

export function trustPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}],
  });
}

export function bucketPolicy(bucket: string, access: RoleAccess, region: string): string {
  const bucketArn = `arn:${partitionOf(region)}:s3:::${bucket}`;
  const objectActions = access === 'read-write' ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {Sid: 'ListTheBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn},
      // 'bucket/*' names every object of this one bucket, not every resource.
      {Sid: 'UseObjectsInTheBucket', Effect: 'Allow', Action: objectActions, Resource: `${bucketArn}/*`},
    ],
  });
}

/** Name of the instance profile a role spec resolves to. */
export function instanceProfileName(spec: LaunchSpec): string | undefined {
  if (needsSessionRole(spec)) return sessionRoleName(spec);
  if (spec.role.mode === 'none') return undefined;
  return spec.role.instanceProfile || spec.role.name || DEFAULT_ROLE_NAME;
}

/** The role tandem creates: the S3 role, or one for Session Manager alone; undefined when it creates none. */
export function createdRoleName(spec: LaunchSpec): string | undefined {
  if (spec.role.mode === 'create') return spec.role.name || DEFAULT_ROLE_NAME;
  return needsSessionRole(spec) ? sessionRoleName(spec) : undefined;
}

/** The instance profile and its role: shared by the S3 role and the Session Manager role. */
function profileSteps(spec: LaunchSpec, roleName: string, controls: ControlId[]): PlanStep[] {
  const profileName = instanceProfileName(spec)!;
  return [
    {
      id: 'instance-profile',
      service: 'iam',
      action: 'CreateInstanceProfile',
      params: {InstanceProfileName: profileName, Tags: tagList(spec, profileName)},
      creates: ['iam-instance-profile'],
      dependsOn: [],
      controls,
      dryRunnable: false,
      summary: `Create instance profile ${profileName}`,
    },
    {
      id: 'instance-profile-role',
      service: 'iam',
      action: 'AddRoleToInstanceProfile',
      params: {
        InstanceProfileName: {ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'},
        RoleName: {ref: 'iam-role', output: 'Role.RoleName'},
      },
      creates: [],
      dependsOn: ['instance-profile', 'iam-role'],
      controls,
      dryRunnable: false,
      summary: `Put role ${roleName} into instance profile ${profileName}`,
    },
  ];
}

export function roleSteps(spec: LaunchSpec): PlanStep[] {
  if (needsSessionRole(spec)) {
    const roleName = sessionRoleName(spec);
    const controls: ControlId[] = ['iam-instance-role', 'session-manager'];
    return [
      {
        id: 'iam-role',
        service: 'iam',
        action: 'CreateRole',
        params: sessionRoleCreateParams(spec, trustPolicy()),
        creates: ['iam-role'],
        dependsOn: [],
        controls,
        dryRunnable: false,
        summary: `Create IAM role ${roleName} that only EC2 may assume, for Session Manager only`,
      },
      ssmPolicyStep(spec, roleName),
      ...profileSteps(spec, roleName, controls),
    ];
  }
  if (spec.role.mode !== 'create') return [];
  const roleName = spec.role.name || DEFAULT_ROLE_NAME;
  const bucket = spec.role.bucket ?? '';
  const access = spec.role.access ?? 'read';
  const controls: ControlId[] = ['iam-instance-role'];
  return [
    {
      id: 'iam-role',
      service: 'iam',
      action: 'CreateRole',
      params: {
        RoleName: roleName,
        AssumeRolePolicyDocument: trustPolicy(),
        Description: `Lets EC2 instances ${access === 'read' ? 'read' : 'read and write'} S3 bucket ${bucket}; created by tandem`,
        Tags: tagList(spec, roleName),
      },
      creates: ['iam-role'],
      dependsOn: [],
      controls,
      dryRunnable: false,
      summary: `Create IAM role ${roleName} that only EC2 may assume`,
    },
    {
      id: 'iam-role-policy',
      service: 'iam',
      action: 'PutRolePolicy',
      params: {
        RoleName: {ref: 'iam-role', output: 'Role.RoleName'},
        PolicyName: `tandem-s3-${access}`,
        PolicyDocument: bucketPolicy(bucket, access, spec.region),
      },
      creates: [],
      dependsOn: ['iam-role'],
      controls,
      dryRunnable: false,
      summary: `Allow the role to ${access === 'read' ? 'read' : 'read and write'} objects in bucket ${bucket} only`,
    },
    ...(attachesSsmPolicy(spec) ? [ssmPolicyStep(spec, roleName)] : []),
    ...profileSteps(spec, roleName, controls),
  ];
}
