// What the wizard and the commands need from the profile store. The UI takes a ProfileStore as
// a prop, so component tests can pass an in-memory fake and never touch TANDEM_HOME.
import type {LaunchSpec} from '../domain/spec.js';

export interface SavedProfile {
  name: string;
  /** ISO 8601 time of the last save. */
  savedAt: string;
  spec: LaunchSpec;
}

/** The answers of a wizard run that did not finish (quit, failed or interrupted launch). */
export interface ProfileDraft {
  savedAt: string;
  /** Index of the wizard step the operator was on, so a resume can land there. */
  stepIndex: number;
  spec: LaunchSpec;
}

export interface ProfileStore {
  /** Saved profiles, sorted by name. */
  list(): SavedProfile[];
  get(name: string): SavedProfile | undefined;
  has(name: string): boolean;
  /** Throws UsageError when the name is invalid, or taken and force is not set. */
  save(name: string, spec: LaunchSpec, options?: {force?: boolean}): SavedProfile;
  /** The removed profile, or undefined when there was none by that name. */
  remove(name: string): SavedProfile | undefined;
  /** False (and nothing written) when the spec does not fit the profile schema. */
  saveDraft(spec: LaunchSpec, stepIndex: number): boolean;
  loadDraft(): ProfileDraft | undefined;
  clearDraft(): void;
  /** Problems found and handled while reading (a corrupt file moved aside), for the caller to show. */
  notices(): string[];
}
