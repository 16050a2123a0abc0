// The fleet's verification as one table: a row per control check, a column per account/region,
// and below it what failed where (the cell only has room for PASS/FAIL). Pure; every name that
// came from AWS is made inert (cell(), t`…`) before it is measured.
import {checkerSummary, isUnacceptedFailure, verdictPhrase} from './checker-verdicts.js';
import type {VerificationResult, VerificationStatus} from './cloud.js';
import {targetKey, type FleetTarget} from './fleet.js';
import {cell, t} from './safe-text.js';
import {wrap} from './report-wrap.js';

export interface TargetVerification extends FleetTarget {
  results: VerificationResult[];
  /** Set when the target could not be verified at all (no stack, role not assumable). */
  problem?: string;
}

const LABEL: Record<VerificationStatus, string> = {pass: 'PASS', fail: 'FAIL', info: 'INFO'};

/** Rows in catalog order; a control with two checks gets two rows, told apart by their titles. */
function rowKeys(targets: readonly TargetVerification[]): Array<{key: string; title: string; owner: string}> {
  const keys = new Map<string, {key: string; title: string; owner: string}>();
  for (const target of targets) {
    const seen = new Map<string, number>();
    for (const result of target.results) {
      const index = seen.get(result.control) ?? 0;
      seen.set(result.control, index + 1);
      const key = `${result.control}#${index}`;
      if (!keys.has(key)) keys.set(key, {key, title: cell(result.title), owner: result.owner});
    }
  }
  return [...keys.values()];
}

function cells(target: TargetVerification): Map<string, VerificationResult> {
  const map = new Map<string, VerificationResult>();
  const seen = new Map<string, number>();
  for (const result of target.results) {
    const index = seen.get(result.control) ?? 0;
    seen.set(result.control, index + 1);
    map.set(`${result.control}#${index}`, result);
  }
  return map;
}

export function fleetCounts(targets: readonly TargetVerification[]) {
  const all = targets.flatMap((target) => target.results);
  const count = (status: VerificationStatus) => all.filter((result) => result.status === status).length;
  const verdicts = all.flatMap((result) => result.checkerVerdicts ?? []);
  return {
    targets: targets.length,
    passed: count('pass'),
    failed: count('fail'),
    info: count('info'),
    unverified: targets.filter((target) => target.problem).length,
    checkerFailures: verdicts.filter((verdict) => verdict.verdict === 'fail').length,
    checkerUnaccepted: verdicts.filter(isUnacceptedFailure).length,
  };
}

export function renderFleetTable(targets: readonly TargetVerification[], width = 100): string {
  const columns = targets.map((target) => t`${targetKey(target)}`);
  const rows = rowKeys(targets);
  const byTarget = targets.map(cells);
  // Two header lines (account, then region) keep a column 12-14 wide: four targets fit in 100.
  const columnWidth = Math.max(4, ...targets.map((target) => Math.max(cell(target.account).length, cell(target.region).length)));
  const room = width - targets.length * (columnWidth + 2);
  const titleWidth = Math.max(12, Math.min(40, room, Math.max('control / region'.length, ...rows.map((row) => row.title.length))));
  const clip = (text: string) => (text.length > titleWidth ? `${text.slice(0, titleWidth - 1)}…` : text);
  const line = (first: string, rest: string[]) => [clip(first).padEnd(titleWidth), ...rest.map((cell) => cell.padEnd(columnWidth))].join('  ').trimEnd();

  const lines = [
    line(
      'account',
      targets.map((target) => cell(target.account)),
    ),
    line(
      'control / region',
      targets.map((target) => cell(target.region)),
    ),
  ];
  for (const row of rows)
    lines.push(
      line(
        row.title,
        byTarget.map((map) => (map.get(row.key) ? LABEL[map.get(row.key)!.status] : '-')),
      ),
    );
  // A table wider than the terminal is still one row per control; the details below wrap.
  const details: string[] = [];
  targets.forEach((target, index) => {
    if (target.problem) details.push(...wrap(t.text`${columns[index]}: not verified: ${target.problem}`, width, '', '    '));
    for (const result of target.results) {
      if (result.status !== 'fail') continue;
      details.push(...wrap(t.text`${columns[index]} ${result.title}: expected ${result.expected}; AWS reports ${result.actual}`, width, '', '    '));
    }
  });
  // The second answer: what Security Hub, Prowler and Checkov would say where no risk was accepted.
  const checkerDetails: string[] = [];
  targets.forEach((target, index) => {
    for (const result of target.results) {
      const open = (result.checkerVerdicts ?? []).filter(isUnacceptedFailure);
      if (open.length > 0) checkerDetails.push(...wrap(t.text`${columns[index]} ${result.title}: ${verdictPhrase(open)}`, width, '', '    '));
    }
  });
  const counts = fleetCounts(targets);
  const verdicts = targets.flatMap((target) => target.results.flatMap((result) => result.checkerVerdicts ?? []));
  const summary = `${counts.targets} targets: ${counts.passed} passed, ${counts.failed} failed, ${counts.info} not checkable by API${counts.unverified ? `, ${counts.unverified} targets not verified` : ''}`;
  return [
    ...lines,
    '',
    summary,
    ...(verdicts.length ? [t.text`checkers: ${checkerSummary(verdicts)}`] : []),
    ...(details.length ? ['', 'Failing:', ...details] : []),
    ...(checkerDetails.length ? ['', 'Checkers would fail (no accepted risk):', ...checkerDetails] : []),
  ].join('\n');
}
