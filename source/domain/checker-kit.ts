// The shape of a checker and the small helpers its verdicts are written with. Each control module
// holds the checkers of its verification rows (checkers.ts lists them all and says where every
// rule was read from).
import type {CheckerRef, RowId} from './catalog-types.js';
import type {CheckerFacts} from './checker-facts.js';
import type {Verdict} from './checker-rules.js';
import type {CfnTemplate} from './checker-template.js';

export type CheckerTool = CheckerRef['tool'];

export interface ResourceVerdict {
  resource: string;
  verdict: Verdict;
}

/** The verification rows a checker's verdict is shown on. */
export type CheckerRow = Extract<
  RowId,
  | 'public-ip'
  | 'subnet-routing'
  | 'iam-instance-role'
  | 'ebs-encryption'
  | 'ebs-default-encryption'
  | 'kms-key'
  | 'security-group-rules'
  | 'session-manager'
  | 'imds-v2'
  | 'volume-backup'
  | 'detailed-monitoring'
  | 'vpc-flow-logs'
  | 'default-security-group'
  | 'network-acl'
>;

/** A tool's own severity for one of its checks (Prowler's metadata, Security Hub's control page, checkov's). */
export type CheckerSeverity = 'critical' | 'high' | 'medium' | 'low' | 'informational';
/** The Security Hub standards a control runs under (it runs only where its standard is enabled). */
export type SecurityHubStandard = 'FSBP' | 'CIS' | 'PCI DSS' | 'NIST 800-53';

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
  /** The tool's own severity for this check. */
  severity?: CheckerSeverity;
  /** Security Hub only: the standards the control belongs to. */
  standards?: readonly SecurityHubStandard[];
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

export const one = (resource: string, verdict: Verdict): ResourceVerdict[] => [{resource, verdict}];

export const perInstance = (judge: (instance: NonNullable<CheckerFacts['instance']>) => Verdict) => (facts: CheckerFacts) =>
  facts.instance ? one(facts.instance.id, judge(facts.instance)) : undefined;

/** One verdict on the instance's VPC, when it is known. */
export const perVpc = (judge: (vpc: NonNullable<CheckerFacts['vpc']>) => Verdict) => (facts: CheckerFacts) => (facts.vpc ? one(facts.vpc.id, judge(facts.vpc)) : undefined);

export const perGroup = (judge: (ingress: NonNullable<CheckerFacts['securityGroups']>[number]['ingress']) => Verdict) => (facts: CheckerFacts) =>
  facts.securityGroups?.map((group) => ({resource: group.id, verdict: judge(group.ingress)}));
