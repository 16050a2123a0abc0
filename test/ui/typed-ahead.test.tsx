// Keys typed ahead of the screen (a busy terminal, a slow SSH link) reach Ink in one read, and Ink
// hands a run of plain characters over as one input. Each key must still act, in order, on the
// screen the previous one produced.
import {act} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {firstKeyPiece, isKeyRun} from '../../source/ui/key-pieces.js';
import {cleanupAll, renderAt, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const NONE = {ctrl: false, meta: false, escape: false} as Parameters<typeof isKeyRun>[1];

/** Writes several keys as one chunk, the way a terminal delivers keys typed ahead. */
async function writeTogether(stdin: {write: (data: string) => void}, keys: string): Promise<void> {
  await act(async () => {
    stdin.write(keys);
  });
}

describe('keys that arrive together', () => {
  test('are taken apart: control keys one by one, text whole only while a field has the focus', () => {
    expect(isKeyRun('\tapp', NONE, false)).toBe(true);
    expect(isKeyRun('app-010', NONE, true)).toBe(false); // a paste into a field
    expect(isKeyRun('qq', NONE, false)).toBe(true);
    expect(isKeyRun('\u007F\u007F', NONE, true)).toBe(true);
    expect(firstKeyPiece('\tapp', false)).toMatchObject({input: '', key: {tab: true}, length: 1});
    expect(firstKeyPiece('app\r', true)).toMatchObject({input: 'app', length: 3});
    expect(firstKeyPiece('app\r', false)).toMatchObject({input: 'a', length: 1});
    expect(firstKeyPiece('\r\r', false)).toMatchObject({key: {return: true}, length: 1});
    expect(firstKeyPiece('\u007F\u007Fab', true)).toMatchObject({input: '\u007F\u007F', key: {backspace: true}, length: 2});
    expect(firstKeyPiece('\u0015x', true)).toMatchObject({input: 'u', key: {ctrl: true}, length: 1});
  });

  test('three Enters in one read move the wizard three steps', async () => {
    const app = renderAt(<App mode="explain" onExit={() => undefined} />, 100);
    await waitForText(app, 'step 1 of 12');
    await writeTogether(app.stdin, '\r\r\r');
    await waitForText(app, 'step 4 of 12');
    expect(app.lastFrame()).not.toContain('step 5 of 12');
  });
});
