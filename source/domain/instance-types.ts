// Instance type names and the CPU architecture each one needs, so an arm64 image is never paired
// with an x86_64 type (RunInstances would reject it only after the plan started creating things).
import type {Arch} from './spec.js';

export interface InstanceTypeName {
  /** e.g. 't4g' in 't4g.micro'. */
  family: string;
  /** e.g. 'micro', 'xlarge', 'metal-24xl'. */
  size: string;
}

// family: letters, a generation digit, optional attribute letters (m7gd, c6gn, x2iedn, u-6tb1).
const TYPE_PATTERN = /^([a-z][a-z0-9-]*\d[a-z0-9-]*)\.([a-z0-9][a-z0-9-]*)$/;

export function parseInstanceType(text: string): InstanceTypeName | undefined {
  const match = TYPE_PATTERN.exec(text);
  return match ? {family: match[1], size: match[2]} : undefined;
}

/**
 * Families on AWS Graviton (arm64) processors. By AWS naming, a 'g' right after the generation
 * digit marks Graviton (t4g, m7g, c7gn, r8g, x2gd, im4gn, is4gen); a1 is the first-generation
 * Graviton family and the exception to that rule. The list documents what we know; the rule
 * covers families launched after it was written.
 */
export const GRAVITON_FAMILIES: readonly string[] = [
  'a1',
  't4g',
  'm6g',
  'm6gd',
  'm7g',
  'm7gd',
  'm8g',
  'm8gd',
  'c6g',
  'c6gd',
  'c6gn',
  'c7g',
  'c7gd',
  'c7gn',
  'c8g',
  'c8gd',
  'r6g',
  'r6gd',
  'r7g',
  'r7gd',
  'r8g',
  'r8gd',
  'x2gd',
  'x8g',
  'im4gn',
  'is4gen',
  'i4g',
  'i8g',
  'g5g',
  'hpc7g',
];

const GRAVITON_RULE = /^[a-z]+\d+g[a-z]*$/;

/**
 * Mac families run macOS on dedicated hosts only (mac1 is Intel, mac2 Apple silicon); tandem
 * launches Amazon Linux, so they are reported rather than mapped to an architecture.
 */
export function isMacFamily(family: string): boolean {
  return family.startsWith('mac');
}

/** The architecture a type needs, or undefined for names we cannot read (or mac families). */
export function archForInstanceType(type: string): Arch | undefined {
  const parsed = parseInstanceType(type);
  if (!parsed || isMacFamily(parsed.family)) return undefined;
  if (GRAVITON_FAMILIES.includes(parsed.family) || GRAVITON_RULE.test(parsed.family)) return 'arm64';
  return 'x86_64';
}

/** Burstable families (t2, t3, t3a, t4g) earn and spend CPU credits. */
export function isBurstable(type: string): boolean {
  const parsed = parseInstanceType(type);
  return parsed !== undefined && /^t\d/.test(parsed.family);
}

/** A sensible small type for an architecture, used when the operator switches arch. */
export function defaultTypeFor(arch: Arch): string {
  return arch === 'arm64' ? 't4g.micro' : 't3.micro';
}
