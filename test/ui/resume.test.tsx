// Resuming an unfinished wizard: the answers are kept in the profile store's draft slot as the
// operator moves between screens and when they quit; the next plain `tandem` offers them back.
// A failed launch keeps them, a successful one or a saved profile ends them.
import {act} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {LaunchResult} from '../../source/domain/cloud.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {App, type ProfileStoreLike} from '../../source/ui/app.js';
import {REVIEW_INDEX} from '../../source/ui/wizard-state.js';
import {fakeCloud, type FakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const flat = (text: string) => text.replace(/\s+/g, ' ');

/** The real store under a temporary TANDEM_HOME. */
function tempStore() {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tandem-resume-'));
  return openProfileStore({env: {TANDEM_HOME: home}});
}

/** The same interface kept in memory, counting writes. */
function memoryStore() {
  let draft: {savedAt: string; stepIndex: number; spec: LaunchSpec} | undefined;
  const saved: string[] = [];
  let writes = 0;
  const store = {
    save: (name: string) => void saved.push(name),
    loadDraft: () => draft,
    saveDraft: (spec: LaunchSpec, stepIndex: number) => {
      writes += 1;
      draft = {savedAt: '2026-03-04T09:30:00.000Z', stepIndex, spec: structuredClone(spec)};
      return true;
    },
    clearDraft: () => void (draft = undefined),
  } satisfies ProfileStoreLike;
  return {store, saved, draft: () => draft, writes: () => writes};
}

function open(profiles: ProfileStoreLike, options: {cloud?: FakeCloud} = {}) {
  const exits: number[] = [];
  const element = options.cloud ? (
    <App
      mode="live"
      cloud={options.cloud}
      identity={identity}
      profiles={profiles}
      initialSpec={publicWebServerSpec()}
      offerResume
      makeLaunchId={() => 'l-20260101t120000-abcdef'}
      onExit={(code) => exits.push(code)}
    />
  ) : (
    <App mode="explain" profiles={profiles} offerResume onExit={(code) => exits.push(code)} />
  );
  const instance = renderAt(element);
  return {...instance, exits, frame: () => instance.lastFrame() ?? ''};
}

type Running = ReturnType<typeof open>;

/** Leaves the app the way the runner does after onExit (inside act, so React stays quiet). */
function unmount(app: Running) {
  act(() => app.unmount());
}

async function onAction(app: Running, label: string) {
  for (let guard = 0; !app.frame().includes(`› ${label}`); guard++) {
    if (guard > 15) throw new Error(`no "${label}" action; last frame:\n${app.frame()}`);
    await press(app.stdin, KEY.down);
  }
}

/** Walks to the tenancy screen, picks dedicated hardware, and quits there with q. */
async function walkAndQuit(app: Running) {
  await enterUntil(app, 'step 6 of 12');
  await press(app.stdin, KEY.down);
  await waitFor(() => flat(app.frame()).includes('› dedicated instance'), 'dedicated tenancy to be highlighted', app.frame);
  await press(app.stdin, 'q');
  expect(app.exits).toEqual([0]);
}

describe('resume an unfinished wizard', () => {
  test('quit on step 6, come back: the offer names the time and step; resume lands there with the answers', async () => {
    const store = tempStore();
    const first = open(store);
    await waitForText(first, 'step 1 of 12');
    expect(first.frame()).not.toContain('Resume');
    await walkAndQuit(first);
    unmount(first);

    const kept = store.loadDraft();
    expect(kept).toMatchObject({stepIndex: 5, spec: {instance: {tenancy: 'dedicated'}}});

    const second = open(store);
    await waitForText(second, 'Unfinished launch');
    const offer = flat(second.frame());
    expect(offer).toMatch(/› Resume the unfinished launch from \d{4}-\d\d-\d\d \d\d:\d\d \(step 6: Tenancy\)/);
    expect(offer).toContain('Start fresh');
    expect(offer).toContain('↑↓ choose · enter select');
    expect(offer).not.toContain('step 1 of 12');
    await press(second.stdin, KEY.enter);
    await waitForText(second, 'step 6 of 12');
    expect(flat(second.frame())).toContain('› dedicated instance');
    // The earlier answers travel on to the review.
    await enterUntil(second, 'What next');
    expect(flat(second.frame())).toContain('Dedicated instance costs');
  });

  test('start fresh forgets the draft and begins at step 1 with the defaults', async () => {
    const store = tempStore();
    const first = open(store);
    await walkAndQuit(first);
    unmount(first);

    const second = open(store);
    await waitForText(second, 'Unfinished launch');
    await press(second.stdin, KEY.down);
    await waitFor(() => flat(second.frame()).includes('› Start fresh'), 'Start fresh to be highlighted', second.frame);
    await press(second.stdin, KEY.enter);
    await waitForText(second, 'step 1 of 12');
    expect(store.loadDraft()).toBeUndefined();
    unmount(second);

    const third = open(store);
    await waitForText(third, 'step 1 of 12');
    expect(third.frame()).not.toContain('Unfinished launch');
  });

  test('quitting at the offer keeps the draft; quitting an untouched wizard keeps none', async () => {
    const memory = memoryStore();
    const untouched = open(memory.store);
    await waitForText(untouched, 'step 1 of 12');
    await press(untouched.stdin, 'q');
    expect(untouched.exits).toEqual([0]);
    expect(memory.draft()).toBeUndefined();
    unmount(untouched);

    memory.store.saveDraft({...defaultSpec(), instance: {...defaultSpec().instance, name: 'shop-1'}}, 3);
    const offered = open(memory.store);
    await waitForText(offered, 'step 4: Network');
    expect(flat(offered.frame())).toContain('launch shop-1');
    await press(offered.stdin, 'q');
    expect(offered.exits).toEqual([0]);
    expect(memory.draft()).toMatchObject({stepIndex: 3, spec: {instance: {name: 'shop-1'}}});
  });

  test('keys before the store has arrived still keep the draft, written when it does', async () => {
    const memory = memoryStore();
    let arrive: (store: ProfileStoreLike) => void = () => {};
    const later = new Promise<ProfileStoreLike>((resolve) => (arrive = resolve));
    const exits: number[] = [];
    const app = renderAt(<App mode="explain" profilesLater={later} offerResume onExit={(code) => exits.push(code)} />);
    const running = {...app, exits, frame: () => app.lastFrame() ?? ''};
    await enterUntil(running, 'step 2 of 12');
    await press(app.stdin, 'q');
    expect(exits).toEqual([0]);
    expect(memory.writes()).toBe(0);
    arrive(memory.store);
    await waitFor(() => memory.draft()?.stepIndex === 1, 'the draft once the store arrives', running.frame);
  });

  test('each step change is written after the frame, and what is typed but not yet entered is kept on ctrl+c', async () => {
    const memory = memoryStore();
    const app = open(memory.store);
    await enterUntil(app, 'step 2 of 12');
    await waitFor(() => memory.draft()?.stepIndex === 1, 'the draft to follow the step', app.frame);
    await enterUntil(app, 'step 3 of 12');
    await waitFor(() => memory.draft()?.stepIndex === 2, 'the draft to follow the next step', app.frame);
    // The instance-type screen also holds the Name tag: type a new one and leave without Enter.
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.backspace, 5);
    await type(app.stdin, 'shop-9');
    await press(app.stdin, KEY.ctrlC);
    expect(app.exits).toEqual([130]);
    expect(memory.draft()).toMatchObject({stepIndex: 2, spec: {instance: {name: 'shop-9'}}});
  });

  test('a rolled-back launch keeps the draft at the review; resuming lands on the review', async () => {
    const memory = memoryStore();
    const cloud = fakeCloud({
      script: async (spec, plan, options): Promise<LaunchResult> => {
        options.onEvent({type: 'step-failed', stepId: plan.steps[0].id, code: 'InsufficientInstanceCapacity', message: 'no capacity', ms: 10});
        options.onEvent({type: 'summary', launchId: options.launchId, status: 'rolled-back'});
        return {launchId: options.launchId, status: 'rolled-back', resources: []};
      },
    });
    const app = open(memory.store, {cloud});
    await enterUntil(app, 'step 6 of 12');
    await press(app.stdin, KEY.down);
    await enterUntil(app, 'What next');
    await onAction(app, 'Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Launch failed');
    expect(memory.draft()).toMatchObject({stepIndex: REVIEW_INDEX, spec: {instance: {tenancy: 'dedicated'}}});
    await press(app.stdin, KEY.enter);
    expect(app.exits).toEqual([1]);
    unmount(app);

    const again = open(memory.store, {cloud: fakeCloud()});
    // Discovery for step 1 starts with the first frame; let it answer inside act.
    await act(async () => new Promise((resolve) => setImmediate(resolve)));
    await waitForText(again, `step ${REVIEW_INDEX + 1}: Review`);
    await press(again.stdin, KEY.enter);
    await waitForText(again, 'What next');
    expect(flat(again.frame())).toContain('Dedicated instance costs');
    expect(again.frame()).toContain(`step ${REVIEW_INDEX + 1} of 12`);
  });

  test('resuming after a failed launch lands on the findings: one Enter does not launch again', async () => {
    const memory = memoryStore();
    memory.store.saveDraft({...publicWebServerSpec(), instance: {...defaultSpec('us-east-1').instance, tenancy: 'dedicated'}}, REVIEW_INDEX);
    const cloud = fakeCloud();
    const app = open(memory.store, {cloud});
    await act(async () => new Promise((resolve) => setImmediate(resolve)));
    await waitForText(app, `step ${REVIEW_INDEX + 1}: Review`);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'What next');
    expect(app.frame()).toMatch(/› (HIGH|MEDIUM|LOW) /);
    expect(app.frame()).toContain('a accept this risk');
    expect(app.frame()).not.toContain('› Launch');
    await press(app.stdin, KEY.enter);
    expect(cloud.launches).toEqual([]);
    // Tab goes to the actions, where Launch still launches.
    await press(app.stdin, KEY.tab);
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitFor(() => cloud.launches.length === 1, 'the launch', app.frame);
  });

  test('a successful launch ends the draft', async () => {
    const memory = memoryStore();
    const app = open(memory.store, {cloud: fakeCloud()});
    await enterUntil(app, 'What next');
    await waitFor(() => memory.draft() !== undefined, 'a draft while walking', app.frame);
    await onAction(app, 'Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Verification: 2 passed');
    expect(memory.draft()).toBeUndefined();
  });

  test('saving the answers as a profile ends the draft', async () => {
    const memory = memoryStore();
    const app = open(memory.store);
    await enterUntil(app, 'What next');
    await waitFor(() => memory.draft() !== undefined, 'a draft while walking', app.frame);
    await onAction(app, 'Save as profile');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Profile name');
    await press(app.stdin, KEY.backspace, 5);
    await type(app.stdin, 'web-prod');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'saved as profile "web-prod"');
    expect(memory.saved).toEqual(['web-prod']);
    expect(memory.draft()).toBeUndefined();
  });
});
