// What the bytes on stdin mean as keys. Ink cuts what it reads into escape sequences (each one an
// input of its own) and runs of plain characters, then every useInput listener (tandem's, and
// ink-select-input's lists) names the key. Ink's naming throws on a sequence it does not know that
// carries a modifier, such as the colour code ESC[31m in a paste. So each escape sequence is named
// here first (keyOf, which never throws) and handed on in the one form Ink knows for that key
// (inputAsInkKnowsIt), or not at all when it is no key tandem or a list uses.
//
// Keys that arrive together: a run of plain characters comes as one input, so "\tapp" typed
// ahead while the terminal was busy, or over a slow SSH link, is one string in which Tab is not a
// Tab. The pieces below are what a person pressed, one at a time; use-keys.ts feeds them to the
// screen one frame apart, so each lands on the screen the previous one produced.
import type {Key} from 'ink';

/** A key record with nothing pressed: what a plain character arrives with. */
export const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const CONTROL = /[\u0000-\u001F\u007F]/;
const ERASE = /^[\u007F\u0008]+/;
const PRINTABLE_RUN = /^[^\u0000-\u001F\u007F]+/u;

/**
 * True when Ink handed over several keypresses as one plain input that must be taken apart: it
 * holds a control key (Tab, Enter, Backspace, Ctrl+…), or no text field has the focus, so each
 * character is a command. Plain text for a focused field stays whole, like a paste.
 */
export function isKeyRun(input: string, key: Key, typing: boolean): boolean {
  if (input.length < 2 || key.meta || key.escape || key.ctrl) return false;
  if (!typing) return [...input].length > 1;
  return CONTROL.test(input);
}

export interface KeyPiece {
  input: string;
  key: Key;
  /** How many characters of the run this piece stands for. */
  length: number;
}

/**
 * The first keypress of a run. While a text field has the focus (`typing`), printable text stays
 * together, as a paste would; otherwise each character is a key of its own (a command letter).
 */
export function firstKeyPiece(run: string, typing: boolean): KeyPiece {
  const erases = ERASE.exec(run)?.[0];
  if (erases) return {input: erases, key: {...NO_KEY, backspace: true}, length: erases.length};
  const first = run[0];
  // Enter, Tab, Ctrl+letter and other control characters: one key each, named as alone.
  if (CONTROL.test(first)) return {...plainKey(first), length: 1};
  const text = typing ? PRINTABLE_RUN.exec(run)![0] : String.fromCodePoint(run.codePointAt(0)!);
  return {input: text, key: NO_KEY, length: text.length};
}

const ESC = '\u001B';

/** The keys tandem binds that a terminal sends as ESC [ … or ESC O …, by their final part. */
const SEQUENCE_KEYS: Record<string, Partial<Key>> = {
  A: {upArrow: true},
  B: {downArrow: true},
  C: {rightArrow: true},
  D: {leftArrow: true},
  H: {home: true},
  F: {end: true},
  Z: {tab: true, shift: true},
  '1~': {home: true},
  '7~': {home: true},
  '4~': {end: true},
  '8~': {end: true},
  '3~': {delete: true},
  '5~': {pageUp: true},
  '6~': {pageDown: true},
};

// ESC [ (or ESC O), an optional "1;" or "N;", an optional modifier number, then the final part.
const SEQUENCE = /^\u001B+(?:\[\[?|O)(?:(\d+);)?(\d+)?([A-Za-z~])$/;

/** A key that arrived as an escape sequence; an unknown or cut sequence is no key at all. */
function sequenceKey(sequence: string): {input: string; key: Key} {
  if (sequence === ESC || sequence === ESC + ESC) return {input: '', key: {...NO_KEY, escape: true, meta: true}};
  const match = SEQUENCE.exec(sequence);
  if (match) {
    const [, number, second, final] = match;
    // "ESC [ 5 ~" names the key by its number; "ESC [ 1 ; 5 A" by its letter, 5 being modifiers.
    const name = final === '~' ? `${number ?? second}~` : final;
    const modifiers = Number((final === '~' ? (number ? second : undefined) : second) ?? 1) - 1;
    const known = SEQUENCE_KEYS[name];
    if (!known) return {input: '', key: NO_KEY};
    return {input: '', key: {...NO_KEY, shift: Boolean(modifiers & 1), meta: Boolean(modifiers & 2), ctrl: Boolean(modifiers & 4), ...known}};
  }
  // Alt (Meta) with one key: ESC then the key, e.g. Alt+Backspace or Alt+x.
  const rest = sequence.slice(1);
  if ([...rest].length !== 1 || rest === ESC) return {input: '', key: NO_KEY};
  const alone = plainKey(rest);
  return {input: alone.input, key: {...alone.key, meta: true}};
}

/** A key (or a run of characters) that came without ESC. */
function plainKey(data: string): {input: string; key: Key} {
  if (data.length !== 1) return {input: data, key: NO_KEY};
  if (data === '\r' || data === '\n') return {input: '', key: {...NO_KEY, return: true}};
  if (data === '\t') return {input: '', key: {...NO_KEY, tab: true}};
  if (data === '\u007F' || data === '\u0008') return {input: '', key: {...NO_KEY, backspace: true}};
  const code = data.charCodeAt(0);
  if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), key: {...NO_KEY, ctrl: true}};
  if (CONTROL.test(data)) return {input: '', key: NO_KEY};
  return {input: data, key: {...NO_KEY, shift: /[A-Z]/.test(data)}};
}

/**
 * The key one input from Ink stands for: an escape sequence Ink cut out, or a run of characters
 * without ESC (handed on whole; isKeyRun and firstKeyPiece take it apart). Never throws.
 */
export function keyOf(data: string): {input: string; key: Key} {
  return data.startsWith(ESC) ? sequenceKey(data) : plainKey(data);
}

/** The escape sequence Ink names as each key tandem or a list uses. */
const INK_FORMS: Array<[keyof Key, string]> = [
  ['upArrow', '\u001B[A'],
  ['downArrow', '\u001B[B'],
  ['rightArrow', '\u001B[C'],
  ['leftArrow', '\u001B[D'],
  ['home', '\u001B[H'],
  ['end', '\u001B[F'],
  ['pageUp', '\u001B[5~'],
  ['pageDown', '\u001B[6~'],
  ['delete', '\u001B[3~'],
];

/**
 * An input from Ink's splitter as Ink's own key naming can take it: plain text as it is, an
 * escape sequence in its one known form for the key it stands for, or undefined for a sequence
 * that is no key (a colour code, a paste marker, a cut or unknown sequence), which is dropped.
 */
export function inputAsInkKnowsIt(data: string): string | undefined {
  if (!data.startsWith(ESC)) return data;
  const {input, key} = keyOf(data);
  if (key.escape) return ESC;
  if (key.tab) return key.shift ? '\u001B[Z' : '\t';
  const form = INK_FORMS.find(([name]) => key[name]);
  if (form) return form[1];
  // Alt with one key: ESC and that key, which Ink names as the key with meta.
  if (key.meta && key.return) return `${ESC}\r`;
  if (key.meta && key.backspace) return `${ESC}\u007F`;
  if (key.meta && /^[a-zA-Z0-9]$/.test(input)) return ESC + input;
  return undefined;
}
