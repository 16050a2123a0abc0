// The ways in that open no port to the world (docs/design.md section 1): Session Manager and EC2
// Instance Connect. This module owns `spec.access`: every other file asks its predicates.
//
// Session Manager needs only the instance role's AWS managed policy; tandem makes a role for it
// when the spec names none, and, for a private subnet of a new VPC (no route out), the interface
// endpoints the agent talks to, behind their own security group that admits HTTPS from the VPC.
//
// EC2 Instance Connect opens port 22 only to the addresses of the service in the launch's region,
// named by the AWS-managed prefix list com.amazonaws.<region>.ec2-instance-connect (customer lists
// cannot take a com.amazonaws name, so the name finds AWS's list). Connections then carry a
// one-time key pushed through the Instance Connect API, which IAM decides
// (ec2-instance-connect:SendSSHPublicKey) and CloudTrail logs; no long-lived key sits on the instance.
import type {ControlModule, FindingDraft, PanelEdit, PanelEdits} from './control.js';
import {prowler} from './control.js';
import {newVpcCidrs} from '../plan-network.js';
import {partitionOf} from '../partition.js';
import {PLAN_STEP} from '../plan-ids.js';
import {tagList, tagSpecifications} from '../plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from '../plan-types.js';
import {inNewPrivateSubnet, NO_ACCESS, type AccessSpec, type LaunchSpec} from '../spec.js';
import {booleanRule, type FieldRules} from '../field-rules.js';
import {covers, ruleText, type GroupRule} from '../group-rules.js';
import type {Checker, ResourceVerdict} from '../checker-kit.js';
import type {CheckerFacts, EndpointFact} from '../checker-facts.js';
import {passIf, type Verdict} from '../checker-rules.js';

// ---------------------------------------------------------------------------------------------
// What the spec chose

export const sessionManagerOn = (spec: LaunchSpec): boolean => spec.access?.sessionManager === true;

/** Instance Connect as the operator chose it, whatever the security group. */
export const instanceConnectChosen = (spec: LaunchSpec): boolean => spec.access?.instanceConnect === true;

/** True when the launch adds the Instance Connect rule (only to a group tandem creates). */
export function wantsInstanceConnect(spec: LaunchSpec): boolean {
  return instanceConnectChosen(spec) && spec.securityGroup.mode === 'create';
}

/** A spec saved before `access` existed meant no way in but SSH: give it that, explicitly. */
export function withDefaultAccess(spec: LaunchSpec): LaunchSpec {
  return spec.access ? spec : {...spec, access: {...NO_ACCESS}};
}

/** A copy of `spec` with one way in switched on or off. */
export function withAccess(spec: LaunchSpec, patch: Partial<AccessSpec>): LaunchSpec {
  return {...spec, access: {...NO_ACCESS, ...spec.access, ...patch}};
}

/** Session Manager on or off; the values differ from the key pair's modes that share its panel. */
export const SESSION_CHOICES = ['ssm-on', 'ssm-off'] as const;
export type SessionChoice = (typeof SESSION_CHOICES)[number];
export function sessionChoice(spec: LaunchSpec): SessionChoice {
  return sessionManagerOn(spec) ? 'ssm-on' : 'ssm-off';
}
const isSessionChoice = (option: string | undefined): option is SessionChoice => (SESSION_CHOICES as readonly string[]).includes(option ?? '');

/** Instance Connect on or off, as the security-group screen lists it. */
export const INSTANCE_CONNECT_CHOICES = ['instance-connect-off', 'instance-connect-on'] as const;
export type InstanceConnectChoice = (typeof INSTANCE_CONNECT_CHOICES)[number];
export function instanceConnectChoice(spec: LaunchSpec): InstanceConnectChoice {
  return instanceConnectChosen(spec) ? 'instance-connect-on' : 'instance-connect-off';
}

// ---------------------------------------------------------------------------------------------
// Session Manager: role, policy, endpoints

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

/** True when tandem makes a role only so that Session Manager works (the spec names no role). */
export const needsSessionRole = (spec: LaunchSpec): boolean => sessionManagerOn(spec) && spec.role.mode === 'none';

/** True when the managed policy goes onto a role tandem creates (never onto an existing one). */
export const attachesSsmPolicy = (spec: LaunchSpec): boolean => sessionManagerOn(spec) && spec.role.mode !== 'existing';

/** A private subnet of a new VPC has no way out, so the agent needs endpoints inside it. */
export const needsSsmEndpoints = (spec: LaunchSpec): boolean => sessionManagerOn(spec) && inNewPrivateSubnet(spec.network);

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

// ---------------------------------------------------------------------------------------------
// EC2 Instance Connect

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

/** The description the port-22 prefix-list rule carries, in the API call and every export. */
export const INSTANCE_CONNECT_RULE = 'SSH from EC2 Instance Connect';

const INSTANCE_CONNECT_LIST_STEP = PLAN_STEP.instanceConnectList;

/**
 * What Instance Connect adds to a group tandem creates: the step that finds the service's prefix
 * list, and port 22 from that list only (no address range is written into the rule).
 */
export function instanceConnectIngress(spec: LaunchSpec): {steps: PlanStep[]; permissions: ParamValue[]; sources: string[]} {
  if (!wantsInstanceConnect(spec)) return {steps: [], permissions: [], sources: []};
  const listName = instanceConnectListName(spec.region);
  const step: PlanStep = {
    id: INSTANCE_CONNECT_LIST_STEP,
    service: 'ec2',
    action: 'DescribeManagedPrefixLists',
    params: {Filters: [{Name: 'prefix-list-name', Values: [listName]}]},
    creates: [],
    dependsOn: [],
    controls: ['security-group-rules'],
    dryRunnable: true,
    summary: `Find the EC2 Instance Connect prefix list ${listName}`,
  };
  const permission: ParamValue = {
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    PrefixListIds: [{PrefixListId: {ref: INSTANCE_CONNECT_LIST_STEP, output: 'PrefixLists.0.PrefixListId'}, Description: INSTANCE_CONNECT_RULE}],
  };
  return {steps: [step], permissions: [permission], sources: ['SSH from EC2 Instance Connect (prefix list)']};
}

// ---------------------------------------------------------------------------------------------
// Verification of Session Manager: what the row expects, and how the facts AWS reports are judged

/** What the Session Manager row checks, so source/aws/ reads only what it needs. */
export type SessionManagerExpectation = {on: false; expected: string} | {on: true; roleName?: string; port22Closed: boolean; noKeyPair: boolean; endpoints: boolean};

export function sessionManagerExpectation(spec: LaunchSpec, resolved: {roleName?: string}): SessionManagerExpectation {
  if (!sessionManagerOn(spec)) return {on: false, expected: 'Session Manager off'};
  const wantsSsh = spec.securityGroup.mode === 'existing' || spec.securityGroup.ssh !== false || instanceConnectChosen(spec);
  return {on: true, roleName: resolved.roleName ?? spec.role.name, port22Closed: !wantsSsh, noKeyPair: spec.keyPair.mode === 'none', endpoints: needsSsmEndpoints(spec)};
}

/** One interface endpoint of the instance's VPC, as plain facts. */
export interface SessionEndpointFact {
  id?: string;
  serviceName?: string;
  type?: string;
  state?: string;
  privateDns?: boolean;
  subnetIds: readonly string[];
}

/** What AWS reported for the Session Manager row; each part only when the expectation asks for it. */
export interface SessionManagerFacts {
  hasProfile: boolean;
  keyName?: string;
  subnetId?: string;
  /** What the role grants: the managed policy, or the session actions it still lacks. */
  access?: {managed: boolean; missing: readonly string[]};
  /** Inbound rules of the attached groups. */
  rules?: readonly GroupRule[];
  /** Interface endpoints of the instance's VPC. */
  endpoints?: readonly SessionEndpointFact[];
}

/**
 * The role lets the agent in (the managed policy, or the same actions granted another way on a role
 * tandem did not create), port 22 stays closed and no key is placed unless the spec also asks for
 * SSH, and a private subnet of a new VPC has its three endpoints.
 */
export function judgeSessionManager(spec: LaunchSpec, want: Extract<SessionManagerExpectation, {on: true}>, facts: SessionManagerFacts): {expected: string; actual: string; ok: boolean} {
  const expected: string[] = [];
  const actual: string[] = [];
  let ok = true;
  const {roleName} = want;
  expected.push(`role ${roleName ?? '?'} carries ${SSM_POLICY_NAME}${spec.role.mode === 'existing' ? ' (or the same actions)' : ''}`);
  if (!facts.hasProfile || !roleName || !facts.access) {
    ok = false;
    actual.push('no instance role');
  } else {
    const {managed, missing} = facts.access;
    if (managed) actual.push(`${SSM_POLICY_NAME} attached to ${roleName}`);
    else if (missing.length === 0 && spec.role.mode === 'existing') actual.push(`${roleName} grants the session actions without ${SSM_POLICY_NAME}`);
    else {
      ok = false;
      actual.push(`${roleName} lacks ${SSM_POLICY_NAME}${missing.length ? ` (missing ${missing.join(', ')})` : ''}`);
    }
  }
  if (want.port22Closed) {
    expected.push('no rule opens port 22');
    const open = (facts.rules ?? []).filter((rule) => covers(rule, 22));
    if (open.length) {
      ok = false;
      actual.push(`port 22 open: ${open.map(ruleText).join(', ')}`);
    } else actual.push('port 22 closed');
  }
  if (want.noKeyPair) {
    expected.push('no key pair');
    if (facts.keyName) {
      ok = false;
      actual.push(`key pair ${facts.keyName}`);
    } else actual.push('no key pair');
  }
  if (want.endpoints) {
    const endpoints = judgeEndpoints(spec.region, facts);
    expected.push(endpoints.expected);
    actual.push(endpoints.actual);
    ok &&= endpoints.ok;
  }
  return {expected: expected.join('; '), actual: actual.join('; '), ok};
}

/** Each of the three services needs a usable interface endpoint in the instance's subnet, private DNS on. */
function judgeEndpoints(region: string, facts: SessionManagerFacts): {expected: string; actual: string; ok: boolean} {
  const endpoints = facts.endpoints ?? [];
  let ok = true;
  const found: string[] = [];
  for (const service of SSM_ENDPOINT_SERVICES) {
    const endpoint = endpoints.find((item) => item.serviceName === endpointServiceName(region, service));
    const usable = endpoint && endpoint.type === 'Interface' && endpoint.privateDns === true && endpoint.subnetIds.includes(facts.subnetId ?? '');
    if (!usable) ok = false;
    found.push(endpoint ? `${service} ${endpoint.id} ${endpoint.state ?? '?'}${endpoint.privateDns ? '' : ' (private DNS off)'}` : `${service} missing`);
  }
  return {expected: `endpoints ${SSM_ENDPOINT_SERVICES.join(', ')} in subnet ${facts.subnetId ?? '?'}, private DNS on`, actual: `endpoints: ${found.join(', ')}`, ok};
}

// ---------------------------------------------------------------------------------------------
// Panel and findings

/** The Session Manager control as the option highlighted (or the spec) has it. */
function sessionEdit(choice: SessionChoice, spec: LaunchSpec): PanelEdit {
  if (choice === 'ssm-off')
    return {
      aws: 'Runs the service, but this instance will not be registered with it.',
      customer: 'Session Manager is off: the instance gets no role for it, and only SSH (if you open it) reaches a shell.',
      verify: 'Nothing to check: Session Manager is not used.',
    };
  const role =
    spec.role.mode === 'existing'
      ? `Pre-flight checks that role ${spec.role.name || 'you pick'} already carries ${SSM_POLICY_NAME}; tandem never changes a role it did not create.`
      : spec.role.mode === 'create'
        ? `${SSM_POLICY_NAME} is attached to the role tandem creates, beside its S3 policy.`
        : `tandem creates a role holding only ${SSM_POLICY_NAME}, and its instance profile.`;
  const endpoints = needsSsmEndpoints(spec)
    ? [
        `The private subnet gets interface endpoints for ssm, ssmmessages and ec2messages; each costs about $${ENDPOINT_HOURLY_USD.toFixed(2)} per hour (us-east-1; other regions charge a little more), plus data processed.`,
      ]
    : [];
  return {addCompliance: [role, ...endpoints]};
}

// The key-pair screen also lists Session Manager on/off: only those options are this module's.
function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  return {'session-manager': sessionEdit(isSessionChoice(option) ? option : sessionChoice(spec), spec)};
}

const FINDING_IDS = ['instance-connect-without-public-ip', 'session-endpoints-cost', 'session-endpoints-one-zone', 'session-endpoints-open-policy', 'session-logging-off'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  const drafts: FindingDraft[] = [];
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
  if (needsSsmEndpoints(spec))
    drafts.push({
      id: 'session-endpoints-cost',
      severity: 'info',
      title: 'Session Manager endpoints are billed hourly',
      explanation: `The private subnet has no way out, so tandem adds ${SSM_ENDPOINT_SERVICES.length} interface endpoints (${SSM_ENDPOINT_SERVICES.join(', ')}). Each costs about $${ENDPOINT_HOURLY_USD.toFixed(2)} per endpoint-hour in us-east-1 (a little more in most other regions), plus a charge per GB processed, for as long as they exist; tandem destroy removes them.`,
      control: 'session-manager',
      checkers: [],
    });
  if (needsSsmEndpoints(spec))
    drafts.push(
      {
        id: 'session-endpoints-one-zone',
        severity: 'low',
        title: 'Session Manager endpoints sit in one zone',
        explanation:
          "Each interface endpoint sits in the instance's subnet only, so Prowler vpc_endpoint_multi_az_enabled fails it. The instance lives in that one zone too, so a second zone would double the endpoints' hourly cost without keeping this server reachable; add a subnet in another zone to each endpoint if other workloads share them.",
        control: 'session-manager',
        checkers: [prowler('vpc_endpoint_multi_az_enabled')],
      },
      {
        id: 'session-endpoints-open-policy',
        severity: 'low',
        title: 'Session Manager endpoints keep the default policy',
        explanation:
          "The endpoints carry AWS's default policy, which lets a principal of any account use them, so Prowler vpc_endpoint_connections_trust_boundaries fails each. Only addresses inside the VPC reach them (their group admits HTTPS from the VPC alone), but credentials of another account could be used through them from there; a policy limited to your account (aws:PrincipalAccount) removes the failure.",
        control: 'session-manager',
        checkers: [prowler('vpc_endpoint_connections_trust_boundaries')],
      },
    );
  if (sessionManagerOn(spec))
    drafts.push({
      id: 'session-logging-off',
      severity: 'info',
      title: 'Session logs are not set up by tandem',
      explanation:
        "Who may start a session is decided in IAM (ssm:StartSession), and what happens in it is recorded only if the account's Session Manager preferences send session logs to CloudWatch Logs or S3. tandem leaves those account-wide preferences alone; set them if auditors need a record of every command.",
      control: 'session-manager',
      checkers: [],
    });
  return drafts;
}

// ---------------------------------------------------------------------------------------------
// Reachability: does Systems Manager list the instance? Reported beside PASS/FAIL, not as either:
// the role, ports and endpoints can be exactly as chosen while the agent has not checked in yet.

/** What `tandem verify` says about Session Manager apart from its PASS/FAIL. */
export type SessionReach = 'online' | 'not yet';

/** How long verification waits for the agent to register: a few polls, then "not yet". */
export interface SsmWait {
  polls: number;
  intervalMs: number;
}
/** About 15 s: the agent usually registers within a minute or two of boot; `tandem verify` asks again later. */
export const SSM_WAIT: SsmWait = {polls: 4, intervalMs: 5000};

/** DescribeInstanceInformation's entry for the instance, as plain facts; undefined when not listed. */
export interface SsmRegistration {
  pingStatus?: string;
}

/** Online once Systems Manager lists the instance with PingStatus Online; anything else is "not yet". */
export function sessionReach(registration: SsmRegistration | undefined): SessionReach {
  return registration?.pingStatus === 'Online' ? 'online' : 'not yet';
}

/** The sentence the verification row adds for it. */
export function reachText(registration: SsmRegistration | undefined, polls: number): string {
  if (sessionReach(registration) === 'online') return 'Systems Manager lists the instance: online';
  if (registration) return `Systems Manager lists the instance as ${registration.pingStatus ?? 'unknown'}: not yet online`;
  return `Systems Manager does not list the instance yet (asked ${polls} time${polls === 1 ? '' : 's'}); run tandem verify again in a minute`;
}

function managedBySsm(facts: CheckerFacts): ResourceVerdict[] | undefined {
  const instance = facts.instance;
  if (!instance || instance.managedBySsm === undefined) return undefined;
  return [{resource: instance.id, verdict: passIf(instance.managedBySsm)}];
}

const reachCheckers: Checker[] = [
  {
    // ec2_instance_managed_by_ssm.py: FAIL for a running instance that ssm:DescribeInstanceInformation
    // does not list (pending and stopped instances pass). Medium in its metadata. It runs on every
    // instance, so a launch without Session Manager fails it, and one with it fails until the agent registers.
    tool: 'Prowler',
    id: 'ec2_instance_managed_by_ssm',
    group: 'managed-by-ssm',
    row: 'session-manager',
    evaluates: 'live',
    title: 'EC2 instance is managed by Systems Manager',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails a running instance that Systems Manager does not list as a managed instance.',
    severity: 'medium',
    verdicts: managedBySsm,
  },
];

const rules: FieldRules = {
  'access.sessionManager': booleanRule('Session Manager'),
  'access.instanceConnect': booleanRule('EC2 Instance Connect'),
};

// ---------------------------------------------------------------------------------------------
// Checkers of the Session Manager row: the interface endpoints tandem adds to a private subnet.

/** One verdict per interface endpoint of the instance's VPC, when the VPC is known. */
function perInterfaceEndpoint(judge: (endpoint: EndpointFact) => Verdict) {
  return (facts: CheckerFacts): ResourceVerdict[] | undefined =>
    facts.vpc?.endpoints.filter((endpoint) => endpoint.type === 'Interface').map((endpoint) => ({resource: endpoint.id, verdict: judge(endpoint)}));
}

const endpointCheckers: Checker[] = [
  {
    // vpc_endpoint_multi_az_enabled.py: FAIL for an interface endpoint in fewer than two subnets.
    tool: 'Prowler',
    id: 'vpc_endpoint_multi_az_enabled',
    group: 'endpoint-zones',
    row: 'session-manager',
    evaluates: 'live',
    title: 'Amazon VPC interface endpoint has subnets in multiple Availability Zones',
    resourceType: 'AWS::EC2::VPCEndpoint',
    rule: "Fails an interface endpoint placed in one subnet. tandem places each in the instance's subnet only: a second zone would double the hourly cost for an instance that lives in one zone anyway.",
    severity: 'medium',
    verdicts: perInterfaceEndpoint((endpoint) => passIf(endpoint.subnetCount > 1)),
  },
  {
    // vpc_endpoint_connections_trust_boundaries.py: FAIL for an endpoint whose policy allows
    // Principal "*" without a condition restricting it to the account (or a trusted one).
    tool: 'Prowler',
    id: 'vpc_endpoint_connections_trust_boundaries',
    group: 'endpoint-policy',
    row: 'session-manager',
    evaluates: 'live',
    title: 'VPC endpoint policy allows access only from trusted AWS accounts',
    resourceType: 'AWS::EC2::VPCEndpoint',
    rule: "Fails an endpoint whose policy lets a principal of any account use it, as AWS's default full-access policy does.",
    severity: 'high',
    verdicts: (facts) =>
      facts.vpc?.endpoints
        .filter((endpoint) => !endpoint.serviceName.includes('com.amazonaws.vpce.'))
        .map((endpoint) => ({resource: endpoint.id, verdict: passIf(!endpoint.openToAnyAccount)})),
  },
];

export const waysInControl: ControlModule<(typeof FINDING_IDS)[number], 'session-manager', 'key-pair'> = {
  step: 'key-pair',
  rules,
  catalog: [
    {
      id: 'session-manager',
      step: 'key-pair',
      title: 'Session Manager',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Runs the Session Manager service and ships its agent already installed in Amazon Linux 2023; a session opens no inbound port and needs no SSH key.',
      customer: 'Decide in IAM who may call ssm:StartSession on this instance, keep the agent running, and choose whether session logs go to CloudWatch Logs or S3.',
      verify: 'The role carries AmazonSSMManagedInstanceCore, port 22 is closed, no key pair; and, apart from PASS/FAIL, whether Systems Manager lists the instance yet.',
      checkerRows: ['session-manager'],
      compliance: [
        'Every session is allowed by IAM and can be logged, so each shell traces back to a person instead of to a shared key.',
        'In a private subnet the agent reaches the service through interface endpoints (ssm, ssmmessages, ec2messages), each billed by the hour.',
      ],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  planSteps: (spec, {network}) => endpointSteps(spec, network.subnetStep, network.subnetId),
  planOrder: 30,
  checkers: [...reachCheckers, ...endpointCheckers],
};
