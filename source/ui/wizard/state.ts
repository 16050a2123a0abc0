// The wizard's state and what can be read from it: the LaunchSpec being built, which screen is
// shown, which input has focus on each screen, typed text, inline errors, and what discovery has
// loaded. The review is the last screen; its own state lives in review/state.ts.
import type {StepId} from '../../domain/catalog-types.js';
import {STEP_IDS} from '../../domain/controls/index.js';
import type {AddressLookupState} from '../../domain/my-address.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {validateField} from '../../domain/validate.js';
import {visibleFields, type Field, type FieldContext, type Loadable, type StepToggle, type TextValue} from '../fields.js';
import {SCREENS} from '../steps/index.js';
import {valueAt} from '../steps/factories.js';

export type ScreenId = StepId | 'review';
export const SCREEN_IDS: readonly ScreenId[] = [...STEP_IDS, 'review'];
export const REVIEW_INDEX = SCREEN_IDS.length - 1;

export interface WizardState {
  spec: LaunchSpec;
  step: number;
  /** Focused input per screen, as an index into that screen's visible fields. */
  focus: Partial<Record<StepId, number>>;
  /** Text typed into text fields, by field id; absent means "show what the spec holds". */
  drafts: Record<string, string>;
  /** What was typed into each list found in the account, by field id: the list shows what matches. */
  filters: Record<string, string>;
  errors: Record<string, string>;
  /** '?' pressed: the panel shows everything, compliance notes too. */
  expanded: boolean;
  live: boolean;
  discovery: Record<string, Loadable>;
  /** The lookup of the operator's public address, started when "SSH only from your address" is highlighted. */
  myAddress: AddressLookupState;
  /** Drafts tandem filled in (the address it found), by field id, until the operator confirms or edits them. */
  suggested: Record<string, string>;
  /** Set by q or Ctrl+C: the app leaves with this code (keeping a draft first). */
  quit?: number;
}

export function initialWizard(options: {spec: LaunchSpec; live?: boolean; startAtReview?: boolean}): WizardState {
  return {
    spec: options.spec,
    step: options.startAtReview ? REVIEW_INDEX : 0,
    focus: {},
    drafts: {},
    filters: {},
    errors: {},
    expanded: false,
    live: options.live ?? false,
    discovery: {},
    myAddress: {status: 'idle'},
    suggested: {},
  };
}

export function screenId(state: WizardState): ScreenId {
  return SCREEN_IDS[state.step];
}

export function fieldContext(state: WizardState): FieldContext {
  return {live: state.live, discovery: state.discovery, myAddress: state.myAddress};
}

/** The on/off key of the step on screen, when it has one (none on the review). */
export function screenToggle(state: WizardState): StepToggle | undefined {
  const id = screenId(state);
  return id === 'review' ? undefined : SCREENS[id].toggle;
}

/** The visible inputs of the current step screen (none on the review). */
export function currentFields(state: WizardState): Field[] {
  const id = screenId(state);
  return id === 'review' ? [] : visibleFields(SCREENS[id], state.spec, fieldContext(state));
}

export function focusedIndex(state: WizardState): number {
  const id = screenId(state);
  if (id === 'review') return 0;
  const count = currentFields(state).length;
  return Math.min(state.focus[id] ?? 0, Math.max(0, count - 1));
}

export function focusedField(state: WizardState): Field | undefined {
  return currentFields(state)[focusedIndex(state)];
}

/** What a text field shows: the typed draft, else what the spec holds. */
export function textOf(state: WizardState, field: Field): string {
  if (field.kind !== 'text') return '';
  return state.drafts[field.id] ?? field.get(state.spec);
}

/** True when printable keys go into a text input rather than triggering commands. */
export function isTyping(state: WizardState): boolean {
  return screenId(state) !== 'review' && (focusedField(state)?.kind === 'text' || isFiltering(state));
}

/** The focused input is a list found in the account, which filters as you type. */
export function isFiltering(state: WizardState): boolean {
  if (screenId(state) === 'review') return false;
  const field = focusedField(state);
  return field?.kind === 'choice' && Boolean(field.filter);
}

/**
 * The option the responsibility panel explains: the highlighted option of the focused list when
 * that list drives the panel, otherwise the screen's main choice.
 */
export function panelOption(state: WizardState): string | undefined {
  if (screenId(state) === 'review') return undefined;
  const fields = currentFields(state);
  const context = fieldContext(state);
  const focused = fields[focusedIndex(state)];
  if (focused?.kind === 'choice' && focused.panel) return focused.get(state.spec, context);
  const main = fields.find((field) => field.kind === 'choice' && field.panel);
  return main?.kind === 'choice' ? main.get(state.spec, context) : undefined;
}

/** The typed value of a text field, as the spec stores it. */
export function parsed(field: Field & {kind: 'text'}, raw: string): TextValue {
  return field.parse ? field.parse(raw) : raw.trim();
}

/** The inline error for one field, or undefined when it is fine. */
export function fieldError(state: WizardState, field: Field): string | undefined {
  if (field.kind === 'choice') {
    return field.validate ? validateField(field.validate, valueAt(state.spec, field.validate), state.spec) : undefined;
  }
  const raw = textOf(state, field);
  if (!raw.trim()) return field.required;
  const value = parsed(field, raw);
  return validateField(field.path, value, field.set(state.spec, value)) ?? field.check?.(value);
}

/**
 * Writes the typed drafts on this screen into the spec; with `validOnly`, only those that pass
 * their field's checks, so a refused value (a range typed as "your address") never reaches the
 * spec and never changes which option is chosen.
 */
export function commitDrafts(state: WizardState, validOnly = false): WizardState {
  let spec = state.spec;
  for (const field of currentFields(state)) {
    if (field.kind !== 'text' || state.drafts[field.id] === undefined) continue;
    if (validOnly && fieldError(state, field)) continue;
    spec = field.set(spec, parsed(field, state.drafts[field.id]));
  }
  return {...state, spec};
}

/** The spec with what is typed on the current screen written in (for a draft), when it is valid. */
export function specWithTyping(state: WizardState): LaunchSpec {
  return commitDrafts(state, true).spec;
}
