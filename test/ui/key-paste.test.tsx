// A private key pasted where the wizard asks for the path of a public key file is recognised and
// withheld: no frame ever shows a line of it, the field empties, and it says what to give instead.
import {act} from 'react';
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {keySamples} from '../support/key-samples.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitFor} from './helpers.js';

afterEach(() => cleanupAll());

/** The line under the field's label: its value, with the focus mark when it has the focus. */
function fieldLine(frame: string, label: string): string {
  const lines = frame.split('\n');
  const at = lines.findIndex((line) => line.includes(label));
  return at === -1 ? '' : (lines[at + 1] ?? '');
}

test.each([
  ['pkcs8', 1],
  ['pkcs1', 1],
  ['openssh', 1],
  ['pkcs1', 3],
] as const)('a pasted %s private key (in %i reads) never reaches the screen, and the field asks for a public key file', async (format, reads) => {
  const samples = keySamples();
  const key = samples.privates[format];
  const app = renderAt(<App mode="explain" onExit={() => undefined} />, 100);
  const frame = () => app.lastFrame() ?? '';
  await enterUntil(app, 'import your public key');
  for (let guard = 0; !frame().includes('› import your public key'); guard++) {
    if (guard > 6) throw new Error(`could not choose import:\n${frame()}`);
    await press(app.stdin, KEY.up);
  }
  for (let guard = 0; !fieldLine(frame(), 'Public key file').includes('›'); guard++) {
    if (guard > 6) throw new Error(`the public key field never took the focus:\n${frame()}`);
    await press(app.stdin, KEY.tab);
  }
  await press(app.stdin, '\u0015');
  // Pasted as a terminal delivers it: one read, lines ending in CR.
  // A long paste may reach tandem in several reads, cut anywhere after its first line.
  const pasted = key.replace(/\n/g, '\r');
  const first = pasted.indexOf('\r') + 1;
  const size = Math.ceil((pasted.length - first) / reads);
  const chunks = [pasted.slice(0, first + size), ...Array.from({length: reads - 1}, (_, index) => pasted.slice(first + size * (index + 1), first + size * (index + 2)))];
  for (const chunk of chunks) {
    await act(async () => {
      app.stdin.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
  }
  await waitFor(() => frame().includes('✗ that is a private key (withheld, not') && frame().includes('give the path to a public key file'), 'the withheld notice', frame);
  const keyLines = key
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 8);
  for (const drawn of app.frames) {
    for (const line of keyLines) expect(drawn.includes(line), `a frame shows the key line ${line.slice(0, 12)}…`).toBe(false);
    expect(drawn).not.toContain('PRIVATE KEY');
  }
  // The field is empty and still takes a real path.
  await type(app.stdin, '/tmp/x.pub');
  await waitFor(() => fieldLine(frame(), 'Public key file').includes('/tmp/x.pub'), 'the typed path', frame);
});
