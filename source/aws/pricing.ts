// Prices for a launch's estimate from the AWS Price List Query API (docs/cost.md): every distinct
// question asked at once, each answer kept in the price cache with its date, and every way of not
// getting an answer turned into a reason the estimate shows beside usage only. Nothing here throws:
// an estimate without prices is still an estimate, and the launch never waits on it.
import {setMaxListeners} from 'node:events';
import type {PricingClient} from '@aws-sdk/client-pricing';
import {priceFromList, queryKey} from '../domain/cost/estimate.js';
import type {FoundPrice, PriceQuery, PriceState} from '../domain/cost/types.js';
import {cachedPrices, priceCacheFile, storePrices, type CachedPrice} from '../store/price-cache.js';
import {makePricingClient, type AwsSettings} from './clients.js';
import {errorCode} from './errors.js';
import {probeCredentials} from './settings.js';

/** The permission the estimate names when prices cannot be had for want of it. */
export const PRICES_NEED = 'prices need pricing:GetProducts';
/** How long the price list may take before the estimate shows usage only. */
export const PRICE_TIMEOUT_MS = 8_000;
/** Pages of 100 products one question may read; tandem's questions match a handful. */
const MAX_PAGES = 5;

/** The prices, and whether the price list was asked (explain says when it made its one AWS call). */
export interface PriceFetch {
  state: PriceState;
  asked: boolean;
}

export interface PriceOptions {
  settings: AwsSettings;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  now?: () => Date;
}

/** The reason a failed question gives the estimate (the first failure decides for all). */
export function unavailableReason(error: unknown, timeoutMs: number): string {
  const code = errorCode(error);
  if (/AccessDenied|UnrecognizedClient|InvalidClientTokenId|InvalidSignature|ExpiredToken|SignatureDoesNotMatch/i.test(code)) return `${PRICES_NEED} (${code})`;
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(code)) return `the AWS Price List is throttling requests (${code}); try again later`;
  if (code === 'AbortError' || /abort/i.test(code)) return `the AWS Price List did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
  if (code === 'SyntaxError' || /Deserializ/i.test(code)) return 'the price list endpoint answered with something that is not an AWS response';
  return `the AWS Price List did not answer (${code})`;
}

/** Every product the price list returns for one question, across its pages. */
async function productsFor(client: PricingClient, query: PriceQuery, signal: AbortSignal): Promise<unknown[]> {
  const {GetProductsCommand} = await import('@aws-sdk/client-pricing');
  const entries: unknown[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await client.send(
      new GetProductsCommand({
        ServiceCode: query.serviceCode,
        FormatVersion: 'aws_v1',
        Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value})),
        MaxResults: 100,
        ...(token ? {NextToken: token} : {}),
      }),
      {abortSignal: signal},
    );
    // The SDK types PriceList loosely (string[] or any JSON value); priceFromList reads either.
    const list: unknown = answer.PriceList;
    if (Array.isArray(list)) entries.push(...(list as unknown[]));
    token = answer.NextToken;
    if (!token) break;
  }
  return entries;
}

/** Asks every question at once; the first failure (or the deadline) ends them all. */
async function askAll(client: PricingClient, queries: readonly PriceQuery[], timeoutMs: number): Promise<Map<string, FoundPrice | undefined>> {
  const controller = new AbortController();
  // One signal ends every question, and the SDK listens on it once per request in flight: more than
  // Node's default of 10 questions would print a MaxListenersExceededWarning for a shared signal.
  setMaxListeners(Math.max(10, 2 * queries.length), controller.signal);
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const answers = await Promise.all(queries.map(async (query) => [queryKey(query), priceFromList(await productsFor(client, query, controller.signal), query)] as const));
    return new Map(answers);
  } catch (error) {
    controller.abort();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The cached answers as the estimate reads them, dated by the oldest fetch among them. */
function fromCache(cached: ReadonlyMap<string, CachedPrice>, fetched: ReadonlyMap<string, FoundPrice | undefined>, now: Date): PriceState {
  const prices = new Map<string, FoundPrice | undefined>(fetched);
  for (const [key, entry] of cached) prices.set(key, entry.price ?? undefined);
  const dates = [...cached.values()].map((entry) => entry.fetchedAt);
  const fetchedAt = fetched.size > 0 || dates.length === 0 ? now.toISOString() : dates.sort()[0];
  return {status: 'priced', prices, fetchedAt, ...(fetched.size === 0 && cached.size > 0 ? {cached: true} : {})};
}

/**
 * The prices of these questions: from the cache where it has a recent answer, otherwise from the
 * price list, asked in parallel. No credentials means no call at all.
 */
export async function fetchPrices(queries: readonly PriceQuery[], options: PriceOptions): Promise<PriceFetch> {
  const env = options.env ?? process.env;
  const now = (options.now ?? (() => new Date()))();
  const timeoutMs = options.timeoutMs ?? PRICE_TIMEOUT_MS;
  const file = priceCacheFile(env);
  const cached = cachedPrices(file, queries.map(queryKey), now);
  const missing = queries.filter((query) => !cached.has(queryKey(query)));
  if (missing.length === 0) return {state: fromCache(cached, new Map(), now), asked: false};
  const credentials = await probeCredentials(options.settings);
  if (!credentials.ok) return {state: {status: 'unavailable', reason: `${PRICES_NEED} (no AWS credentials found)`}, asked: false};
  let client: PricingClient | undefined;
  try {
    client = await makePricingClient(options.settings);
    const fetched = await askAll(client, missing, timeoutMs);
    const fetchedAt = now.toISOString();
    storePrices(file, new Map([...fetched].map(([key, price]) => [key, {price: price ?? null, fetchedAt}])));
    return {state: fromCache(cached, fetched, now), asked: true};
  } catch (error) {
    return {state: {status: 'unavailable', reason: unavailableReason(error, timeoutMs)}, asked: true};
  } finally {
    client?.destroy();
  }
}
