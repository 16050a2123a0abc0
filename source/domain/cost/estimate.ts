// A launch's monthly cost from its plan and the price list's answers (docs/cost.md). Pure: the
// prices come in as data (source/aws/pricing.ts asks for them), so every surface computes the same
// estimate, and a missing price is a line without a figure, never a zero.
import type {Plan} from '../plan-types.js';
import {FREE_KINDS, PRICERS, type Pricer} from './pricers.js';
import {HOURS_PER_MONTH, type CostEstimate, type CostLine, type FoundPrice, type PriceQuery, type PriceState, type UsageItem} from './types.js';

export const PRICE_SOURCE = 'AWS Price List Query API (pricing:GetProducts), on-demand';
export const NO_PRICE = 'no price found';
export const NOT_PRICED = 'not priced by tandem';

/** What the plan uses: the priced items, and the resources of kinds tandem has no price for. */
export interface PlanUsage {
  items: UsageItem[];
  /** Steps that create a kind no pricer knows (and that is not free): shown without a figure. */
  unpriced: Array<{stepId: string; resource: string}>;
}

/** Every priced thing the plan creates, asked of the pricer registered for its kind. */
export function planUsage(plan: Plan, region: string, pricers: readonly Pricer[] = PRICERS): PlanUsage {
  const usage: PlanUsage = {items: [], unpriced: []};
  for (const step of plan.steps) {
    for (const kind of new Set(step.creates)) {
      const pricer = pricers.find((candidate) => candidate.kinds.includes(kind));
      if (pricer) usage.items.push(...pricer.usage(step, {region, plan}));
      else if (!FREE_KINDS.has(kind)) usage.unpriced.push({stepId: step.id, resource: `${kind} (${step.summary})`});
    }
  }
  return usage;
}

/** One key per distinct question, so a price asked for twice is fetched and cached once. */
export function queryKey(query: PriceQuery): string {
  const filters = query.filters.map((filter) => `${filter.field}=${filter.value}`).join('|');
  return `${query.serviceCode}|${filters}|${query.usagetypeSuffix ?? ''}|${query.unit}`;
}

/** The distinct queries behind the usage items, in the order they first appear. */
export function priceQueries(usage: PlanUsage): PriceQuery[] {
  const byKey = new Map<string, PriceQuery>();
  for (const {query} of usage.items) if (query && !byKey.has(queryKey(query))) byKey.set(queryKey(query), query);
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------
// Reading GetProducts' answer

interface Dimension {
  unit?: string;
  beginRange?: string;
  pricePerUnit?: {USD?: string};
}
interface PriceListEntry {
  product?: {attributes?: Record<string, string>};
  terms?: {OnDemand?: Record<string, {priceDimensions?: Record<string, Dimension>}>};
  publicationDate?: string;
}

/** An entry is a JSON document in a string (the SDK may hand it over as a String object); a parsed one is taken as it is. */
function parseEntry(entry: unknown): PriceListEntry | undefined {
  const isText = typeof entry === 'string' || entry instanceof String;
  if (!isText) return typeof entry === 'object' && entry !== null ? entry : undefined;
  try {
    return JSON.parse(String(entry)) as PriceListEntry;
  } catch {
    return undefined;
  }
}

/** The on-demand price of the first tier (beginRange 0) in the query's unit, if the entry has one. */
function firstTier(entry: PriceListEntry, unit: string): FoundPrice | undefined {
  const dimensions = Object.values(entry.terms?.OnDemand ?? {}).flatMap((term) => Object.values(term.priceDimensions ?? {}));
  const inUnit = dimensions.filter((dimension) => dimension.unit === unit && Number(dimension.beginRange ?? '0') === 0);
  for (const dimension of inUnit) {
    const usd = Number(dimension.pricePerUnit?.USD);
    if (dimension.pricePerUnit?.USD !== undefined && Number.isFinite(usd) && usd >= 0) {
      return {usd, unit, ...(entry.publicationDate ? {publicationDate: entry.publicationDate} : {})};
    }
  }
  return undefined;
}

/**
 * The price a query asks for, from GetProducts' PriceList (JSON documents as strings): the first
 * product whose usagetype ends with the query's suffix and that has an on-demand price in its unit.
 */
export function priceFromList(entries: readonly unknown[], query: PriceQuery): FoundPrice | undefined {
  for (const raw of entries) {
    const entry = parseEntry(raw);
    if (!entry) continue;
    const usagetype = entry.product?.attributes?.usagetype ?? '';
    if (query.usagetypeSuffix && !usagetype.endsWith(query.usagetypeSuffix)) continue;
    const found = firstTier(entry, query.unit);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The estimate

const cents = (usd: number): number => Math.round(usd * 100) / 100;

/** What the line says beside its figure: the assumption behind its usage, or its remark. */
const saidOf = (item: UsageItem): string | undefined => item.assumption ?? item.remark;

function pricedLine(item: UsageItem, price: FoundPrice | undefined): CostLine {
  const note = price ? saidOf(item) : [NO_PRICE, saidOf(item)].filter(Boolean).join('; ');
  return {resource: item.resource, usage: item.usage, unit: item.unit, unitPrice: price ? price.usd : null, monthly: price ? cents(price.usd * item.usage) : null, note: note || null};
}

/** The newest publication date among the prices used, or the day they were fetched. */
function pricesDate(state: Extract<PriceState, {status: 'priced'}>, used: Array<FoundPrice | undefined>): string {
  const dates = used.flatMap((price) => (price?.publicationDate ? [price.publicationDate.slice(0, 10)] : [])).sort();
  return dates.at(-1) ?? state.fetchedAt.slice(0, 10);
}

/** The notes every estimate carries, and those its state adds. */
function notesFor(state: PriceState, missing: number, priced: number): string[] {
  const notes = [`${HOURS_PER_MONTH} hours a month; on-demand list prices in USD, before tax and free tier; data transfer, requests and data processed are not counted`];
  if (state.status === 'pending') notes.push('prices are being fetched from the AWS Price List; usage only until they arrive');
  if (state.status === 'unavailable') notes.push(`usage only: ${state.reason}`);
  if (state.status === 'priced' && state.cached) notes.push(`prices from the local cache, fetched ${state.fetchedAt.slice(0, 10)}`);
  if (missing > 0 && priced > 0) notes.push(`partial: ${missing} line${missing === 1 ? ' has' : 's have'} no price, and the total leaves ${missing === 1 ? 'it' : 'them'} out`);
  return notes;
}

/** The estimate of a plan's usage with whatever is known of the prices. */
export function estimateCost(usage: PlanUsage, state: PriceState): CostEstimate {
  const prices = usage.items.map((item) => (state.status === 'priced' && item.query ? state.prices.get(queryKey(item.query)) : undefined));
  const lines = usage.items.map((item, index): CostLine => {
    // A charge tandem knows of but cannot ask the price list for: named, never priced as 0.
    if (!item.query) return {resource: item.resource, usage: item.usage, unit: item.unit, unitPrice: null, monthly: null, note: [NOT_PRICED, saidOf(item)].filter(Boolean).join('; ')};
    if (state.status === 'priced') return pricedLine(item, prices[index]);
    return {resource: item.resource, usage: item.usage, unit: item.unit, unitPrice: null, monthly: null, note: saidOf(item) ?? null};
  });
  for (const other of usage.unpriced) lines.push({resource: other.resource, usage: 1, unit: 'resource', unitPrice: null, monthly: null, note: NOT_PRICED});
  const known = lines.filter((line) => line.monthly !== null);
  const missing = lines.length - known.length;
  const monthly = known.length > 0 ? cents(known.reduce((sum, line) => sum + (line.monthly ?? 0), 0)) : null;
  return {
    currency: 'USD',
    monthly,
    partial: monthly !== null && missing > 0,
    lines,
    source: PRICE_SOURCE,
    asOf: state.status === 'priced' ? pricesDate(state, prices) : null,
    notes: notesFor(state, state.status === 'priced' ? missing : 0, known.length),
  };
}
