// What every command receives: the parsed global flags and the process's streams. A leaf module,
// so the AWS adapter and the UI read the flags without importing the command layer.
import type {Readable, Writable} from 'node:stream';

export interface GlobalFlags {
  region?: string;
  /** AWS credentials profile, as in the AWS CLI (not a tandem launch profile). */
  profile?: string;
  endpointUrl?: string;
  color: boolean;
  output?: string;
  format?: string;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  keep: boolean;
  /** verify: an unaccepted checker failure also exits 3. */
  strict?: boolean;
  name?: string;
  /** Fleet targets and StackSets preferences, as given (checked by the fleet commands). */
  regions?: string;
  accounts?: string;
  orgUnits?: string;
  maxConcurrent?: string;
  failureTolerance?: string;
  /** --accept-risk FINDING=REASON, repeatable. */
  acceptRisk?: string[];
}

export interface CommandIO {
  stdin: Readable & {isTTY?: boolean};
  stdout: Writable & {isTTY?: boolean; columns?: number; rows?: number};
  stderr: Writable & {isTTY?: boolean};
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  flags: GlobalFlags;
  io: CommandIO;
}

/** True when a person can answer prompts: both stdin and stdout are terminals. */
export function isInteractive(io: CommandIO): boolean {
  return Boolean(io.stdin.isTTY && io.stdout.isTTY);
}
