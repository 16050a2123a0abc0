// Who owns a control, counted and said in one word: shared by the explain document, the review's
// drawing and the verification table, without loading the explain document itself.
import type {Control, Owner} from './catalog-types.js';

export function ownerCounts(controls: ReadonlyArray<Pick<Control, 'owner'>>): Record<Owner, number> {
  const counts: Record<Owner, number> = {AWS: 0, Customer: 0, 'AWS/Customer': 0};
  for (const control of controls) counts[control.owner] += 1;
  return counts;
}

/**
 * The owner in one word: AWS, you, or both. "Shared" is a kind (inherited, shared, hybrid,
 * customer-specific), so it never names an owner: a control both sides own may be hybrid.
 */
export const OWNER_WORD: Record<Owner, string> = {AWS: 'AWS', Customer: 'you', 'AWS/Customer': 'both'};
