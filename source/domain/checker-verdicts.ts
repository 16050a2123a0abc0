// The second answer of every verification row: what each checker would say about that very
// resource, beside tandem's own "as you chose". A failure a finding covers and the spec accepts
// carries the reason ("EC2.9 fail, accepted: public web server").
//
// This file is the verdicts' shape and wording, which the screens use; working them out (which needs
// the CloudFormation rendering) is checker-run.ts, loaded only by what verifies or explains.
import type {CheckerTool, Verdict} from './checkers.js';

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
