// What the bytes on stdin mean as keys. Ink cuts what it reads into escape sequences (each one an
// input of its own) and runs of plain characters; tandem names the key each input stands for
// here (keyOf) instead of Ink's useInput, which reads a key name that a sequence it does not
// know (a colour code such as ESC[31m in a paste) lacks, and throws. Whatever the bytes, keyOf
// returns a key or no key at all; it never throws.
//
// Keys that arrive together: a run of plain characters comes as one input, so "\tapp" typed
// ahead while the terminal was busy, or over a slow SSH link, is one string in which Tab is not a
// Tab. The pieces below are what a person pressed, one at a time; use-keys.ts feeds them to the
// screen one frame apart, so each lands on the screen the previous one produced.
import type {Key} from 'ink';

const NO_KEY: Key = {
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
  const first = run[0]!;
  if (first === '\t') return {input: '', key: {...NO_KEY, tab: true}, length: 1};
  if (first === '\r' || first === '\n') return {input: '', key: {...NO_KEY, return: true}, length: 1};
  const code = first.charCodeAt(0);
  if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), key: {...NO_KEY, ctrl: true}, length: 1};
  if (CONTROL.test(first)) return {input: '', key: NO_KEY, length: 1};
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
    const name = final === '~' ? `${number ?? second}~` : final!;
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
