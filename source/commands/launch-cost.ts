// A launch's cost for the commands that print one (explain, --dry-run, fleet deploy): the plan's
// usage priced from the AWS Price List (docs/cost.md). Never fails a command: without prices the
// estimate is usage only and says why.
import {estimateCost, planUsage, priceQueries} from '../domain/cost/estimate.js';
import {costTextLines} from '../domain/cost/render.js';
import type {CostEstimate} from '../domain/cost/types.js';
import type {Plan} from '../domain/plan-types.js';
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
