// A launch's cost for the commands that print one (explain, --dry-run, fleet deploy × its targets):
// the plan's usage priced from the AWS Price List (docs/cost.md). Never fails a command: without prices the
// estimate is usage only and says why.
import {estimateCost, planUsage, priceQueries, queryKey} from '../domain/cost/estimate.js';
import {fleetCost, fleetCostLines, type FleetCost} from '../domain/cost/fleet.js';
import {costTextLines} from '../domain/cost/render.js';
import type {CostEstimate} from '../domain/cost/types.js';
import type {Plan} from '../domain/plan-types.js';
import {buildPlan} from '../domain/plan.js';
import type {LaunchSpec} from '../domain/spec.js';
import type {AwsSettings} from '../aws/clients.js';
import type {Output} from '../output.js';

/** The plan's estimate, and whether the price list was asked (explain says when it was). */
export async function planCost(settings: AwsSettings, spec: LaunchSpec, plan: Plan, env: NodeJS.ProcessEnv): Promise<{estimate: CostEstimate; asked: boolean}> {
  const usage = planUsage(plan, spec.region);
  const {fetchPrices} = await import('../aws/pricing.js');
  const {state, asked} = await fetchPrices(priceQueries(usage), {settings, env});
  return {estimate: estimateCost(usage, state), asked};
}

/** The estimate for a person: a heading, then the total, the lines, the source and the notes. */
export function printCost(out: Output, estimate: CostEstimate, heading = 'Cost a month'): void {
  out.print(`\n${heading}:`);
  for (const line of costTextLines(estimate)) out.print(`  ${line}`);
}

/**
 * A fleet's cost: the launch priced in each region (one batch of questions for them all), times
 * the accounts there; null accounts when organizational units decide them.
 */
export async function fleetPlanCost(settings: AwsSettings, spec: LaunchSpec, regions: readonly string[], accounts: number | null, env: NodeJS.ProcessEnv): Promise<FleetCost> {
  const usages = regions.map((region) => ({region, usage: planUsage(buildPlan({...spec, region}), region)}));
  const queries = [...new Map(usages.flatMap(({usage}) => priceQueries(usage)).map((query) => [queryKey(query), query])).values()];
  const {fetchPrices} = await import('../aws/pricing.js');
  const {state} = await fetchPrices(queries, {settings, env});
  return fleetCost(usages.map(({region, usage}) => ({region, accounts, each: estimateCost(usage, state)})));
}

/** The fleet's cost for a person, before anything is deployed. */
export function printFleetCost(out: Output, cost: FleetCost): void {
  out.print('Cost a month:');
  for (const line of fleetCostLines(cost)) out.print(`  ${line}`);
}
