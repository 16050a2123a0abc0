// The review's cost (docs/cost.md): the plan's usage at once, and its prices when the price list
// answers. The question goes out when the review is shown, and again only when the plan asks other
// questions; nothing waits on the answer. Without credentials (explain mode) nothing is asked.
import {useEffect, useMemo, useRef, useState} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {estimateCost, planUsage, priceQueries, type PlanUsage} from '../../domain/cost/estimate.js';
import type {CostEstimate, PriceState} from '../../domain/cost/types.js';
import {buildPlan} from '../../domain/plan.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {validateSpec} from '../../domain/validate.js';
import {describe} from '../../errors.js';

/** The reason explain mode shows usage only. */
export const EXPLAIN_MODE_PRICES = 'prices need pricing:GetProducts (explain mode: no AWS credentials)';

/** The plan's usage, or nothing for a spec that cannot be planned yet (the review lists its problems). */
function usageOf(spec: LaunchSpec): PlanUsage | undefined {
  return validateSpec(spec).length === 0 ? planUsage(buildPlan(spec), spec.region) : undefined;
}

export function usePrices(spec: LaunchSpec, options: {onReview: boolean; live: boolean; cloud?: Cloud}): CostEstimate | undefined {
  const {onReview, live, cloud} = options;
  // The app calls this on every render of every screen (the end screen shows the review's cost),
  // so the plan is priced again only when the spec changes, not on each keypress in the wizard.
  const usage = useMemo(() => usageOf(spec), [spec]);
  const queries = useMemo(() => (usage ? priceQueries(usage) : []), [usage]);
  const key = useMemo(() => JSON.stringify(queries), [queries]);
  const [answer, setAnswer] = useState<{key: string; state: PriceState} | undefined>();
  const asked = useRef('');
  const latest = useRef(queries);
  latest.current = queries;
  const canAsk = live && cloud?.prices !== undefined;
  useEffect(() => {
    if (!onReview || !canAsk || !cloud?.prices || asked.current === key || key === '[]') return;
    asked.current = key;
    cloud.prices(latest.current).then(
      (state) => setAnswer({key, state}),
      (error: unknown) => setAnswer({key, state: {status: 'unavailable', reason: describe(error).message}}),
    );
  }, [onReview, canAsk, cloud, key]);
  if (!usage) return undefined;
  // Derived on render: the answer to the plan on screen, or usage only while it is on its way.
  const state: PriceState = !live
    ? {status: 'unavailable', reason: EXPLAIN_MODE_PRICES}
    : !canAsk
      ? {status: 'unavailable', reason: 'this connection cannot ask the AWS Price List'}
      : answer?.key === key
        ? answer.state
        : {status: 'pending'};
  return estimateCost(usage, state);
}
