// Detailed monitoring (docs/design.md section 1): CloudWatch metrics every minute instead of every
// five. It shares the instance-type screen (its panel states the cost), and is a spec field with a
// default a profile changes: `instance.detailedMonitoring`, on unless a profile says false.
//
// On by default: a public web server is the instance whose trouble should show within a minute
// (alarms on 1-minute CPU and status checks), Prowler ec2_instance_detailed_monitoring_enabled
// fails it otherwise, and the cost is small and stated. AWS bills detailed monitoring as custom
// metrics (the CloudWatch pricing page): an instance sends about 7 metrics at one-minute
// frequency, at $0.30 per metric-month for the first 10,000 metrics in us-east-1, prorated by
// the hour and charged only while the instance sends them; other regions charge more or less.
import {prowler, type ControlModule, type FindingDraft, type LaunchPart, type PanelEdits} from './control.js';
import type {Checker, ResourceVerdict} from '../checker-kit.js';
import type {CheckerFacts} from '../checker-facts.js';
import {passIf} from '../checker-rules.js';
import {booleanRule, type FieldRules} from '../field-rules.js';
import type {LaunchSpec} from '../spec.js';

/** Metrics an instance sends with detailed monitoring, and their price per metric-month (us-east-1). */
export const DETAILED_METRICS = 7;
export const METRIC_MONTH_USD = 0.3;

/** "about $2.10 a month": the review's summary line. */
export function monitoringMonthly(): string {
  return `about $${(DETAILED_METRICS * METRIC_MONTH_USD).toFixed(2)} a month`;
}

/** "about $2.10 a month (7 metrics at $0.30, us-east-1; prices vary by region)". */
export function monitoringCost(): string {
  return `${monitoringMonthly()} (${DETAILED_METRICS} metrics at $${METRIC_MONTH_USD.toFixed(2)}, us-east-1; prices vary by region)`;
}

/** Whether the spec asks for it (a profile saved before the field existed gets the default). */
export function detailedMonitoringOn(spec: LaunchSpec): boolean {
  return spec.instance.detailedMonitoring !== false;
}

/** The instance-type screen's switch: detailed monitoring on or off. */
export function withDetailedMonitoring(spec: LaunchSpec, on: boolean): LaunchSpec {
  return {...spec, instance: {...spec.instance, detailedMonitoring: on}};
}

/** RunInstances' Monitoring, as chosen. */
export function launchMonitoring(spec: LaunchSpec): LaunchPart {
  return {params: {Monitoring: {Enabled: detailedMonitoringOn(spec)}}, dependsOn: []};
}

/** What verification expects of DescribeInstances' Monitoring.State ('pending' is on its way to enabled). */
export function monitoringExpectation(spec: LaunchSpec): {on: boolean; expected: string; accepts: readonly string[]} {
  return detailedMonitoringOn(spec)
    ? {on: true, expected: 'Monitoring.State enabled (1-minute metrics)', accepts: ['enabled', 'pending']}
    : {on: false, expected: 'Monitoring.State disabled (5-minute metrics, as chosen)', accepts: ['disabled', 'disabling']};
}

function panel(_option: string | undefined, spec: LaunchSpec): PanelEdits {
  return {
    'detailed-monitoring': detailedMonitoringOn(spec)
      ? {customer: `1-minute metrics, ${monitoringCost()}. Switching it off keeps the free 5-minute ones.`}
      : {customer: `Off: free 5-minute metrics, and Prowler flags it. On costs ${monitoringCost()}.`},
  };
}

function monitoringVerdicts(facts: CheckerFacts): ResourceVerdict[] | undefined {
  const instance = facts.instance;
  if (!instance || instance.monitoring === undefined) return undefined;
  return [{resource: instance.id, verdict: passIf(instance.monitoring === 'enabled')}];
}

const checkers: Checker[] = [
  {
    // ec2_instance_detailed_monitoring_enabled.py: FAIL unless the instance's monitoring state is
    // "enabled" ('pending' fails too). Low in its metadata. Security Hub has no such control.
    tool: 'Prowler',
    id: 'ec2_instance_detailed_monitoring_enabled',
    group: 'detailed-monitoring',
    row: 'detailed-monitoring',
    evaluates: 'live',
    title: 'EC2 instance has detailed monitoring enabled',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance whose Monitoring.State is not enabled.',
    severity: 'low',
    verdicts: monitoringVerdicts,
  },
];

const FINDING_IDS = ['detailed-monitoring-off'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  if (detailedMonitoringOn(spec)) return [];
  return [
    {
      id: 'detailed-monitoring-off',
      severity: 'low',
      title: 'Detailed monitoring off',
      explanation: `CloudWatch gets this instance's metrics every 5 minutes, so an alarm can take that long to notice trouble. Prowler ec2_instance_detailed_monitoring_enabled fails it; Security Hub has no such control. Turning it on costs ${monitoringCost()}.`,
      control: 'detailed-monitoring',
      checkers: [prowler('ec2_instance_detailed_monitoring_enabled')],
    },
  ];
}

// Absent means the default (on): profiles saved before the field existed still load.
const rules: FieldRules = {'instance.detailedMonitoring': (value, spec) => (value === undefined ? undefined : booleanRule('Detailed monitoring')(value, spec))};

export const monitoringControl: ControlModule<(typeof FINDING_IDS)[number], 'detailed-monitoring', 'instance-type'> = {
  step: 'instance-type',
  rules,
  catalog: [
    {
      id: 'detailed-monitoring',
      step: 'instance-type',
      title: 'Detailed monitoring',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: "Runs CloudWatch and collects every instance's metrics every 5 minutes for free, or every minute when detailed monitoring is on.",
      customer: `Choose the 1-minute metrics (${monitoringCost()}), then set the alarms that watch them.`,
      verify: "The instance's Monitoring.State is enabled, or disabled as chosen.",
      checkerRows: ['detailed-monitoring'],
      compliance: [],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  checkers,
};
