// What every command receives and returns. Commands are shared by the TUI and the
// non-interactive path, and never call process.exit themselves: they return an exit code.
// The exit codes, UsageError and the flags live in leaf modules (../exit.ts, ../context.ts) so
// lower layers need not import this one; they are re-exported here for the commands.
import type {CommandContext} from '../context.js';

export {EXIT, UsageError, type ExitCode} from '../exit.js';
export {isInteractive, type CommandContext, type CommandIO, type GlobalFlags} from '../context.js';

export type CommandRunner = (context: CommandContext) => Promise<number>;
