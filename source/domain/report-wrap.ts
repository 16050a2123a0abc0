// Word wrapping for plain-text reports. Lines never exceed the width, even for words longer than
// a line (ARNs, key ids): those are cut, because a 40-column terminal must stay readable.

/**
 * Wraps `text` to `width` columns. The first line starts with `first` (e.g. "  AWS  "), the rest
 * with `rest` (spaces of the same length, for a hanging indent).
 */
export function wrap(text: string, width: number, first = '', rest = ' '.repeat(first.length)): string[] {
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const room = () => width - prefix.length;
  const flush = () => {
    lines.push((prefix + line).trimEnd());
    prefix = rest;
    line = '';
  };
  for (let word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room()) flush();
    // A word wider than a whole line is cut into pieces that each fill one.
    while (word.length > Math.max(1, room()) && !line) {
      const size = Math.max(1, room());
      line = word.slice(0, size);
      word = word.slice(size);
      flush();
    }
    if (!word) continue;
    line = line ? `${line} ${word}` : word;
  }
  if (line || lines.length === 0) flush();
  return lines;
}

/** Cuts a single line to `width`, marking the cut with "…". */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
