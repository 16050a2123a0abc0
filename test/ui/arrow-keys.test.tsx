// ↑/↓ have one owner at a time: the focused ink-select-input list while the keymap gives it the
// arrows, the mode's reducer otherwise (a list found in the account, the review's findings, a
// text field). If both handled a press, the cursor would move twice; these tests press once and
// check it moved by one, on every kind of list, and across a change of focus.
import React from 'react';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App, type ProfileStoreLike} from '../../source/ui/app.js';
import {cleanupAll, enterUntil, KEY, panelText, press, renderAt, waitFor, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const flat = (text: string) => text.replace(/\s+/g, ' ');
const SHIFT_TAB = '\u001B[Z';
// The AMI id field's placeholder: the field is open only while "a specific AMI id…" is chosen.
const AMI_FIELD = 'ami-…';

function open(element: React.ReactElement) {
  const instance = renderAt(element);
  return {...instance, frame: () => flat(instance.lastFrame() ?? '')};
}

const explain = () => open(<App mode="explain" onExit={() => undefined} />);

describe('one press of ↓ moves one row', () => {
  test('on a wizard list: the highlight and the spec both move to the next option only', async () => {
    const app = explain();
    await waitForText(app, 'step 1 of 12');
    await press(app.stdin, KEY.down);
    // The list moved its highlight to the second image; had the reducer moved too, the spec would
    // be on the third ("a specific AMI id…") and its AMI id field would be open.
    expect(app.frame()).toContain('› Amazon Linux 2 (support ended');
    expect(app.frame()).not.toContain(AMI_FIELD);
    await press(app.stdin, 'j');
    expect(app.frame()).toContain('› a specific AMI id…');
    expect(app.frame()).toContain(AMI_FIELD);
    await press(app.stdin, 'k');
    expect(app.frame()).toContain('› Amazon Linux 2 (support ended');
    expect(app.frame()).not.toContain(AMI_FIELD);
  });

  test('on the review: the actions list moves by one, and so does the cursor on the findings', async () => {
    const app = explain();
    await enterUntil(app, 'What next');
    expect(app.frame()).toContain('› Save as profile');
    await press(app.stdin, KEY.down);
    expect(app.frame()).toContain('› Back');
    await press(app.stdin, KEY.up);
    expect(app.frame()).toContain('› Save as profile');
    // Tab to the findings: the actions list lets go of the arrows, the review's reducer takes them.
    await press(app.stdin, KEY.tab);
    expect(app.frame()).toContain('› HIGH Public IPv4 address');
    await press(app.stdin, KEY.down);
    expect(app.frame()).toContain('› HIGH Default subnet hands out public addresses');
    await press(app.stdin, KEY.tab);
    expect(app.frame()).toContain('› Save as profile');
  });

  test('on the resume offer: ↓ highlights Start fresh, and Enter starts fresh', async () => {
    let draft: {savedAt: string; stepIndex: number; spec: LaunchSpec} | undefined = {savedAt: '2026-03-04T09:30:00.000Z', stepIndex: 3, spec: defaultSpec()};
    const store = {save: () => undefined, loadDraft: () => draft, saveDraft: () => true, clearDraft: () => void (draft = undefined)} satisfies ProfileStoreLike;
    const app = open(<App mode="explain" profiles={store} offerResume onExit={() => undefined} />);
    await waitForText(app, 'Unfinished launch');
    expect(app.frame()).toContain('› Resume the unfinished launch');
    await press(app.stdin, KEY.down);
    expect(app.frame()).toContain('› Start fresh');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 1 of 12');
    expect(draft).toBeUndefined();
  });
});

describe('a change of focus', () => {
  // Ink renders each key's update before it hands over the next key of the same read, but the
  // lists it leaves let go of the keys only after that frame's effects: this test runs outside
  // act(), as in a terminal, so a key lands in that gap the way it does there.
  let actEnvironment: boolean | undefined;
  beforeEach(() => {
    actEnvironment = (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;
  });
  afterEach(() => {
    (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = actEnvironment;
  });

  test('a ↓ that arrives with the Tab leaving a list never moves that list behind the cursor', async () => {
    const app = explain();
    await waitForText(app, 'step 1 of 12');
    // Tab to Architecture and ↓ in one read: Ink hands the ↓ over before the image list has let go
    // of the keys. It is the architecture list's, which has the cursor, never the image list's.
    app.stdin.write(`${KEY.tab}${KEY.down}`);
    await waitFor(() => app.frame().includes('› arm64 (Graviton)'), 'the ↓ to move the architecture list', app.frame);
    // The panel follows the chosen image: still Amazon Linux 2023.
    expect(panelText(app.lastFrame() ?? '')).toContain('Publishes Amazon Linux 2023');
    app.stdin.write(SHIFT_TAB);
    await waitFor(() => app.frame().includes('• arm64 (Graviton)'), 'the focus back on the image list', app.frame);
    // Back on the image list, the highlight is on the chosen image, where Enter would take it.
    expect(app.frame()).toContain('› Amazon Linux 2023, latest');
    expect(app.frame()).not.toContain('› Amazon Linux 2 (support ended');
    app.stdin.write(KEY.down);
    await waitFor(() => app.frame().includes('› Amazon Linux 2 (support ended'), 'one ↓ to move the image list by one', app.frame);
    expect(app.frame()).not.toContain(AMI_FIELD);
  });
});
