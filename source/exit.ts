// Exit codes and the bad-usage error: a leaf module, so the store, the AWS adapter and the UI can
// report "bad input, exit 2" without importing the command layer that sits above them.

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  verificationFailed: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage or bad input: reported as one clear line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}
