// What one choice adds to the monthly bill, shown beside the choice while it is made (docs/cost.md,
// "The difference a choice makes"). Pure: the two plans (with the option, and without it or with
// the option it is compared to) are priced by the same pricers as the review, and their lines are
// compared by resource. Nothing here looks at the spec, so a choice costs on the wizard's panel
// exactly what it adds to the review's total.
import {estimateCost, type PlanUsage} from './estimate.js';
import {moneyText, unitPriceText} from './render.js';
import type {CostLine, PriceState, PriceQuery} from './types.js';

/**
 * The difference between two plans: nothing to show (no line differs, the prices cannot be had, or
 * no line that differs has a price), still being priced, or priced. `monthly` is the change of the
 * fixed lines; `perUnit` the unit prices of added lines whose usage is an assumption (flow-log
 * ingestion, snapshot storage, LCUs), which no monthly figure could state honestly; `partial` says
 * that some line that differs has no price and the figure leaves it out.
 */
export type CostDifference = {status: 'none'} | {status: 'pending'} | {status: 'priced'; monthly: number | null; perUnit: Array<{usd: number; unit: string}>; partial: boolean};

/** A line is the same in both plans when its resource, usage and unit are. */
const sameKey = (line: CostLine) => `${line.resource}|${line.usage}|${line.unit}`;

/** The lines of `from` that `other` does not have, one for one (a line twice in one plan counts twice). */
function notIn(from: readonly CostLine[], other: readonly CostLine[]): CostLine[] {
  const left = new Map<string, number>();
  for (const line of other) left.set(sameKey(line), (left.get(sameKey(line)) ?? 0) + 1);
  return from.filter((line) => {
    const count = left.get(sameKey(line)) ?? 0;
    if (count > 0) left.set(sameKey(line), count - 1);
    return count === 0;
  });
}

/** The lines that differ: what only the plan with the option has, and what only the other has. */
function differingLines(withIt: PlanUsage, without: PlanUsage, state: PriceState): {added: CostLine[]; removed: CostLine[]} {
  const withLines = estimateCost(withIt, state).lines;
  const withoutLines = estimateCost(without, state).lines;
  return {added: notIn(withLines, withoutLines), removed: notIn(withoutLines, withLines)};
}

/** The questions the price list must answer for the two plans' differing lines (none when they are alike). */
export function differenceQueries(withIt: PlanUsage, without: PlanUsage): PriceQuery[] {
  const {added, removed} = differingLines(withIt, without, {status: 'pending'});
  const resources = new Set([...added, ...removed].map((line) => line.resource));
  const items = [...withIt.items, ...without.items].filter((item) => resources.has(item.resource) && item.query);
  return items.flatMap((item) => (item.query ? [item.query] : []));
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;

/** The usage of a priced line with an assumption behind it is a guess, never part of a figure. */
const assumed = (line: CostLine, usage: PlanUsage) => usage.items.some((item) => item.resource === line.resource && item.query !== null && item.assumption !== undefined);

/** What the plan with the option costs a month more than the plan without it, from the prices known so far. */
export function costDifference(withIt: PlanUsage, without: PlanUsage, state: PriceState): CostDifference {
  const {added, removed} = differingLines(withIt, without, state);
  if (added.length === 0 && removed.length === 0) return {status: 'none'};
  if (state.status === 'unavailable') return {status: 'none'};
  const asks = (line: CostLine) => [...withIt.items, ...without.items].some((item) => item.resource === line.resource && item.query);
  if (state.status === 'pending') return [...added, ...removed].some(asks) ? {status: 'pending'} : {status: 'none'};
  // A guessed usage that changes with the option (the snapshot of a bigger volume) is left out; one
  // the option brings (flow-log ingestion) is shown by its unit price.
  const removedNames = new Set(removed.map((line) => line.resource));
  const fixedAdded = added.filter((line) => !assumed(line, withIt));
  const fixedRemoved = removed.filter((line) => !assumed(line, without));
  const perUnit = added.filter((line) => assumed(line, withIt) && !removedNames.has(line.resource) && line.unitPrice !== null);
  const fixed = [...fixedAdded, ...fixedRemoved];
  const priced = fixed.filter((line) => line.monthly !== null);
  if (priced.length === 0 && perUnit.length === 0) return {status: 'none'};
  const sum = (lines: CostLine[]) => lines.reduce((total, line) => total + (line.monthly ?? 0), 0);
  return {
    status: 'priced',
    monthly: priced.length > 0 ? cents(sum(fixedAdded) - sum(fixedRemoved)) : null,
    perUnit: perUnit.map((line) => ({usd: line.unitPrice ?? 0, unit: line.unit})),
    partial: priced.length < fixed.length,
  };
}

/**
 * The difference in one short line, for a narrow panel: "+$3.65/month: public IPv4",
 * "+$0.50/GB: flow logs", "-$3.79/month: t3.nano vs t3.micro", "pricing…: backups"; undefined
 * when there is nothing to show (the panel then shows no line, never a made-up figure).
 */
export function differenceText(difference: CostDifference, label: string): string | undefined {
  if (difference.status === 'none') return undefined;
  if (difference.status === 'pending') return `pricing…: ${label}`;
  const {monthly, perUnit, partial} = difference;
  const fixed = monthly === null ? [] : [`${monthly < 0 ? '-' : '+'}${moneyText(Math.abs(monthly))}/month`];
  const units = [...new Set(perUnit.map((part) => `${unitPriceText(part.usd)}/${part.unit}`))];
  const parts = [...fixed, ...units.map((text, index) => (fixed.length === 0 && index === 0 ? `+${text}` : text))];
  return `${parts.join(' + ')}${partial ? ' (partial)' : ''}: ${label}`;
}
