// Keys that arrive together. Ink splits escape sequences (arrows, Esc) into keypresses of their
// own, but hands over any run of plain characters as one input: "\tapp" typed ahead while the
// terminal was busy, or over a slow SSH link, comes as one string in which Tab is not a Tab. The
// pieces below are what a person pressed, one at a time; use-keys.ts feeds them to the screen
// one frame apart, so each lands on the screen the previous one produced.
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
