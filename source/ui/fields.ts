// The building blocks of a wizard screen, as data: lists (choice fields) and text inputs, each
// reading and writing one part of the LaunchSpec. Screens in steps/ are lists of these.
import type {Discovery} from '../domain/cloud.js';
import type {AddressLookupState} from '../domain/my-address.js';
import type {LaunchSpec} from '../domain/spec.js';

/** One thing loaded from AWS while the wizard runs. */
export type Loadable =
  | {status: 'loading'}
  /** `more`: the first pages are here and can be shown; the rest is still loading. */
  | {status: 'ready'; data: unknown; more?: boolean}
  | {status: 'failed'; code: string; message: string};

export interface FieldContext {
  /** True when a Cloud is connected and lists can come from the account. */
  live: boolean;
  discovery: Record<string, Loadable>;
  /** The lookup of the operator's public address (checkip), for "SSH only from your address". */
  myAddress: AddressLookupState;
}

/** A discovery call a field needs; `key` names the result so it is loaded once. */
export interface DiscoveryRequest {
  key: string;
  /** What the spinner says, e.g. 'VPCs'. */
  what: string;
  /** `onPage` hands over a list's first pages before the promise settles with all of it. */
  load: (discovery: Discovery, onPage?: (soFar: unknown[]) => void) => Promise<unknown>;
  /** A line to show once loaded (e.g. the account's default encryption); lists need none. */
  describe?: (data: unknown) => string;
}

export interface Option {
  value: string;
  label: string;
  /** Greyed-out text after the label (e.g. a resolved AMI id). */
  hint?: string;
  /** When set the option cannot be chosen, and this says why. */
  disabled?: string;
  /** More text a filter looks in: ids, tags. */
  search?: string;
  /** Listed whatever is typed into the list's filter (e.g. "type an id…"). */
  pinned?: boolean;
}

interface BaseField {
  /** Unique on its screen; also the key for typed drafts and errors. */
  id: string;
  label: string;
  visible?: (spec: LaunchSpec, context: FieldContext) => boolean;
  /** Loaded from AWS when the field is shown in live mode; its state shows under the field. */
  source?: (spec: LaunchSpec) => DiscoveryRequest | undefined;
}

export interface ChoiceField extends BaseField {
  kind: 'choice';
  options: (spec: LaunchSpec, context: FieldContext) => Option[];
  get: (spec: LaunchSpec, context: FieldContext) => string;
  set: (spec: LaunchSpec, value: string) => LaunchSpec;
  /** The highlighted option of this list is what the responsibility panel explains. */
  panel?: boolean;
  /** Spec path checked with validateField when the screen is submitted. */
  validate?: string;
  /** The options come from discovery: until they are loaded the field shows the spinner (or the error) instead. */
  needsData?: boolean;
  /** A list found in the account, which may be long: shown with a count and filtered by typing. Names the items ("roles"). */
  filter?: string;
  /**
   * Details loaded once the cursor rests on the list: of the highlighted item (a KMS key's state),
   * or what the typed filter needs (the roles' tags for `team=web`).
   */
  details?: (spec: LaunchSpec, context: FieldContext, query: string) => DiscoveryRequest | undefined;
  /** A line under a filtered list's count about what the filter is still waiting for. */
  filterNote?: (context: FieldContext, query: string) => string | undefined;
}

/** What a text field writes to the spec: the typed text, or a number (sizes). */
export type TextValue = string | number;

export interface TextField extends BaseField {
  kind: 'text';
  /** Spec path checked with validateField (e.g. 'securityGroup.ssh'). */
  path: string;
  get: (spec: LaunchSpec) => string;
  set: (spec: LaunchSpec, value: TextValue) => LaunchSpec;
  /** Turns the typed text into the spec value (numbers for sizes); defaults to trimmed text. */
  parse?: (text: string) => TextValue;
  /** A stricter check this input adds on top of validateField (e.g. SSH from one address only). */
  check?: (value: TextValue) => string | undefined;
  /** Message when left empty; the field is optional when absent. */
  required?: string;
  placeholder?: string;
  /** A dim line under the input (e.g. where a suggested value came from); hidden by an error. */
  hint?: (spec: LaunchSpec, context: FieldContext, typed: string) => string | undefined;
}

export type Field = ChoiceField | TextField;

/**
 * An on/off choice a step makes with one key instead of an input of its own, so the screen keeps
 * its lines for its lists: the keymap lists the key in the help line and the step's panel card
 * says what is chosen and what it costs.
 */
export interface StepToggle {
  /** One printable character no fixed binding of the wizard uses (keymap.test.ts checks). */
  key: string;
  /** What the key switches, for the help line ("flow logs"): at most 10 characters, so it fits a 40-column footer. */
  help: string;
  flip: (spec: LaunchSpec) => LaunchSpec;
}

export interface StepScreen {
  id: import('../domain/catalog-types.js').StepId;
  /** A sentence under the title saying what this step decides. */
  intro: string;
  fields: Field[];
  /** Extra lines for read-only screens. */
  notes?: string[];
  toggle?: StepToggle;
}

/** Fields the screen wants right now, including lists whose data is still loading. */
export function wantedFields(screen: StepScreen, spec: LaunchSpec, context: FieldContext): Field[] {
  return screen.fields.filter((field) => field.visible?.(spec, context) ?? true);
}

/** True when a field waits for discovery that has not (successfully) arrived. */
export function awaitingData(field: Field, spec: LaunchSpec, context: FieldContext): boolean {
  if (field.kind !== 'choice' || !field.needsData) return false;
  const key = field.source?.(spec)?.key;
  return !key || context.discovery[key]?.status !== 'ready';
}

/** The inputs shown and focusable: wanted fields, minus lists still waiting for their data. */
export function visibleFields(screen: StepScreen, spec: LaunchSpec, context: FieldContext): Field[] {
  return wantedFields(screen, spec, context).filter((field) => !awaitingData(field, spec, context));
}

/** Moves a list's choice by `delta`, skipping disabled options and stopping at the ends. */
export function moveChoice(options: Option[], current: string, delta: number): string {
  let index = options.findIndex((option) => option.value === current);
  if (index === -1) index = delta > 0 ? -1 : options.length;
  for (let next = index + delta; next >= 0 && next < options.length; next += delta) {
    if (!options[next].disabled) return options[next].value;
  }
  return current;
}
