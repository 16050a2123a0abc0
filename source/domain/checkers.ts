// The checkers tandem cites, one entry per id: what each evaluates, its rule in tandem's words,
// the equivalent ids in the other tools, the verification row it belongs to, and a pure function
// that decides its verdict from facts (checker-facts.ts: the spec before launch, Describe results
// after) or from the exported CloudFormation template (Checkov scans templates, not resources).
//
// Every rule was read from the tool itself, pinned in scripts/checker-setup.mjs:
// - Security Hub: the AWS Foundational Security Best Practices control pages,
//   docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html (EC2.3, EC2.7, EC2.8, EC2.9,
//   EC2.13, EC2.15, EC2.18, EC2.19) and kms-controls.html (KMS.4). IAM.1 and IAM.21 are not listed:
//   they evaluate customer managed policies only, and tandem's role policy is inline.
// - Prowler 5: prowler/providers/aws/services/<service>/<check>/<check>.py and .metadata.json
//   (github.com/prowler-cloud/prowler), and prowler/config/config.yaml for the port lists.
// - Checkov 3: checkov/cloudformation/checks/resource/aws/<Class>.py (github.com/bridgecrewio/checkov).
import type {CheckerRef, RowId} from './catalog-types.js';
import {policyStatements, type CheckerFacts, type PolicyStatementFact} from './checker-facts.js';
import {
  AUTHORISED_TCP_PORTS,
  grantsAdministrator,
  grantsStarAction,
  grantsStarOnStar,
  passIf,
  PROWLER_HIGH_RISK_PORTS,
  SECURITY_HUB_HIGH_RISK_PORTS,
  worldOpenPorts,
  worldOpensPort,
  worldOpensUnauthorised,
  type Verdict,
} from './checker-rules.js';
import {literal, objects, resourcesOfType, type CfnTemplate} from './checker-template.js';
import {storageCheckers} from './controls/storage.js';

export type {Verdict} from './checker-rules.js';
export type CheckerTool = CheckerRef['tool'];

export interface ResourceVerdict {
  resource: string;
  verdict: Verdict;
}

/** The verification rows a checker's verdict is shown on. */
export type CheckerRow = Extract<
  RowId,
  'public-ip' | 'iam-instance-role' | 'ebs-encryption' | 'ebs-default-encryption' | 'kms-key' | 'security-group-rules' | 'imds-v2'
>;

interface CheckerBase {
  tool: CheckerTool;
  id: string;
  title: string;
  /** The resource type it reports on (CloudFormation names). */
  resourceType: string;
  /** What makes it fail, in tandem's words. */
  rule: string;
  /** Checkers of other tools that test the same thing share a group. */
  group: string;
  row: CheckerRow;
}
export interface LiveChecker extends CheckerBase {
  evaluates: 'live';
  /** Undefined when the facts it needs are not known. */
  verdicts(facts: CheckerFacts): ResourceVerdict[] | undefined;
}
export interface TemplateChecker extends CheckerBase {
  evaluates: 'template';
  verdicts(template: CfnTemplate): ResourceVerdict[];
}
export type Checker = LiveChecker | TemplateChecker;

const one = (resource: string, verdict: Verdict): ResourceVerdict[] => [{resource, verdict}];

const perInstance = (judge: (instance: NonNullable<CheckerFacts['instance']>) => Verdict) => (facts: CheckerFacts) =>
  facts.instance ? one(facts.instance.id, judge(facts.instance)) : undefined;

const perGroup = (judge: (ingress: NonNullable<CheckerFacts['securityGroups']>[number]['ingress']) => Verdict) => (facts: CheckerFacts) =>
  facts.securityGroups?.map((group) => ({resource: group.id, verdict: judge(group.ingress)}));

const subnetMapsPublic = (facts: CheckerFacts) =>
  facts.subnet ? one(facts.subnet.id, passIf(!facts.subnet.mapPublicIpOnLaunch)) : undefined;

const imdsTokens = perInstance((instance) => (instance.httpEndpoint === 'disabled' ? 'pass' : passIf(instance.httpTokens === 'required')));

/** CKV_AWS_24/25/260 (AbsSecurityGroupUnrestrictedIngress.py): an IPv4 or IPv6 world rule whose range holds the port. */
function checkovIngress(port: number) {
  return (template: CfnTemplate): ResourceVerdict[] =>
    resourcesOfType(template, 'AWS::EC2::SecurityGroup').map((group) => {
      const open = objects(group.properties.SecurityGroupIngress).some((rule) => {
        const from = Number(literal(template, rule.FromPort));
        const to = Number(literal(template, rule.ToPort));
        if (!(from <= port && port <= to)) return false;
        const v4 = literal(template, rule.CidrIp);
        const v6 = literal(template, rule.CidrIpv6);
        return v4 === '0.0.0.0/0' || v6 === '::/0' || v6 === '0000:0000:0000:0000:0000:0000:0000:0000/0';
      });
      return {resource: group.name, verdict: passIf(!open)};
    });
}

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

const registry: Checker[] = [
  // Public IPv4 on the instance.
  {
    tool: 'Security Hub', id: 'EC2.9', group: 'public-ipv4', row: 'public-ip', evaluates: 'live',
    title: 'EC2 instances should not have a public IPv4 address', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails any instance that has a public IPv4 address, whatever it serves.',
    verdicts: perInstance((instance) => passIf(!instance.publicIp)),
  },
  {
    // ec2_instance_public_ip.py: FAIL when instance.public_ip is set.
    tool: 'Prowler', id: 'ec2_instance_public_ip', group: 'public-ipv4', row: 'public-ip', evaluates: 'live',
    title: 'EC2 instance has no public IP', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails any running instance with a public IPv4 address.',
    verdicts: perInstance((instance) => passIf(!instance.publicIp)),
  },
  {
    // EC2PublicIP.py: fails AssociatePublicIpAddress true on an instance's or launch template's network interface.
    tool: 'Checkov', id: 'CKV_AWS_88', group: 'public-ipv4', row: 'public-ip', evaluates: 'template',
    title: 'EC2 instance should not have public IP', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails a template whose instance or launch template asks for a public address on a network interface.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate').map((resource) => {
        const interfaces = resource.type === 'AWS::EC2::Instance'
          ? resource.properties.NetworkInterfaces
          : (resource.properties.LaunchTemplateData as {NetworkInterfaces?: unknown} | undefined)?.NetworkInterfaces;
        const asks = objects(interfaces).some((eni) => literal(template, eni.AssociatePublicIpAddress) === true);
        return {resource: resource.name, verdict: passIf(!asks)};
      }),
  },
  // Subnets that hand out public addresses.
  {
    tool: 'Security Hub', id: 'EC2.15', group: 'subnet-public-ip', row: 'public-ip', evaluates: 'live',
    title: 'EC2 subnets should not automatically assign public IP addresses', resourceType: 'AWS::EC2::Subnet',
    rule: 'Fails a subnet whose MapPublicIpOnLaunch is true, as every default subnet is.',
    verdicts: subnetMapsPublic,
  },
  {
    // vpc_subnet_no_public_ip_by_default.py: FAIL when subnet.mapPublicIpOnLaunch.
    tool: 'Prowler', id: 'vpc_subnet_no_public_ip_by_default', group: 'subnet-public-ip', row: 'public-ip', evaluates: 'live',
    title: 'VPC subnet does not assign public IP by default', resourceType: 'AWS::EC2::Subnet',
    rule: 'Fails a subnet that gives every new instance a public address.',
    verdicts: subnetMapsPublic,
  },
  // The instance role.
  {
    // ec2_instance_profile_attached.py: FAIL when the instance has no instance profile.
    tool: 'Prowler', id: 'ec2_instance_profile_attached', group: 'instance-profile', row: 'iam-instance-role', evaluates: 'live',
    title: 'EC2 instance has an instance profile attached', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance without a role, even one that needs no AWS access.',
    verdicts: perInstance((instance) => passIf(instance.instanceProfile)),
  },
  {
    // ec2_instance_internet_facing_with_instance_profile.py: FAIL when public_ip and instance_profile are both set.
    tool: 'Prowler', id: 'ec2_instance_internet_facing_with_instance_profile', group: 'public-with-role', row: 'iam-instance-role', evaluates: 'live',
    title: 'Internet-facing EC2 instance with an instance profile', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance that has both a public IPv4 address and a role.',
    verdicts: perInstance((instance) => passIf(!(instance.publicIp && instance.instanceProfile))),
  },
  {
    // iam_inline_policy_no_administrative_privileges.py with lib/policy.py check_admin_access:
    // FAIL for an inline policy with an Allow of Action "*" on Resource "*". One verdict per inline policy.
    tool: 'Prowler', id: 'iam_inline_policy_no_administrative_privileges', group: 'inline-admin', row: 'iam-instance-role', evaluates: 'live',
    title: 'Inline policy does not allow "*:*" administrative privileges', resourceType: 'AWS::IAM::Role',
    rule: 'Fails an inline policy that allows every action on every resource.',
    verdicts: (facts) =>
      facts.role?.inlinePolicies.map((policy) => ({
        resource: `${facts.role!.name}/${policy.name}`,
        verdict: passIf(!policy.statements.some(grantsAdministrator)),
      })),
  },
  {
    tool: 'Checkov', id: 'CKV_AWS_62', group: 'inline-admin', row: 'iam-instance-role', evaluates: 'template',
    title: 'No IAM policy allows full "*-*" administrative privileges', resourceType: 'AWS::IAM::Role',
    rule: 'Fails a role or policy in the template that allows Action "*" on Resource "*".',
    verdicts: checkovRolePolicies(grantsStarOnStar),
  },
  {
    tool: 'Checkov', id: 'CKV_AWS_63', group: 'star-action', row: 'iam-instance-role', evaluates: 'template',
    title: 'No IAM policy allows "*" as a statement\'s actions', resourceType: 'AWS::IAM::Role',
    rule: 'Fails a role or policy in the template with an Allow of Action "*", on any resource.',
    verdicts: checkovRolePolicies(grantsStarAction),
  },
  // Volume encryption, the account's default, key rotation: the storage control's checkers.
  ...storageCheckers,
  // Security group rules.
  {
    tool: 'Security Hub', id: 'EC2.13', group: 'ssh-world', row: 'security-group-rules', evaluates: 'live',
    title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group that lets the whole internet reach port 22.',
    verdicts: perGroup((ingress) => passIf(!worldOpensPort(ingress, 22))),
  },
  {
    // ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22.py with lib/security_groups.py check_security_group.
    tool: 'Prowler', id: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22', group: 'ssh-world', row: 'security-group-rules', evaluates: 'live',
    title: 'Security group does not allow ingress from the internet to TCP port 22', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails an attached group with a rule from 0.0.0.0/0 or ::/0 that covers TCP 22.',
    verdicts: perGroup((ingress) => passIf(!worldOpensPort(ingress, 22))),
  },
  {
    tool: 'Checkov', id: 'CKV_AWS_24', group: 'ssh-world', row: 'security-group-rules', evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 22', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template with a rule from 0.0.0.0/0 or ::/0 whose port range holds 22.',
    verdicts: checkovIngress(22),
  },
  {
    tool: 'Security Hub', id: 'EC2.18', group: 'authorised-ports', row: 'security-group-rules', evaluates: 'live',
    title: 'Security groups should only allow unrestricted incoming traffic for authorized ports', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group that opens anything to the whole internet other than TCP 80 and 443 (its default authorised ports).',
    verdicts: perGroup((ingress) => passIf(!worldOpensUnauthorised(ingress, AUTHORISED_TCP_PORTS))),
  },
  {
    tool: 'Checkov', id: 'CKV_AWS_260', group: 'http-world', row: 'security-group-rules', evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 80', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template that opens port 80 to the whole internet, even for a web server.',
    verdicts: checkovIngress(80),
  },
  {
    tool: 'Security Hub', id: 'EC2.19', group: 'high-risk-ports', row: 'security-group-rules', evaluates: 'live',
    title: 'Security groups should not allow unrestricted access to ports with high risk', resourceType: 'AWS::EC2::SecurityGroup',
    rule: `Fails a group that lets the whole internet reach any of ${SECURITY_HUB_HIGH_RISK_PORTS.join(', ')}.`,
    verdicts: perGroup((ingress) => passIf(worldOpenPorts(ingress, SECURITY_HUB_HIGH_RISK_PORTS).length === 0)),
  },
  {
    // ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports.py, ports from config.yaml.
    tool: 'Prowler', id: 'ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports', group: 'high-risk-ports', row: 'security-group-rules', evaluates: 'live',
    title: 'Security group does not allow ingress from the internet to high-risk TCP ports', resourceType: 'AWS::EC2::SecurityGroup',
    rule: `Fails an attached group open to the internet on any of ${PROWLER_HIGH_RISK_PORTS.join(', ')} (not 22, which has its own check).`,
    verdicts: perGroup((ingress) => passIf(worldOpenPorts(ingress, PROWLER_HIGH_RISK_PORTS).length === 0)),
  },
  {
    tool: 'Checkov', id: 'CKV_AWS_25', group: 'rdp-world', row: 'security-group-rules', evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 3389', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template that opens port 3389 (RDP) to the whole internet.',
    verdicts: checkovIngress(3389),
  },
  {
    // SecurityGroupRuleDescription.py: every inline ingress and egress rule needs a Description.
    tool: 'Checkov', id: 'CKV_AWS_23', group: 'rule-descriptions', row: 'security-group-rules', evaluates: 'template',
    title: 'Every security group rule has a description', resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template with a rule that has no Description.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::SecurityGroup').map((group) => {
        const rules = [...objects(group.properties.SecurityGroupIngress), ...objects(group.properties.SecurityGroupEgress)];
        return {resource: group.name, verdict: passIf(rules.every((rule) => Boolean(literal(template, rule.Description))))};
      }),
  },
  // Instance metadata.
  {
    tool: 'Security Hub', id: 'EC2.8', group: 'imdsv2', row: 'imds-v2', evaluates: 'live',
    title: 'EC2 instances should use IMDSv2', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance whose metadata service still answers without a session token (HttpTokens optional).',
    verdicts: imdsTokens,
  },
  {
    // ec2_instance_imdsv2_enabled.py: PASS when tokens are required or the endpoint is disabled.
    tool: 'Prowler', id: 'ec2_instance_imdsv2_enabled', group: 'imdsv2', row: 'imds-v2', evaluates: 'live',
    title: 'EC2 instance requires IMDSv2', resourceType: 'AWS::EC2::Instance',
    rule: 'Fails a running instance whose metadata endpoint is on without required tokens.',
    verdicts: imdsTokens,
  },
  {
    // IMDSv1Disabled.py: LaunchTemplateData.MetadataOptions HttpTokens must be "required" (or HttpEndpoint disabled).
    tool: 'Checkov', id: 'CKV_AWS_79', group: 'imdsv2', row: 'imds-v2', evaluates: 'template',
    title: 'Instance Metadata Service version 1 is not enabled', resourceType: 'AWS::EC2::LaunchTemplate',
    rule: 'Fails a launch template in the template whose metadata options do not require tokens.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::LaunchTemplate').map((lt) => {
        const options = (lt.properties.LaunchTemplateData as {MetadataOptions?: Record<string, unknown>} | undefined)?.MetadataOptions ?? {};
        const ok = literal(template, options.HttpEndpoint) === 'disabled' || literal(template, options.HttpTokens) === 'required';
        return {resource: lt.name, verdict: passIf(ok)};
      }),
  },
];

export const CHECKERS: readonly Checker[] = Object.freeze(registry);

export function checkerKey(checker: Pick<Checker, 'tool' | 'id'>): string {
  return `${checker.tool} ${checker.id}`;
}

export function findChecker(tool: CheckerTool, id: string): Checker | undefined {
  return CHECKERS.find((checker) => checker.tool === tool && checker.id === id);
}

/** The same test in the other tools: EC2.9 ≈ Prowler ec2_instance_public_ip ≈ CKV_AWS_88. */
export function equivalentsOf(checker: Checker): Checker[] {
  return CHECKERS.filter((other) => other.group === checker.group && other !== checker);
}

export function checkersForRow(row: string): Checker[] {
  return CHECKERS.filter((checker) => checker.row === row);
}

