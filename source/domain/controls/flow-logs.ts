// VPC flow logs (docs/design.md section 1): a record of the traffic the VPC accepts and rejects,
// delivered to a CloudWatch Logs group tandem creates, through a role only the flow-logs service
// of this account may assume. On by default for a VPC tandem creates; one profile line
// (`network.flowLogs: true`) for the default or an existing VPC, where it is off unless asked for.
// Everything that asks "does this launch turn flow logs on, and what does it make" asks here.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import {checkov, hub, prowler} from './control.js';
import type {Checker} from '../checker-kit.js';
import type {CheckerFacts} from '../checker-facts.js';
import {passIf} from '../checker-rules.js';
import {literal, resourcesOfType} from '../checker-template.js';
import {partitionOf} from '../partition.js';
import {LAUNCH_ID, LAUNCH_ID_TAG, tagList, tagSpecifications} from '../plan-tags.js';
import type {ParamValue, PlanStep} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';
import type {PlanContext} from './control.js';
import type {FieldRules} from '../field-rules.js';
import {show} from '../field-rules.js';

/**
 * How long the log group keeps flow records. 365 days is the shortest retention Prowler's
 * cloudwatch_log_group_retention_policy_specific_days_enabled accepts by default (its config.yaml:
 * log_group_retention_days: 365), is a retention CloudWatch Logs offers, and covers the twelve
 * months of audit trail PCI DSS asks for; longer only costs more storage.
 */
export const FLOW_LOG_RETENTION_DAYS = 365;

/**
 * The CloudWatch Logs prices for vended logs (flow logs among them), as AWS lists them for US East
 * (N. Virginia): $0.50 per GB for the first 10 TB ingested each month, falling in tiers after
 * that, and $0.03 per GB-month archived. Other regions differ.
 */
export const FLOW_LOG_COST = 'Cost: CloudWatch Logs charges flow records from $0.50/GB ingested and $0.03/GB-month stored (US East prices; other regions differ).';

/** FLOW_LOG_COST in a few words, for the panel card. */
export const FLOW_LOG_PRICE = 'from $0.50/GB ingested (US East)';

/**
 * Stands for the account id inside a policy document: the executor puts in the account it runs
 * in, the CloudFormation template keeps it for Fn::Sub, the CLI script reads it from STS.
 */
export const ACCOUNT_TOKEN = '${AWS::AccountId}';

/** Step ids of the flow-log steps, for the executor, the verifier and the exports. */
export const FLOW_LOG_STEP = {
  group: 'flow-log-group',
  retention: 'flow-log-retention',
  role: 'flow-log-role',
  policy: 'flow-log-role-policy',
  flowLog: 'flow-log',
} as const;

/** True when the launch turns flow logs on: as the spec says, else on for a VPC tandem creates only. */
export function flowLogsOn(spec: LaunchSpec): boolean {
  return spec.network.flowLogs ?? spec.network.vpc === 'new';
}

/**
 * The network screen's switch. Only a choice that differs from what the VPC gets by default is
 * written, so a spec the operator did not change stays as it was, and "on for a new VPC" keeps
 * following the VPC until the operator says otherwise.
 */
export function withFlowLogs(spec: LaunchSpec, on: boolean): LaunchSpec {
  const {flowLogs: _chosen, ...network} = spec.network;
  return {...spec, network: on === (spec.network.vpc === 'new') ? network : {...network, flowLogs: on}};
}

const safeName = (spec: LaunchSpec) => spec.instance.name.replace(/[^\w+=,.@-]/g, '-');

/** The log group the flow log writes to (one per launch's instance name). */
export function flowLogGroupName(spec: LaunchSpec): string {
  return `/tandem/vpc-flow-logs/${safeName(spec)}`;
}

/** The role the flow-logs service assumes to write into the group. */
export function flowLogRoleName(spec: LaunchSpec): string {
  return `tandem-flow-logs-${safeName(spec)}`.slice(0, 64);
}

/** The group's ARN with the account left as ACCOUNT_TOKEN; `:*` covers its streams. */
function groupArn(spec: LaunchSpec): string {
  return `arn:${partitionOf(spec.region)}:logs:${spec.region}:${ACCOUNT_TOKEN}:log-group:${flowLogGroupName(spec)}`;
}

/**
 * Only vpc-flow-logs.amazonaws.com may assume the role, and only for a flow log of this account:
 * the aws:SourceAccount and aws:SourceArn conditions AWS documents for flow-log roles (they stop a
 * flow log in another account from using this role: the cross-service confused deputy).
 */
export function flowLogTrustPolicy(spec: LaunchSpec): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: {Service: 'vpc-flow-logs.amazonaws.com'},
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: {'aws:SourceAccount': ACCOUNT_TOKEN},
          ArnLike: {'aws:SourceArn': `arn:${partitionOf(spec.region)}:ec2:${spec.region}:${ACCOUNT_TOKEN}:vpc-flow-log/*`},
        },
      },
    ],
  });
}

/**
 * What delivery needs and nothing more: streams and events in this one group. AWS's example policy
 * also grants logs:CreateLogGroup and DescribeLogGroups on every group; tandem creates the group
 * before the flow log, so the service never has to create one, and describing is kept to this group.
 */
export function flowLogDeliveryPolicy(spec: LaunchSpec): string {
  const group = groupArn(spec);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {Sid: 'DescribeTheGroup', Effect: 'Allow', Action: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams'], Resource: `${group}:*`},
      {Sid: 'WriteFlowRecords', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${group}:log-stream:*`},
    ],
  });
}

/** CloudWatch Logs tags are a map: the Name, the launch id and the operator's own. */
function logTags(spec: LaunchSpec): {[key: string]: ParamValue} {
  const tags: {[key: string]: ParamValue} = {Name: flowLogGroupName(spec), [LAUNCH_ID_TAG]: LAUNCH_ID};
  for (const [key, value] of Object.entries(spec.tags ?? {})) if (key !== 'Name' && !key.startsWith('tandem:')) tags[key] = value;
  return tags;
}

/** The flow-log steps: the group and its retention, the delivery role and its policy, then the flow log on the VPC. */
export function flowLogSteps(spec: LaunchSpec, context: PlanContext): PlanStep[] {
  if (!flowLogsOn(spec)) return [];
  const logGroupName = flowLogGroupName(spec);
  const roleName = flowLogRoleName(spec);
  const controls = ['vpc-flow-logs'] as const;
  const base = {controls: [...controls], dryRunnable: false};
  return [
    {
      ...base,
      id: FLOW_LOG_STEP.group,
      service: 'logs',
      action: 'CreateLogGroup',
      params: {logGroupName, tags: logTags(spec)},
      creates: ['log-group'],
      dependsOn: [],
      summary: `Create log group ${logGroupName} for the VPC's flow logs`,
    },
    {
      ...base,
      id: FLOW_LOG_STEP.retention,
      service: 'logs',
      action: 'PutRetentionPolicy',
      params: {logGroupName, retentionInDays: FLOW_LOG_RETENTION_DAYS},
      creates: [],
      dependsOn: [FLOW_LOG_STEP.group],
      summary: `Keep flow records ${FLOW_LOG_RETENTION_DAYS} days, then let CloudWatch Logs delete them`,
    },
    {
      ...base,
      id: FLOW_LOG_STEP.role,
      service: 'iam',
      action: 'CreateRole',
      params: {
        RoleName: roleName,
        AssumeRolePolicyDocument: flowLogTrustPolicy(spec),
        Description: `Lets VPC flow logs of this account write to ${logGroupName}; created by tandem`,
        Tags: tagList(spec, roleName),
      },
      creates: ['iam-role'],
      dependsOn: [],
      summary: `Create IAM role ${roleName} that only this account's flow logs may assume`,
    },
    {
      ...base,
      id: FLOW_LOG_STEP.policy,
      service: 'iam',
      action: 'PutRolePolicy',
      params: {RoleName: {ref: FLOW_LOG_STEP.role, output: 'Role.RoleName'}, PolicyName: 'tandem-flow-log-delivery', PolicyDocument: flowLogDeliveryPolicy(spec)},
      creates: [],
      dependsOn: [FLOW_LOG_STEP.role],
      summary: `Allow the role to write log streams in ${logGroupName} only`,
    },
    {
      ...base,
      id: FLOW_LOG_STEP.flowLog,
      service: 'ec2',
      action: 'CreateFlowLogs',
      params: {
        ResourceIds: [context.network.vpcId],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: logGroupName,
        DeliverLogsPermissionArn: {ref: FLOW_LOG_STEP.role, output: 'Role.Arn'},
        MaxAggregationInterval: 600,
        TagSpecifications: tagSpecifications(spec, [{type: 'vpc-flow-log', name: `${spec.instance.name}-flow-log`}]),
      },
      creates: ['flow-log'],
      // The role needs its policy and the group its retention before records arrive.
      dependsOn: [context.network.vpcStep, FLOW_LOG_STEP.group, FLOW_LOG_STEP.retention, FLOW_LOG_STEP.role, FLOW_LOG_STEP.policy],
      dryRunnable: true,
      summary: 'Turn on flow logs for all traffic of the VPC, delivered to the log group',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Verification and checkers

/** What verification expects to read back with DescribeFlowLogs and DescribeLogGroups. */
export function flowLogExpectation(spec: LaunchSpec): {on: boolean; expected: string; logGroupName: string; retentionDays: number} {
  const on = flowLogsOn(spec);
  const logGroupName = flowLogGroupName(spec);
  return {
    on,
    logGroupName,
    retentionDays: FLOW_LOG_RETENTION_DAYS,
    expected: on ? `an active flow log on the VPC (ALL traffic) delivering to ${logGroupName}, kept ${FLOW_LOG_RETENTION_DAYS} days` : 'none asked for (network.flowLogs is off)',
  };
}

/** The flow logs' delivery role as the confused-deputy check reads it (its condition names this account). */
export function predictedFlowLogRoles(spec: LaunchSpec): NonNullable<CheckerFacts['serviceRoles']> {
  return flowLogsOn(spec) ? [{name: flowLogRoleName(spec), trust: JSON.parse(flowLogTrustPolicy(spec)) as unknown}] : [];
}

/** The VPC's flow logs and the log group as the checkers see them before launch. */
export function predictedFlowLogFacts(spec: LaunchSpec): Pick<CheckerFacts, 'vpcFlowLogs' | 'logGroups'> {
  const on = flowLogsOn(spec);
  const vpc = spec.network.vpc === 'new' ? 'new VPC' : spec.network.vpc === 'default' ? 'default VPC' : spec.network.vpc;
  // A default or existing VPC may have flow logs of its own already; predicted as it is in a new account: none.
  const facts: Pick<CheckerFacts, 'vpcFlowLogs' | 'logGroups'> = {vpcFlowLogs: {id: vpc, enabled: on}};
  if (on) facts.logGroups = [{id: flowLogGroupName(spec), retentionDays: FLOW_LOG_RETENTION_DAYS, kmsKey: false}];
  return facts;
}

const vpcFlowLogs = (facts: CheckerFacts) => (facts.vpcFlowLogs ? [{resource: facts.vpcFlowLogs.id, verdict: passIf(facts.vpcFlowLogs.enabled)}] : undefined);
// Prowler passes a group that never expires, or keeps at least its configured minimum (365 days).
const retention = (facts: CheckerFacts) =>
  facts.logGroups?.map((group) => ({resource: group.id, verdict: passIf(group.retentionDays === undefined || group.retentionDays >= FLOW_LOG_RETENTION_DAYS)}));
const groupKms = (facts: CheckerFacts) => facts.logGroups?.map((group) => ({resource: group.id, verdict: passIf(group.kmsKey)}));
const templateGroups = (present: (properties: Record<string, unknown>, template: Parameters<typeof literal>[0]) => boolean) => (template: Parameters<typeof literal>[0]) =>
  resourcesOfType(template, 'AWS::Logs::LogGroup').map((group) => ({resource: group.name, verdict: passIf(present(group.properties, template))}));

const checkers: Checker[] = [
  {
    tool: 'Security Hub',
    id: 'EC2.6',
    group: 'vpc-flow-logs',
    row: 'vpc-flow-logs',
    evaluates: 'live',
    title: 'VPC flow logging should be enabled in all VPCs',
    resourceType: 'AWS::EC2::VPC',
    rule: 'Fails a VPC with no flow log (the control asks for rejected traffic at least; tandem logs all).',
    severity: 'medium',
    standards: ['FSBP', 'CIS', 'PCI DSS', 'NIST 800-53'],
    verdicts: vpcFlowLogs,
  },
  {
    // vpc_flow_logs_enabled.py: FAIL unless DescribeFlowLogs filtered on resource-id finds one for the VPC.
    tool: 'Prowler',
    id: 'vpc_flow_logs_enabled',
    group: 'vpc-flow-logs',
    row: 'vpc-flow-logs',
    evaluates: 'live',
    title: 'VPC flow logs are enabled',
    resourceType: 'AWS::EC2::VPC',
    rule: 'Fails a VPC for which DescribeFlowLogs finds no flow log.',
    severity: 'medium',
    verdicts: vpcFlowLogs,
  },
  {
    // cloudwatch_log_group_retention_policy_specific_days_enabled.py: FAIL below log_group_retention_days (365 by default).
    tool: 'Prowler',
    id: 'cloudwatch_log_group_retention_policy_specific_days_enabled',
    group: 'log-group-retention',
    row: 'vpc-flow-logs',
    evaluates: 'live',
    title: 'CloudWatch log group has a retention policy of at least the configured minimum days or never expires',
    resourceType: 'AWS::Logs::LogGroup',
    rule: 'Fails a log group that expires its events in fewer than 365 days.',
    severity: 'medium',
    verdicts: retention,
  },
  {
    // CloudWatchLogGroupRetention.py: Properties/RetentionInDays must be set.
    tool: 'Checkov',
    id: 'CKV_AWS_66',
    severity: 'unrated',
    group: 'log-group-retention',
    row: 'vpc-flow-logs',
    evaluates: 'template',
    title: 'Ensure that CloudWatch Log Group specifies retention days',
    resourceType: 'AWS::Logs::LogGroup',
    rule: 'Fails a log group in the template without RetentionInDays.',
    verdicts: templateGroups((properties, template) => literal(template, properties.RetentionInDays) !== undefined),
  },
  {
    // cloudwatch_log_group_kms_encryption_enabled.py: FAIL when the group has no kmsKeyId.
    tool: 'Prowler',
    id: 'cloudwatch_log_group_kms_encryption_enabled',
    group: 'log-group-kms',
    row: 'vpc-flow-logs',
    evaluates: 'live',
    title: 'CloudWatch log group is encrypted with an AWS KMS key',
    resourceType: 'AWS::Logs::LogGroup',
    rule: 'Fails a log group encrypted only by CloudWatch Logs itself, without a KMS key of the account.',
    severity: 'medium',
    verdicts: groupKms,
  },
  {
    // CloudWatchLogGroupKMSKey.py: Properties/KmsKeyId must be set.
    tool: 'Checkov',
    id: 'CKV_AWS_158',
    severity: 'unrated',
    group: 'log-group-kms',
    row: 'vpc-flow-logs',
    evaluates: 'template',
    title: 'Ensure that CloudWatch Log Group is encrypted by KMS',
    resourceType: 'AWS::Logs::LogGroup',
    rule: 'Fails a log group in the template without KmsKeyId.',
    verdicts: templateGroups((properties) => properties.KmsKeyId !== undefined),
  },
];

// ---------------------------------------------------------------------------------------------
// Panel and findings

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  // The network screen's options say which VPC; what the spec says about flow logs decides the rest.
  const vpc = option === 'default' || option === 'new' || option === 'existing' ? option : undefined;
  const on = vpc === undefined ? flowLogsOn(spec) : (spec.network.flowLogs ?? vpc === 'new');
  // The card says what they cost: the wizard's switch for them (a key) has no list of its own to say it.
  if (!on)
    return {
      'vpc-flow-logs': {
        customer: `Off${(vpc ?? spec.network.vpc) === 'new' ? ', as you chose' : ' for a VPC tandem does not create'}; turning them on costs ${FLOW_LOG_PRICE}. Security Hub EC2.6 and Prowler fail a VPC without them.`,
        verify: 'Nothing is created; DescribeFlowLogs reports whether the VPC has flow logs of its own.',
        addCompliance: [FLOW_LOG_COST],
      },
    };
  return {
    'vpc-flow-logs': {
      customer: `All the VPC's traffic is logged to a group kept ${FLOW_LOG_RETENTION_DAYS} days, ${FLOW_LOG_PRICE}; reading the records is yours.`,
      addCompliance: [FLOW_LOG_COST],
    },
  };
}

const FINDING_IDS = ['no-flow-logs', 'flow-log-group-no-kms'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  if (!flowLogsOn(spec))
    return [
      {
        id: 'no-flow-logs',
        severity: 'medium',
        title: 'VPC flow logs off',
        explanation: `Nothing will record the traffic the VPC accepts or rejects, so there is no network trail to investigate with. Security Hub EC2.6 and Prowler fail the VPC unless it already has a flow log of its own. Turn them on with network.flowLogs: true (${FLOW_LOG_COST})`,
        control: 'vpc-flow-logs',
        checkers: [hub('EC2.6'), prowler('vpc_flow_logs_enabled')],
      },
    ];
  return [
    {
      id: 'flow-log-group-no-kms',
      severity: 'medium',
      title: 'Flow log group encrypted without a KMS key',
      explanation:
        'CloudWatch Logs encrypts every log group at rest with keys it manages, but the group tandem creates names no KMS key of yours, so Prowler cloudwatch_log_group_kms_encryption_enabled and Checkov CKV_AWS_158 fail it. A customer key would cost $1 a month plus requests and needs a key policy letting CloudWatch Logs use it; accept this if the service-managed encryption is enough for flow records.',
      control: 'vpc-flow-logs',
      checkers: [prowler('cloudwatch_log_group_kms_encryption_enabled'), checkov('CKV_AWS_158')],
    },
  ];
}

function flowLogsRule(value: unknown): string | undefined {
  return value === undefined || typeof value === 'boolean' ? undefined : `Flow logs must be true or false, not ${show(value)}.`;
}

const rules: FieldRules = {'network.flowLogs': flowLogsRule};

export const flowLogsControl: ControlModule<(typeof FINDING_IDS)[number], 'vpc-flow-logs', 'network'> = {
  step: 'network',
  rules,
  catalog: [
    {
      id: 'vpc-flow-logs',
      step: 'network',
      title: 'VPC flow logs',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Captures the metadata of traffic through the VPC, delivers it to CloudWatch Logs and encrypts it at rest there.',
      customer: 'Turn flow logs on, choose where they go and how long they are kept, and read them: AWS records, you investigate.',
      verify: 'DescribeFlowLogs shows an active flow log on the VPC; DescribeLogGroups shows its group with the planned retention.',
      checkerRows: ['vpc-flow-logs'],
      compliance: ['Destroy removes the flow log, its role and its log group with the records in it; export them first if an auditor needs them kept.'],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  planSteps: flowLogSteps,
  planOrder: 25,
  checkers,
};
