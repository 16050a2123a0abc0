// Key bindings as data. Each key, in a given context, belongs to exactly one binding, and each
// binding to exactly one owner: the mode's input hook (use-keys.ts), or the focused
// ink-select-input list for ↑/↓ (and j/k) when a list has the focus. The help line at the bottom
// of every screen is generated from this table, so it can never drift from what the keys really
// do. A binding's action is the `type` of the action the mode's reducer receives: the input hooks
// dispatch it as it is, with no renaming in between.
import type {Key} from 'ink';

export type Action =
  | 'up'
  | 'down'
  | 'next'
  | 'back'
  | 'more'
  | 'quit'
  | 'interrupt'
  | 'nextField'
  | 'prevField'
  | 'accept'
  | 'pageUp'
  | 'pageDown'
  | 'recheck'
  | 'costs'
  | 'retryPrices'
  | 'erase'
  | 'eraseWord'
  | 'clearLine'
  | 'toggle';

/** A wizard step's own on/off key (fields.ts StepToggle) and what it switches. */
export interface ToggleKey {
  key: string;
  help: string;
}

/** What the screen looks like right now, as far as keys are concerned. */
export interface KeyContext {
  screen: 'wizard' | 'review' | 'progress' | 'end' | 'resume';
  /** A text field has focus: printable keys are text, not commands. */
  typing: boolean;
  /** Number of inputs on the screen (tab moves between them when more than one). */
  fields: number;
  /** The focused input is a list (↑/↓ choose). */
  choosing: boolean;
  /**
   * The focused list is an ink-select-input list (choice-list.tsx), which moves its own highlight:
   * ↑/↓ and j/k are its keys, not the mode's. Lists found in the account (filter-list.tsx) are
   * views of the mode's state and leave this unset, so the mode's reducer moves them.
   */
  listKeys?: boolean;
  canGoBack: boolean;
  /** On the review, the cursor is on a finding that can be accepted as a risk. */
  onFinding?: boolean;
  /** Some region of the screen is cut short and scrolls with PgUp/PgDn. */
  scrolls?: boolean;
  /** On the review with credentials: pre-flight can be run again. */
  rechecks?: boolean;
  /** The wizard step on screen has an on/off key of its own. */
  toggle?: ToggleKey;
  /** On the review: the cost has lines to open (`costsOpen`: they are shown). */
  costs?: boolean;
  costsOpen?: boolean;
  /** On the review: a price question failed (throttled, timed out) and can be asked again. */
  retriesPrices?: boolean;
}

export interface Binding {
  action: Action;
  /** Key names: 'up', 'down', 'return', 'escape', 'tab', 'shift+tab', 'ctrl+c', or one character. */
  keys: string[];
  /** How the help line names the keys; a binding without a label is not shown there. */
  label?: string;
  help: string | ((context: KeyContext) => string);
  when?: (context: KeyContext) => boolean;
  /** Shown in the help line only when this holds (defaults to `when`). */
  shown?: (context: KeyContext) => boolean;
  /** Who handles the key: the mode's input hook unless this says the focused list does. */
  owner?: (context: KeyContext) => KeyOwner;
}

/** The one handler a binding's keys go to in a context. */
export type KeyOwner = 'mode' | 'list';

const listMoves = (c: KeyContext): KeyOwner => (c.listKeys ? 'list' : 'mode');

const editing = (c: KeyContext) => c.typing;

export const BINDINGS: readonly Binding[] = [
  {action: 'up', keys: ['up', 'k'], label: '↑↓', help: 'choose', shown: (c) => c.choosing, owner: listMoves},
  {action: 'down', keys: ['down', 'j'], help: 'choose', owner: listMoves},
  {
    action: 'next',
    keys: ['return'],
    label: 'enter',
    help: (c) => (c.screen === 'review' || c.screen === 'resume' ? 'select' : c.screen === 'wizard' ? 'next' : c.screen === 'end' ? 'done' : 'continue'),
    shown: (c) => c.screen !== 'progress',
  },
  {action: 'nextField', keys: ['tab'], label: 'tab', help: (c) => (c.screen === 'review' ? 'findings and actions' : 'next field'), when: (c) => c.fields > 1},
  {action: 'prevField', keys: ['shift+tab'], help: 'previous field', when: (c) => c.fields > 1},
  {action: 'accept', keys: ['a'], label: 'a', help: 'accept this risk', when: (c) => c.screen === 'review' && Boolean(c.onFinding)},
  {action: 'recheck', keys: ['r'], label: 'r', help: 're-check the account', when: (c) => c.screen === 'review' && Boolean(c.rechecks)},
  {action: 'costs', keys: ['c'], label: 'c', help: (c) => (c.costsOpen ? 'hide cost lines' : 'cost lines'), when: (c) => c.screen === 'review' && Boolean(c.costs)},
  {action: 'retryPrices', keys: ['p'], label: 'p', help: 'ask prices again', when: (c) => c.screen === 'review' && Boolean(c.retriesPrices)},
  {action: 'pageUp', keys: ['pageup'], label: 'pgup/pgdn', help: 'scroll', when: (c) => Boolean(c.scrolls)},
  {action: 'pageDown', keys: ['pagedown'], help: 'scroll', when: (c) => Boolean(c.scrolls)},
  {action: 'back', keys: ['escape'], label: 'esc', help: (c) => (c.typing && c.screen === 'wizard' && c.fields > 1 ? 'leave field' : 'back'), when: (c) => c.canGoBack},
  {action: 'more', keys: ['?'], label: '?', help: 'more about this control', when: (c) => c.screen === 'wizard'},
  {action: 'quit', keys: ['q'], label: 'q', help: 'quit', when: (c) => c.screen !== 'progress'},
  {
    action: 'interrupt',
    keys: ['ctrl+c'],
    label: 'ctrl+c',
    help: (c) => (c.screen === 'progress' ? 'stop and roll back' : 'quit'),
    shown: (c) => c.typing || c.screen === 'progress',
  },
  {action: 'erase', keys: ['backspace'], help: 'erase', when: editing},
  {action: 'eraseWord', keys: ['ctrl+w'], help: 'erase a word', when: editing},
  {action: 'clearLine', keys: ['ctrl+u'], label: 'ctrl+u', help: 'clear', when: editing},
];

/** A step's toggle as a binding of the mode: shown after Enter, never while typing (it is a letter). */
function toggleBinding(toggle: ToggleKey): Binding {
  return {action: 'toggle', keys: [toggle.key], label: toggle.key, help: toggle.help, when: (c) => c.screen === 'wizard'};
}

/**
 * The bindings in a context: the fixed ones, and the step's toggle after Enter when it has one
 * (where a short help fits on the first line of a 40-column footer).
 */
export function bindingsOf(context: KeyContext): readonly Binding[] {
  if (!context.toggle) return BINDINGS;
  const at = BINDINGS.findIndex((binding) => binding.action === 'next') + 1;
  return [...BINDINGS.slice(0, at), toggleBinding(context.toggle), ...BINDINGS.slice(at)];
}

/** Names for one keypress as Ink reports it (several names when a key has aliases). */
export function keyNames(input: string, key: Key): string[] {
  if (key.ctrl && input === 'c') return ['ctrl+c'];
  if (key.ctrl && input === 'u') return ['ctrl+u'];
  if (key.ctrl && input === 'w') return ['ctrl+w'];
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.return) return ['return'];
  if (key.escape) return ['escape'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.backspace || key.delete) return ['backspace'];
  if (input.length === 1 && !key.ctrl && !key.meta) return [input];
  return [];
}

/** A single printable character, which a focused text field takes as text. */
function isPrintable(name: string): boolean {
  return name.length === 1;
}

export function bindingFor(name: string, context: KeyContext): Binding | undefined {
  if (context.typing && isPrintable(name)) return undefined;
  return bindingsOf(context).find((binding) => binding.keys.includes(name) && (binding.when?.(context) ?? true));
}

/** Who handles a binding's keys in this context. */
export function ownerOf(binding: Binding, context: KeyContext): KeyOwner {
  return binding.owner?.(context) ?? 'mode';
}

/**
 * The action a keypress triggers for the mode in this context, or undefined: text for a text
 * field, or a key the focused list owns (the list handles it, and nobody else may).
 */
export function resolveKey(input: string, key: Key, context: KeyContext): Action | undefined {
  for (const name of keyNames(input, key)) {
    const binding = bindingFor(name, context);
    if (binding) return ownerOf(binding, context) === 'mode' ? binding.action : undefined;
  }
  return undefined;
}

export function helpItems(context: KeyContext): string[] {
  return bindingsOf(context)
    .filter((binding) => {
      if (!binding.label) return false;
      if (!(binding.when?.(context) ?? true)) return false;
      // While typing, single-character keys are text, so their bindings are not available.
      if (context.typing && binding.keys.every(isPrintable)) return false;
      return binding.shown?.(context) ?? true;
    })
    .map((binding) => `${binding.label} ${typeof binding.help === 'function' ? binding.help(context) : binding.help}`);
}

/** The help line shown at the bottom of every screen. */
export function helpLine(context: KeyContext): string {
  return helpItems(context).join(' · ');
}
