// What the app needs from the profile store (source/store/profiles.ts satisfies it), and the
// guards that keep a store problem (a full disk, a read-only home, a damaged file) from ever
// reaching the wizard as a crash: it becomes a message on screen, with the answers kept.
import type {LaunchSpec} from '../../domain/spec.js';

export interface DraftLike {
  savedAt?: string;
  stepIndex: number;
  spec: LaunchSpec;
}

/**
 * Saving from the review uses `has` and `save`; the draft methods keep the answers of an
 * unfinished run so the next `tandem` can offer to resume them.
 */
export interface ProfileStoreLike {
  has?(name: string): boolean;
  /** May throw (e.g. a bad name); the message is shown on the review. */
  save(name: string, spec: LaunchSpec, options?: {force?: boolean}): unknown;
  loadDraft?(): DraftLike | undefined;
  /** False when the spec could not be kept (it does not fit the profile schema). */
  saveDraft?(spec: LaunchSpec, stepIndex: number): unknown;
  clearDraft?(): void;
  /** Problems the store found and dealt with (a damaged file set aside), to show the operator. */
  notices?(): string[];
}

/** Runs a store call; a throw becomes undefined (or `fallback`) instead of reaching React. */
export function quietly<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/** Writes the draft; when what is typed does not fit the schema yet, keeps the last valid answers. */
export function keepDraft(store: ProfileStoreLike | undefined, specs: LaunchSpec[], step: number): void {
  if (!store?.saveDraft) return;
  for (const spec of specs) if (quietly(() => store.saveDraft?.(spec, step)) !== false) return;
}
