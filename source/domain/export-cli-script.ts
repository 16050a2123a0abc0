// The building blocks of the exported bash script: shell quoting, ids the script captured spliced
// into words and JSON, and the Script that writes calls one per line with what undoes each.
/** One word for bash: single-quoted unless it is plainly safe. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A variable the script captured (an id), spliced into JSON or a word. */
const VAR_MARK = '\u0001';
export const variable = (name: string) => `${VAR_MARK}${name}${VAR_MARK}`;

/** A shell word from text that may contain variable() marks. */
export function word(text: string): string {
  if (!text.includes(VAR_MARK)) return shellQuote(text);
  const parts = text.split(VAR_MARK);
  // Odd parts are variable names.
  return parts.map((part, index) => (index % 2 === 1 ? `"$${part}"` : part === '' ? '' : shellQuote(part))).join('');
}

/** JSON as one shell word, with variable() marks kept as interpolations. */
export function json(value: unknown): string {
  const text = JSON.stringify(value).replace(/\\u0001/g, VAR_MARK);
  return word(text);
}

/**
 * How to take back what one call made: `what` names it for a person (variable() marks allowed),
 * `how` is the shell command that removes it. Both are read when the run fails, so the ids they
 * name have been captured by then.
 */
export interface Undo {
  what: string;
  how: string;
}

export class Script {
  readonly lines: string[] = [];
  section(title: string, ...why: string[]) {
    this.lines.push('', `# ── ${title} ${'─'.repeat(Math.max(3, 90 - title.length))}`, ...why.map((line) => `# ${line}`));
  }
  comment(text: string) {
    this.lines.push(`# ${text}`);
  }
  raw(...lines: string[]) {
    this.lines.push(...lines);
  }
  /** Records that this run made something, so a failed run removes it (and nothing else). */
  made(undo: Undo) {
    this.lines.push(`made ${word(undo.what)} ${shellQuote(undo.how)}`);
  }
  /**
   * `aws SERVICE ACTION --flag value ...`, one flag per line when long. Responses of calls whose
   * ids are not needed are dropped, unless `show` keeps them on screen; `undo` is recorded as soon
   * as the call has answered.
   */
  call(service: string, action: string, args: Array<[string, string?]>, capture?: {name: string; query: string}, options: {show?: boolean; undo?: Undo} = {}) {
    const parts = [`aws ${service} ${action}`, ...args.map(([flag, value]) => (value === undefined ? flag : `${flag} ${value}`))];
    if (capture) parts.push(`--query ${shellQuote(capture.query)}`, '--output text');
    let command = parts.join(' ').length <= 100 ? parts.join(' ') : parts.join(' \\\n    ');
    if (!capture && !options.show) command += ' >/dev/null';
    this.lines.push(capture ? `${capture.name}=$(${command})` : command);
    if (options.undo) this.made(options.undo);
    if (capture) this.lines.push(`echo "${capture.name}=$${capture.name}" >&2`);
  }
}
