// Streams that look like a terminal to Ink, for tests that run the interactive runner itself
// (it renders and re-renders on its own): what it drew is read back without escape sequences.
import {EventEmitter} from 'node:events';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import type {CommandContext} from '../../source/context.js';
import {stripAnsi} from '../support/ansi.js';

/** Streams that look like a terminal to Ink: stdin with raw mode, stdout with a size. */
export function terminalIO(env: NodeJS.ProcessEnv = {}) {
  const probe = render(<Text />);
  const probeStdin: object = probe.stdin;
  probe.unmount();
  probe.cleanup();
  const Stdin = probeStdin.constructor as new (options?: {isTTY?: boolean}) => EventEmitter & {write: (data: string) => void; isTTY: boolean};
  const stdin = new Stdin({isTTY: true});
  let written = '';
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns: 100,
    rows: 40,
    write: (chunk: string) => {
      written += chunk;
      return true;
    },
  });
  const stderr = Object.assign(new EventEmitter(), {write: () => true});
  const screen = () => stripAnsi(written);
  return {io: {stdin, stdout, stderr, env} as unknown as CommandContext['io'], stdin, screen};
}
