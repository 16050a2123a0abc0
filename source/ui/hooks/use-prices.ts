// Prices for the review's cost and the wizard's differences (docs/cost.md): one book of the price
// list's answers for the whole run, kept in memory, so a question answered once is never asked
// again while the operator moves through the options. A question goes out only for what the book
// does not hold, and nothing waits on the answer. Without credentials (explain mode) nothing is
// asked. A failed question is remembered with its reason until the operator asks again (retry).
import {useCallback, useEffect, useMemo, useRef, useState} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {estimateCost, planUsage, priceQueries, queryKey, type PlanUsage} from '../../domain/cost/estimate.js';
import type {CostEstimate, FoundPrice, PriceQuery, PriceState} from '../../domain/cost/types.js';
import {buildPlan} from '../../domain/plan.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {validateSpec} from '../../domain/validate.js';
import {describe} from '../../errors.js';

/** The reason explain mode shows usage only. */
export const EXPLAIN_MODE_PRICES = 'prices need pricing:GetProducts (explain mode: no AWS credentials)';
const NO_PRICE_LIST = 'this connection cannot ask the AWS Price List';

interface Answer {
  price: FoundPrice | undefined;
  fetchedAt: string;
  cached: boolean;
}

/** What the price list has answered so far, by question, and why the questions that failed did. */
export interface PriceBook {
  answers: ReadonlyMap<string, Answer>;
  failures: ReadonlyMap<string, string>;
}

export interface Prices {
  book: PriceBook;
  /** Asks the questions the book holds no answer (or failure) for, once; a no-op without a price list. */
  ask: (queries: readonly PriceQuery[]) => void;
  /** Forgets the failures, so the next `ask` asks those questions again. */
  retry: () => void;
  /** Why no question can be asked at all (explain mode, a connection without a price list). */
  unavailable?: string;
}

const EMPTY: PriceBook = {answers: new Map(), failures: new Map()};

/** The book with a batch's answer written in. */
function written(book: PriceBook, keys: readonly string[], state: PriceState): PriceBook {
  const answers = new Map(book.answers);
  const failures = new Map(book.failures);
  for (const key of keys) {
    if (state.status === 'priced') {
      answers.set(key, {price: state.prices.get(key), fetchedAt: state.fetchedAt, cached: Boolean(state.cached)});
      failures.delete(key);
    } else failures.set(key, state.status === 'unavailable' ? state.reason : 'the AWS Price List did not answer');
  }
  return {answers, failures};
}

/** The run's one book of prices: the app holds it, the review and the wizard read and fill it. */
export function usePriceBook(options: {live: boolean; cloud?: Cloud}): Prices {
  const {live, cloud} = options;
  const [book, setBook] = useState<PriceBook>(EMPTY);
  // Read only in effects and callbacks: which questions are on their way, and what the book holds.
  const asking = useRef(new Set<string>());
  const current = useRef(book);
  current.current = book;
  const canAsk = live && cloud?.prices !== undefined;
  const ask = useCallback(
    (queries: readonly PriceQuery[]) => {
      if (!canAsk || !cloud?.prices) return;
      const known = current.current;
      const missing = new Map<string, PriceQuery>();
      for (const query of queries) {
        const key = queryKey(query);
        if (!known.answers.has(key) && !known.failures.has(key) && !asking.current.has(key)) missing.set(key, query);
      }
      if (missing.size === 0) return;
      const keys = [...missing.keys()];
      for (const key of keys) asking.current.add(key);
      const settle = (state: PriceState) => {
        for (const key of keys) asking.current.delete(key);
        setBook((previous) => written(previous, keys, state));
      };
      cloud.prices([...missing.values()]).then(settle, (error: unknown) => settle({status: 'unavailable', reason: describe(error).message}));
    },
    [canAsk, cloud],
  );
  const retry = useCallback(() => setBook((previous) => (previous.failures.size === 0 ? previous : {answers: previous.answers, failures: new Map()})), []);
  const unavailable = !live ? EXPLAIN_MODE_PRICES : !canAsk ? NO_PRICE_LIST : undefined;
  return useMemo(() => ({book, ask, retry, ...(unavailable ? {unavailable} : {})}), [book, ask, retry, unavailable]);
}

/** What the book knows of these questions: all answered, one failed (with its reason), or some on their way. */
export function priceStateOf(prices: Prices, queries: readonly PriceQuery[]): PriceState {
  if (prices.unavailable) return {status: 'unavailable', reason: prices.unavailable};
  const keys = queries.map(queryKey);
  const failed = keys.find((key) => prices.book.failures.has(key));
  if (failed) return {status: 'unavailable', reason: prices.book.failures.get(failed) ?? ''};
  const answers = keys.map((key) => prices.book.answers.get(key));
  if (answers.some((answer) => answer === undefined)) return {status: 'pending'};
  const found = answers.filter((answer): answer is Answer => answer !== undefined);
  // Dated by the oldest answer used; with no question at all, nothing was fetched but now.
  const fetchedAt = found.map((answer) => answer.fetchedAt).sort()[0] ?? new Date().toISOString();
  const cached = found.length > 0 && found.every((answer) => answer.cached);
  return {status: 'priced', prices: new Map(keys.map((key, index) => [key, answers[index]?.price])), fetchedAt, ...(cached ? {cached: true} : {})};
}

/** The plan's usage, or nothing for a spec that cannot be planned yet (the review lists its problems). */
export function usageOf(spec: LaunchSpec): PlanUsage | undefined {
  return validateSpec(spec).length === 0 ? planUsage(buildPlan(spec), spec.region) : undefined;
}

/** The review's estimate: usage at once, the prices when the book has them; asks only while the review is shown. */
export function usePrices(spec: LaunchSpec, options: {onReview: boolean; prices: Prices}): CostEstimate | undefined {
  const {onReview, prices} = options;
  // The app calls this on every render of every screen (the end screen shows the review's cost),
  // so the plan is priced again only when the spec changes, not on each keypress in the wizard.
  const usage = useMemo(() => usageOf(spec), [spec]);
  const queries = useMemo(() => (usage ? priceQueries(usage) : []), [usage]);
  const {ask} = prices;
  useEffect(() => {
    if (onReview && queries.length > 0) ask(queries);
  }, [onReview, ask, queries, prices.book]);
  if (!usage) return undefined;
  return estimateCost(usage, priceStateOf(prices, queries));
}
