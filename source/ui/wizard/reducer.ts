// Every change to the wizard, as a pure reducer. Key actions arrive under the keymap's names
// (up, next, back, erase…), exactly as the keymap resolves them; the rest come from the app
// (discovery results, a resumed draft). Whether tandem is connected and the account's region are
// not actions: wizard/mode.tsx lays them over the state (connected).
import type {AddressLookupState} from '../../domain/my-address.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {MY_ADDRESS_FIELD} from '../steps/security-group.js';
import {moveChoice, type Field, type Loadable} from '../fields.js';
import {filterReducer, shownOptions, type FilterAction} from '../list-filter.js';
import type {KeyAction} from '../use-keys.js';
import {editField} from '../text-field.js';
import {
  commitDrafts,
  currentFields,
  fieldContext,
  fieldError,
  focusedField,
  focusedIndex,
  isFiltering,
  isTyping,
  REVIEW_INDEX,
  screenId,
  screenToggle,
  textOf,
  type WizardState,
} from './state.js';

export type WizardAction =
  | KeyAction
  /** A list's highlight moved (ink-select-input's onHighlight): the spec follows it. */
  | {type: 'choose'; field: string; value: string}
  | {type: 'discovery'; key: string; state: Loadable}
  /** The review changed the spec (an accepted risk). */
  | {type: 'spec'; spec: LaunchSpec}
  /** The lookup of the operator's public address moved on (started, found, failed). */
  | {type: 'my-address'; lookup: AddressLookupState}
  /** Restores the answers of an unfinished run and lands on the step it was on. */
  | {type: 'resume'; spec: LaunchSpec; step: number};

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
 * A found address is filled in only where nothing was typed or chosen yet: it is a suggestion,
 * shown with where it came from, and never replaces the operator's own answer.
 */
function withSuggestion(state: WizardState): WizardState {
  const lookup = state.myAddress;
  const untouched = state.drafts[MY_ADDRESS_FIELD] === undefined && state.spec.securityGroup.ssh === '';
  if (lookup.status !== 'found' || !untouched) return state;
  return {...state, drafts: {...state.drafts, [MY_ADDRESS_FIELD]: lookup.cidr}, suggested: {...state.suggested, [MY_ADDRESS_FIELD]: lookup.cidr}};
}

/** A suggested value still as tandem filled it in, on a field that is shown but not focused. */
function unconfirmedSuggestion(state: WizardState): number {
  const fields = currentFields(state);
  return fields.findIndex((field, index) => index !== focusedIndex(state) && state.suggested[field.id] !== undefined && state.drafts[field.id] === state.suggested[field.id]);
}

function submitStep(state: WizardState): WizardState {
  // A suggested address is used only once the operator has seen it with the cursor on it.
  const unconfirmed = unconfirmedSuggestion(state);
  if (unconfirmed !== -1) return setFocus(state, unconfirmed);
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
  // What was confirmed here is the operator's answer now, no longer a suggestion.
  const suggested = Object.fromEntries(Object.entries(state.suggested).filter(([id]) => !fields.some((field) => field.id === id)));
  return {...committed, errors, suggested, step: Math.min(REVIEW_INDEX, committed.step + 1)};
}

function choose(state: WizardState, field: Field | undefined, value: string): WizardState {
  if (field?.kind !== 'choice') return state;
  const option = field.options(state.spec, fieldContext(state)).find((candidate) => candidate.value === value);
  if (!option || option.disabled) return state;
  return keepFocusOn(recheck({...state, spec: field.set(state.spec, value)}, field), field);
}

/**
 * A choice can show or hide other inputs above it (a load balancer hides Public IPv4 and, for the
 * default VPC, brings the new VPC's CIDR): the cursor stays on the list that was changed.
 */
function keepFocusOn(state: WizardState, field: Field): WizardState {
  const index = currentFields(state).findIndex((candidate) => candidate.id === field.id);
  return index === -1 || index === focusedIndex(state) ? state : setFocus(state, index);
}

function move(state: WizardState, delta: 1 | -1): WizardState {
  const field = focusedField(state);
  if (!field) return state;
  if (field.kind === 'text') {
    // ↑/↓ on a text input move between inputs, like in most forms.
    const index = focusedIndex(state) + delta;
    return index < 0 || index >= currentFields(state).length ? state : setFocus(state, index);
  }
  const context = fieldContext(state);
  // A filtered list moves among what matches, disabled items included (their row says why).
  const all = field.options(state.spec, context);
  const options = field.filter ? shownOptions(all, state.filters[field.id] ?? '').map(({disabled: _disabled, ...option}) => option) : all;
  const value = moveChoice(options, field.get(state.spec, context), delta);
  return field.filter ? recheck({...state, spec: field.set(state.spec, value)}, field) : choose(state, field, value);
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

/** Esc in a text field leaves it for the list it belongs to; elsewhere it goes back a screen. */
function back(state: WizardState): WizardState {
  const fields = currentFields(state);
  const index = focusedIndex(state);
  if (fields[index]?.kind === 'text') {
    for (let above = index - 1; above >= 0; above--) if (fields[above].kind === 'choice') return setFocus(state, above);
  }
  return state.step === 0 ? state : {...state, step: state.step - 1};
}

function typeInto(state: WizardState, action: Parameters<typeof editField>[2]): WizardState {
  const field = focusedField(state);
  if (field?.kind !== 'text') return state;
  // Typing over a suggestion replaces it, like a selected field; editing keys edit it.
  const suggestion = state.suggested[field.id];
  const text = suggestion !== undefined && state.drafts[field.id] === suggestion && action.type === 'input' ? '' : textOf(state, field);
  const suggested = suggestion === undefined ? state.suggested : withoutKey(state.suggested, field.id);
  // A private key pasted into a field is never kept, shown or saved with the draft: the field
  // empties and says what it was given instead.
  const edited = editField(field.id, text, action);
  if (edited.withheld) return {...state, suggested, drafts: {...state.drafts, [field.id]: ''}, errors: {...state.errors, [field.id]: edited.withheld}};
  return recheck({...state, suggested, drafts: {...state.drafts, [field.id]: edited.text}}, field);
}

/** The step's on/off key; a letter typed into a field or a filter is text, never this. */
function flip(state: WizardState): WizardState {
  const toggle = screenToggle(state);
  return toggle && !isTyping(state) ? {...state, spec: toggle.flip(state.spec)} : state;
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'discovery':
      return {...state, discovery: {...state.discovery, [action.key]: action.state}};
    case 'my-address':
      return withSuggestion({...state, myAddress: action.lookup});
    case 'spec':
      return {...state, spec: action.spec};
    case 'resume':
      return {...state, spec: action.spec, step: Math.max(0, Math.min(REVIEW_INDEX, action.step)), focus: {}, drafts: {}, suggested: {}, filters: {}, errors: {}};
    case 'choose':
      return withSuggestion(
        choose(
          state,
          currentFields(state).find((field) => field.id === action.field),
          action.value,
        ),
      );
    case 'more':
      return {...state, expanded: !state.expanded};
    case 'back':
      return back(state);
    case 'next':
      return screenId(state) === 'review' ? state : submitStep(state);
    case 'quit':
      return {...state, quit: 0};
    case 'interrupt':
      return {...state, quit: 130};
    case 'input':
    case 'erase':
    case 'eraseWord':
    case 'clearLine':
      if (isFiltering(state)) {
        return filterInto(state, action.type === 'input' ? {type: 'type', text: action.text} : action.type === 'erase' ? {type: 'erase', count: action.count} : {type: 'clear'});
      }
      return typeInto(state, action.type === 'input' ? action : {type: action.type, count: action.count});
    case 'nextField':
    case 'prevField': {
      const count = currentFields(state).length;
      if (count === 0) return state;
      return setFocus(state, (focusedIndex(state) + (action.type === 'nextField' ? 1 : -1) + count) % count);
    }
    case 'up':
    case 'down':
      return withSuggestion(move(state, action.type === 'up' ? -1 : 1));
    case 'toggle':
      return flip(state);
    case 'accept':
    case 'pageUp':
    case 'pageDown':
    case 'recheck':
    case 'costs':
    case 'retryPrices':
      return state;
  }
}
