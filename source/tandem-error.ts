// The base of tandem's error classes. The wizard is a bundle of its own, so a module both bundles
// hold (the domain, the store) has a class of each name in each: an error made by one copy would
// fail `instanceof` against the other, and a bad input would exit 1 instead of 2. So instanceof
// asks for a brand, a registered symbol (Symbol.for) that every copy of a class shares, instead
// of the class's identity. Each subclass names its own brand; an instance carries the brands of
// every class it was made from, so `instanceof` a base class holds for its subclasses too.

type Branded = Record<symbol, true>;

export abstract class TandemError extends Error {
  /** This class's brand; every subclass declares its own (`static readonly brand = brand('Name')`). */
  static readonly brand: symbol = brandFor('TandemError');

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
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
