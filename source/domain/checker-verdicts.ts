// The second answer of every verification row: what each checker would say about that very
// resource, beside tandem's own "as you chose". A failure a finding covers and the spec accepts
// carries the reason ("EC2.9 fail, accepted: public web server").
import {factsFromSpec, type CheckerFacts} from './checker-facts.js';
import {CHECKERS, checkerKey, type CheckerTool, type Verdict} from './checkers.js';
import type {CfnTemplate} from './checker-template.js';
import {cloudFormationObject} from './export-cloudformation.js';
import {findingsFor} from './findings.js';
import {buildPlan} from './plan.js';
import type {Plan} from './plan-types.js';
import type {LaunchSpec} from './spec.js';

export interface CheckerVerdict {
  tool: CheckerTool;
  id: string;
  verdict: Verdict;
  /** The resource judged: an AWS id after launch, a name before it, 'Type.LogicalId' for a template. */
  resource: string;
  /** Set when the verdict is a failure the spec records as an accepted risk. */
  accepted: {finding: string; reason: string} | null;
}

export interface RowVerdicts {
  row: string;
  verdicts: CheckerVerdict[];
}

/** The template Checkov would scan for this spec: the export's rendering of the plan, once. */
export function templateFor(spec: LaunchSpec, plan: Plan = buildPlan(spec)): CfnTemplate {
  return cloudFormationObject(spec, {profile: spec.instance.name}, plan);
}

/**
 * Every checker's verdicts for one launch. `facts` are what AWS reports after launch; without them
 * the live checkers are predicted from the spec. Checkov reads the template rendered from the
 * plan; a caller that has rendered it already passes it in.
 */
export function checkerVerdicts(spec: LaunchSpec, facts: CheckerFacts = factsFromSpec(spec), template: CfnTemplate = templateFor(spec)): Array<CheckerVerdict & {row: string}> {
  const acceptedBy = new Map<string, {finding: string; reason: string}>();
  for (const finding of findingsFor(spec)) {
    if (!finding.accepted) continue;
    for (const checker of finding.checkers) {
      if (!acceptedBy.has(checkerKey(checker))) acceptedBy.set(checkerKey(checker), {finding: finding.id, reason: finding.accepted.reason});
    }
  }
  return CHECKERS.flatMap((checker) => {
    const results = checker.evaluates === 'live' ? checker.verdicts(facts) : checker.verdicts(template);
    return (results ?? []).map(({resource, verdict}) => ({
      row: checker.row,
      tool: checker.tool,
      id: checker.id,
      verdict,
      resource,
      accepted: verdict === 'fail' ? (acceptedBy.get(checkerKey(checker)) ?? null) : null,
    }));
  });
}

/** The verdicts that belong on one verification row, without the row field. */
export function verdictsForRow(all: ReadonlyArray<CheckerVerdict & {row: string}>, row: string): CheckerVerdict[] {
  return all.filter((verdict) => verdict.row === row).map(({row: _row, ...verdict}) => verdict);
}

export function isUnacceptedFailure(verdict: CheckerVerdict): boolean {
  return verdict.verdict === 'fail' && verdict.accepted === null;
}

/** "Security Hub would fail 1, accepted; Prowler would fail 2 (1 not accepted)". */
export function checkerSummary(verdicts: readonly CheckerVerdict[]): string {
  const tools: CheckerTool[] = ['Security Hub', 'Prowler', 'Checkov'];
  const parts = tools.flatMap((tool) => {
    const failing = verdicts.filter((verdict) => verdict.tool === tool && verdict.verdict === 'fail');
    if (failing.length === 0) return [];
    const open = failing.filter(isUnacceptedFailure).length;
    const note = open === 0 ? 'accepted' : open === failing.length ? 'not accepted' : `${open} not accepted`;
    return [`${tool} would fail ${failing.length}, ${note}`];
  });
  return parts.length > 0 ? parts.join('; ') : 'no checker would fail';
}

/**
 * A row's verdicts in one line, ids grouped by what the checkers would say, open failures first:
 * 'FAIL: EC2.13; fail, accepted (public web server): CKV_AWS_260; pass: EC2.18, EC2.19'.
 * The ids name their tool (EC2.9, snake_case Prowler ids, CKV_ ids).
 */
export function verdictPhrase(verdicts: readonly CheckerVerdict[]): string {
  const groups = new Map<string, {rank: number; ids: Set<string>}>();
  for (const verdict of verdicts) {
    const [rank, label] =
      verdict.verdict === 'fail' ? (verdict.accepted ? [1, `fail, accepted (${verdict.accepted.reason})`] : [0, 'FAIL']) : verdict.verdict === 'pass' ? [2, 'pass'] : [3, 'not applicable'];
    const group = groups.get(label) ?? {rank, ids: new Set<string>()};
    group.ids.add(verdict.id);
    groups.set(label, group);
  }
  // An id judged on several resources (an instance and its launch template) shows under its worst verdict.
  const shown = new Set<string>();
  return [...groups]
    .sort(([, a], [, b]) => a.rank - b.rank)
    .flatMap(([label, group]) => {
      const ids = [...group.ids].filter((id) => !shown.has(id));
      ids.forEach((id) => shown.add(id));
      return ids.length ? [`${label}: ${ids.join(', ')}`] : [];
    })
    .join('; ');
}
