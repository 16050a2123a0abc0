// The one writer: everything tandem prints goes through an Output (docs/design.md section 3).
// Human text goes to stderr (progress, warnings, errors) or stdout (a command's result); with
// `--output json` stdout carries only JSON, one object per line (docs/json-output.md).
//
// Text from AWS (names, tags, descriptions, error messages) and from the operator (profile values,
// arguments, file names) may hold escape sequences that drive the terminal. The writer makes it
// inert by default, so call sites need no inert() of their own (the text model is pure and shared
// with the domain renderers and the TUI: source/domain/safe-text.ts):
// - a plain string is untrusted: every line of it is made inert (the line breaks stay);
// - t`…${value}…` is tandem's own sentence: the literal parts are trusted, each interpolated value
//   is made inert whole (a line break in it is shown as \x0a, so a value cannot fake a line);
// - trusted(text) marks text tandem made itself and already made safe (a rendered table).
// JSON keeps every value as it is, escaped so no byte of it can drive a terminal either.
import {describe, describedLines, type Described} from './errors.js';
import {cell, isTrusted, rawText, safeText, t, trusted, type Text, type Trusted} from './domain/safe-text.js';
import type {Writable} from 'node:stream';
import {CLOSED_STREAM_CODES} from './closed-pipes.js';

export {cell, safeText, t, trusted, type Text, type Trusted};

/**
 * Characters JSON.stringify leaves raw that a terminal may still act on: DEL, the C1 controls
 * (U+009B is a one-character CSI), line and paragraph separators, bidirectional overrides. As
 * \uXXXX escapes they parse back to the same value, and no byte of them reaches a terminal.
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeJson(text: string): string {
  return text.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One JSON line (no newline), safe for a terminal; JSON.parse gives back exactly `value`. */
export function jsonLine(value: unknown): string {
  return escapeJson(JSON.stringify(value));
}

/** A whole JSON document, indented (explain --format json), safe for a terminal. */
export function jsonDocument(value: unknown): string {
  return `${escapeJson(JSON.stringify(value, null, 2))}\n`;
}

export type OutputMode = 'text' | 'json';

interface Streams {
  stdout: Writable & {isTTY?: boolean; columns?: number};
  stderr: Writable;
}

export interface Output {
  readonly mode: OutputMode;
  /** Terminal width for tables on stdout (`fallback` when it is not a terminal). */
  columns(fallback: number): number;
  /** A line for the person running tandem: stderr, in both modes. */
  say(text: Text): void;
  /** A prompt on stderr, without a line break (the answer is typed after it). */
  ask(text: Text): void;
  /**
   * The command's result as text: stdout. Ends with a line break (add one for a blank line). With
   * --output json it goes to stderr: stdout carries only JSON, whatever a command asks.
   */
  print(text: Text): void;
  /** One JSON object as a line on stdout. */
  json(value: object): void;
  /**
   * A whole document for stdout (explain, export, a profile), waited for until it is out. Returns
   * undefined, or one sentence when it never arrived (a full disk; a closed pipe is fine). A plain
   * string is made inert line by line when stdout is a terminal; sent to a file or a pipe it is
   * data (a YAML profile, a template) and goes as it is, so a value survives a round trip.
   */
  document(text: Text): Promise<string | undefined>;
  /** An error described (errors.ts) as `prefix: message` lines on stderr, with its next steps. */
  error(error: unknown, prefix?: string): Described;
}

export function createOutput(io: Streams, mode: OutputMode = 'text'): Output {
  const write = (stream: Writable, text: string) => void stream.write(text);
  return {
    mode,
    columns: (fallback) => io.stdout.columns || fallback,
    say: (text) => write(io.stderr, `${safeText(text)}\n`),
    ask: (text) => write(io.stderr, safeText(text)),
    print: (text) => write(mode === 'json' ? io.stderr : io.stdout, `${safeText(text)}\n`),
    json: (value) => write(io.stdout, `${jsonLine(value)}\n`),
    document: (text) => writeDocument(io.stdout, isTrusted(text) || !io.stdout.isTTY ? rawText(text) : safeText(text)),
    error: (error, prefix = 'tandem') => {
      const described = describe(error);
      write(io.stderr, `${describedLines(described, prefix)}\n`);
      return described;
    },
  };
}

/** The writer on the process's own streams, for the few places no command context reaches. */
export function processOutput(): Output {
  return createOutput({stdout: process.stdout, stderr: process.stderr});
}

/**
 * Writes a document to stdout and waits until it is out. A reader that went away (a closed pipe)
 * is fine, as everywhere; any other failure, such as a full disk, means the document never
 * arrived, so the caller gets one sentence to print and exits 1.
 */
export async function writeDocument(stream: Writable, text: string): Promise<string | undefined> {
  const error = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => stream.write(text, resolve));
  if (!error || CLOSED_STREAM_CODES.has(error.code ?? '')) return undefined;
  // "ENOSPC: no space left on device, write" -> "no space left on device (ENOSPC)"
  const reason = error.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return `could not write the output to stdout: ${reason}${error.code ? ` (${error.code})` : ''}`;
}
