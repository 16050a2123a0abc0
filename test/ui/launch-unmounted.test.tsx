// A render that throws while a launch runs is caught by Ink, which unmounts the app: no screen is
// left to watch the launch. The launch is stopped and rolled back as on Ctrl+C, and tandem exits 1
// saying so, or naming `tandem destroy ID` when something is left.
import {EventEmitter} from 'node:events';
import {describe, expect, test} from 'vitest';
import type {CommandContext} from '../../source/context.js';
import type {CreatedResource, LaunchOptions} from '../../source/domain/cloud.js';
import {runInteractive} from '../../source/ui/run.js';
import {stripAnsi} from '../support/ansi.js';
import {fakeCloud} from './fake-cloud.js';
import {waitFor} from './helpers.js';
import {terminalIO} from './terminal-io.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

// runInteractive renders on its own, as in production: no act() around its updates.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;

const flags = {color: false, yes: false, dryRun: false, force: false, keep: false};
const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

/**
 * A launch whose first step reports what the progress screen cannot draw (no resources list: a
 * render that throws), then waits to be stopped and rolls back, leaving `left` behind.
 */
function breaksTheScreen(left: CreatedResource[]) {
  const seen: {options?: LaunchOptions} = {};
  const cloud = fakeCloud({
    script: async (spec, plan, options) => {
      seen.options = options;
      const step = plan.steps[0];
      options.onEvent({type: 'launch-started', launchId: options.launchId, steps: plan.steps.map((item) => ({id: item.id, action: item.action, controls: item.controls}))});
      options.onEvent({type: 'step-started', stepId: step.id, action: step.action});
      options.onEvent({type: 'step-done', stepId: step.id, ms: 5, resources: undefined as unknown as CreatedResource[]});
      await new Promise<void>((resolve) => (options.signal?.aborted ? resolve() : options.signal?.addEventListener('abort', () => resolve())));
      options.onEvent({type: 'rollback-started', launchId: options.launchId});
      options.onEvent({type: 'summary', launchId: options.launchId, status: 'interrupted'});
      return {launchId: options.launchId, status: 'interrupted', resources: left};
    },
  });
  return {cloud, seen};
}

async function run(left: CreatedResource[]) {
  const terminal = terminalIO();
  let err = '';
  const io = {...terminal.io, stderr: Object.assign(new EventEmitter(), {write: (chunk: string) => ((err += chunk), true)})} as unknown as CommandContext['io'];
  const {cloud, seen} = breaksTheScreen(left);
  let code: number | undefined;
  const running = runInteractive({
    context: {args: [], flags, io},
    spec: publicWebServerSpec(),
    startAtReview: true,
    profiles: {save: () => undefined},
    connect: async () => ({cloud, identity}),
  }).then((exit) => (code = exit));
  await waitFor(() => terminal.screen().includes('account 123456789012'), 'the review with credentials', terminal.screen);
  // The actions as last drawn: move up onto Launch, then Enter.
  const actions = () => terminal.screen().slice(terminal.screen().lastIndexOf('What next'));
  for (let guard = 0; !actions().includes('› Launch'); guard++) {
    if (guard > 6) throw new Error(`no Launch action:\n${actions()}`);
    terminal.stdin.write('\u001B[A');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  terminal.stdin.write('\r');
  await waitFor(
    () => code !== undefined,
    'tandem to exit',
    () => `${terminal.screen()}\n--- stderr ---\n${err}`,
  );
  await running;
  return {code, err: stripAnsi(err), options: seen.options};
}

describe('the screen stops during a launch', () => {
  test('the launch is stopped and rolled back; tandem exits 1 saying so', async () => {
    const {code, err, options} = await run([]);
    expect(options?.signal?.aborted).toBe(true);
    expect(code).toBe(1);
    expect(err).toContain(`tandem: the screen stopped during launch ${options?.launchId}`);
    expect(err).toContain('so the launch was stopped and what it had created was rolled back');
    // The render really threw (the step's missing resources list), and Ink caught it.
    expect(err).toMatch(/Cannot read properties of undefined/);
  });

  test('something left after the rollback: tandem exits 1 naming tandem destroy ID', async () => {
    const {code, err, options} = await run([{kind: 'vpc', id: 'vpc-0left', stepId: 'vpc', region: 'us-east-1'}]);
    expect(options?.signal?.aborted).toBe(true);
    expect(code).toBe(1);
    expect(err).toContain(`remove what is left with: tandem destroy ${options?.launchId}`);
  });
});
