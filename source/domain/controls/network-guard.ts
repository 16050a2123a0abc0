// The VPC's own filters (docs/design.md section 1): the default security group AWS puts in every
// VPC, and the network ACL at the subnet boundary. In a VPC tandem creates, tandem empties the
// default group (nothing uses it; Security Hub EC2.2) and rewrites the VPC's default network ACL,
// which both of its subnets use, to admit only what the launch needs. It edits the default list
// rather than adding a list of its own: Prowler judges every list of the region, the default one
// included, and an unused list fails EC2.16; and the default list goes with the VPC, so rollback
// and destroy undo it all by deleting the VPC. In a VPC someone else made, these objects serve
// every subnet and instance in it, so tandem changes nothing and says what the checkers will find.
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';
import {hub, prowler} from './control.js';
import {instanceConnectChosen, instanceConnectListName} from './ways-in.js';
import type {Checker, ResourceVerdict} from '../checker-kit.js';
import type {CheckerFacts} from '../checker-facts.js';
import {passIf} from '../checker-rules.js';
import {parseCidr} from '../cidr.js';
import {hubNaclOpensAdminPorts, naclEntryText, prowlerNaclOpen, AWS_DEFAULT_NACL_ENTRIES, type NaclEntryFact, type NetworkAclFact} from '../nacl-rules.js';
import {sshSourceText} from '../my-address.js';
import type {ParamValue, PlanStep, StepRef} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';

/** tandem changes the default group and list only in a VPC it creates. */
export const guardsVpc = (spec: LaunchSpec): boolean => spec.network.vpc === 'new';

/** Return traffic: Linux replies from 32768-60999 and Windows from 49152-65535, so neither 22 nor 3389 is in range. */
export const EPHEMERAL_FROM = 32768;
/** Replies to clients go to the client's ephemeral port, which may be as low as 1024. */
export const CLIENT_EPHEMERAL_FROM = 1024;
/** The VPC's allow-everything entry, turned into a deny by tandem. */
export const DEFAULT_RULE_NUMBER = 100;

/** One entry tandem writes into the list, with the step that writes it and why. */
export interface PlannedEntry extends NaclEntryFact {
  step: string;
  why: string;
}

const WORLD = '0.0.0.0/0';
/** The step writing the SSH entry: the exports give it the same SSH source as the group's rule. */
export const NACL_SSH_STEP = 'network-acl-in-ssh';

function source(cidr: string): Pick<NaclEntryFact, 'cidr' | 'ipv6Cidr'> {
  const parsed = parseCidr(cidr);
  const text = parsed.ok ? parsed.cidr.text : cidr;
  return parsed.ok && parsed.cidr.version === 6 ? {ipv6Cidr: text} : {cidr: text};
}

const tcp = (step: string, ruleNumber: number, egress: boolean, from: number, to: number, cidr: string, why: string): PlannedEntry => ({
  step,
  ruleNumber,
  egress,
  protocol: '6',
  action: 'allow',
  from,
  to,
  ...source(cidr),
  why,
});

/** Whether port 22 must admit EC2 Instance Connect's service, whose addresses no list entry can name. */
const naclAdmitsInstanceConnect = (spec: LaunchSpec): boolean => instanceConnectChosen(spec) && spec.securityGroup.mode === 'create';

/** Inbound: the web ports and SSH from the group's own sources, Instance Connect, and replies to the server's own requests. */
function inboundEntries(spec: LaunchSpec): PlannedEntry[] {
  const {http, https, ssh, mode} = spec.securityGroup;
  const entries: PlannedEntry[] = [];
  if (mode === 'create' && http !== false) entries.push(tcp('network-acl-in-http', 10, false, 80, 80, http, 'HTTP to the web server'));
  if (mode === 'create' && https !== false) entries.push(tcp('network-acl-in-https', 20, false, 443, 443, https, 'HTTPS to the web server'));
  if (mode === 'create' && ssh !== false) entries.push(tcp(NACL_SSH_STEP, 30, false, 22, 22, ssh, `SSH from ${sshSourceText(ssh)}`));
  const sshFromWorld = ssh !== false && source(ssh).cidr === WORLD;
  if (naclAdmitsInstanceConnect(spec) && !sshFromWorld)
    entries.push(tcp('network-acl-in-instance-connect', 40, false, 22, 22, WORLD, 'SSH from EC2 Instance Connect (a list entry cannot name its prefix list)'));
  entries.push(tcp('network-acl-in-return', 50, false, EPHEMERAL_FROM, 65535, WORLD, "replies to the server's own requests (updates, Session Manager)"));
  return entries;
}

/** Outbound: updates on 80 and 443 (Session Manager and AWS APIs on 443), and replies to clients. */
function outboundEntries(): PlannedEntry[] {
  return [
    tcp('network-acl-out-http', 10, true, 80, 80, WORLD, 'package updates over HTTP'),
    tcp('network-acl-out-https', 20, true, 443, 443, WORLD, 'Session Manager, AWS APIs and package updates over HTTPS'),
    tcp('network-acl-out-return', 30, true, CLIENT_EPHEMERAL_FROM, 65535, WORLD, 'replies to web and SSH clients'),
  ];
}

/** Every allow entry tandem adds to the new VPC's list (the VPC's rule 100 becomes a deny after them). */
export function plannedNaclEntries(spec: LaunchSpec): PlannedEntry[] {
  return guardsVpc(spec) ? [...inboundEntries(spec), ...outboundEntries()] : [];
}

/** The VPC's rule 100, both ways, once tandem has turned it into a deny. */
const closingEntries = (): NaclEntryFact[] => [false, true].map((egress) => ({ruleNumber: DEFAULT_RULE_NUMBER, egress, protocol: '-1', action: 'deny', cidr: WORLD}));

/** The list as it should stand after the launch: tandem's entries, then the denies. */
export function intendedNaclEntries(spec: LaunchSpec): NaclEntryFact[] {
  return [...plannedNaclEntries(spec).map(({step: _step, why: _why, ...entry}) => entry), ...closingEntries()];
}

// ---------------------------------------------------------------------------------------------
// Plan steps

const DEFAULT_GROUP_STEP = 'default-security-group';
const NACL_STEP = 'network-acl';
const filter = (Name: string, value: ParamValue): ParamValue => ({Name, Values: [value]});
/** What every one of these steps shares: EC2, nothing created (the VPC's own objects go with it). */
const stepBase = (control: 'default-security-group' | 'network-acl'): Pick<PlanStep, 'service' | 'creates' | 'controls' | 'dryRunnable'> => ({
  service: 'ec2',
  creates: [],
  controls: [control],
  dryRunnable: true,
});

/** Find the new VPC's default group and take out both of AWS's rules. */
function defaultGroupSteps({vpcStep, vpcId}: PlanContext['network']): PlanStep[] {
  const groupId: StepRef = {ref: DEFAULT_GROUP_STEP, output: 'SecurityGroups.0.GroupId'};
  const common = stepBase('default-security-group');
  return [
    {
      ...common,
      id: DEFAULT_GROUP_STEP,
      action: 'DescribeSecurityGroups',
      params: {Filters: [filter('vpc-id', vpcId), filter('group-name', 'default')]},
      dependsOn: [vpcStep],
      summary: "Find the new VPC's default security group",
    },
    {
      ...common,
      id: 'default-security-group-ingress',
      action: 'RevokeSecurityGroupIngress',
      params: {GroupId: groupId, IpPermissions: [{IpProtocol: '-1', UserIdGroupPairs: [{GroupId: groupId}]}]},
      dependsOn: [DEFAULT_GROUP_STEP],
      summary: "Remove the default security group's inbound rule (Security Hub EC2.2: nothing should use that group)",
    },
    {
      ...common,
      id: 'default-security-group-egress',
      action: 'RevokeSecurityGroupEgress',
      params: {GroupId: groupId, IpPermissions: [{IpProtocol: '-1', IpRanges: [{CidrIp: WORLD}]}]},
      dependsOn: [DEFAULT_GROUP_STEP],
      summary: "Remove the default security group's outbound rule",
    },
  ];
}

/** The entry as CreateNetworkAclEntry / ReplaceNetworkAclEntry input. */
function entryParams(networkAclId: StepRef, entry: NaclEntryFact): {[key: string]: ParamValue} {
  return {
    NetworkAclId: networkAclId,
    RuleNumber: entry.ruleNumber,
    Protocol: entry.protocol,
    RuleAction: entry.action,
    Egress: entry.egress,
    ...(entry.ipv6Cidr ? {Ipv6CidrBlock: entry.ipv6Cidr} : {CidrBlock: entry.cidr ?? WORLD}),
    ...(entry.protocol === '-1' ? {} : {PortRange: {From: entry.from ?? 0, To: entry.to ?? 65535}}),
  };
}

/** Find the VPC's list, add tandem's entries, then turn the VPC's allow-everything rule 100 into a deny. */
function naclSteps(spec: LaunchSpec, {vpcStep, vpcId}: PlanContext['network']): PlanStep[] {
  const networkAclId: StepRef = {ref: NACL_STEP, output: 'NetworkAcls.0.NetworkAclId'};
  const common = stepBase('network-acl');
  const planned = plannedNaclEntries(spec);
  const find: PlanStep = {
    ...common,
    id: NACL_STEP,
    action: 'DescribeNetworkAcls',
    params: {Filters: [filter('vpc-id', vpcId), filter('default', 'true')]},
    dependsOn: [vpcStep],
    summary: "Find the new VPC's network ACL (both subnets use it)",
  };
  const adds: PlanStep[] = planned.map((entry) => ({
    ...common,
    id: entry.step,
    action: 'CreateNetworkAclEntry',
    params: entryParams(networkAclId, entry),
    dependsOn: [NACL_STEP],
    summary: `Network ACL: ${naclEntryText(entry)} (${entry.why})`,
  }));
  // The denies wait for every allow, so the list never blocks what the launch needs.
  const closes: PlanStep[] = closingEntries().map((entry) => ({
    ...common,
    id: `network-acl-close-${entry.egress ? 'out' : 'in'}`,
    action: 'ReplaceNetworkAclEntry',
    params: entryParams(networkAclId, entry),
    dependsOn: [NACL_STEP, ...adds.map((step) => step.id)],
    summary: `Network ACL: turn the VPC's ${entry.egress ? 'outbound' : 'inbound'} allow-everything rule ${DEFAULT_RULE_NUMBER} into a deny`,
  }));
  return [find, ...adds, ...closes];
}

function guardSteps(spec: LaunchSpec, {network}: PlanContext): PlanStep[] {
  return guardsVpc(spec) ? [...defaultGroupSteps(network), ...naclSteps(spec, network)] : [];
}

// ---------------------------------------------------------------------------------------------
// What the checkers will see, and what verification expects

/** Where the launch goes, as the findings and predicted resources name it. */
const vpcLabel = (spec: LaunchSpec): string => (spec.network.vpc === 'new' ? 'new VPC' : spec.network.vpc === 'default' ? 'default VPC' : `VPC ${spec.network.vpc}`);

/**
 * The default group and list as the checkers will find them: tandem's own in a new VPC, AWS's
 * defaults in the default VPC; unknown in someone else's VPC until launch.
 */
export function predictedGuardFacts(spec: LaunchSpec): Pick<CheckerFacts, 'defaultSecurityGroup' | 'networkAcls'> {
  if (spec.network.vpc !== 'new' && spec.network.vpc !== 'default') return {};
  const label = vpcLabel(spec);
  const open = spec.network.vpc === 'default';
  return {
    defaultSecurityGroup: {id: `default security group of the ${label}`, ingressRules: open ? 1 : 0, egressRules: open ? 1 : 0},
    networkAcls: [{id: `network ACL of the ${label}`, entries: open ? [...AWS_DEFAULT_NACL_ENTRIES] : intendedNaclEntries(spec)}],
  };
}

export interface DefaultGroupFacts {
  groupId: string;
  ingressRules: number;
  egressRules: number;
}

/** The default group's row: empty in a new VPC; reported as found (not judged) in anyone else's. */
export function judgeDefaultGroup(spec: LaunchSpec, facts: DefaultGroupFacts): {expected: string; actual: string; status: 'pass' | 'fail' | 'info'} {
  const actual = `${facts.groupId}: ${facts.ingressRules} inbound, ${facts.egressRules} outbound rules`;
  if (!guardsVpc(spec)) return {expected: `left as its owner set it (tandem changes nothing in the ${vpcLabel(spec)})`, actual, status: 'info'};
  return {expected: 'no inbound and no outbound rules', actual, status: facts.ingressRules === 0 && facts.egressRules === 0 ? 'pass' : 'fail'};
}

/** The list's row: exactly the planned entries in a new VPC; what the checkers will say otherwise. */
export function judgeNetworkAcl(spec: LaunchSpec, acl: NetworkAclFact): {expected: string; actual: string; status: 'pass' | 'fail' | 'info'} {
  // Inbound before outbound, each in rule order, as a reader follows the list; the final `*` deny is AWS's and always there.
  const inOrder = (entries: readonly NaclEntryFact[]) => [...entries].sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
  const texts = inOrder(acl.entries.filter((entry) => entry.ruleNumber < 32767)).map(naclEntryText);
  if (!guardsVpc(spec)) {
    const open = prowlerNaclOpen(acl.entries, '-1', 0) ? 'every port open to the internet' : 'not open on every port';
    return {expected: `left as its owner set it (tandem changes nothing in the ${vpcLabel(spec)})`, actual: `${acl.id}: ${open}; ${texts.join(', ')}`, status: 'info'};
  }
  const intended = inOrder(intendedNaclEntries(spec)).map(naclEntryText);
  const extra = texts.filter((text) => !intended.includes(text));
  const missing = intended.filter((text) => !texts.includes(text));
  const problems = [...(extra.length ? [`extra: ${extra.join(', ')}`] : []), ...(missing.length ? [`missing: ${missing.join(', ')}`] : [])];
  return {expected: intended.join(', '), actual: [`${acl.id}: ${texts.join(', ')}`, ...problems].join('; '), status: problems.length === 0 ? 'pass' : 'fail'};
}

// ---------------------------------------------------------------------------------------------
// Checkers (each rule read from the tool: Prowler's check code and .metadata.json, Security Hub's control page)

const perDefaultGroup = (facts: CheckerFacts): ResourceVerdict[] | undefined =>
  facts.defaultSecurityGroup && [{resource: facts.defaultSecurityGroup.id, verdict: passIf(facts.defaultSecurityGroup.ingressRules === 0 && facts.defaultSecurityGroup.egressRules === 0)}];

const perAcl =
  (open: (entries: readonly NaclEntryFact[]) => boolean) =>
  (facts: CheckerFacts): ResourceVerdict[] | undefined =>
    facts.networkAcls?.map((acl) => ({resource: acl.id, verdict: passIf(!open(acl.entries))}));

const NACL = {row: 'network-acl', evaluates: 'live', resourceType: 'AWS::EC2::NetworkAcl'} as const;

const checkers: Checker[] = [
  {
    tool: 'Security Hub',
    id: 'EC2.2',
    group: 'default-group-closed',
    row: 'default-security-group',
    evaluates: 'live',
    title: 'VPC default security groups should not allow inbound or outbound traffic',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a default security group with any inbound or outbound rule, as AWS creates every one.',
    severity: 'high',
    standards: ['FSBP', 'CIS', 'PCI DSS', 'NIST 800-53'],
    verdicts: perDefaultGroup,
  },
  {
    // ec2_securitygroup_default_restrict_traffic.py: FAIL unless the group named default has no ingress and no egress rules.
    tool: 'Prowler',
    id: 'ec2_securitygroup_default_restrict_traffic',
    group: 'default-group-closed',
    row: 'default-security-group',
    evaluates: 'live',
    title: 'VPC default security group has no inbound or outbound rules',
    resourceType: 'AWS::EC2::SecurityGroup',
    rule: 'Fails a default security group that keeps any inbound or outbound rule.',
    severity: 'high',
    verdicts: perDefaultGroup,
  },
  {
    ...NACL,
    tool: 'Security Hub',
    id: 'EC2.21',
    group: 'nacl-admin-ports',
    title: 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389',
    rule: 'Fails a list with an inbound allow entry from 0.0.0.0/0 or ::/0 that covers TCP 22 or 3389, whatever comes before it.',
    severity: 'medium',
    standards: ['FSBP', 'CIS', 'NIST 800-53'],
    verdicts: perAcl(hubNaclOpensAdminPorts),
  },
  {
    // ec2_networkacl_allow_ingress_any_port.py with lib/network_acls.py check_network_acl(entries, "-1", 0).
    ...NACL,
    tool: 'Prowler',
    id: 'ec2_networkacl_allow_ingress_any_port',
    group: 'nacl-any-port',
    title: 'Network ACL does not allow ingress from 0.0.0.0/0 to any port',
    rule: 'Fails a list whose first inbound entry from the internet for every protocol, in rule order, is an allow.',
    severity: 'high',
    verdicts: perAcl((entries) => prowlerNaclOpen(entries, '-1', 0)),
  },
  {
    // ec2_networkacl_allow_ingress_tcp_port_22.py: check_network_acl(entries, "6", 22).
    ...NACL,
    tool: 'Prowler',
    id: 'ec2_networkacl_allow_ingress_tcp_port_22',
    group: 'nacl-admin-ports',
    title: 'Network ACL does not allow ingress from the Internet to TCP port 22 (SSH)',
    rule: 'Fails a list whose first inbound entry from the internet covering TCP 22, in rule order, is an allow.',
    severity: 'medium',
    verdicts: perAcl((entries) => prowlerNaclOpen(entries, '6', 22)),
  },
  {
    // ec2_networkacl_allow_ingress_tcp_port_3389.py: check_network_acl(entries, "6", 3389).
    ...NACL,
    tool: 'Prowler',
    id: 'ec2_networkacl_allow_ingress_tcp_port_3389',
    group: 'nacl-admin-ports',
    title: 'Network ACL does not allow ingress from the Internet to TCP port 3389 (RDP)',
    rule: 'Fails a list whose first inbound entry from the internet covering TCP 3389, in rule order, is an allow.',
    severity: 'medium',
    verdicts: perAcl((entries) => prowlerNaclOpen(entries, '6', 3389)),
  },
];

// ---------------------------------------------------------------------------------------------
// Findings and panel

const FINDING_IDS = ['default-security-group-open', 'network-acl-open', 'network-acl-ssh-from-internet'] as const;

const WHY_LEFT_ALONE = 'tandem never changes a shared object it did not create: other instances, endpoints and subnets in that VPC may depend on it, and removing a rule could cut them off.';

/**
 * The checkers rate these failures high, but they are the state of a VPC the launch only uses, not
 * a risk the launch adds, so they warn rather than stop `--yes` (docs/design.md section 1).
 */
const SHARED_SEVERITY = 'medium';

function sharedVpcFindings(spec: LaunchSpec): FindingDraft[] {
  const label = vpcLabel(spec);
  const unless = spec.network.vpc === 'default' ? 'AWS creates it that way, so unless someone has changed it' : 'Unless its owner has already restricted it';
  return [
    {
      id: 'default-security-group-open',
      severity: SHARED_SEVERITY,
      title: 'Default security group of a shared VPC not restricted',
      explanation: `The ${label}'s default security group admits traffic from its own members and sends anywhere. ${unless}, Security Hub EC2.2 (high) and Prowler ec2_securitygroup_default_restrict_traffic (high) fail it. This instance does not use it, and ${WHY_LEFT_ALONE} Remove its rules yourself once nothing relies on them, or launch into a new VPC, whose default group tandem empties.`,
      control: 'default-security-group',
      checkers: [hub('EC2.2'), prowler('ec2_securitygroup_default_restrict_traffic')],
    },
    {
      id: 'network-acl-open',
      severity: SHARED_SEVERITY,
      title: 'Network ACL of a shared VPC admits everything',
      explanation: `The subnet's network ACL belongs to the ${label} and filters every subnet associated with it. ${unless}, its rule 100 allows all traffic in from anywhere, and Prowler ec2_networkacl_allow_ingress_any_port (high), ec2_networkacl_allow_ingress_tcp_port_22 (medium), ec2_networkacl_allow_ingress_tcp_port_3389 (medium) and Security Hub EC2.21 (medium) fail it. The instance's security group still filters what reaches the instance; ${WHY_LEFT_ALONE}`,
      control: 'network-acl',
      checkers: [prowler('ec2_networkacl_allow_ingress_any_port'), prowler('ec2_networkacl_allow_ingress_tcp_port_22'), prowler('ec2_networkacl_allow_ingress_tcp_port_3389'), hub('EC2.21')],
    },
  ];
}

function findings(spec: LaunchSpec): FindingDraft[] {
  if (!guardsVpc(spec)) return sharedVpcFindings(spec);
  const sshWorld = intendedNaclEntries(spec).some((entry) => !entry.egress && entry.action === 'allow' && entry.cidr === WORLD && entry.from === 22);
  if (!sshWorld) return [];
  const why = naclAdmitsInstanceConnect(spec)
    ? `EC2 Instance Connect reaches port 22 from its service's addresses, which AWS keeps in the prefix list ${instanceConnectListName(spec.region)}. A network ACL entry takes only an address range, not a prefix list, so the list admits 22 from anywhere and the security group narrows it to that prefix list.`
    : 'You chose SSH from anywhere, so the list admits port 22 from the whole internet as the security group does.';
  return [
    {
      id: 'network-acl-ssh-from-internet',
      severity: 'medium',
      title: 'Network ACL admits SSH from the internet',
      explanation: `${why} Prowler ec2_networkacl_allow_ingress_tcp_port_22 (medium) and Security Hub EC2.21 (medium) fail the list. Session Manager needs no inbound port at all.`,
      control: 'network-acl',
      checkers: [prowler('ec2_networkacl_allow_ingress_tcp_port_22'), hub('EC2.21')],
    },
  ];
}

function panel(_option: string | undefined, spec: LaunchSpec): PanelEdits {
  if (!guardsVpc(spec)) {
    const label = vpcLabel(spec);
    return {
      'default-security-group': {customer: `The ${label}'s default group is shared; tandem leaves it as it is and predicts EC2.2 from its rules.`},
      'network-acl': {customer: `The ${label}'s network ACLs filter other subnets too; tandem leaves them as they are and predicts what Prowler and EC2.21 will say.`},
    };
  }
  const entries = plannedNaclEntries(spec).filter((entry) => !entry.egress);
  return {
    'default-security-group': {customer: "tandem removes both of the new VPC's default group rules; nothing should use that group."},
    'network-acl': {
      customer: `tandem writes the new VPC's list: in, ${entries.map((entry) => entry.why).join('; ')}; out, 80 and 443 and replies to clients; everything else denied.`,
    },
  };
}

export const networkGuardControl: ControlModule<(typeof FINDING_IDS)[number], 'default-security-group' | 'network-acl', 'security-group'> = {
  step: 'security-group',
  catalog: [
    {
      id: 'default-security-group',
      step: 'security-group',
      title: 'Default security group',
      owner: 'Customer',
      kind: 'hybrid',
      aws: 'Puts a default security group in every VPC, admitting traffic between its members and allowing all outbound traffic.',
      customer: 'Keep it empty and give every workload a group of its own, so nothing lands in a group that admits more than it needs.',
      verify: "The new VPC's default group has no inbound and no outbound rules (DescribeSecurityGroups).",
      checkerRows: ['default-security-group'],
      compliance: ['Security Hub EC2.2 is part of FSBP, CIS, PCI DSS and NIST 800-53.'],
    },
    {
      id: 'network-acl',
      step: 'security-group',
      title: 'Network ACLs',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: "Enforces a stateless filter at every subnet boundary; a new VPC's default list allows all traffic both ways.",
      customer: 'Write the entries: admit only the ports the service needs, and, since the list keeps no state, the replies on ephemeral ports.',
      verify: "The instance subnet's list holds exactly the planned entries, everything else denied (DescribeNetworkAcls).",
      checkerRows: ['network-acl'],
      compliance: ['The list filters a whole subnet; the security group still decides what reaches each instance.'],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  planSteps: guardSteps,
  planOrder: 65,
  checkers,
};
