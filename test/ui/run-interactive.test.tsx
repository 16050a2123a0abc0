// The launch command and the interactive runner: no terminal means exit 2 with the scriptable
// alternative; with a terminal the first frame shows before AWS is consulted, and the header
// then says either the account or why tandem stays in explain mode.
import {EventEmitter} from 'node:events';
import {describe, expect, test} from 'vitest';
import {run, NEEDS_TERMINAL} from '../../source/commands/launch.js';
import type {CommandContext} from '../../source/context.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {runInteractive} from '../../source/ui/run.js';
import {stripAnsi} from '../support/ansi.js';
import {deferred, fakeCloud} from './fake-cloud.js';
import {waitFor} from './helpers.js';
import {terminalIO} from './terminal-io.js';

// runInteractive renders and re-renders on its own, as in production, so these tests watch the
// terminal output instead of wrapping updates in act().
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;

const flags = {color: false, yes: false, dryRun: false, force: false, keep: false};

function pipedIO() {
  let out = '';
  let err = '';
  const io = {
    stdin: Object.assign(new EventEmitter(), {isTTY: false}),
    stdout: Object.assign(new EventEmitter(), {isTTY: false, write: (chunk: string) => ((out += chunk), true)}),
    stderr: Object.assign(new EventEmitter(), {isTTY: false, write: (chunk: string) => ((err += chunk), true)}),
    env: {},
  } as unknown as CommandContext['io'];
  return {io, out: () => out, err: () => err};
}

describe('tandem launch', () => {
  test('without a terminal it names the non-interactive way and exits 2', async () => {
    const piped = pipedIO();
    expect(await run({args: [], flags, io: piped.io})).toBe(2);
    expect(piped.err()).toBe(`${NEEDS_TERMINAL}\n`);
    expect(piped.out()).toBe('');
  });

  test('bad usage is a UsageError', async () => {
    const piped = pipedIO();
    await expect(run({args: ['a', 'b'], flags, io: piped.io})).rejects.toThrow(/at most one PROFILE/);
    await expect(run({args: [], flags: {...flags, output: 'yaml'}, io: piped.io})).rejects.toThrow(/--output must be json or text/);
  });
});

/** Runs the wizard in a fake terminal; `leave` types a key and resolves with the exit code. */
function openWizard(connect: Parameters<typeof runInteractive>[0]['connect'], terminal = terminalIO()) {
  let exited: number | undefined;
  const running = runInteractive({
    context: {args: [], flags, io: terminal.io},
    spec: defaultSpec(),
    startAtReview: false,
    profiles: {save: () => undefined},
    connect,
  }).then((code) => (exited = code));
  return {
    terminal,
    leave: async (key: string): Promise<number | undefined> => {
      terminal.stdin.write(key);
      await waitFor(() => exited !== undefined, 'tandem to exit', terminal.screen);
      await running;
      return exited;
    },
  };
}

describe('runInteractive', () => {
  test('first frame before AWS is consulted; then the account in the header; q exits 0', async () => {
    const connected = deferred<{cloud: ReturnType<typeof fakeCloud>; identity: {account: string; arn: string; region: string}}>();
    const {terminal, leave} = openWizard(() => connected.promise);
    await waitFor(() => terminal.screen().includes('checking for AWS credentials'), 'the first frame, before credentials are known', terminal.screen);
    connected.resolve({cloud: fakeCloud(), identity: {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'eu-west-1'}});
    await waitFor(() => terminal.screen().includes('account 123456789012 · eu-west-1'), 'the account in the header', terminal.screen);
    expect(await leave('q')).toBe(0);
    expect(terminal.screen()).toBeTruthy();
  });

  test('the first frame is the step with its choices and cursor; the responsibility panel and help line come in the next', async () => {
    const terminal = terminalIO();
    const writes: string[] = [];
    const stdout = terminal.io.stdout as unknown as {write: (chunk: string) => boolean};
    const write = stdout.write;
    stdout.write = (chunk: string) => (writes.push(stripAnsi(chunk)), write(chunk));
    const {leave} = openWizard(() => new Promise(() => undefined), terminal);
    await waitFor(() => terminal.screen().includes('Image provenance'), 'the responsibility panel', terminal.screen);
    const first = writes.find((chunk) => chunk.includes('step 1 of'));
    expect(first).toContain('checking for AWS credentials');
    expect(first).toContain('› Amazon Linux 2023, latest');
    expect(first).toContain('x86_64 (Intel and AMD)');
    expect(first).not.toContain('Image provenance');
    expect(first).not.toContain('enter next');
    await waitFor(() => terminal.screen().includes('↑↓ choose · enter next'), 'the help line', terminal.screen);
    expect(await leave('q')).toBe(0);
  });

  test('no credentials: explain mode, and the header says why', async () => {
    const {terminal, leave} = openWizard(async () => ({cloud: null, reason: 'no AWS credentials found'}));
    await waitFor(() => terminal.screen().includes('explain mode — nothing will be created (no AWS credentials found)'), 'the explain-mode header', terminal.screen);
    expect(await leave('\u0003')).toBe(130);
  });
});
