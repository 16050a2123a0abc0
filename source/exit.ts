// Exit codes and the bad-usage error: a leaf module, so the store, the AWS adapter and the UI can
// report "bad input, exit 2" without importing the command layer that sits above them.
import {TandemError, brandFor} from './tandem-error.js';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  verificationFailed: 3,
  interrupted: 130,
  /** SIGTERM (CI time-outs, `timeout`, `docker stop`): 128 + 15. */
  terminated: 143,
  /** SIGHUP (a dropped SSH session): 128 + 1. */
  hungUp: 129,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage or bad input: reported as one clear line, exit 2. */
export class UsageError extends TandemError {
  static override readonly brand = brandFor('UsageError');
  static override readonly code = 'usage';
  readonly exitCode = EXIT.usage;
}
