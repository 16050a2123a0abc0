// The verification results as plain text sized to a terminal: a table when there is room for
// it, one block per control when there is not. Each row gives two answers: tandem's own (is it as
// you chose?) and, on the line below, what the checkers would say about the same resource.
// Pure; `tandem verify` prints it (the TUI draws its own, coloured).
// Every cell is made inert (cell()) before it is measured: expected/actual quote names that came from AWS.
import {checkerSummary, verdictPhrase} from './checker-verdicts.js';
import type {VerificationResult, VerificationStatus} from './cloud.js';
import {OWNER_WORD} from './owners.js';
import {cell} from './safe-text.js';
import {wrap} from './report-wrap.js';

const LABEL: Record<VerificationStatus, string> = {pass: 'PASS', fail: 'FAIL', info: 'INFO'};
const GAP = '  ';
/** Below this many columns for expected + actual together, the table turns into blocks. */
const MIN_FLEX = 40;

function length(text: string): number {
  return [...text].length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - length(text)));
}

interface Row {
  title: string;
  owner: string;
  expected: string;
  actual: string;
  result: string;
  /** What the checkers would say, or '' when none judges this row. */
  verdicts: string;
  /** Session Manager's reachability ('Session Manager: online'), or '' on every other row. */
  reach: string;
}

function rowsOf(results: readonly VerificationResult[]): Row[] {
  return results.map((result) => ({
    title: cell(result.title),
    owner: OWNER_WORD[result.owner] ?? cell(result.owner),
    expected: cell(result.expected),
    actual: cell(result.actual),
    result: LABEL[result.status],
    verdicts: cell(verdictPhrase(result.checkerVerdicts ?? [])),
    reach: result.reachable ? `Session Manager: ${result.reachable}` : '',
  }));
}

/** Both answers counted: '11 passed, 0 failed, 6 for information; Security Hub would fail 1, accepted'. */
export function summaryLine(results: readonly VerificationResult[]): string {
  const count = (status: VerificationStatus) => results.filter((result) => result.status === status).length;
  const verdicts = results.flatMap((result) => result.checkerVerdicts ?? []);
  const own = `${count('pass')} passed, ${count('fail')} failed, ${count('info')} for information`;
  return verdicts.length ? `${own}; ${checkerSummary(verdicts)}` : own;
}

function table(rows: Row[], width: number): string | undefined {
  const longest = (pick: (row: Row) => string, header: string) => Math.max(length(header), ...rows.map((row) => length(pick(row))));
  const titleWidth = Math.min(
    longest((row) => row.title, 'CONTROL'),
    20,
  );
  const ownerWidth = longest((row) => row.owner, 'OWNER');
  const resultWidth = 'RESULT'.length;
  const fixed = titleWidth + ownerWidth + resultWidth + GAP.length * 4;
  const flex = width - fixed;
  if (flex < MIN_FLEX) return undefined;
  const expectedWidth = Math.floor(flex / 2);
  const actualWidth = flex - expectedWidth;
  const widths = [titleWidth, ownerWidth, expectedWidth, actualWidth, resultWidth];

  const render = (cells: string[][]) => {
    const height = Math.max(...cells.map((cell) => cell.length));
    const lines: string[] = [];
    for (let index = 0; index < height; index += 1) {
      const parts = cells.map((cell, column) => pad(cell[index] ?? '', widths[column] ?? 0));
      lines.push(parts.join(GAP).trimEnd());
    }
    return lines;
  };
  const header = render([['CONTROL'], ['OWNER'], ['EXPECTED'], ['ACTUAL'], ['RESULT']]);
  const rule = widths.map((size) => '-'.repeat(size)).join(GAP);
  const indent = ' '.repeat(titleWidth + GAP.length);
  const body = rows.flatMap((row) => [
    ...render([wrap(row.title, titleWidth), [row.owner], wrap(row.expected, expectedWidth), wrap(row.actual, actualWidth), [row.result]]),
    ...(row.verdicts ? wrap(`checkers: ${row.verdicts}`, width - indent.length).map((line) => `${indent}${line}`) : []),
    ...(row.reach ? [`${indent}${row.reach}`] : []),
  ]);
  return [...header, rule, ...body].join('\n');
}

function blocks(rows: Row[], width: number): string {
  const indent = '      ';
  const labelWidth = 'checkers'.length + 2;
  const textWidth = Math.max(10, width - indent.length - labelWidth);
  return rows
    .map((row) => {
      const heading = wrap(`${row.title} (${row.owner})`, Math.max(10, width - indent.length));
      const lines = heading.map((part, index) => `${index === 0 ? pad(row.result, indent.length) : indent}${part}`);
      for (const [label, text] of [
        ['expected', row.expected],
        ['actual', row.actual],
        ['checkers', row.verdicts || '-'],
        ...(row.reach ? [['reachable', row.reach] as const] : []),
      ] as const) {
        wrap(text, textWidth).forEach((part, index) => {
          lines.push(`${indent}${pad(index === 0 ? label : '', labelWidth)}${part}`.trimEnd());
        });
      }
      return lines.join('\n');
    })
    .join('\n');
}

/** The results as text at most `width` columns wide (when words allow), ending with a summary line. */
export function renderVerificationTable(results: readonly VerificationResult[], width = 100): string {
  const rows = rowsOf(results);
  const body = table(rows, width) ?? blocks(rows, width);
  return `${body}\n\n${wrap(summaryLine(results), width).join('\n')}`;
}
