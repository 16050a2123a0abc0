// Design-time findings: risks visible in the launch spec before anything is created. Several are
// expected for a public web server, and the checkers do not agree about them, so each finding says
// why it fires and lists every tool that flags it, and only those (checkers.ts holds their rules;
// a tool that passes a risky-looking choice is named in the explanation, not in the list). The
// operator may record a finding as an accepted risk.
import type {CheckerRef, ControlId} from './catalog-types.js';
import {isWholeInternet} from './choices.js';
import {PROWLER_HIGH_RISK_PORTS, SECURITY_HUB_HIGH_RISK_PORTS} from './checker-rules.js';
import {wantsInstanceConnect} from './instance-connect.js';
import type {LaunchSpec} from './spec.js';
import {instanceProfileName} from './plan-iam.js';
import {ENDPOINT_HOURLY_USD, needsSessionRole, needsSsmEndpoints, sessionManagerOn, SSM_ENDPOINT_SERVICES, SSM_POLICY_NAME} from './plan-access.js';

export type Severity = 'high' | 'medium' | 'low' | 'info';

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  explanation: string;
  /** The catalog control this finding is about. */
  control: ControlId;
  checkers: CheckerRef[];
  /** Present when the spec's acceptedRisks names this finding. */
  accepted?: {reason: string};
}

export const FINDING_IDS = [
  'ssh-open-to-internet',
  'high-risk-port-open',
  'http-open-to-internet',
  'public-ipv4',
  'subnet-auto-public-ip',
  'public-instance-with-role',
  'no-instance-role',
  'ebs-unencrypted',
  'imdsv1-allowed',
  'dedicated-tenancy-cost',
  'al2-end-of-support',
  'kms-aws-managed-key',
  'no-ssh-key',
  'instance-connect-without-public-ip',
  'session-endpoints-cost',
  'session-logging-off',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export function isFindingId(id: string): id is FindingId {
  return (FINDING_IDS as readonly string[]).includes(id);
}

/** One inbound rule: TCP `port` allowed from `cidr`. */
export interface IngressRule {
  port: number;
  cidr: string;
}

/** Ports Security Hub EC2.19 treats as high risk when reachable from anywhere. */
export const HIGH_RISK_PORTS: readonly number[] = SECURITY_HUB_HIGH_RISK_PORTS;

const hub = (id: string): CheckerRef => ({tool: 'Security Hub', id});
const prowler = (id: string): CheckerRef => ({tool: 'Prowler', id});
const checkov = (id: string): CheckerRef => ({tool: 'Checkov', id});
const SEVERITY_ORDER: Record<Severity, number> = {high: 0, medium: 1, low: 2, info: 3};

type Draft = Omit<Finding, 'accepted'>;

/** The inbound rules tandem would write for this spec; none for an existing group, which it leaves alone. */
export function ingressRules(spec: LaunchSpec): IngressRule[] {
  const sg = spec.securityGroup;
  const rules: IngressRule[] = [];
  if (sg.mode !== 'create') return rules;
  if (sg.ssh !== false) rules.push({port: 22, cidr: sg.ssh});
  if (sg.http !== false) rules.push({port: 80, cidr: sg.http});
  if (sg.https !== false) rules.push({port: 443, cidr: sg.https});
  return rules;
}

/** Findings for inbound rules; only rules open to the whole internet matter here. */
export function ingressFindings(rules: IngressRule[]): Draft[] {
  const open = rules.filter((rule) => isWholeInternet(rule.cidr));
  const drafts: Draft[] = [];
  const ssh = open.find((rule) => rule.port === 22);
  if (ssh)
    drafts.push({
      id: 'ssh-open-to-internet',
      severity: 'high',
      title: 'SSH open to the internet',
      explanation: `Port 22 accepts connections from ${ssh.cidr}. Scanners find and try such hosts within minutes; allow only your own address as a /32, or drop SSH and use Session Manager.`,
      control: 'security-group-rules',
      // 22 is also outside EC2.18's authorised ports and inside EC2.19's high-risk list.
      checkers: [hub('EC2.13'), hub('EC2.18'), hub('EC2.19'), prowler('ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22'), checkov('CKV_AWS_24')],
    });
  const risky = [...new Set(open.filter((rule) => rule.port !== 22 && HIGH_RISK_PORTS.includes(rule.port)).map((rule) => rule.port))];
  if (risky.length > 0)
    drafts.push({
      id: 'high-risk-port-open',
      severity: 'high',
      title: 'High-risk port open to the internet',
      explanation: `Port ${risky.join(', ')} is reachable from anywhere. Such ports carry remote administration, databases or file sharing and are attacked constantly; restrict them to known addresses.`,
      control: 'security-group-rules',
      checkers: [
        hub('EC2.18'),
        hub('EC2.19'),
        ...(risky.some((port) => PROWLER_HIGH_RISK_PORTS.includes(port)) ? [prowler('ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports')] : []),
        ...(risky.includes(3389) ? [checkov('CKV_AWS_25')] : []),
      ],
    });
  const http = open.find((rule) => rule.port === 80);
  if (http)
    drafts.push({
      id: 'http-open-to-internet',
      severity: 'low',
      title: 'HTTP open to the internet',
      explanation:
        'Port 80 is open to everyone, which a public web server needs. Checkov CKV_AWS_260 fails any such rule in the template; Security Hub EC2.18 passes it, since 80 is one of its authorised ports. Traffic on 80 is unencrypted: redirect it to HTTPS when you can.',
      control: 'security-group-rules',
      checkers: [checkov('CKV_AWS_260')],
    });
  return drafts;
}

function specFindings(spec: LaunchSpec): Draft[] {
  const drafts: Draft[] = [...ingressFindings(ingressRules(spec))];
  const publicIp = spec.network.publicIp;
  if (publicIp)
    drafts.push({
      id: 'public-ipv4',
      severity: 'medium',
      title: 'Public IPv4 address',
      explanation:
        'The instance gets a public IPv4 address, so every open port faces the internet. Security Hub EC2.9, Prowler and Checkov flag any public IPv4, even on a server meant to be public; for a web server this is often intended, and a load balancer in front avoids it.',
      control: 'public-ip',
      checkers: [hub('EC2.9'), prowler('ec2_instance_public_ip'), checkov('CKV_AWS_88')],
    });
  if (spec.network.vpc === 'default')
    drafts.push({
      id: 'subnet-auto-public-ip',
      severity: 'low',
      title: 'Default subnet hands out public addresses',
      explanation:
        "Default subnets give every new instance a public IPv4 address unless the launch says otherwise, so Security Hub EC2.15 and Prowler flag the subnet itself, whatever this instance asks for. Checkov cannot see it: the default VPC is not in the template.",
      control: 'public-ip',
      checkers: [hub('EC2.15'), prowler('vpc_subnet_no_public_ip_by_default')],
    });
  const hasRole = instanceProfileName(spec) !== undefined;
  if (publicIp && hasRole)
    drafts.push({
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
    });
  if (!hasRole)
    drafts.push({
      id: 'no-instance-role',
      severity: 'info',
      title: 'No instance role',
      explanation:
        'Prowler ec2_instance_profile_attached fails every instance without a role. A web server that calls no AWS API needs none, and then no credentials can leak from it; Session Manager is off, since it would need one.',
      control: 'iam-instance-role',
      checkers: [prowler('ec2_instance_profile_attached')],
    });
  if (!spec.storage.encrypted)
    drafts.push({
      id: 'ebs-unencrypted',
      severity: 'high',
      title: 'Root volume not encrypted',
      explanation:
        'EBS volumes are unencrypted unless the request or the account default asks for encryption, and this spec does not. Security Hub EC2.3 and Prowler fail an unencrypted volume. Choose a KMS key, or encrypt inside the OS with LUKS.',
      control: 'ebs-encryption',
      checkers: [hub('EC2.3'), prowler('ec2_ebs_volume_encryption')],
    });
  if (spec.instance.imds === 'optional')
    drafts.push({
      id: 'imdsv1-allowed',
      severity: 'high',
      title: 'IMDSv1 allowed',
      explanation:
        "Without session tokens, any server-side request forgery in the web app can read the instance's role credentials from the metadata service. Security Hub EC2.8, Prowler and Checkov (on the launch template) fail it; require IMDSv2.",
      control: 'imds-v2',
      checkers: [hub('EC2.8'), prowler('ec2_instance_imdsv2_enabled'), checkov('CKV_AWS_79')],
    });
  if (spec.instance.tenancy !== 'default')
    drafts.push({
      id: 'dedicated-tenancy-cost',
      severity: 'info',
      title: spec.instance.tenancy === 'host' ? 'Dedicated host costs' : 'Dedicated instance costs',
      explanation:
        spec.instance.tenancy === 'host'
          ? 'A dedicated host is billed whole for as long as it is allocated, whatever runs on it, and you manage its placement and licences. Release it when done (tandem destroy does).'
          : 'Dedicated instances cost more than shared ones. Choose them when your own policy or a contract asks for single-tenant hardware: standards such as PCI DSS do not, since AWS\'s attestation covers shared tenancy.',
      control: 'tenancy',
      checkers: [],
    });
  if (spec.instance.image === 'al2')
    drafts.push({
      id: 'al2-end-of-support',
      severity: 'high',
      title: 'Amazon Linux 2 is past end of support',
      explanation:
        'Amazon Linux 2 reached end of support on 2026-06-30 and no longer receives security updates. Use Amazon Linux 2023 unless software you cannot move yet requires AL2.',
      control: 'ami-provenance',
      checkers: [],
    });
  if (spec.storage.encrypted && spec.storage.kmsKey === 'aws/ebs')
    drafts.push({
      id: 'kms-aws-managed-key',
      severity: 'info',
      title: 'AWS managed key aws/ebs',
      explanation:
        "The launch asks for encryption without naming a key, so EBS uses the account's default EBS key: aws/ebs, unless someone changed that default (then the volume gets the key it names; verification reports the key actually used). AWS rotates aws/ebs; you cannot rotate it yourself, change its policy, or share snapshots it encrypts with other accounts. Pick a customer key if you need any of that.",
      control: 'kms-key',
      checkers: [],
    });
  if (wantsInstanceConnect(spec) && !spec.network.publicIp)
    drafts.push({
      id: 'instance-connect-without-public-ip',
      severity: 'low',
      title: 'EC2 Instance Connect without a public address',
      explanation:
        "The Instance Connect rule admits the service's public addresses, which reach an instance only through its public IPv4; this one has none, so the rule goes unused. Reach a private instance through an EC2 Instance Connect Endpoint in its VPC, or with Session Manager.",
      control: 'security-group-rules',
      checkers: [],
    });
  const session = sessionManagerOn(spec);
  if (spec.keyPair.mode === 'none')
    drafts.push({
      id: 'no-ssh-key',
      severity: 'info',
      title: 'No key pair',
      explanation: wantsInstanceConnect(spec)
        ? `No key pair is attached, and none is needed for EC2 Instance Connect: it pushes a one-time public key for each session (valid for 60 seconds), so no long-lived key sits on the instance.${session ? ' Session Manager is on too.' : ''}`
        : `${
            ingressRules(spec).some((rule) => rule.port === 22)
              ? 'No key pair is attached, so SSH logins with a key are impossible and the SSH rule serves no purpose.'
              : 'No key pair is attached, so nobody can log in with an SSH key, and there is no private key to lose.'
          } ${session ? 'Session Manager gives the shell instead, allowed and logged through IAM.' : 'Session Manager is off too, so the instance has no way in; turn it on if you ever need a shell.'}`,
      control: 'key-pair',
      checkers: [],
    });
  if (needsSsmEndpoints(spec))
    drafts.push({
      id: 'session-endpoints-cost',
      severity: 'info',
      title: 'Session Manager endpoints are billed hourly',
      explanation: `The private subnet has no way out, so tandem adds ${SSM_ENDPOINT_SERVICES.length} interface endpoints (${SSM_ENDPOINT_SERVICES.join(', ')}). Each costs about $${ENDPOINT_HOURLY_USD.toFixed(2)} per endpoint-hour in us-east-1 (a little more in most other regions), plus a charge per GB processed, for as long as they exist; tandem destroy removes them.`,
      control: 'session-manager',
      checkers: [],
    });
  if (session)
    drafts.push({
      id: 'session-logging-off',
      severity: 'info',
      title: 'Session logs are not set up by tandem',
      explanation:
        'Who may start a session is decided in IAM (ssm:StartSession), and what happens in it is recorded only if the account\'s Session Manager preferences send session logs to CloudWatch Logs or S3. tandem leaves those account-wide preferences alone; set them if auditors need a record of every command.',
      control: 'session-manager',
      checkers: [],
    });
  return drafts;
}

/** Every finding the spec triggers, most severe first, marked accepted where the spec says so. */
export function findingsFor(spec: LaunchSpec): Finding[] {
  const accepted = new Map(spec.acceptedRisks.map((risk) => [risk.finding, risk.reason]));
  return specFindings(spec)
    .map((draft, index) => ({draft, index}))
    .sort((a, b) => SEVERITY_ORDER[a.draft.severity] - SEVERITY_ORDER[b.draft.severity] || a.index - b.index)
    .map(({draft}) => (accepted.has(draft.id) ? {...draft, accepted: {reason: accepted.get(draft.id)!}} : {...draft}));
}

/**
 * The risks nobody may launch past unaccepted: high-severity findings without a recorded reason.
 * `launch --yes` and a fleet refuse them, and the review asks for a reason for each before Launch.
 */
export function unacceptedHighRisks(spec: LaunchSpec): Finding[] {
  return findingsFor(spec).filter((finding) => finding.severity === 'high' && !finding.accepted);
}

/** A copy of `spec` that records `findingId` as an accepted risk (replacing an earlier reason). */
export function acceptRisk(spec: LaunchSpec, findingId: string, reason: string): LaunchSpec {
  if (!isFindingId(findingId)) throw new RangeError(`unknown finding "${findingId}"; known: ${FINDING_IDS.join(', ')}`);
  const text = reason.trim();
  if (!text) throw new RangeError(`accepting "${findingId}" needs a reason`);
  const others = spec.acceptedRisks.filter((risk) => risk.finding !== findingId);
  return {...spec, acceptedRisks: [...others, {finding: findingId, reason: text}]};
}
