// The review's own text fields (the reason a risk is accepted, the profile name) refuse a pasted
// private key as the wizard's fields do: no frame ever shows a line of it, and nothing keeps it.
import {act} from 'react';
import {afterEach, expect, test} from 'vitest';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {keySamples} from '../support/key-samples.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

function sshOpenToWorld(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {...spec, securityGroup: {...spec.securityGroup, ssh: '0.0.0.0/0'}, keyPair: {mode: 'existing', name: 'ops-key'}};
}

function start(spec: LaunchSpec) {
  const cloud = fakeCloud();
  const saved: Array<{name: string; spec: LaunchSpec}> = [];
  const profiles = {has: () => false, save: (name: string, saving: LaunchSpec) => void saved.push({name, spec: saving})};
  const instance = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview profiles={profiles} makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} />,
    110,
  );
  return {...instance, cloud, saved, frame: () => instance.lastFrame() ?? ''};
}

/** Pastes `key` as a terminal delivers it (lines ending in CR) in `reads` reads. */
async function paste(stdin: {write: (data: string) => void}, key: string, reads: number) {
  const pasted = key.replace(/\n/g, '\r');
  const size = Math.ceil(pasted.length / reads);
  for (let index = 0; index < reads; index++) {
    await act(async () => {
      stdin.write(pasted.slice(index * size, (index + 1) * size));
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }
}

function expectNoKeyDrawn(frames: string[], key: string) {
  const keyLines = key
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 8);
  for (const drawn of frames) {
    for (const line of keyLines) expect(drawn.includes(line), `a frame shows the key line ${line.slice(0, 12)}…`).toBe(false);
    expect(drawn).not.toContain('PRIVATE KEY');
  }
}

test.each([
  ['pkcs8', 1],
  ['openssh', 3],
] as const)('a %s private key pasted (in %i reads) as the reason for accepting a risk is withheld, never drawn, and accepts nothing', async (format, reads) => {
  const key = keySamples().privates[format];
  const spec = sshOpenToWorld();
  // Launch asks one reason for every high risk still open (the default web server has several).
  const open = unacceptedHighRisks(spec).length;
  expect(open).toBeGreaterThan(1);
  const app = start(spec);
  await waitForText(app, '› Launch');
  await press(app.stdin, KEY.enter);
  await waitForText(app, `Why are these ${open} high risks acceptable here?`);
  await paste(app.stdin, key, reads);
  await waitFor(() => app.frame().includes('that is a private key (withheld, not shown)'), 'the withheld notice', app.frame);
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'say why this risk is acceptable');
  expect(app.cloud.launches).toEqual([]);
  // The field still takes a real reason.
  await type(app.stdin, 'lab box');
  await press(app.stdin, KEY.enter);
  await waitForText(app, `accepted ${open} findings as recorded risks`);
  expectNoKeyDrawn(app.frames, key);
});

test('a private key pasted into the profile name is withheld, never drawn, and saves nothing', async () => {
  const key = keySamples().privates.pkcs1;
  const app = start(defaultSpec('us-east-1'));
  await waitForText(app, '› Launch');
  for (let guard = 0; !app.frame().includes('› Save as profile'); guard++) {
    if (guard > 6) throw new Error(`no Save as profile action:\n${app.frame()}`);
    await press(app.stdin, KEY.down);
  }
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'Profile name');
  await paste(app.stdin, key, 1);
  await waitFor(() => app.frame().includes('that is a private key (withheld, not shown)'), 'the withheld notice', app.frame);
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'type a name for the profile');
  expect(app.saved).toEqual([]);
  expectNoKeyDrawn(app.frames, key);
});
