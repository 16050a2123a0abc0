// The instance role (docs/design.md section 1): none, an existing role, or one tandem creates for
// one S3 bucket; Session Manager adds its own role when the spec names none (ways-in.ts).
import type {ControlModule, FindingDraft, LaunchPart, PanelEdits} from './control.js';
import {prowler} from './control.js';
import {needsSessionRole, sessionManagerOn, sessionRoleName, SSM_POLICY_NAME} from './ways-in.js';
import {createdRoleName, instanceProfileName, roleSteps} from '../plan-iam.js';
import {perInstance, type Checker, type ResourceVerdict} from '../checker-kit.js';
import {policyStatements, type CheckerFacts, type PolicyStatementFact} from '../checker-facts.js';
import {grantsActionOnAll, grantsAdministrator, grantsFullService, grantsStarAction, grantsStarOnStar, passIf, trustLeavesServiceUnscoped} from '../checker-rules.js';
import {objects, resourcesOfType, type CfnTemplate} from '../checker-template.js';
import type {LaunchSpec} from '../spec.js';
import {oneOf, show, type FieldRules} from '../field-rules.js';

/** Whether the instance gets a role, and what the created role may do with its bucket. */
export const ROLE_MODES = ['none', 'existing', 'create'] as const;
export const ROLE_ACCESS = ['read', 'read-write'] as const;

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

// ---------------------------------------------------------------------------------------------
// Checkers of the instance role's row (checkers.ts says where each rule was read from)

/** CKV_AWS_62/63 on a role's inline Policies (IAMAdminPolicyDocument.py, IAMStarActionPolicyDocument.py). */
function checkovRolePolicies(bad: (statement: PolicyStatementFact) => boolean) {
  return (template: CfnTemplate): ResourceVerdict[] =>
    resourcesOfType(template, 'AWS::IAM::Role', 'AWS::IAM::Policy').flatMap((role) => {
      const documents = role.type === 'AWS::IAM::Policy' ? [role.properties.PolicyDocument] : objects(role.properties.Policies).map((p) => p.PolicyDocument);
      // A role with managed policies only (the Session Manager role) has nothing for checkov to judge: it says nothing.
      if (documents.length === 0) return [];
      const failing = documents.some((document) => policyStatements(document).some(bad));
      return [{resource: role.name, verdict: passIf(!failing)}];
    });
}

/** One verdict per inline policy of the instance's role, named as Prowler names it (role/policy). */
function perInlinePolicy(bad: (statement: PolicyStatementFact) => boolean) {
  return (facts: CheckerFacts): ResourceVerdict[] | undefined =>
    facts.role?.inlinePolicies.map((policy) => ({resource: `${facts.role!.name}/${policy.name}`, verdict: passIf(!policy.statements.some(bad))}));
}

/**
 * Prowler's other inline-policy checks of the role (iam/lib/policy.py check_full_service_access
 * and policy_allows_marketplace_subscribe_on_all_resources): each fails an inline policy that
 * grants a whole sensitive service, or the right to subscribe to marketplace products, on every
 * resource. The policy tandem writes grants S3 actions on one bucket only; a role someone else
 * made is judged after launch.
 */
function inlineServiceCheckers(): Checker[] {
  const full = (service: string, severity: 'high' | 'medium'): Checker => ({
    tool: 'Prowler',
    id: `iam_inline_policy_no_full_access_to_${service}`,
    group: `inline-full-${service}`,
    row: 'iam-instance-role',
    evaluates: 'live',
    title: `Inline IAM policy does not allow '${service}:*' privileges`,
    resourceType: 'AWS::IAM::Role',
    rule: `Fails an inline policy that allows every ${service} action on every resource ("*" counts).`,
    severity,
    verdicts: perInlinePolicy((statement) => grantsFullService(statement, service)),
  });
  return [
    full('cloudtrail', 'high'),
    full('kms', 'medium'),
    {
      tool: 'Prowler',
      id: 'iam_inline_policy_no_wildcard_marketplace_subscribe',
      group: 'inline-marketplace',
      row: 'iam-instance-role',
      evaluates: 'live',
      title: "Inline IAM policy does not allow 'aws-marketplace:Subscribe' on all resources",
      resourceType: 'AWS::IAM::Role',
      rule: 'Fails an inline policy that allows aws-marketplace:Subscribe (or a wildcard covering it) on every resource.',
      severity: 'medium',
      verdicts: perInlinePolicy((statement) => grantsActionOnAll(statement, 'aws-marketplace:Subscribe')),
    },
  ];
}

/**
 * Why the confused-deputy check does not apply to an EC2 instance role, as AWS documents it (IAM
 * User Guide, "The confused deputy problem" and the aws:SourceAccount / aws:SourceArn entries of
 * "AWS global condition context keys"; EC2 User Guide, "IAM roles for Amazon EC2"): the two keys
 * are in a request only when a service acts for one of its resources and says so, and each service
 * that does lists them on its own confused-deputy page. EC2 has no such page, and its instance
 * role trust policy names ec2.amazonaws.com with no condition. A condition on a key the request
 * lacks never matches, so adding one would only stop the instance getting credentials. And EC2
 * cannot be made to assume the role for someone else: only a principal of this account allowed
 * iam:PassRole on the role can attach it to an instance, and a role is never passed across accounts.
 */
export const CONFUSED_DEPUTY_REASON =
  'EC2 sets neither aws:SourceAccount nor aws:SourceArn when it assumes an instance role, so the condition would only cut off the instance; only this account, through iam:PassRole, can attach the role';

/** The trust policy Prowler's confused-deputy check reads: one verdict per service role. */
function confusedDeputyVerdicts(facts: Pick<CheckerFacts, 'role' | 'serviceRoles'>): ResourceVerdict[] | undefined {
  // The other roles tandem makes for AWS services (AWS Backup's, the flow logs') are judged too.
  const roles = [...(facts.role?.trust !== undefined ? [facts.role] : []), ...(facts.serviceRoles ?? [])];
  if (roles.length === 0) return undefined;
  return roles.flatMap((role) => {
    const unscoped = trustLeavesServiceUnscoped(role.trust);
    return unscoped === undefined ? [] : [{resource: role.name, verdict: passIf(!unscoped)}];
  });
}

const checkers: Checker[] = [
  // The instance role.
  {
    // iam_role_cross_service_confused_deputy_prevention.py with lib/policy.py is_policy_public
    // (check_cross_service_confused_deputy): FAIL for a service role whose trust lets an AWS service
    // assume it with no aws:SourceAccount/aws:SourceArn-style condition. High in its metadata.
    tool: 'Prowler',
    id: 'iam_role_cross_service_confused_deputy_prevention',
    group: 'confused-deputy',
    row: 'iam-instance-role',
    evaluates: 'live',
    title: 'IAM service role prevents cross-service confused deputy attack',
    resourceType: 'AWS::IAM::Role',
    rule: 'Fails a role that an AWS service may assume with no aws:SourceAccount or aws:SourceArn condition; every EC2 instance role, since EC2 sets neither.',
    severity: 'high',
    verdicts: confusedDeputyVerdicts,
  },
  {
    // ec2_instance_profile_attached.py: FAIL when the instance has no instance profile.
    tool: 'Prowler',
    id: 'ec2_instance_profile_attached',
    severity: 'medium',
    group: 'instance-profile',
    row: 'iam-instance-role',
    evaluates: 'live',
    title: 'EC2 instance has an instance profile attached',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance without a role, even one that needs no AWS access.',
    verdicts: perInstance((instance) => passIf(instance.instanceProfile)),
  },
  {
    // ec2_instance_internet_facing_with_instance_profile.py: FAIL when public_ip and instance_profile are both set.
    tool: 'Prowler',
    id: 'ec2_instance_internet_facing_with_instance_profile',
    severity: 'high',
    group: 'public-with-role',
    row: 'iam-instance-role',
    evaluates: 'live',
    title: 'Internet-facing EC2 instance with an instance profile',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance that has both a public IPv4 address and a role.',
    verdicts: perInstance((instance) => passIf(!(instance.publicIp && instance.instanceProfile))),
  },
  {
    // iam_inline_policy_no_administrative_privileges.py with lib/policy.py check_admin_access:
    // FAIL for an inline policy with an Allow of Action "*" on Resource "*". One verdict per inline policy.
    tool: 'Prowler',
    id: 'iam_inline_policy_no_administrative_privileges',
    severity: 'critical',
    group: 'inline-admin',
    row: 'iam-instance-role',
    evaluates: 'live',
    title: 'Inline policy does not allow "*:*" administrative privileges',
    resourceType: 'AWS::IAM::Role',
    rule: 'Fails an inline policy that allows every action on every resource.',
    verdicts: (facts) =>
      facts.role?.inlinePolicies.map((policy) => ({
        resource: `${facts.role!.name}/${policy.name}`,
        verdict: passIf(!policy.statements.some(grantsAdministrator)),
      })),
  },
  {
    tool: 'Checkov',
    id: 'CKV_AWS_62',
    severity: 'unrated',
    group: 'inline-admin',
    row: 'iam-instance-role',
    evaluates: 'template',
    title: 'No IAM policy allows full "*-*" administrative privileges',
    resourceType: 'AWS::IAM::Role',
    rule: 'Fails a role or policy in the template that allows Action "*" on Resource "*".',
    verdicts: checkovRolePolicies(grantsStarOnStar),
  },
  {
    tool: 'Checkov',
    id: 'CKV_AWS_63',
    severity: 'unrated',
    group: 'star-action',
    row: 'iam-instance-role',
    evaluates: 'template',
    title: 'No IAM policy allows "*" as a statement\'s actions',
    resourceType: 'AWS::IAM::Role',
    rule: 'Fails a role or policy in the template with an Allow of Action "*", on any resource.',
    verdicts: checkovRolePolicies(grantsStarAction),
  },
  ...inlineServiceCheckers(),
];

const FINDING_IDS = ['public-instance-with-role', 'no-instance-role', 'role-trust-unscoped'] as const;

/**
 * The trust policy tandem writes for a role it creates fails Prowler's confused-deputy check, and
 * nothing tandem could add would pass it and still work (CONFUSED_DEPUTY_REASON): predicted, with
 * the reason ready to accept. An existing role's trust policy is read after launch instead.
 */
function trustFinding(spec: LaunchSpec): FindingDraft[] {
  if (createdRoleName(spec) === undefined) return [];
  return [
    {
      id: 'role-trust-unscoped',
      // tandem's own rating: the check cannot apply to an EC2 role. The gate rates a finding by its
      // tools' severities (Prowler: high), so it still asks for the ready reason before launch.
      severity: 'low',
      title: 'Instance role trusts EC2 with no source condition',
      explanation:
        'Prowler iam_role_cross_service_confused_deputy_prevention (high) fails every role an AWS service may assume without an aws:SourceAccount or aws:SourceArn condition. It cannot be met for an EC2 instance role: EC2 sets neither key when it assumes the role, so the condition would only leave the instance without credentials, and no other account can make EC2 use this role, since only a principal of this account allowed iam:PassRole can attach it. tandem leaves the trust policy as AWS documents it; accept this with the reason offered.',
      control: 'iam-instance-role',
      checkers: [prowler('iam_role_cross_service_confused_deputy_prevention')],
      readyReason: CONFUSED_DEPUTY_REASON,
    },
  ];
}

function findings(spec: LaunchSpec): FindingDraft[] {
  return [...roleFindings(spec), ...trustFinding(spec)];
}

function roleFindings(spec: LaunchSpec): FindingDraft[] {
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
      architectureOnly: true,
      checkers: [prowler('ec2_instance_internet_facing_with_instance_profile')],
    },
  ];
}

const IAM_NAME = /^[\w+=,.@-]+$/;

function roleName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode === 'none' && !needsSessionRole(spec)) return undefined;
  if (value === undefined && spec.role.mode !== 'existing') return undefined; // EC2AccessToS3Role, or tandem-ssm-<instance>
  if (typeof value !== 'string' || value.length === 0) return 'The IAM role name is required; expected 1–64 letters, digits or +=,.@_- characters.';
  if (value.length > 64) return `IAM role name ${show(value)} is ${value.length} characters long; the limit is 64.`;
  if (!IAM_NAME.test(value)) return `IAM role name ${show(value)} has characters IAM does not allow; use letters, digits and +=,.@_- only.`;
  return undefined;
}

function instanceProfile(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode === 'none' || value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || !IAM_NAME.test(value)) {
    return `Instance profile name ${show(value)} is not valid; expected 1–128 letters, digits or +=,.@_- characters.`;
  }
  return undefined;
}

/** S3 general purpose bucket naming rules. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `Bucket name ${show(name)} is ${name.length} characters long; S3 bucket names are 3–63 characters.`;
  if (!/^[a-z0-9.-]+$/.test(name)) return `Bucket name ${show(name)} may only contain lowercase letters, digits, dots and hyphens.`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return `Bucket name ${show(name)} must start and end with a lowercase letter or digit.`;
  if (name.includes('..')) return `Bucket name ${show(name)} has two dots in a row, which S3 does not allow.`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `Bucket name ${show(name)} looks like an IP address, which S3 does not allow.`;
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `Bucket name ${show(name)} starts with '${prefix}', a prefix S3 reserves.`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `Bucket name ${show(name)} ends with '${suffix}', a suffix S3 reserves.`;
  }
  return undefined;
}

function bucket(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode !== 'create') return undefined;
  if (typeof value !== 'string' || value === '') return 'The role needs the S3 bucket it may use; expected a bucket name like my-site-assets.';
  return bucketNameProblem(value);
}

function access(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode !== 'create') return undefined;
  return oneOf('Bucket access', ROLE_ACCESS)(value, spec);
}

const rules: FieldRules = {
  'role.mode': oneOf('Role mode', ROLE_MODES),
  'role.name': roleName,
  'role.instanceProfile': instanceProfile,
  'role.bucket': bucket,
  'role.access': access,
};

export const roleControl: ControlModule<(typeof FINDING_IDS)[number], 'iam-instance-role', 'iam-role'> = {
  step: 'iam-role',
  stepTitle: 'IAM role',
  rules,
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
      compliance: [
        'Roles, trust relationships and all access to the account are managed entirely by you.',
        'Prowler fails every EC2 instance role for want of an aws:SourceAccount condition that EC2 never supplies: tandem predicts it and offers a reason to accept it.',
      ],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.role.mode,
  panel,
  findings,
  planSteps: (spec) => roleSteps(spec),
  planOrder: 40,
  checkers,
};

/**
 * What verification expects: no instance profile, or the profile (as created or named) holding the
 * role, which EC2 may assume and which grants no wildcard.
 */
export function roleExpectation(
  spec: LaunchSpec,
  resolved: {instanceProfileName?: string; roleName?: string},
): {profileName?: undefined; expected: string} | {profileName: string; roleName: string; expected: string} {
  const planned = instanceProfileName(spec);
  if (planned === undefined) return {expected: 'no instance profile'};
  const profileName = resolved.instanceProfileName ?? planned;
  const roleName = resolved.roleName ?? spec.role.name ?? '';
  return {profileName, roleName, expected: `profile ${profileName} attached, holding role ${roleName}; EC2 may assume the role; no wildcard action or resource`};
}
