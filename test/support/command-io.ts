// Running a command in-process the way cli.tsx does, with captured output: what scripts would see
// on stdout and stderr, and the exit code.
import {Readable, Writable} from 'node:stream';
import type {CommandContext, CommandRunner, GlobalFlags} from '../../source/commands/types.js';

/** A stream that keeps what was written; not a terminal unless a test says so. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  columns?: number;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** The flags cli.tsx passes when none are given (colour off, as in tests). */
export const DEFAULT_FLAGS: GlobalFlags = {color: false, yes: false, dryRun: false, force: false, keep: false};

export async function runCommand(
  run: CommandRunner,
  args: string[],
  options: {flags?: Partial<GlobalFlags>; env?: NodeJS.ProcessEnv; columns?: number} = {},
): Promise<{code: number; stdout: string; stderr: string}> {
  const stdout = new Capture();
  const stderr = new Capture();
  if (options.columns) stdout.columns = options.columns;
  const context: CommandContext = {
    args,
    flags: {...DEFAULT_FLAGS, ...options.flags},
    io: {stdin: Readable.from([]), stdout, stderr, env: options.env ?? {}},
  };
  const code = await run(context);
  return {code, stdout: stdout.text, stderr: stderr.text};
}
