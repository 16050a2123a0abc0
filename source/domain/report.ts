// The explain document: everything an auditor needs about one launch spec (the responsibility
// matrix, the findings, the API calls in order) as stable JSON, plus text and markdown views of it.
// Pure: it makes no AWS calls and reads no files.
import type {Control, Owner, StepId} from './catalog-types.js';
import {STEP_TITLES, specControls} from './catalog.js';
import {checkerVerdicts} from './checker-run.js';
import {verdictPhrase, verdictsForRow, type CheckerVerdict} from './checker-verdicts.js';
import {findingsFor, type Finding} from './findings.js';
import {failureCount, failureLine, predictedFailures, severityNote, type PredictedFailure} from './predicted-failures.js';
import type {Plan, PlanStep} from './plan-types.js';
import {OWNER_WORD, ownerCounts} from './owners.js';
import {launchSummary} from './report-summary.js';
import {cell, safeText} from './safe-text.js';
import {wrap} from './report-wrap.js';
import type {LaunchSpec} from './spec.js';
import {costTableRows, costTextLines, sourceText, totalText} from './cost/render.js';
import type {CostEstimate} from './cost/types.js';

export const EXPLAIN_FORMAT = 'tandem.explain/v1';
export const EXPLAIN_NOTE = 'explain mode makes no AWS calls';
/** The note when explain asked the price list for the cost: the one AWS call it makes. */
export const EXPLAIN_PRICED_NOTE = 'explain asked the AWS Price List (pricing:GetProducts) for prices and made no other AWS call';

/**
 * One row of the responsibility matrix: a catalog control, its text adapted to the spec, and what
 * each checker is predicted to say about the resource once launched (checker-run.ts).
 */
export type ControlRow = Pick<Control, 'id' | 'step' | 'title' | 'owner' | 'kind' | 'aws' | 'customer' | 'verify' | 'checkers' | 'compliance'> & {
  checkerVerdicts: CheckerVerdict[];
};

/** A finding with `accepted` always present (null when not accepted), so the JSON keys never vary. */
export type ExplainFinding = Omit<Finding, 'accepted'> & {accepted: {reason: string} | null};

export interface ExplainStep {
  /** 1-based position in execution order (dependencies first, plan order otherwise). */
  order: number;
  /** 0-based round: steps of the same level can run concurrently. */
  level: number;
  id: string;
  service: PlanStep['service'];
  action: string;
  summary: string;
  dependsOn: string[];
  controls: string[];
  dryRunnable: boolean;
  creates: PlanStep['creates'];
}

export interface ExplainDocument {
  format: typeof EXPLAIN_FORMAT;
  spec: LaunchSpec;
  controls: ControlRow[];
  ownerCounts: Record<Owner, number>;
  findings: ExplainFinding[];
  /** Every check of Security Hub, Prowler and checkov the plan will fail, with the tool's own id and severity. */
  predictedFailures: PredictedFailure[];
  plan: {depth: number; steps: ExplainStep[]};
  /** What the launch would cost a month (docs/cost.md); null where the caller did not estimate it. */
  cost: CostEstimate | null;
  note: typeof EXPLAIN_NOTE | typeof EXPLAIN_PRICED_NOTE;
}

function controlRow(c: Control, verdicts: ReturnType<typeof checkerVerdicts>): ControlRow {
  return {
    id: c.id,
    step: c.step,
    title: c.title,
    owner: c.owner,
    kind: c.kind,
    aws: c.aws,
    customer: c.customer,
    verify: c.verify,
    checkers: c.checkers.map(({tool, id}) => ({tool, id})),
    compliance: [...c.compliance],
    checkerVerdicts: verdictsForRow(verdicts, c.id),
  };
}

function explainFinding(f: Finding): ExplainFinding {
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    explanation: f.explanation,
    control: f.control,
    checkers: f.checkers.map(({tool, id}) => ({tool, id})),
    accepted: f.accepted ? {reason: f.accepted.reason} : null,
  };
}

/**
 * Execution order and level of every step, computed from dependsOn alone: a step comes after all
 * its dependencies and otherwise keeps its place in the plan. Unknown dependencies are ignored;
 * steps caught in a cycle go last, in plan order, so nothing is dropped from the report.
 */
function orderPlan(plan: Plan): Array<{step: PlanStep; level: number}> {
  const known = new Set(plan.steps.map((s) => s.id));
  const level = new Map<string, number>();
  const ordered: PlanStep[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    const next = plan.steps.find((s) => !level.has(s.id) && s.dependsOn.every((d) => level.has(d) || !known.has(d)));
    if (next) {
      level.set(next.id, Math.max(-1, ...next.dependsOn.map((d) => level.get(d) ?? -1)) + 1);
      ordered.push(next);
      progressed = true;
    }
  }
  const rest = plan.steps.filter((s) => !level.has(s.id));
  const top = Math.max(-1, ...level.values()) + 1;
  return [...ordered.map((step) => ({step, level: level.get(step.id)!})), ...rest.map((step) => ({step, level: top}))];
}

export function explainDocument(spec: LaunchSpec, plan: Plan, cost: {estimate: CostEstimate; asked: boolean} | null = null): ExplainDocument {
  const verdicts = checkerVerdicts(spec);
  const controls = specControls(spec).map((control) => controlRow(control, verdicts));
  const ordered = orderPlan(plan);
  return {
    format: EXPLAIN_FORMAT,
    spec,
    controls,
    ownerCounts: ownerCounts(controls),
    findings: findingsFor(spec).map(explainFinding),
    predictedFailures: predictedFailures(verdicts),
    plan: {
      depth: ordered.length === 0 ? 0 : Math.max(...ordered.map((o) => o.level)) + 1,
      steps: ordered.map(({step, level}, index) => ({
        order: index + 1,
        level,
        id: step.id,
        service: step.service,
        action: step.action,
        summary: step.summary,
        dependsOn: [...step.dependsOn],
        controls: [...step.controls],
        dryRunnable: step.dryRunnable,
        creates: [...step.creates],
      })),
    },
    cost: cost?.estimate ?? null,
    note: cost?.asked ? EXPLAIN_PRICED_NOTE : EXPLAIN_NOTE,
  };
}

/** The owner as the UI's badges name it. */
export const OWNER_BADGE: Record<Owner, string> = {AWS: 'AWS', Customer: 'YOU', 'AWS/Customer': 'BOTH'};

function checkerList(checkers: ControlRow['checkers']): string {
  return checkers.map((c) => `${c.tool} ${c.id}`).join(', ');
}

function stepGroups(doc: ExplainDocument): Array<{step: StepId; title: string; rows: ControlRow[]}> {
  const groups: Array<{step: StepId; title: string; rows: ControlRow[]}> = [];
  for (const row of doc.controls) {
    const last = groups.at(-1);
    if (last && last.step === row.step) last.rows.push(row);
    else groups.push({step: row.step, title: STEP_TITLES[row.step] ?? row.step, rows: [row]});
  }
  return groups;
}

/** Accepted risks in the spec whose finding this spec does not trigger (kept visible for audits). */
function unusedAcceptances(doc: ExplainDocument): LaunchSpec['acceptedRisks'] {
  const fired = new Set(doc.findings.map((f) => f.id));
  return (doc.spec.acceptedRisks ?? []).filter((risk) => !fired.has(risk.finding));
}

/**
 * Plain text for a terminal `width` columns wide (at least 24); no line is longer than that.
 * Sections: launch summary, findings, responsibility matrix by step, API calls in order.
 */
export function renderText(doc: ExplainDocument, width = 80): string {
  const w = Math.max(24, Math.floor(width));
  const out: string[] = [];
  // Spec text (names, tags, reasons) may come from a profile file: keep escape sequences inert.
  const para = (text: string, first = '', rest?: string) => out.push(...wrap(cell(text), w, first, rest));
  const heading = (text: string) => {
    if (out.length > 0) out.push('');
    para(text);
    out.push('-'.repeat(Math.min(w, Math.max(...wrap(text, w).map((l) => l.length)))));
  };

  para(`tandem explain: ${doc.spec.instance?.name ?? 'launch'} in ${doc.spec.region}`);
  para(`(${doc.note})`);

  heading('Launch');
  const rows = launchSummary(doc.spec);
  const labelWidth = Math.min(Math.max(...rows.map(([label]) => label.length)), Math.floor(w / 3));
  for (const [label, value] of rows) {
    const first = `  ${label.padEnd(labelWidth)}  `;
    if (first.length > w / 2) {
      para(label, '  ');
      para(value, '    ');
    } else para(value, first);
  }

  if (doc.cost) {
    heading('Cost a month');
    for (const line of costTextLines(doc.cost)) para(line, '  ', '    ');
  }

  heading(`Findings (${doc.findings.length})`);
  if (doc.findings.length === 0) para('None: nothing in this spec trips a known check.', '  ');
  for (const [index, f] of doc.findings.entries()) {
    if (index > 0) out.push('');
    para(`[${f.severity.toUpperCase()}] ${f.title} (${f.id})`, '', '  ');
    para(f.explanation, '  ');
    if (f.checkers.length > 0) para(`Checkers: ${checkerList(f.checkers)}`, '  ');
    if (f.accepted) para(`Accepted risk: ${f.accepted.reason}`, '  ');
  }
  for (const risk of unusedAcceptances(doc)) para(`Accepted but not triggered: ${risk.finding} (${risk.reason})`, '  ');

  heading(`Checks this plan will fail (${doc.predictedFailures.length})`);
  if (doc.predictedFailures.some((failure) => failure.accepted)) para(`${failureCount(doc.predictedFailures)}.`, '  ');
  if (doc.predictedFailures.length === 0) para('None: no check tandem knows of will fail.', '  ');
  for (const failure of doc.predictedFailures) para(failureLine(failure), '  ', '    ');

  const counts = doc.ownerCounts;
  heading('Responsibility matrix');
  para(`[AWS] ${counts.AWS} · [YOU] ${counts.Customer} · [BOTH] ${counts['AWS/Customer']}`);
  for (const group of stepGroups(doc)) {
    out.push('');
    para(group.title.toUpperCase());
    for (const [index, row] of group.rows.entries()) {
      if (index > 0) out.push('');
      para(`[${OWNER_BADGE[row.owner]}] ${row.title}, kind ${row.kind} (${row.id})`, '', '  ');
      para(row.aws, '  AWS    ');
      para(row.customer, '  You    ');
      para(row.verify, '  Check  ');
      if (row.checkers.length > 0) para(checkerList(row.checkers), '  Tools  ');
      if (row.checkerVerdicts.length > 0) para(`would say ${verdictPhrase(row.checkerVerdicts)}`, '         ');
      for (const note of row.compliance) para(note, '  Note   ');
    }
  }

  const steps = doc.plan.steps;
  heading(`API calls (${steps.length}, ${doc.plan.depth} rounds)`);
  if (steps.length === 0) para('None.', '  ');
  const numberWidth = String(steps.length).length;
  for (const step of steps) {
    const number = `${String(step.order).padStart(numberWidth)}. `;
    const indent = ' '.repeat(number.length);
    para(`${step.service} ${step.action} (${step.id})${step.dryRunnable ? ' [dry-run]' : ''}`, number, indent);
    para(step.summary, indent);
    if (step.dependsOn.length > 0) para(`after ${step.dependsOn.join(', ')}`, indent);
    if (step.creates.length > 0) para(`creates ${step.creates.join(', ')}`, indent);
  }
  return `${out.join('\n')}\n`;
}

/** Makes text safe inside one markdown table cell. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((cells) => `| ${cells.map(markdownCell).join(' | ')} |`)];
}

/** The cost section of the markdown: the total, a row per line, the source and the notes. */
function costMarkdown(cost: CostEstimate): string[] {
  return [
    '',
    '## Cost a month',
    '',
    `Total: ${totalText(cost)}. Source: ${sourceText(cost)}.`,
    '',
    ...table(['Resource', 'Usage a month', 'Unit price', 'A month (USD)'], costTableRows(cost)),
    '',
    ...cost.notes.map((note) => `- ${note}`),
  ];
}

/** An auditor-ready markdown document: summary, responsibility matrix, findings, API calls. */
export function renderMarkdown(doc: ExplainDocument): string {
  const spec = doc.spec;
  const counts = doc.ownerCounts;
  const out: string[] = [
    `# Shared responsibility: ${spec.instance?.name ?? 'launch'} (${spec.region})`,
    '',
    `Generated by \`tandem explain\` (${doc.format}); ${doc.note}.`,
    '',
    '## Launch summary',
    '',
    ...table(['Setting', 'Value'], launchSummary(spec)),
    ...(doc.cost ? costMarkdown(doc.cost) : []),
    '',
    '## Responsibility matrix',
    '',
    `Controls owned by AWS: ${counts.AWS}; by you: ${counts.Customer}; by both: ${counts['AWS/Customer']}.`,
    '',
    ...table(
      ['Step', 'Control', 'Owner', 'Kind', 'AWS does', 'You do', 'Verified by', 'Checkers', 'Checkers would say'],
      doc.controls.map((c) => [
        STEP_TITLES[c.step] ?? c.step,
        `${c.title} (${c.id})`,
        OWNER_WORD[c.owner],
        c.kind,
        c.aws,
        c.customer,
        c.verify,
        checkerList(c.checkers) || '-',
        verdictPhrase(c.checkerVerdicts) || '-',
      ]),
    ),
  ];

  const notes = doc.controls.filter((c) => c.compliance.length > 0);
  if (notes.length > 0) {
    out.push('', '### Compliance notes', '');
    for (const c of notes) for (const note of c.compliance) out.push(`- **${c.title}**: ${note}`);
  }

  out.push('', '## Findings', '');
  if (doc.findings.length === 0) out.push('No findings: nothing in this spec trips a known check.');
  else
    out.push(
      ...table(
        ['Severity', 'Finding', 'Control', 'Explanation', 'Checkers', 'Status'],
        doc.findings.map((f) => [f.severity, `${f.title} (${f.id})`, f.control, f.explanation, checkerList(f.checkers) || '-', f.accepted ? 'accepted' : 'open']),
      ),
    );

  out.push('', '## Checks this plan will fail', '', `${failureCount(doc.predictedFailures)}.`, '');
  if (doc.predictedFailures.length > 0)
    out.push(
      ...table(
        ['Tool', 'Check', 'Severity', 'Fails', 'Status'],
        doc.predictedFailures.map((f) => [f.tool, `${f.id}: ${f.title}`, severityNote(f), f.resources.join(', '), f.accepted ? `accepted (${f.accepted.reason})` : 'open']),
      ),
    );

  const accepted = doc.findings.filter((f) => f.accepted);
  const unused = unusedAcceptances(doc);
  out.push('', '## Accepted risks', '');
  if (accepted.length === 0 && unused.length === 0) out.push('None recorded.');
  else
    out.push(
      ...table(['Finding', 'Reason', 'Triggered by this spec'], [...accepted.map((f) => [f.id, f.accepted!.reason, 'yes']), ...unused.map((risk) => [risk.finding, risk.reason, 'no'])]),
    );

  out.push('', '## API calls', '');
  out.push(`${doc.plan.steps.length} calls in ${doc.plan.depth} rounds; calls in the same round can run at the same time.`, '');
  if (doc.plan.steps.length > 0)
    out.push(
      ...table(
        ['#', 'Round', 'Call', 'Step', 'Summary', 'After', 'Controls', 'Dry-run'],
        doc.plan.steps.map((s) => [
          String(s.order),
          String(s.level + 1),
          `${s.service}:${s.action}`,
          s.id,
          s.summary,
          s.dependsOn.join(', ') || '-',
          s.controls.join(', '),
          s.dryRunnable ? 'yes' : 'no',
        ]),
      ),
    );
  return `${safeText(out.join('\n'))}\n`;
}
