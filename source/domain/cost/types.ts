// The shapes of a launch's cost estimate (docs/cost.md): what the plan uses, what the price list is
// asked for, and the estimate every surface shows. Pure data; the pricing functions that fill them
// are in pricers.ts, the arithmetic in estimate.ts.

/** Hours in a month, as AWS's own calculator counts them (8,760 / 12); every hourly line says so. */
export const HOURS_PER_MONTH = 730;

/** One filter of a GetProducts request: TERM_MATCH is the only kind tandem uses. */
export interface PriceFilter {
  field: string;
  value: string;
}

/**
 * What to ask the Price List Query API for one price. `usagetypeSuffix` picks among the products the
 * filters leave: a usagetype's region prefix is irregular, so it is matched by its end, never sent.
 */
export interface PriceQuery {
  serviceCode: string;
  filters: PriceFilter[];
  usagetypeSuffix?: string;
  /** The price dimension's unit as the price list writes it (Hrs, GB-Mo, …). */
  unit: string;
}

/** What the plan uses of one priced thing, before any price is known. */
export interface UsageItem {
  /** The plan step it comes from. */
  stepId: string;
  /** What a person reads: "instance t3.micro (Linux, shared tenancy)". */
  resource: string;
  /** Units per month. */
  usage: number;
  /** The unit usage is counted in, in words ("hour", "GB-month"). */
  unit: string;
  /** What to ask the price list; null for a charge tandem knows of but cannot ask it for (the line says so). */
  query: PriceQuery | null;
  /** A stated assumption behind `usage` (flow-log ingestion, snapshot storage). */
  assumption?: string;
  /** What a reader needs to know of a line whose usage is not a guess (when AWS bills it); shown like an assumption. */
  remark?: string;
}

/** A price the price list answered: the first tier's USD per unit, and when AWS published it. */
export interface FoundPrice {
  usd: number;
  unit: string;
  publicationDate?: string;
}

/**
 * What is known of the prices: asked and answered (each query's price, or undefined where the price
 * list has no such product), asked and not yet answered, or not to be had (with the reason).
 */
export type PriceState =
  {status: 'priced'; prices: ReadonlyMap<string, FoundPrice | undefined>; fetchedAt: string; cached?: boolean} | {status: 'pending'} | {status: 'unavailable'; reason: string};

export interface CostLine {
  resource: string;
  usage: number;
  unit: string;
  /** USD per unit; null when no price is known (never 0 for "unknown"). */
  unitPrice: number | null;
  /** USD a month, to the cent; null when no price is known. */
  monthly: number | null;
  /** "no price found", "not priced by tandem", or the assumption behind the usage; null for none (the key is always there). */
  note: string | null;
}

/** The estimate every surface shows (the JSON `cost` object). */
export interface CostEstimate {
  currency: 'USD';
  /** The sum of the priced lines; null when no line has a price. */
  monthly: number | null;
  /** True when some line has no price: the total leaves it out. */
  partial: boolean;
  lines: CostLine[];
  source: string;
  /** The date of the prices (the newest publication date among them, or when they were fetched). */
  asOf: string | null;
  notes: string[];
}
