// Text from AWS (names, tags, descriptions) is chosen by whoever controls the account, so it may
// carry terminal escape sequences that recolour the screen, move the cursor, retitle the window or
// hide a line. inert() makes such text harmless to print: every control character becomes a
// visible placeholder, which also defuses whole escape sequences because their ESC is gone.

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

/** The text with every character a terminal could interpret replaced by a visible `\xNN`/`\uNNNN`. */
export function inert(text: string): string {
  return text.replace(UNSAFE, placeholder);
}

/** True when inert() would change the text (useful to flag a suspicious name to the operator). */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ANY.test(text);
}
