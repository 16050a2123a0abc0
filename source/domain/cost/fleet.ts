// A fleet's cost (docs/cost.md): one launch's estimate per region, since prices differ by region,
// times the accounts deployed there. With organizational units StackSets decides the accounts, so
// the figure is per account and the total is left open rather than guessed.
import {moneyText, sourceText, totalText} from './render.js';
import type {CostEstimate} from './types.js';

export interface RegionCost {
  region: string;
  /** Accounts deployed in this region; null when organizational units decide them. */
  accounts: number | null;
  /** One target's estimate in this region. */
  each: CostEstimate;
  /** Every account's in this region; null without a price or without a count of accounts. */
  monthly: number | null;
}

export interface FleetCost {
  currency: 'USD';
  monthly: number | null;
  partial: boolean;
  targets: number | null;
  regions: RegionCost[];
  source: string;
  asOf: string | null;
  notes: string[];
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

export function fleetCost(regions: ReadonlyArray<{region: string; accounts: number | null; each: CostEstimate}>): FleetCost {
  const rows: RegionCost[] = regions.map((entry) => ({...entry, monthly: entry.each.monthly !== null && entry.accounts !== null ? cents(entry.each.monthly * entry.accounts) : null}));
  const known = rows.filter((row) => row.monthly !== null);
  const monthly = known.length > 0 ? cents(known.reduce((sum, row) => sum + (row.monthly ?? 0), 0)) : null;
  const dates = rows.flatMap((row) => (row.each.asOf ? [row.each.asOf] : [])).sort();
  const notes = [...new Set(rows.flatMap((row) => row.each.notes))];
  if (rows.some((row) => row.accounts === null)) notes.push('organizational units: StackSets decides the accounts, so each region shows what one account costs');
  return {
    currency: 'USD',
    monthly,
    partial: monthly !== null && (known.length < rows.length || rows.some((row) => row.each.partial)),
    targets: rows.some((row) => row.accounts === null) ? null : rows.reduce((sum, row) => sum + (row.accounts ?? 0), 0),
    regions: rows,
    source: regions[0]?.each.source ?? '',
    asOf: dates.at(-1) ?? null,
    notes,
  };
}

/** The fleet's cost for a person: the total, a line per region, the source and the notes. */
export function fleetCostLines(cost: FleetCost): string[] {
  const total = cost.monthly === null ? 'no total: usage only' : `${moneyText(cost.monthly)} a month${cost.partial ? ', partial (some lines have no price)' : ''}`;
  const head = cost.targets === null ? 'Total: per account, as StackSets decides the accounts' : `Total for ${cost.targets} targets: ${total}`;
  const regions = cost.regions.map((row) => {
    const each = totalText(row.each);
    if (row.accounts === null) return `${row.region}: ${each} per account`;
    return `${row.region}: ${each} × ${row.accounts} account${row.accounts === 1 ? '' : 's'}${row.monthly === null ? '' : ` = ${moneyText(row.monthly)}`}`;
  });
  const source = cost.regions[0] ? `Source: ${sourceText({...cost.regions[0].each, asOf: cost.asOf})}` : `Source: ${cost.source}`;
  return [head, ...regions, source, ...cost.notes.map((note) => `Note: ${note}`)];
}
