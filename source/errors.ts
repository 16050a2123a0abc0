import {inert} from './domain/sanitize.js';

// One line a person can act on, for any error: AWS errors keep their code, nothing prints a stack.
// Messages echo what was typed or read from files, so every line is made inert (lines stay lines).
export function describeError(error: unknown): string {
  return rawDescription(error).split('\n').map(inert).join('\n');
}

/**
 * What the CLI prints for an error it stops on: every message line starts with `tandem:` (a list
 * of problems reads as one message per line), as the commands that print their own errors do.
 * Indented lines continue the line above, and a `usage:` line stands as it is.
 */
export function cliErrorText(error: unknown): string {
  return describeError(error)
    .split('\n')
    .map((line) => (line === '' || /^\s/.test(line) || line.startsWith('usage:') ? line : `tandem: ${line}`))
    .join('\n');
}

function rawDescription(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as {name?: string; Code?: string}).Code ?? error.name;
    const generic = !code || code === 'Error' || code === 'UsageError';
    return generic ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}
