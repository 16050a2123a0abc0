// The one error describer: anything thrown becomes {code, message, next} for the CLI's last line,
// the JSON output and the TUI. AWS errors keep their code verbatim (operators search for it);
// nothing prints a stack. Which AWS errors mean what is decided in source/aws/errors.ts (no SDK
// import there either), so the domain stays free of it.
import {AwsCallError, awsNextSteps, CHECK_THE_NETWORK, classifyAwsError, isAwsError, StepError} from './aws/errors.js';
import {safeText} from './domain/safe-text.js';
import {TANDEM_CODES, TandemError, type TandemCode} from './tandem-error.js';

/** Where an error came from: tandem itself, an AWS answer, the operating system, or unknown code. */
export type ErrorSource = 'tandem' | 'aws' | 'system' | 'unknown';

/**
 * A tandem code, or a code passed on verbatim: AWS's (`UnauthorizedOperation`, `HTTP503`), Node's
 * (`ENOENT`), or the name of an unexpected error class (`TypeError`).
 */
export type ErrorCode = TandemCode | (string & Record<never, never>);

export interface Described {
  code: ErrorCode;
  /** One message a person can act on; a list of problems is one per line. */
  message: string;
  /** What the operator can do, one sentence each; empty when the message says it all. */
  next: string[];
  source: ErrorSource;
}

const CHECK_PERMISSIONS = 'check the permissions of the file or folder named above (TANDEM_HOME moves where tandem keeps its state)';

const SYSTEM_NEXT: Record<string, string> = {
  EACCES: CHECK_PERMISSIONS,
  EPERM: CHECK_PERMISSIONS,
  EROFS: 'that file system is read-only: point TANDEM_HOME at a writable folder',
  ENOSPC: 'free some disk space and run again',
  ...Object.fromEntries(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN'].map((code) => [code, CHECK_THE_NETWORK])),
};

function isSystemError(error: unknown): error is NodeJS.ErrnoException & {code: string} {
  if (!(error instanceof Error)) return false;
  const {code, syscall, errno} = error as NodeJS.ErrnoException;
  return typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code) && (syscall !== undefined || errno !== undefined);
}

function describeTandem(error: TandemError): Described {
  // StepError, AwsCallError and KeyFileError carry a code of their own (AWS's, or the key file's).
  const own = (error as {code?: unknown}).code;
  if (typeof own === 'string' && own) {
    const fromAws = error instanceof StepError || error instanceof AwsCallError;
    return {code: own, message: error.message, next: [...error.next, ...(fromAws ? awsNextSteps(error) : [])], source: fromAws ? 'aws' : 'tandem'};
  }
  const code = (error.constructor as {code?: TandemCode}).code ?? 'tandem';
  return {code, message: error.message, next: [...error.next], source: 'tandem'};
}

/** Any thrown thing as {code, message, next, source}. The message is as given: print it through the writer. */
export function describe(error: unknown): Described {
  if (error instanceof TandemError) return describeTandem(error);
  if (isAwsError(error)) return {...classifyAwsError(error), source: 'aws'};
  if (isSystemError(error)) {
    // "ENOENT: no such file or directory, open 'x'": the code is the code, the rest the message.
    const message = error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : error.message;
    const next = SYSTEM_NEXT[error.code];
    return {code: error.code, message, next: next ? [next] : [], source: 'system'};
  }
  if (error instanceof Error) {
    const named = error.name && error.name !== 'Error' ? error.name : undefined;
    return {code: named ?? 'unexpected', message: error.message, next: [], source: 'unknown'};
  }
  return {code: 'unexpected', message: String(error), next: [], source: 'unknown'};
}

/** tandem's own codes are not shown in text (the message says it); AWS's and Node's lead the message. */
function showsCode(code: string): boolean {
  return !(TANDEM_CODES as readonly string[]).includes(code);
}

/** `CODE: message`, or just the message for tandem's own codes; not yet inert. */
export function headline(described: Described): string {
  return showsCode(described.code) ? `${described.code}: ${described.message}` : described.message;
}

/** The error as text, not yet inert: the headline, then `  next: …` lines. */
export function describedText(described: Described): string {
  return [headline(described), ...described.next.map((step) => `  next: ${step}`)].join('\n');
}

/** The error's message lines, each made inert (lines stay lines); no next steps. For one-line uses. */
export function describeError(error: unknown): string {
  return safeText(headline(describe(error)));
}

/**
 * What the CLI prints for an error it stops on: every message line starts with `tandem:` (a list
 * of problems reads as one message per line), as the commands that print their own errors do.
 * Indented lines (next steps among them) continue the line above, and a `usage:` line stands as it is.
 */
export function cliErrorText(error: unknown): string {
  return describedLines(describe(error));
}

/** A described error as printed: inert, each message line prefixed (`tandem: `), next steps indented below. */
export function describedLines(described: Described, prefix = 'tandem'): string {
  return safeText(describedText(described))
    .split('\n')
    .map((line) => (line === '' || /^\s/.test(line) || line.startsWith('usage:') ? line : `${prefix}: ${line}`))
    .join('\n');
}
