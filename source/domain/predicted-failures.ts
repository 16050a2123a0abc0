// Before launch, every check of the three tools that the plan will fail, one entry per check: the
// tool's own id and severity, the Security Hub standards it runs under, the resources it will fail
// and whether a recorded risk covers it. The review, `tandem explain` (every format) and
// `--dry-run` all show this list, so nothing an auditor's run finds comes as a surprise.
import type {CheckerSeverity, SecurityHubStandard, Unrated} from './checker-kit.js';
import type {CheckerVerdict} from './checker-verdicts.js';
import {findChecker, type CheckerTool} from './checkers.js';

export interface PredictedFailure {
  tool: CheckerTool;
  id: string;
  title: string;
  /** The tool's own severity; 'unrated' for checkov, whose open-source checks carry none. */
  severity: CheckerSeverity | Unrated;
  /** Security Hub only: the standards the control runs under; null for the other tools. */
  standards: SecurityHubStandard[] | null;
  /** The resources it will fail: names before launch, as checker-facts.ts gives them. */
  resources: string[];
  /** Set when every failure of this check is a risk the spec records as accepted. */
  accepted: {finding: string; reason: string} | null;
}

const SEVERITY_RANK: Record<CheckerSeverity, number> = {critical: 0, high: 1, medium: 2, low: 3, informational: 4};

/** The failing verdicts grouped per check, most severe first, then by tool and id. */
export function predictedFailures(verdicts: readonly CheckerVerdict[]): PredictedFailure[] {
  const byCheck = new Map<string, PredictedFailure>();
  for (const verdict of verdicts) {
    if (verdict.verdict !== 'fail') continue;
    const key = `${verdict.tool} ${verdict.id}`;
    const known = byCheck.get(key);
    if (known) {
      if (!known.resources.includes(verdict.resource)) known.resources.push(verdict.resource);
      // One open failure leaves the whole check open.
      if (!verdict.accepted) known.accepted = null;
      continue;
    }
    const checker = findChecker(verdict.tool, verdict.id);
    byCheck.set(key, {
      tool: verdict.tool,
      id: verdict.id,
      title: checker?.title ?? verdict.id,
      severity: checker?.severity ?? 'unrated',
      standards: verdict.tool === 'Security Hub' ? [...(checker?.standards ?? [])] : null,
      resources: [verdict.resource],
      accepted: verdict.accepted,
    });
  }
  const rank = (failure: PredictedFailure) => (failure.severity === 'unrated' ? 5 : SEVERITY_RANK[failure.severity]);
  return [...byCheck.values()].sort((a, b) => rank(a) - rank(b) || a.tool.localeCompare(b.tool) || a.id.localeCompare(b.id));
}

/** 'high', or 'medium; FSBP, NIST 800-53' for a Security Hub control; 'unrated' for checkov. */
export function severityNote(failure: PredictedFailure): string {
  const standards = failure.standards && failure.standards.length > 0 ? `; ${failure.standards.join(', ')}` : '';
  return `${failure.severity}${standards}`;
}

/** "Prowler vpc_endpoint_for_ec2_enabled (medium) fails default VPC", with the accepted reason when there is one. */
export function failureLine(failure: PredictedFailure): string {
  const accepted = failure.accepted ? `; accepted (${failure.accepted.reason})` : '';
  return `${failure.tool} ${failure.id} (${severityNote(failure)}) fails ${failure.resources.join(', ')}${accepted}`;
}

/** "14 checks will fail, 3 of them accepted risks" for the heading of the list. */
export function failureCount(failures: readonly PredictedFailure[]): string {
  const accepted = failures.filter((failure) => failure.accepted).length;
  const noun = failures.length === 1 ? 'check' : 'checks';
  return `${failures.length} ${noun} will fail${accepted > 0 ? `, ${accepted} of them accepted risks` : ''}`;
}
