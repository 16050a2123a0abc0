// tandem's text model, pure so the domain renderers, the writer (source/output.ts) and the TUI's
// Text (source/ui/text.tsx) share it (docs/design.md section 3).
//
// Text from AWS (names, tags, descriptions, error messages) is chosen by whoever controls the
// account, and text from the operator (profile values, arguments, file names) by whoever typed it;
// either may carry escape sequences that recolour the screen, move the cursor, retitle the window
// or hide a line. So text is untrusted by default:
// - a plain string is made inert line by line when it is shown (the line breaks stay);
// - t`…${value}…` is tandem's own sentence: the literal parts are trusted, each interpolated value
//   is made inert whole (a line break in it is shown as \x0a, so a value cannot fake a line);
// - trusted(text) marks text tandem made itself and already made safe (a rendered table).

/**
 * C0 (tab and newline too: a table cell is one line), DEL, C1, the Unicode line and paragraph
 * separators, and the bidirectional overrides/isolates that reorder what a reader sees.
 */
const UNSAFE_CLASS = '[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'g');
const UNSAFE_ANY = new RegExp(UNSAFE_CLASS);

function placeholder(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with every character a terminal could interpret replaced by a visible `\xNN`/`\uNNNN`,
 * which also defuses whole escape sequences because their ESC is gone.
 */
export function inert(text: string): string {
  return text.replace(UNSAFE, placeholder);
}

/** True when inert() would change the text (useful to flag a suspicious name to the operator). */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ANY.test(text);
}

/** Registered, so a copy of this module in another bundle recognises the mark (like TandemError). */
const TRUSTED = Symbol.for('tandem.output.trusted');

/** Text tandem vouches for: shown as it is. Make one with t`…` or trusted(). */
export interface Trusted {
  readonly [TRUSTED]: true;
  readonly text: string;
}

/** What the writer and the TUI show: a plain string is untrusted (made inert); Trusted text is shown as is. */
export type Text = string | Trusted;

export function trusted(text: string): Trusted {
  return {[TRUSTED]: true, text};
}

export function isTrusted(value: unknown): value is Trusted {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TRUSTED] === true;
}

/** One interpolated value: trusted text and numbers as they are, anything else inert as a whole. */
function valueText(value: unknown): string {
  if (isTrusted(value)) return value.text;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // What a template literal would write for any other value (an Error's own toString included).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return inert(String(value ?? ''));
}

function sentence(strings: TemplateStringsArray, values: unknown[]): string {
  let text = strings[0] ?? '';
  values.forEach((value, index) => {
    text += valueText(value) + (strings[index + 1] ?? '');
  });
  return text;
}

/**
 * tandem's own sentence with values in it: the template is trusted, every `${value}` made inert.
 * `t.text` builds the same sentence as a plain string, for domain code whose callers take strings
 * (an error message, a line of a table): its values are inert already, so showing it as untrusted
 * text changes nothing.
 */
export const t = Object.assign((strings: TemplateStringsArray, ...values: unknown[]): Trusted => trusted(sentence(strings, values)), {
  text: (strings: TemplateStringsArray, ...values: unknown[]): string => sentence(strings, values),
});

/** A value as one table cell: inert, so its width can be measured as it will be shown. */
export function cell(value: unknown): string {
  return valueText(value);
}

/** Text as the terminal gets it: trusted text as it is, a plain string inert line by line. */
export function safeText(text: Text): string {
  if (isTrusted(text)) return text.text;
  return UNSAFE_ANY.test(text) ? text.split('\n').map(inert).join('\n') : text;
}

/** The characters of text, trusted or not, as they were given. */
export function rawText(text: Text): string {
  return isTrusted(text) ? text.text : text;
}
