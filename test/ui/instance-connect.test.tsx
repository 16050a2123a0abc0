// The wizard offers EC2 Instance Connect on the security-group step: highlighting it explains who
// owns what, and choosing it reaches the review as a port-22 rule from the prefix list only.
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

test('EC2 Instance Connect is an access choice, explained when highlighted, shown in the review', async () => {
  const app = renderAt(<App mode="explain" onExit={() => {}} />, 120);
  await waitForText(app, 'step 1 of');
  for (let step = 1; step < 8; step++) await press(app.stdin, KEY.enter);
  await waitForText(app, 'EC2 Instance Connect');
  await press(app.stdin, KEY.tab, 2);
  await press(app.stdin, KEY.down);
  await waitForText(app, 'SendSSHPublicKey');
  expect(app.lastFrame()).toMatch(/› on: port 22 only from the Instance Connect service/);
  await enterUntil(app, 'What next');
  expect(app.lastFrame()?.replace(/\s+/g, ' ')).toContain('SSH from EC2 Instance Connect only (prefix list)');
});
