// What every command receives and returns. Commands are shared by the TUI and the
// non-interactive path, and never call process.exit themselves: they return an exit code.
import type {Readable, Writable} from 'node:stream';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  verificationFailed: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

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
  name?: string;
}

export interface CommandIO {
  stdin: Readable & {isTTY?: boolean};
  stdout: Writable & {isTTY?: boolean; columns?: number};
  stderr: Writable & {isTTY?: boolean};
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  flags: GlobalFlags;
  io: CommandIO;
}

export type CommandRunner = (context: CommandContext) => Promise<number>;

/** Bad usage or bad input: reported as one clear line, exit 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** True when a person can answer prompts: both stdin and stdout are terminals. */
export function isInteractive(io: CommandIO): boolean {
  return Boolean(io.stdin.isTTY && io.stdout.isTTY);
}
