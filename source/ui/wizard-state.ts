// The wizard's whole state as a pure reducer: the LaunchSpec being built, which screen is shown,
// which input has focus on each screen, typed text, inline errors, and what discovery has loaded.
// Side effects (launch, save, quit) are recorded as `effect` for the app to carry out, so every
// key's consequence can be tested without rendering anything.
import {STEP_IDS, type StepId} from '../domain/catalog-types.js';
import type {ReferenceCheck} from '../domain/cloud.js';
import {acceptRisk, findingsFor} from '../domain/findings.js';
import {blocking, type PreflightResult} from '../domain/preflight.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateField, validateSpec} from '../domain/validate.js';
import {editText, moveChoice, visibleFields, type Field, type FieldContext, type Loadable} from './fields.js';
import {SCREENS} from './steps.js';
import {filterReducer, shownOptions, type FilterAction} from './list-filter.js';

export type ScreenId = StepId | 'review';
export const SCREEN_IDS: readonly ScreenId[] = [...STEP_IDS, 'review'];
export const REVIEW_INDEX = SCREEN_IDS.length - 1;

/** How "save as profile" works in this run: ask a name for a store, call back, or not yet. */
export type SaveMode = 'named' | 'direct' | 'unavailable';

export type ReviewItem =
  | {kind: 'finding'; id: string; title: string}
  | {kind: 'action'; action: 'launch' | 'save' | 'back' | 'quit'; label: string; disabled?: string};

export type ReviewInput =
  | {kind: 'accept'; finding: string; draft: string; error?: string}
  | {kind: 'name'; draft: string; error?: string}
  | {kind: 'overwrite'; name: string; draft: string; error?: string};

/** Pre-flight of the reviewed spec against the account (live only); problems block Launch. */
export type PreflightState = {status: 'checking'} | {status: 'done'; results: PreflightResult[]} | {status: 'failed'; message: string};

/** The check of what a replayed profile reuses (only when the wizard started from a profile). */
export type ReferencesState = {status: 'checking'} | {status: 'done'; results: ReferenceCheck[]} | {status: 'failed'; message: string};

export type Effect = {kind: 'launch'} | {kind: 'save'; name?: string; force?: boolean} | {kind: 'quit'};

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
  /** '?' pressed: the panel shows compliance notes too. */
  expanded: boolean;
  live: boolean;
  discovery: Record<string, Loadable>;
  saveMode: SaveMode;
  /** launchWhenClear: Launch was chosen while pre-flight was still checking; it starts once it passes. */
  review: {cursor: number; input?: ReviewInput; notice?: string; launchWhenClear?: boolean};
  references?: ReferencesState;
  preflight?: PreflightState;
  effect?: Effect;
}

export type WizardAction =
  | {type: 'move'; delta: 1 | -1}
  | {type: 'focus'; delta: 1 | -1}
  | {type: 'input'; text: string}
  | {type: 'erase'}
  | {type: 'next'}
  | {type: 'back'}
  | {type: 'toggle-more'}
  | {type: 'live'; live: boolean}
  /** The region the connected account acts in; the spec follows it. */
  | {type: 'region'; region: string}
  | {type: 'discovery'; key: string; state: Loadable}
  | {type: 'effect-done'; notice?: string}
  /** The profile name is taken: ask before replacing it. */
  | {type: 'confirm-overwrite'; name: string}
  | {type: 'save-mode'; mode: SaveMode}
  | {type: 'references'; state: ReferencesState | undefined}
  | {type: 'preflight'; state: PreflightState | undefined}
  /** Taken names tandem made up were renumbered to free ones (web-sg to web-sg-2). */
  | {type: 'names'; spec: LaunchSpec; notice: string}
  /** Restores the answers of an unfinished run and lands on the step it was on. */
  | {type: 'resume'; spec: LaunchSpec; step: number};

export function initialWizard(options: {spec: LaunchSpec; live?: boolean; startAtReview?: boolean; saveMode?: SaveMode}): WizardState {
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
    saveMode: options.saveMode ?? 'unavailable',
    review: {cursor: 0},
  };
}

export function screenId(state: WizardState): ScreenId {
  return SCREEN_IDS[state.step];
}

export function fieldContext(state: WizardState): FieldContext {
  return {live: state.live, discovery: state.discovery};
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
  if (screenId(state) === 'review') return Boolean(state.review.input);
  const field = focusedField(state);
  return field?.kind === 'text' || isFiltering(state);
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
  const id = screenId(state);
  if (id === 'review') return undefined;
  const fields = currentFields(state);
  const context = fieldContext(state);
  const focused = fields[focusedIndex(state)];
  if (focused?.kind === 'choice' && focused.panel) return focused.get(state.spec, context);
  const main = fields.find((field) => field.kind === 'choice' && field.panel);
  return main?.kind === 'choice' ? main.get(state.spec, context) : undefined;
}

function valueAt(spec: LaunchSpec, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), spec);
}

/** The typed value of a text field, as the spec stores it. */
function parsed(field: Field & {kind: 'text'}, raw: string): unknown {
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

function withoutKey(record: Record<string, string>, key: string): Record<string, string> {
  const {[key]: _removed, ...rest} = record;
  return rest;
}

/** Re-checks a field that already shows an error, so the message goes away once it is fixed. */
function recheck(state: WizardState, field: Field): WizardState {
  if (!state.errors[field.id]) return state;
  const error = fieldError(state, field);
  return {...state, errors: error ? {...state.errors, [field.id]: error} : withoutKey(state.errors, field.id)};
}

function setFocus(state: WizardState, index: number): WizardState {
  const id = screenId(state);
  if (id === 'review') return state;
  return {...state, focus: {...state.focus, [id]: index}};
}

/**
 * Writes the typed drafts on this screen into the spec; with `validOnly`, only those that pass
 * their field's checks, so a refused value (a range typed as "your address") never reaches the
 * spec and never changes which option is chosen.
 */
function commitDrafts(state: WizardState, validOnly = false): WizardState {
  let spec = state.spec;
  for (const field of currentFields(state)) {
    if (field.kind !== 'text' || state.drafts[field.id] === undefined) continue;
    if (validOnly && fieldError(state, field)) continue;
    spec = field.set(spec, parsed(field, state.drafts[field.id]));
  }
  return {...state, spec};
}

function submitStep(state: WizardState): WizardState {
  // Checked before anything is written: what is typed is judged against the option it was typed for.
  const fields = currentFields(state);
  let errors = state.errors;
  let firstInvalid = -1;
  fields.forEach((field, index) => {
    const error = fieldError(state, field);
    if (error) {
      errors = {...errors, [field.id]: error};
      if (firstInvalid === -1) firstInvalid = index;
    } else {
      errors = withoutKey(errors, field.id);
    }
  });
  if (firstInvalid !== -1) return setFocus({...state, errors}, firstInvalid);
  const committed = commitDrafts(state);
  return {...committed, errors, step: committed.step + 1, review: {cursor: 0}};
}

// ----- review -----

/** References of a replayed profile that are gone from the account; a launch would fail on them. */
export function missingReferences(state: WizardState): ReferenceCheck[] {
  return state.references?.status === 'done' ? state.references.results.filter((result) => result.status === 'missing') : [];
}

/** Why pre-flight keeps Launch disabled: still checking, or problems found (shown above). */
function preflightBlock(state: WizardState): string | undefined {
  const preflight = state.preflight;
  // While it checks, Launch stays selectable: choosing it launches once pre-flight passes.
  if (preflight?.status !== 'done') return undefined;
  const count = blocking(preflight.results).length;
  if (count === 0) return undefined;
  return `pre-flight found ${count === 1 ? 'a problem' : `${count} problems`} above; esc to go back and fix ${count === 1 ? 'it' : 'them'}`;
}

/** The spec with what is typed on the current screen written in (for a draft; may not be valid yet). */
export function specWithTyping(state: WizardState): LaunchSpec {
  return commitDrafts(state, true).spec;
}

export function reviewItems(state: WizardState): ReviewItem[] {
  const findings: ReviewItem[] = findingsFor(state.spec)
    .filter((finding) => !finding.accepted)
    .map((finding) => ({kind: 'finding', id: finding.id, title: finding.title}));
  const problems = validateSpec(state.spec);
  const gone = missingReferences(state);
  const launchDisabled = !state.live
    ? 'explain mode, nothing will be created; run with AWS credentials to launch'
    : problems.length > 0
      ? `fix ${problems.length === 1 ? 'the problem' : `the ${problems.length} problems`} above first`
      : gone.length > 0
        ? `${gone.map((result) => `${result.field} ${result.id}`).join(', ')} no longer ${gone.length === 1 ? 'exists' : 'exist'}; esc to go back and choose again`
        : preflightBlock(state);
  return [
    ...findings,
    {kind: 'action', action: 'launch', label: 'Launch', disabled: launchDisabled},
    {kind: 'action', action: 'save', label: 'Save as profile'},
    {kind: 'action', action: 'back', label: 'Back'},
    {kind: 'action', action: 'quit', label: 'Quit'},
  ];
}

/** The review cursor, moved off disabled items (the first enabled item by default). */
export function reviewCursor(state: WizardState): number {
  const items = reviewItems(state);
  const cursor = Math.min(state.review.cursor, items.length - 1);
  const usable = (index: number) => {
    const item = items[index];
    return item && !(item.kind === 'action' && item.disabled);
  };
  if (usable(cursor)) return cursor;
  for (let index = cursor + 1; index < items.length; index++) if (usable(index)) return index;
  for (let index = cursor - 1; index >= 0; index--) if (usable(index)) return index;
  return cursor;
}

function moveReview(state: WizardState, delta: number): WizardState {
  const items = reviewItems(state);
  let index = reviewCursor(state);
  for (let next = index + delta; next >= 0 && next < items.length; next += delta) {
    const item = items[next];
    if (!(item.kind === 'action' && item.disabled)) {
      index = next;
      break;
    }
  }
  return {...state, review: {...state.review, cursor: index, notice: undefined}};
}

function submitReviewInput(state: WizardState, input: ReviewInput): WizardState {
  const draft = input.draft.trim();
  if (input.kind === 'accept') {
    if (!draft) return {...state, review: {...state.review, input: {...input, error: 'say why this risk is acceptable (it is recorded with the profile)'}}};
    const spec = acceptRisk(state.spec, input.finding, draft);
    return {...state, spec, review: {cursor: state.review.cursor, notice: `accepted "${input.finding}" as a recorded risk`}};
  }
  if (input.kind === 'overwrite') {
    if (draft.toLowerCase() !== 'yes') return {...state, review: {...state.review, input: {...input, error: 'type yes to replace it, or press esc to keep it'}}};
    return {...state, review: {cursor: state.review.cursor}, effect: {kind: 'save', name: input.name, force: true}};
  }
  if (!draft) return {...state, review: {...state.review, input: {...input, error: 'type a name for the profile'}}};
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(draft)) {
    return {...state, review: {...state.review, input: {...input, error: 'use letters, digits, dot, dash or underscore (up to 64)'}}};
  }
  return {...state, review: {cursor: state.review.cursor}, effect: {kind: 'save', name: draft}};
}

function reviewNext(state: WizardState): WizardState {
  const input = state.review.input;
  if (input) return submitReviewInput(state, input);
  const items = reviewItems(state);
  const item = items[reviewCursor(state)];
  if (!item) return state;
  if (item.kind === 'finding') {
    return {...state, review: {cursor: reviewCursor(state), input: {kind: 'accept', finding: item.id, draft: ''}}};
  }
  if (item.disabled) return state;
  switch (item.action) {
    case 'launch':
      if (state.preflight?.status === 'checking') {
        return {...state, review: {...state.review, launchWhenClear: true, notice: 'launching as soon as pre-flight passes…'}};
      }
      return {...state, effect: {kind: 'launch'}};
    case 'back':
      return {...state, step: state.step - 1, review: {cursor: 0}};
    case 'quit':
      return {...state, effect: {kind: 'quit'}};
    case 'save':
      if (state.saveMode === 'named') return {...state, review: {cursor: reviewCursor(state), input: {kind: 'name', draft: state.spec.instance.name}}};
      if (state.saveMode === 'direct') return {...state, effect: {kind: 'save'}};
      return {...state, review: {...state.review, notice: 'saving profiles arrives in a later version of tandem'}};
  }
}

function editReviewInput(state: WizardState, text: string, erase: boolean): WizardState {
  const input = state.review.input;
  if (!input) return state;
  return {...state, review: {...state.review, input: {...input, draft: editText(input.draft, text, erase), error: undefined}}};
}

// ----- the reducer -----

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  const onReview = screenId(state) === 'review';
  switch (action.type) {
    case 'live':
      return {...state, live: action.live};
    case 'region':
      return state.spec.region === action.region ? state : {...state, spec: {...state.spec, region: action.region}};
    case 'discovery':
      return {...state, discovery: {...state.discovery, [action.key]: action.state}};
    case 'save-mode':
      return {...state, saveMode: action.mode};
    case 'references':
      return {...state, references: action.state};
    case 'preflight': {
      const next = {...state, preflight: action.state};
      if (!state.review.launchWhenClear || action.state?.status === 'checking') return next;
      const {launchWhenClear: _done, ...review} = state.review;
      const clear = action.state?.status === 'done' && blocking(action.state.results).length === 0;
      return clear
        ? {...next, review: {...review, notice: undefined}, effect: {kind: 'launch'}}
        : {...next, review: {...review, notice: 'pre-flight found problems; nothing was launched'}};
    }
    case 'names':
      return {...state, spec: action.spec, review: {...state.review, notice: action.notice}};
    case 'resume':
      return {
        ...state,
        spec: action.spec,
        step: Math.max(0, Math.min(REVIEW_INDEX, action.step)),
        focus: {},
        drafts: {},
    filters: {},
        errors: {},
        review: {cursor: 0},
      };
    case 'confirm-overwrite':
      return {...state, effect: undefined, review: {cursor: state.review.cursor, input: {kind: 'overwrite', name: action.name, draft: ''}}};
    case 'effect-done':
      return {...state, effect: undefined, review: {...state.review, notice: action.notice ?? state.review.notice}};
    case 'toggle-more':
      return {...state, expanded: !state.expanded};
    case 'back':
      if (onReview && state.review.input) return {...state, review: {cursor: state.review.cursor}};
      if (state.step === 0) return state;
      return {...state, step: state.step - 1, review: {cursor: 0}};
    case 'next':
      return onReview ? reviewNext(state) : submitStep(state);
    case 'input':
      if (onReview) return editReviewInput(state, action.text, false);
      if (isFiltering(state)) return filterInto(state, {type: 'type', text: action.text});
      return typeInto(state, action.text, false);
    case 'erase':
      if (onReview) return editReviewInput(state, '', true);
      if (isFiltering(state)) return filterInto(state, {type: 'erase'});
      return typeInto(state, '', true);
    case 'focus': {
      if (onReview) return moveReview(state, action.delta);
      const count = currentFields(state).length;
      if (count === 0) return state;
      return setFocus(state, (focusedIndex(state) + action.delta + count) % count);
    }
    case 'move': {
      if (onReview) return state.review.input ? state : moveReview(state, action.delta);
      const field = focusedField(state);
      if (!field) return state;
      if (field.kind === 'text') {
        // ↑/↓ on a text input move between inputs, like in most forms.
        const index = focusedIndex(state) + action.delta;
        return index < 0 || index >= currentFields(state).length ? state : setFocus(state, index);
      }
      const context = fieldContext(state);
      // A filtered list moves among what matches, disabled items included (their row says why).
      const options = field.filter ? shownOptions(field.options(state.spec, context), state.filters[field.id] ?? '').map(({disabled, ...option}) => option) : field.options(state.spec, context);
      const value = moveChoice(options, field.get(state.spec, context), action.delta);
      return recheck({...state, spec: field.set(state.spec, value)}, field);
    }
  }
}

/**
 * Typing into a list found in the account narrows it. When what is typed hides the highlighted
 * item (or it is "type an id…"), the highlight goes to the first match, so the panel explains
 * something on screen.
 */
function filterInto(state: WizardState, action: FilterAction): WizardState {
  const field = focusedField(state);
  if (field?.kind !== 'choice') return state;
  const query = filterReducer({query: state.filters[field.id] ?? ''}, action).query;
  const next = {...state, filters: {...state.filters, [field.id]: query}};
  const context = fieldContext(state);
  const shown = shownOptions(field.options(state.spec, context), query);
  const current = shown.find((option) => option.value === field.get(state.spec, context));
  const first = shown.find((option) => !option.pinned);
  if (!query || (current && !current.pinned) || !first) return next;
  return recheck({...next, spec: field.set(state.spec, first.value)}, field);
}

function typeInto(state: WizardState, text: string, erase: boolean): WizardState {
  const field = focusedField(state);
  if (field?.kind !== 'text') return state;
  const draft = editText(textOf(state, field), text, erase);
  return recheck({...state, drafts: {...state.drafts, [field.id]: draft}}, field);
}
