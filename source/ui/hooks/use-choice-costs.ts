// The wizard's cost lines (docs/cost.md, "The difference a choice makes"): for the focused choice
// and the step's on/off key, what it adds to the bill, from the run's book of prices. The questions
// go out while the step is shown and are asked once; nothing waits on them. Until the answer comes
// the line says "pricing…"; without prices (explain mode, a failed question) there is no line.
import {useEffect, useRef} from 'react';
import {costDifference, differenceQueries, differenceText} from '../../domain/cost/difference.js';
import {queryKey, type PlanUsage} from '../../domain/cost/estimate.js';
import type {PriceQuery} from '../../domain/cost/types.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {FIELD_COSTS, TOGGLE_COSTS, type CostQuestion} from '../wizard/choice-cost.js';
import {focusedField, screenId, specWithTyping, type WizardState} from '../wizard/state.js';
import {priceStateOf, usageOf, type Prices} from './use-prices.js';

/**
 * Planning a spec is the costly part of a keypress: the plans of the specs seen lately are kept,
 * by their content, so moving back and forth over a list plans each option once.
 */
const PLANNED_KEPT = 64;
const planned = new Map<string, PlanUsage | undefined>();
function plannedUsage(spec: LaunchSpec): PlanUsage | undefined {
  const key = JSON.stringify(spec);
  if (planned.has(key)) return planned.get(key);
  const usage = usageOf(spec);
  if (planned.size >= PLANNED_KEPT) planned.delete(planned.keys().next().value as string);
  planned.set(key, usage);
  return usage;
}

interface Comparison {
  label: string;
  withIt: PlanUsage;
  without: PlanUsage;
  queries: PriceQuery[];
}

/** The two plans a question compares, when both can be planned and they differ. */
function compare(question: CostQuestion, spec: LaunchSpec): Comparison | undefined {
  const other = question.compareWith(spec);
  const withIt = other ? plannedUsage(spec) : undefined;
  const without = other ? plannedUsage(other) : undefined;
  if (!withIt || !without) return undefined;
  return {label: question.label(spec), withIt, without, queries: differenceQueries(withIt, without)};
}

/** The questions of the screen: the focused field's, and the step's on/off key's. */
export function comparisonsOf(state: WizardState): Comparison[] {
  const id = screenId(state);
  if (id === 'review') return [];
  const field = focusedField(state);
  const questions = [field ? FIELD_COSTS[field.id] : undefined, TOGGLE_COSTS[id]].filter((question): question is CostQuestion => question !== undefined);
  // What is typed counts once it is valid (a size of 20 GiB is priced as it is typed).
  const spec = specWithTyping(state);
  return questions.flatMap((question) => compare(question, spec) ?? []);
}

/** The cost lines of the step on screen; asks the book for their prices while `active`. */
export function useChoiceCosts(state: WizardState, prices: Prices, active: boolean): string[] {
  // Without a price list (explain mode) there is nothing to show, so nothing is planned either.
  const comparisons = active && !prices.unavailable ? comparisonsOf(state) : [];
  const queries = comparisons.flatMap((comparison) => comparison.queries);
  const key = queries.map(queryKey).join('\n');
  const latest = useRef(queries);
  latest.current = queries;
  const {ask} = prices;
  useEffect(() => {
    if (key) ask(latest.current);
  }, [ask, key]);
  return comparisons.flatMap((comparison) => differenceText(costDifference(comparison.withIt, comparison.without, priceStateOf(prices, comparison.queries)), comparison.label) ?? []);
}
