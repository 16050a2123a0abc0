// The security group (docs/design.md section 1): AWS enforces it, the customer writes every rule.
// A new group gets HTTP, HTTPS and SSH rules as the spec says (plus the Instance Connect rule,
// ways-in.ts); an existing group is attached as it is.
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';
import {checkov, hub, prowler} from './control.js';
import {instanceConnectChosen, instanceConnectIngress, instanceConnectListName, sessionManagerOn, wantsInstanceConnect} from './ways-in.js';
import {covers, ruleText, type GroupRule} from '../group-rules.js';
import {perGroup, type Checker, type ResourceVerdict} from '../checker-kit.js';
import {
  AUTHORISED_TCP_PORTS,
  isOpenWorld,
  passIf,
  PROWLER_HIGH_RISK_PORTS,
  prowlerOwnCheckPorts,
  prowlerPortChecks,
  SECURITY_HUB_HIGH_RISK_PORTS,
  worldOpenPorts,
  worldOpensPort,
  worldOpensUnauthorised,
} from '../checker-rules.js';
import {literal, objects, resourcesOfType, type CfnTemplate} from '../checker-template.js';
import {isSingleAddress, parseCidr} from '../cidr.js';
import {sshSourceText} from '../my-address.js';
import {PLAN_STEP} from '../plan-ids.js';
import {tagSpecifications} from '../plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from '../plan-types.js';
import {behindLoadBalancer, type LaunchSpec} from '../spec.js';
import {LB_GROUP_ID, LB_GROUP_SOURCE, TARGET_PORT} from './load-balancer.js';
import {HEX_ID, oneOf, show, type FieldRules, type Rule} from '../field-rules.js';
import {SSH_ME} from '../my-address.js';

/** Whether tandem creates the group or uses one the operator names. */
export const GROUP_MODES = ['create', 'existing'] as const;

/** True for 0.0.0.0/0, ::/0 and any other prefix of length 0: the whole internet. */
export function isWholeInternet(cidr: string | false | undefined): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr.trim());
}

/** SSH on port 22: none, from the operator's one address, or from anywhere. */
export const SSH_CHOICES = ['ssh-none', 'ssh-address', 'ssh-world'] as const;
export type SshChoice = (typeof SSH_CHOICES)[number];
export function sshChoice(ssh: string | false): SshChoice {
  if (ssh === false) return 'ssh-none';
  return isWholeInternet(ssh) ? 'ssh-world' : 'ssh-address';
}

/** What "SSH from anywhere" writes into the spec. */
export const SSH_WORLD = '0.0.0.0/0';

/** A bare address typed for SSH means that one address. */
export function sshAddressFrom(text: string): string {
  const trimmed = text.trim();
  if (!trimmed || trimmed.includes('/')) return trimmed;
  return `${trimmed}/${trimmed.includes(':') ? 128 : 32}`;
}

/**
 * The one rule for an SSH source that is meant to be the operator's address: it must be exactly
 * one address (/32 or /128). Any wider range, the whole internet included, is refused here; SSH
 * from anywhere is its own explicit choice. Undefined when fine or not a CIDR at all (the CIDR
 * syntax has its own message).
 */
export function sshAddressProblem(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed.ok || isSingleAddress(parsed.cidr)) return undefined;
  return `${cidr} is a range, not one address; give your address as a /32, or choose SSH from anywhere (0.0.0.0/0) if you really mean it.`;
}

/** One inbound rule: TCP `port` allowed from `cidr`. */
export interface IngressRule {
  port: number;
  cidr: string;
}

/**
 * The inbound rules tandem would write for this spec; none for an existing group, which it leaves
 * alone. Behind a load balancer the web port admits the load balancer's group, not an address
 * range (load-balancer.ts): `cidr` then names that group.
 */
export function ingressRules(spec: LaunchSpec): IngressRule[] {
  const sg = spec.securityGroup;
  const rules: IngressRule[] = [];
  if (sg.mode !== 'create') return rules;
  if (sg.ssh !== false) rules.push({port: 22, cidr: sg.ssh});
  if (behindLoadBalancer(spec)) return [...rules, {port: TARGET_PORT, cidr: LB_GROUP_SOURCE}];
  if (sg.http !== false) rules.push({port: 80, cidr: sg.http});
  if (sg.https !== false) rules.push({port: 443, cidr: sg.https});
  return rules;
}

/** Names the Prowler checks of these ports' own, which its high-risk list leaves out. */
function prowlerPortSentence(ports: readonly number[]): string {
  const checks = prowlerPortChecks(ports);
  if (checks.length === 0) return '';
  return ` Prowler fails ${checks.length === 1 ? 'it' : 'them'} with ${checks.join(', ')} (high).`;
}

/** Findings for inbound rules; only rules open to the whole internet matter here. */
export function ingressFindings(rules: IngressRule[]): FindingDraft[] {
  const open = rules.filter((rule) => isWholeInternet(rule.cidr));
  const drafts: FindingDraft[] = [];
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
  const risky = [...new Set(open.filter((rule) => rule.port !== 22 && SECURITY_HUB_HIGH_RISK_PORTS.includes(rule.port)).map((rule) => rule.port))];
  if (risky.length > 0)
    drafts.push({
      id: 'high-risk-port-open',
      severity: 'high',
      title: 'High-risk port open to the internet',
      explanation: `Port ${risky.join(', ')} is reachable from anywhere. Such ports carry remote administration, databases or file sharing and are attacked constantly; restrict them to known addresses.${prowlerPortSentence(risky)}`,
      control: 'security-group-rules',
      checkers: [
        hub('EC2.18'),
        hub('EC2.19'),
        ...(risky.some((port) => PROWLER_HIGH_RISK_PORTS.includes(port)) ? [prowler('ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports')] : []),
        ...(risky.includes(3389) ? [checkov('CKV_AWS_25')] : []),
      ],
    });
  if (open.length > 0)
    drafts.push({
      id: 'port-open-on-instance',
      severity: 'low',
      title: "A port open to the internet on the instance's own group",
      explanation: `Prowler fails any instance's security group with a port open to the whole internet (here ${[...new Set(open.map((rule) => rule.port))].join(', ')}), the web port too, while the server itself takes the traffic.`,
      control: 'security-group-rules',
      architectureOnly: true,
      checkers: [prowler('ec2_securitygroup_allow_ingress_from_internet_to_any_port')],
    });
  const http = open.find((rule) => rule.port === 80);
  if (http)
    drafts.push({
      id: 'http-open-to-internet',
      severity: 'low',
      title: 'HTTP open to the internet',
      explanation:
        "Port 80 is open to everyone, which a public web server needs. Checkov CKV_AWS_260 fails any such rule in the template, and Prowler's ec2_securitygroup_allow_ingress_from_internet_to_any_port fails it at high, as it fails any port open to the internet on an instance's group; Security Hub EC2.18 passes it, since 80 is one of its authorised ports. Traffic on 80 is unencrypted: redirect it to HTTPS when you can.",
      control: 'security-group-rules',
      checkers: [checkov('CKV_AWS_260')],
    });
  return drafts;
}

const RULES = [
  {field: 'http', port: 80, label: 'HTTP'},
  {field: 'https', port: 443, label: 'HTTPS'},
  {field: 'ssh', port: 22, label: 'SSH'},
] as const;

/** The instance's web rule behind a load balancer: its port, from the load balancer's group only. */
const CHAINED_WEB_RULE: ParamValue = {
  IpProtocol: 'tcp',
  FromPort: TARGET_PORT,
  ToPort: TARGET_PORT,
  UserIdGroupPairs: [{GroupId: LB_GROUP_ID, Description: 'HTTP from the load balancer only'}],
};

/** The reviewed ingress rules as EC2 IpPermissions, one per port, each with a description. */
export function ingressPermissions(spec: LaunchSpec): ParamValue[] {
  const permissions: ParamValue[] = [];
  const chained = behindLoadBalancer(spec);
  if (chained) permissions.push(CHAINED_WEB_RULE);
  for (const rule of RULES) {
    if (chained && rule.field !== 'ssh') continue;
    const cidr = spec.securityGroup[rule.field];
    if (cidr === false || cidr === undefined) continue;
    const parsed = parseCidr(cidr);
    const text = parsed.ok ? parsed.cidr.text : cidr;
    const Description = rule.field === 'ssh' ? 'SSH for administration' : `${rule.label} to the web server`;
    const v6 = parsed.ok ? parsed.cidr.version === 6 : cidr.includes(':');
    permissions.push({
      IpProtocol: 'tcp',
      FromPort: rule.port,
      ToPort: rule.port,
      ...(v6 ? {Ipv6Ranges: [{CidrIpv6: text, Description}]} : {IpRanges: [{CidrIp: text, Description}]}),
    });
  }
  return permissions;
}

/** Security group names and descriptions accept only these characters. */
function sgText(text: string): string {
  return text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '-');
}

/** A new group and its rules; nothing for an existing group, which tandem attaches as it is. */
function securityGroupSteps(spec: LaunchSpec, {vpcStep, vpcId}: PlanContext['network']): PlanStep[] {
  const sg = spec.securityGroup;
  if (sg.mode !== 'create') return [];
  const groupId: StepRef = {ref: PLAN_STEP.securityGroup, output: 'GroupId'};
  const steps: PlanStep[] = [
    {
      id: PLAN_STEP.securityGroup,
      service: 'ec2',
      action: 'CreateSecurityGroup',
      params: {
        GroupName: sg.name,
        Description: sgText(`Web server ${spec.instance.name}, managed by tandem`),
        VpcId: vpcId,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group', name: sg.name}]),
      },
      creates: ['security-group'],
      dependsOn: [vpcStep],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: `Create security group ${sg.name} (denies all inbound traffic until rules are added)`,
    },
  ];
  const instanceConnect = instanceConnectIngress(spec);
  steps.push(...instanceConnect.steps);
  const permissions = [...ingressPermissions(spec), ...instanceConnect.permissions];
  const chained = behindLoadBalancer(spec);
  // Behind a load balancer the web rule names its group, which must exist first.
  const lookups = [...instanceConnect.steps.map((step) => step.id), ...(chained ? [LB_GROUP_ID.ref] : [])];
  const sources = [
    ...(chained ? [`HTTP ${TARGET_PORT} from ${LB_GROUP_SOURCE}`] : []),
    ...RULES.filter((rule) => sg[rule.field] !== false && sg[rule.field] !== undefined && (!chained || rule.field === 'ssh')).map(
      (rule) => `${rule.label} ${sshSourceText(String(sg[rule.field]))}`,
    ),
    ...instanceConnect.sources,
  ];
  if (permissions.length > 0) {
    const described = sources.join(', ');
    steps.push({
      id: 'security-group-ingress',
      service: 'ec2',
      action: 'AuthorizeSecurityGroupIngress',
      params: {
        GroupId: groupId,
        IpPermissions: permissions,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group-rule', name: sg.name}]),
      },
      creates: [],
      dependsOn: [PLAN_STEP.securityGroup, ...lookups],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: `Allow inbound ${described}`,
    });
  }
  return steps;
}

/** The groups RunInstances attaches, and the step it waits for when tandem creates the group. */
export function launchGroups(spec: LaunchSpec): {groups: ParamValue[]; dependsOn: string[]} {
  const {securityGroup} = spec;
  if (securityGroup.mode === 'create') return {groups: [{ref: PLAN_STEP.securityGroup, output: 'GroupId'}], dependsOn: [PLAN_STEP.securityGroup]};
  return {groups: securityGroup.groupId ? [securityGroup.groupId] : [], dependsOn: []};
}

/** What the panel says with no SSH rule, by the ways in that are left. */
function noSshText(spec: LaunchSpec): string {
  if (sessionManagerOn(spec)) return 'You own every rule. No SSH rule at all: port 22 stays closed, and Session Manager gives you a shell through the agent instead.';
  return spec.role.mode === 'none'
    ? 'You own every rule. No SSH rule at all: nobody logs in over the network. Session Manager is off, so nobody gets a shell at all.'
    : 'You own every rule. No SSH rule at all: nobody logs in over the network; Session Manager is off here, so the role alone opens no shell.';
}

/** The Instance Connect option of this screen, when highlighted: one more rule, from AWS's list of its service addresses. */
function instanceConnectPanel(option: string, spec: LaunchSpec): PanelEdits {
  if (option !== 'instance-connect-on') return {'security-group-rules': {customer: 'You own every rule. No rule for EC2 Instance Connect: its service cannot reach port 22.'}};
  const list = instanceConnectListName(spec.region);
  return {
    'security-group-rules': {
      aws: `Runs EC2 Instance Connect, keeps its service addresses in the managed prefix list ${list}, and ships its agent in Amazon Linux 2023.`,
      customer: 'You decide in IAM who may push a one-time key (ec2-instance-connect:SendSSHPublicKey) and keep the agent on the instance; each push is logged in CloudTrail.',
      verify: `Port 22's source is the prefix list ${list} itself, never an address range.`,
    },
  };
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const sg = spec.securityGroup;
  const mode = option === 'create' || option === 'existing' ? option : sg.mode;
  const ssh = option?.startsWith('ssh-') ? (option as SshChoice) : sshChoice(sg.ssh);
  if (mode === 'existing') {
    const id = sg.groupId || 'the group you pick';
    return {
      'security-group-rules': {
        customer: `You vouch for every rule already in ${id}; tandem attaches it and changes none of its rules.`,
        verify: `The instance uses ${id}; rules opening 22 or another high-risk port to the internet fail.`,
      },
    };
  }
  if (option?.startsWith('instance-connect-')) return instanceConnectPanel(option, spec);
  const customer =
    ssh === 'ssh-world'
      ? 'You own every rule. SSH is open to the whole internet: scanners try logins within minutes; EC2.13 and EC2.19 fail.'
      : ssh === 'ssh-address'
        ? `You own every rule. SSH only from ${typeof sg.ssh === 'string' && sg.ssh && !isWholeInternet(sg.ssh) ? sg.ssh : 'your address'}; update it when your address changes.`
        : noSshText(spec);
  if (instanceConnectChosen(spec)) {
    const list = instanceConnectListName(spec.region);
    const eic = `Port 22 also admits EC2 Instance Connect's service, through the prefix list ${list} (no address range); IAM decides who may push a key.`;
    return {
      'security-group-rules': {
        customer: ssh === 'ssh-none' ? `You own every rule. ${eic}` : `${customer} ${eic}`,
        verify: `The group holds exactly the intended rules; port 22's Instance Connect rule has the prefix list ${list} as its source; nothing opens 22 or another high-risk port to 0.0.0.0/0 or ::/0.`,
      },
    };
  }
  return {'security-group-rules': {customer}};
}

// ---------------------------------------------------------------------------------------------
// Verification: what the row expects, and how the rules AWS reports are judged

/** The inbound rules the spec asks for when tandem creates the group (with the Instance Connect list the launch found). */
export function intendedRules(spec: LaunchSpec, resolved: {instanceConnectPrefixListId?: string; loadBalancerGroupId?: string} = {}): GroupRule[] {
  const rules: GroupRule[] = [];
  const add = (port: number, cidr: string | false) => {
    if (cidr) rules.push({protocol: 'tcp', fromPort: port, toPort: port, source: cidr});
  };
  if (behindLoadBalancer(spec)) add(TARGET_PORT, resolved.loadBalancerGroupId ?? `${LB_GROUP_SOURCE} (not recorded)`);
  else {
    add(80, spec.securityGroup.http);
    add(443, spec.securityGroup.https);
  }
  add(22, spec.securityGroup.ssh);
  if (wantsInstanceConnect(spec)) add(22, resolved.instanceConnectPrefixListId ?? 'the EC2 Instance Connect prefix list (not recorded)');
  return rules;
}

export interface ExposureProblem {
  /** Finding id that can be accepted as a risk in the spec. */
  finding: 'ssh-open-to-internet' | 'high-risk-port-open';
  port: number;
  checker: string;
}

/** World-open rules on 22 (EC2.13) or another high-risk port (EC2.19). */
export function exposures(rules: readonly GroupRule[]): ExposureProblem[] {
  const problems: ExposureProblem[] = [];
  for (const port of SECURITY_HUB_HIGH_RISK_PORTS) {
    if (!rules.some((rule) => isOpenWorld(rule.source) && covers(rule, port))) continue;
    problems.push(port === 22 ? {finding: 'ssh-open-to-internet', port, checker: 'EC2.13'} : {finding: 'high-risk-port-open', port, checker: 'EC2.19'});
  }
  return problems;
}

/** One exposure as the verification row says it: the port, the checker, and whether it was accepted. */
export function exposureText(exposure: ExposureProblem, accepted: boolean | undefined): string {
  const base = `port ${exposure.port} open to the internet (${exposure.checker})`;
  if (accepted === undefined) return base;
  return `${base}, ${accepted ? 'accepted' : 'NOT accepted'} risk ${exposure.finding}`;
}

/**
 * What the group should leave open to the internet, from the rules tandem meant to create (or,
 * for a group it reuses, the risks the spec accepted): never "nothing risky" when the launch
 * itself opens a high-risk port.
 */
export function internetExpectation(intended: readonly GroupRule[] | undefined, accepted: (finding: string) => boolean): string {
  if (intended) {
    const risky = exposures(intended);
    if (risky.length === 0) return 'nothing risky open to the internet';
    return risky.map((exposure) => exposureText(exposure, accepted(exposure.finding))).join(', ');
  }
  const allowed = (['ssh-open-to-internet', 'high-risk-port-open'] as const).filter(accepted);
  return allowed.length === 0 ? 'nothing risky open to the internet' : `nothing risky open to the internet beyond the accepted risks ${allowed.join(', ')}`;
}

const acceptedIn = (spec: LaunchSpec) => (finding: string) => spec.acceptedRisks.some((risk) => risk.finding === finding);

/** What the security-group row expects: the group alone, its rules, and what it leaves open to the internet. */
export interface SecurityGroupExpectation {
  groupId?: string;
  /** The rules as text, sorted, when tandem created the group; undefined for a group it reuses. */
  intended?: string[];
  /** The name the Instance Connect rule's prefix list must have, when the launch added that rule. */
  instanceConnectList?: string;
  expected: string;
}

export function securityGroupExpectation(
  spec: LaunchSpec,
  resolved: {securityGroupId?: string; instanceConnectPrefixListId?: string; loadBalancerGroupId?: string},
  region: string = spec.region,
): SecurityGroupExpectation {
  const groupId = resolved.securityGroupId ?? spec.securityGroup.groupId;
  const creating = spec.securityGroup.mode === 'create';
  const rules = creating ? intendedRules(spec, resolved) : undefined;
  const intended = rules?.map(ruleText).sort();
  const expected = [
    `${groupId ?? 'the group'} only`,
    intended ? (intended.length ? intended.join(', ') : 'no inbound rules') : 'its existing rules',
    internetExpectation(rules, acceptedIn(spec)),
  ].join('; ');
  return {groupId, intended, expected, ...(creating && wantsInstanceConnect(spec) ? {instanceConnectList: instanceConnectListName(region)} : {})};
}

/** What AWS reported about the instance's groups, as plain facts (source/aws/ reads them). */
export interface SecurityGroupFacts {
  attached: readonly string[];
  rules: readonly GroupRule[];
  /** The Instance Connect list the launch recorded and the name AWS gives it, when the row checks one. */
  instanceConnectList?: {id?: string; name?: string};
}

/** Judges the group against the expectation: only it attached, exactly the intended rules, no unaccepted exposure. */
export function judgeSecurityGroup(spec: LaunchSpec, want: SecurityGroupExpectation, facts: SecurityGroupFacts): {actual: string; ok: boolean} {
  const {groupId, intended} = want;
  const {attached, rules} = facts;
  const actualTexts = [...new Set(rules.map(ruleText))].sort();
  const problems: string[] = [];
  if (!groupId || attached.length !== 1 || attached[0] !== groupId) problems.push(`attached: ${attached.join(', ') || 'none'}`);
  if (intended) {
    const extra = actualTexts.filter((text) => !intended.includes(text));
    const missing = intended.filter((text) => !actualTexts.includes(text));
    if (extra.length) problems.push(`extra: ${extra.join(', ')}`);
    if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
  }
  // Every high-risk port open to the internet is named; only an accepted one passes.
  const accepted = acceptedIn(spec);
  const open: string[] = [];
  for (const exposure of exposures(rules)) {
    if (accepted(exposure.finding)) open.push(exposureText(exposure, true));
    else problems.push(exposureText(exposure, undefined));
  }
  // Instance Connect: the port-22 rule's source must be the region's Instance Connect list itself.
  if (want.instanceConnectList !== undefined) {
    const {id, name} = facts.instanceConnectList ?? {};
    if (!id) problems.push('no Instance Connect prefix list recorded');
    else if (name !== want.instanceConnectList) problems.push(`${id} is ${name ?? 'an unnamed list'}, not ${want.instanceConnectList}`);
  }
  const actual = [actualTexts.length ? actualTexts.join(', ') : 'no inbound rules', ...open, ...problems].join('; ');
  return {actual, ok: problems.length === 0};
}

// ---------------------------------------------------------------------------------------------
// Checkers of the security group's row (checkers.ts says where each rule was read from)

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

const checkers: Checker[] = [
  // Security group rules.
  {
    tool: 'Security Hub',
    id: 'EC2.13',
    severity: 'high',
    standards: ['CIS', 'PCI DSS', 'NIST 800-53', 'NIST 800-171'],
    group: 'ssh-world',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group that lets the whole internet reach port 22.',
    verdicts: perGroup((ingress) => passIf(!worldOpensPort(ingress, 22))),
  },
  {
    // ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22.py with lib/security_groups.py check_security_group.
    tool: 'Prowler',
    id: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
    severity: 'high',
    group: 'ssh-world',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security group does not allow ingress from the internet to TCP port 22',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails an attached group with a rule from 0.0.0.0/0 or ::/0 that covers TCP 22.',
    verdicts: perGroup((ingress) => passIf(!worldOpensPort(ingress, 22))),
  },
  {
    tool: 'Checkov',
    id: 'CKV_AWS_24',
    severity: 'unrated',
    group: 'ssh-world',
    row: 'security-group-rules',
    evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 22',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template with a rule from 0.0.0.0/0 or ::/0 whose port range holds 22.',
    verdicts: checkovIngress(22),
  },
  {
    tool: 'Security Hub',
    id: 'EC2.18',
    severity: 'high',
    standards: ['FSBP', 'NIST 800-53', 'NIST 800-171'],
    group: 'authorised-ports',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security groups should only allow unrestricted incoming traffic for authorized ports',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group that opens anything to the whole internet other than TCP 80 and 443 (its default authorised ports).',
    verdicts: perGroup((ingress) => passIf(!worldOpensUnauthorised(ingress, AUTHORISED_TCP_PORTS))),
  },
  {
    tool: 'Checkov',
    id: 'CKV_AWS_260',
    severity: 'unrated',
    group: 'http-world',
    row: 'security-group-rules',
    evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 80',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template that opens port 80 to the whole internet, even for a web server.',
    verdicts: checkovIngress(80),
  },
  {
    tool: 'Security Hub',
    id: 'EC2.19',
    severity: 'critical',
    standards: ['FSBP', 'NIST 800-53', 'NIST 800-171'],
    group: 'high-risk-ports',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security groups should not allow unrestricted access to ports with high risk',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: `Fails a group that lets the whole internet reach any of ${SECURITY_HUB_HIGH_RISK_PORTS.join(', ')}.`,
    verdicts: perGroup((ingress) => passIf(worldOpenPorts(ingress, SECURITY_HUB_HIGH_RISK_PORTS).length === 0)),
  },
  {
    // ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports.py, ports from config.yaml.
    tool: 'Prowler',
    id: 'ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports',
    severity: 'high',
    group: 'high-risk-ports',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security group does not allow ingress from the internet to high-risk TCP ports',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: `Fails an attached group open to the internet on any of ${PROWLER_HIGH_RISK_PORTS.join(', ')}. Prowler checks ${prowlerOwnCheckPorts()} each with a check of its own (ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_…), all high.`,
    verdicts: perGroup((ingress) => passIf(worldOpenPorts(ingress, PROWLER_HIGH_RISK_PORTS).length === 0)),
  },
  {
    // ec2_securitygroup_allow_ingress_from_internet_to_any_port.py: FAIL for a group with any rule
    // from 0.0.0.0/0 or ::/0 attached to an instance's network interface (only API Gateway and VPC
    // endpoint interfaces, or load balancers' (amazon-elb), are allowed), the web port too. A group
    // that already fails _to_all_ports (every protocol from the internet) is not reported again.
    tool: 'Prowler',
    id: 'ec2_securitygroup_allow_ingress_from_internet_to_any_port',
    group: 'any-port-world',
    row: 'security-group-rules',
    evaluates: 'live',
    title: 'Security group has no 0.0.0.0/0 or ::/0 ingress to any port on an instance',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: "Fails an instance's group with any port open to the whole internet, 80 and 443 included; only a load balancer's group may be.",
    severity: 'high',
    verdicts: perGroup((ingress) => {
      const world = ingress.filter((rule) => isOpenWorld(rule.source));
      if (world.some((rule) => rule.protocol === 'all' || rule.protocol === '-1')) return 'not-applicable';
      return passIf(world.length === 0);
    }),
  },
  {
    tool: 'Checkov',
    id: 'CKV_AWS_25',
    severity: 'unrated',
    group: 'rdp-world',
    row: 'security-group-rules',
    evaluates: 'template',
    title: 'No security group allows ingress from 0.0.0.0/0 to port 3389',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template that opens port 3389 (RDP) to the whole internet.',
    verdicts: checkovIngress(3389),
  },
  {
    // SecurityGroupRuleDescription.py: every inline ingress and egress rule needs a Description.
    tool: 'Checkov',
    id: 'CKV_AWS_23',
    severity: 'unrated',
    group: 'rule-descriptions',
    row: 'security-group-rules',
    evaluates: 'template',
    title: 'Every security group rule has a description',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a group in the template with a rule that has no Description.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::SecurityGroup').map((group) => {
        const rules = [...objects(group.properties.SecurityGroupIngress), ...objects(group.properties.SecurityGroupEgress)];
        return {resource: group.name, verdict: passIf(rules.every((rule) => Boolean(literal(template, rule.Description))))};
      }),
  },
];

const FINDING_IDS = ['ssh-open-to-internet', 'high-risk-port-open', 'http-open-to-internet', 'port-open-on-instance'] as const;

const SG_NAME = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/;

function securityGroupName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.securityGroup.mode !== 'create') return undefined;
  if (typeof value !== 'string' || value.length === 0) return 'The security group name is required (1–255 characters).';
  if (value.length > 255) return `Security group name is ${value.length} characters long; the limit is 255.`;
  if (value.toLowerCase().startsWith('sg-')) return `Security group name ${show(value)} starts with 'sg-', which AWS reserves for group ids; choose another name.`;
  if (!SG_NAME.test(value)) return `Security group name ${show(value)} has characters AWS does not allow; use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.`;
  return undefined;
}

function groupId(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.securityGroup.mode !== 'existing') return undefined;
  if (typeof value === 'string' && HEX_ID('sg').test(value)) return undefined;
  return `Security group ${value === undefined ? '(missing)' : show(value)} is not a group id; expected one like sg-0abc1234.`;
}

function ingress(label: string): Rule {
  return (value, spec) => {
    if (spec.securityGroup.mode !== 'create' || value === false) return undefined;
    if (typeof value !== 'string') return `${label} must be a CIDR block such as 203.0.113.7/32, or false for no rule.`;
    const parsed = parseCidr(value);
    return parsed.ok ? undefined : `${label}: ${parsed.message}`;
  };
}

/** SSH is off, open to the world (its own explicit choice), or from exactly one address. */
function sshSource(value: unknown, spec: LaunchSpec): string | undefined {
  // `me` is found at launch (checkip) and judged then; it is never wider than one address.
  if (value === SSH_ME) return undefined;
  const problem = ingress('SSH source')(value, spec);
  if (problem || typeof value !== 'string' || isWholeInternet(value)) return problem;
  const range = sshAddressProblem(value);
  return range ? `SSH source: ${range}` : undefined;
}

const rules: FieldRules = {
  'securityGroup.mode': oneOf('Security group mode', GROUP_MODES),
  'securityGroup.name': securityGroupName,
  'securityGroup.groupId': groupId,
  'securityGroup.http': ingress('HTTP source'),
  'securityGroup.https': ingress('HTTPS source'),
  'securityGroup.ssh': sshSource,
};

export const securityGroupControl: ControlModule<(typeof FINDING_IDS)[number], 'security-group-rules', 'security-group'> = {
  step: 'security-group',
  stepTitle: 'Security group',
  rules,
  catalog: [
    {
      id: 'security-group-rules',
      step: 'security-group',
      title: 'Security group rules',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: 'Enforces a stateful filter at every instance and denies all inbound traffic until a rule allows it.',
      customer: 'Write every rule: open only the ports the service needs and allow SSH from your own address only.',
      verify: 'The group holds exactly the intended rules; nothing opens 22 or another high-risk port to 0.0.0.0/0 or ::/0.',
      checkerRows: ['security-group-rules'],
      compliance: [
        'Layering several groups, one per tier, is good practice: each tier admits traffic only from the one in front of it.',
        'Checkers disagree on port 80 open to all: Checkov CKV_AWS_260 fails it, Security Hub EC2.18 allows it.',
      ],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.securityGroup.mode,
  panel,
  findings: (spec) => ingressFindings(ingressRules(spec)),
  planSteps: (spec, context) => securityGroupSteps(spec, context.network),
  planOrder: 60,
  checkers,
};
