// The base of tandem's error classes. The wizard is a bundle of its own, so a module both bundles
// hold (the domain, the store) has a class of each name in each: an error made by one copy would
// fail `instanceof` against the other, and a bad input would exit 1 instead of 2. So instanceof
// asks for a brand, a registered symbol (Symbol.for) that every copy of a class shares, instead
// of the class's identity. Each subclass names its own brand; an instance carries the brands of
// every class it was made from, so `instanceof` a base class holds for its subclasses too.

type Branded = Record<symbol, true>;

/**
 * tandem's own error codes (what `describe` in source/errors.ts reports as `code` for an error
 * tandem raised about itself or its input); stable, for scripts. AWS and Node codes pass verbatim.
 */
export const TANDEM_CODES = ['usage', 'instance-gone', 'tandem', 'unexpected'] as const;
export type TandemCode = (typeof TANDEM_CODES)[number];

export interface TandemErrorOptions extends ErrorOptions {
  /** What the operator can do about it, one sentence each. */
  next?: readonly string[];
}

export abstract class TandemError extends Error {
  /** This class's brand; every subclass declares its own (`static readonly brand = brand('Name')`). */
  static readonly brand: symbol = brandFor('TandemError');
  /** The code `describe` reports for this class, unless the error carries a `code` of its own. */
  static readonly code: TandemCode = 'tandem';
  /** What the operator can do about it, one sentence each. */
  readonly next: readonly string[];

  constructor(message?: string, options?: TandemErrorOptions) {
    super(message, options);
    this.next = options?.next ?? [];
    for (let type: unknown = new.target; typeof type === 'function' && type !== Error; type = Object.getPrototypeOf(type)) {
      if (Object.hasOwn(type, 'brand')) (this as unknown as Branded)[(type as unknown as {brand: symbol}).brand] = true;
    }
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Branded)[this.brand] === true;
  }
}

/** The brand of tandem's error class `name`: the same symbol in every bundle and every copy. */
export function brandFor(name: string): symbol {
  return Symbol.for(`tandem.error.${name}`);
}
