// The price cache under TANDEM_HOME (source/store/price-cache.ts): answers kept with their date,
// read back while fresh, asked again once a week old, and a damaged file ignored rather than fatal.
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cachedPrices, priceCacheFile, PRICE_CACHE_DAYS, storePrices} from '../../source/store/price-cache.js';

let home: string;
let file: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-price-cache-'));
  file = priceCacheFile({TANDEM_HOME: home});
});
afterEach(() => rmSync(home, {recursive: true, force: true}));

const day = 24 * 60 * 60 * 1000;
const fetchedAt = '2026-12-01T10:00:00.000Z';

describe('the price cache', () => {
  it('lives in TANDEM_HOME/cache, readable by its owner only, and gives back each answer with its date, a missing product included', () => {
    storePrices(
      file,
      new Map([
        ['a', {price: {usd: 0.0104, unit: 'Hrs', publicationDate: '2026-11-20T18:32:41Z'}, fetchedAt}],
        ['b', {price: null, fetchedAt}],
      ]),
    );
    expect(file).toBe(path.join(home, 'cache', 'prices.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const found = cachedPrices(file, ['a', 'b', 'c'], new Date(Date.parse(fetchedAt) + day));
    expect([...found.keys()]).toEqual(['a', 'b']);
    expect(found.get('a')).toEqual({price: {usd: 0.0104, unit: 'Hrs', publicationDate: '2026-11-20T18:32:41Z'}, fetchedAt});
    expect(found.get('b')?.price).toBeNull();
  });

  it(`asks again for an answer ${PRICE_CACHE_DAYS} days old`, () => {
    storePrices(file, new Map([['a', {price: {usd: 1, unit: 'Keys'}, fetchedAt}]]));
    expect(cachedPrices(file, ['a'], new Date(Date.parse(fetchedAt) + PRICE_CACHE_DAYS * day)).size).toBe(0);
  });

  it('keeps earlier answers when adding new ones, and starts afresh from a damaged file', () => {
    storePrices(file, new Map([['a', {price: {usd: 1, unit: 'Keys'}, fetchedAt}]]));
    storePrices(file, new Map([['b', {price: {usd: 2, unit: 'Keys'}, fetchedAt}]]));
    expect(Object.keys((JSON.parse(readFileSync(file, 'utf8')) as {prices: object}).prices)).toEqual(['a', 'b']);
    writeFileSync(file, '{not json');
    expect(cachedPrices(file, ['a'], new Date(fetchedAt)).size).toBe(0);
    storePrices(file, new Map([['c', {price: {usd: 3, unit: 'Keys'}, fetchedAt}]]));
    expect(cachedPrices(file, ['c'], new Date(fetchedAt)).size).toBe(1);
  });
});
