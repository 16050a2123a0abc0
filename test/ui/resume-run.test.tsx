// The runner opens the profile store after the first frame; a draft left by an earlier run then
// turns the first screen into the resume offer (only for a plain `tandem`, not for a profile).
import {EventEmitter} from 'node:events';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import type {CommandContext} from '../../source/context.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {stripAnsi} from '../support/ansi.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {runInteractive} from '../../source/ui/run.js';
import {waitFor} from './helpers.js';

// runInteractive renders on its own, as in production: watch the terminal, not act().
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;

const flags = {color: false, yes: false, dryRun: false, force: false, keep: false};

function terminal(env: NodeJS.ProcessEnv) {
  const probe = render(<Text />);
  const Stdin = (probe.stdin as object).constructor as new (options?: {isTTY?: boolean}) => EventEmitter & {write: (data: string) => void};
  probe.unmount();
  probe.cleanup();
  const stdin = new Stdin({isTTY: true});
  let written = '';
  const stdout = Object.assign(new EventEmitter(), {isTTY: true, columns: 100, rows: 40, write: (chunk: string) => ((written += chunk), true)});
  const stderr = Object.assign(new EventEmitter(), {write: () => true});
  const screen = () => stripAnsi(written).replace(/\s+/g, ' ');
  return {io: {stdin, stdout, stderr, env} as unknown as CommandContext['io'], stdin, screen};
}

function homeWithDraft() {
  const env = {TANDEM_HOME: mkdtempSync(path.join(os.tmpdir(), 'tandem-resume-run-'))};
  const spec = {...defaultSpec(), instance: {...defaultSpec().instance, name: 'shop-7'}};
  openProfileStore({env}).saveDraft(spec, 6);
  return env;
}

describe('runInteractive with a kept draft', () => {
  test('a plain tandem offers it once the store is open; resume lands on step 7 with the answers', async () => {
    const env = homeWithDraft();
    const term = terminal(env);
    let exited: number | undefined;
    const running = runInteractive({
      context: {args: [], flags, io: term.io},
      spec: defaultSpec(),
      startAtReview: false,
      offerResume: true,
      connect: async () => ({cloud: null, reason: 'no AWS credentials found'}),
    }).then((code) => (exited = code));
    await waitFor(() => term.screen().includes('(step 7: Storage)'), 'the resume offer', term.screen);
    expect(term.screen()).toContain('launch shop-7');
    // Right after the offer's frame: the key must reach the offer, not the wizard behind it.
    term.stdin.write('\r');
    await waitFor(() => term.screen().includes('step 7 of 12'), 'the storage step', term.screen);
    term.stdin.write('\u0003');
    await waitFor(() => exited !== undefined, 'tandem to exit', term.screen);
    await running;
    expect(openProfileStore({env}).loadDraft()).toMatchObject({stepIndex: 6, spec: {instance: {name: 'shop-7'}}});
  });

  test('tandem launch PROFILE (startAtReview, no offer) goes straight to the review', async () => {
    const env = homeWithDraft();
    const term = terminal(env);
    let exited: number | undefined;
    const running = runInteractive({
      context: {args: ['web'], flags, io: term.io},
      spec: defaultSpec(),
      startAtReview: true,
      offerResume: false,
      connect: async () => ({cloud: null, reason: 'no AWS credentials found'}),
    }).then((code) => (exited = code));
    await waitFor(() => term.screen().includes('explain mode — nothing will be created (no AWS credentials found)'), 'the connection outcome', term.screen);
    await waitFor(() => term.screen().includes('step 12 of 12'), 'the review', term.screen);
    expect(term.screen()).not.toContain('Unfinished launch');
    term.stdin.write('q');
    await waitFor(() => exited !== undefined, 'tandem to exit', term.screen);
    await running;
  });
});
