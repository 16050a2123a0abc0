// The price list's answers, kept under TANDEM_HOME/cache/prices.json with the date each was fetched
// (docs/cost.md), so a review opened again, or an explain, shows the same figures without asking
// AWS again. List prices change a few times a year; an answer older than PRICE_CACHE_DAYS is asked
// again. The cache only saves a call: a file that cannot be read or written is ignored.
import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {FoundPrice} from '../domain/cost/types.js';
import {tandemHome} from './home.js';

export const PRICE_CACHE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One answer: the price, or null where the price list has no such product. */
export interface CachedPrice {
  price: FoundPrice | null;
  fetchedAt: string;
}

interface CacheFile {
  version: 1;
  prices: Record<string, CachedPrice>;
}

export function priceCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(tandemHome(env), 'cache', 'prices.json');
}

function readCache(file: string): CacheFile {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    if (data.version === 1 && data.prices && typeof data.prices === 'object') return {version: 1, prices: data.prices};
  } catch {
    // no cache yet, or one this version cannot read: start afresh
  }
  return {version: 1, prices: {}};
}

/** The answers for these keys fetched less than PRICE_CACHE_DAYS before `now`. */
export function cachedPrices(file: string, keys: readonly string[], now: Date): Map<string, CachedPrice> {
  const {prices} = readCache(file);
  const fresh = new Map<string, CachedPrice>();
  for (const key of keys) {
    const cached = prices[key];
    const age = cached ? now.getTime() - Date.parse(cached.fetchedAt) : Number.NaN;
    if (cached && age >= 0 && age < PRICE_CACHE_DAYS * DAY_MS) fresh.set(key, cached);
  }
  return fresh;
}

/** Adds answers to the cache (written whole to a temporary file, then renamed into place). */
export function storePrices(file: string, answers: ReadonlyMap<string, CachedPrice>): void {
  try {
    const data = readCache(file);
    for (const [key, answer] of answers) data.prices[key] = answer;
    mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 1)}\n`, {mode: 0o600});
    renameSync(temp, file);
  } catch {
    // An unwritable cache costs a call next time, nothing more.
  }
}
