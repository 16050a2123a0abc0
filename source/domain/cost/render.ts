// The estimate in words (docs/cost.md): one sentence per line, the total and the notes, for the
// text and markdown of explain, the dry run, the review and the end screen. Every figure carries its
// unit and the estimate its source and date; a line without a price says why instead of showing 0.
import type {CostEstimate, CostLine} from './types.js';

/** "$0.0104", "$0.08", "$1.00": at least cents, and as many decimals as AWS lists (up to 6). */
export function unitPriceText(usd: number): string {
  const decimals = Math.min(6, Math.max(2, (String(usd).split('.')[1] ?? '').length));
  return `$${usd.toFixed(decimals)}`;
}

export function moneyText(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** "730 hours", "8 GB-months", "1 key-month", "1 GB". */
export function usageText(line: Pick<CostLine, 'usage' | 'unit'>): string {
  const plural = line.usage === 1 || /GB$/.test(line.unit) ? line.unit : `${line.unit}s`;
  return `${line.usage} ${plural}`;
}

/** "public IPv4 address: 730 hours × $0.005 per hour = $3.65 a month", or what stands in for a price. */
export function lineText(line: CostLine): string {
  const figure =
    line.unitPrice === null || line.monthly === null
      ? `${usageText(line)}${line.note ? `, ${line.note}` : ''}`
      : `${usageText(line)} × ${unitPriceText(line.unitPrice)} per ${line.unit} = ${moneyText(line.monthly)} a month${line.note ? ` (${line.note})` : ''}`;
  return `${line.resource}: ${figure}`;
}

/** "$14.38 a month", "$6.79 a month, partial", or "no total: usage only". */
export function totalText(estimate: CostEstimate): string {
  if (estimate.monthly === null) return 'no total: usage only';
  return `${moneyText(estimate.monthly)} a month${estimate.partial ? ', partial (some lines have no price)' : ''}`;
}

/** "AWS Price List Query API (pricing:GetProducts), on-demand, prices of 2026-11-20". */
export function sourceText(estimate: CostEstimate): string {
  return estimate.asOf ? `${estimate.source}, prices of ${estimate.asOf}` : estimate.source;
}

/** The estimate as lines of plain text: the total, each line, the source and the notes. */
export function costTextLines(estimate: CostEstimate): string[] {
  return [`Total: ${totalText(estimate)}`, ...estimate.lines.map(lineText), `Source: ${sourceText(estimate)}`, ...estimate.notes.map((note) => `Note: ${note}`)];
}

/** The estimate as markdown rows: resource, usage, unit price, a month. */
export function costTableRows(estimate: CostEstimate): string[][] {
  return estimate.lines.map((line) => [
    line.resource,
    usageText(line),
    line.unitPrice === null ? (line.note ?? '-') : `${unitPriceText(line.unitPrice)} per ${line.unit}${line.note ? ` (${line.note})` : ''}`,
    line.monthly === null ? '-' : moneyText(line.monthly),
  ]);
}
