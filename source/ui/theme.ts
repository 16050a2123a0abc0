// One colour per owner, used everywhere an owner appears (panel, review drawing, verification
// table), so an operator learns it once.
import type {Owner} from '../domain/catalog-types.js';

export const OWNER_BADGE: Record<Owner, {label: string; color: string}> = {
  AWS: {label: 'AWS', color: 'yellow'},
  Customer: {label: 'YOU', color: 'cyan'},
  'AWS/Customer': {label: 'BOTH', color: 'magenta'},
};

export const SEVERITY_COLOR: Record<'high' | 'medium' | 'low' | 'info', string> = {
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
};

/** A text progress bar of `cells` cells, e.g. ▰▰▰▱▱. */
export function progressBar(done: number, total: number, cells = 10): string {
  const filled = total <= 0 ? 0 : Math.round((Math.min(done, total) / total) * cells);
  return '▰'.repeat(filled) + '▱'.repeat(cells - filled);
}
