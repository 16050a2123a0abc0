// "SSH only from your address": highlighting it looks the address up (a local stand-in for
// checkip), the input arrives filled in with where it came from, and the operator confirms it
// with the cursor on it, or types another. A failed lookup leaves the input for typing.
import {afterEach, describe, expect, test} from 'vitest';
import {checkipUrl} from '../../source/domain/my-address.js';
import {lookUpMyAddress} from '../../source/net/checkip.js';
import {App} from '../../source/ui/app.js';
import type {LookUpAddress} from '../../source/ui/hooks/use-my-address.js';
import {closedUrl, startCheckip, type CheckipServer} from '../support/checkip-server.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitForText} from './helpers.js';

const servers: CheckipServer[] = [];
afterEach(async () => {
  cleanupAll();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const lookUpAt =
  (url: string): LookUpAddress =>
  () => ({url, result: lookUpMyAddress({env: {TANDEM_CHECKIP_URL: checkipUrl({TANDEM_CHECKIP_URL: url})}})});

/** Opens the wizard and puts the cursor on "SSH only from your address" of the security-group step. */
async function highlightMyAddress(lookUpAddress: LookUpAddress) {
  const app = renderAt(<App mode="explain" onExit={() => {}} lookUpAddress={lookUpAddress} />, 120);
  await waitForText(app, 'step 1 of');
  for (let step = 1; step < 8; step++) await press(app.stdin, KEY.enter);
  await waitForText(app, 'SSH (port 22)');
  await press(app.stdin, KEY.tab);
  await press(app.stdin, KEY.down);
  await waitForText(app, 'Your address');
  return app;
}

describe('your address, found', () => {
  test('the found address is shown with its source, and Enter asks for confirmation on it before using it', async () => {
    const server = await startCheckip('52.95.110.23\n');
    servers.push(server);
    const app = await highlightMyAddress(lookUpAt(server.url));
    await waitForText(app, 'enter uses it');
    expect(app.lastFrame()).toContain('52.95.110.23/32');
    expect(app.lastFrame()).toContain(`found by ${server.url.replace('http://', '').replace(/\/$/, '')}`);
    // Enter on the SSH list does not take the address unseen: the cursor moves onto it first.
    await press(app.stdin, KEY.enter);
    expect(app.lastFrame()).toContain('SSH (port 22)');
    expect(app.lastFrame()).toMatch(/› 52\.95\.110\.23\/32/);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Key pair');
    await enterUntil(app, 'What next');
    expect(app.lastFrame()).toContain('SSH from 52.95.110.23/32');
    expect(server.hits()).toBe(1);
  });

  test('typing replaces the suggestion instead of adding to it', async () => {
    const server = await startCheckip('52.95.110.23');
    servers.push(server);
    const app = await highlightMyAddress(lookUpAt(server.url));
    await waitForText(app, 'enter uses it');
    await press(app.stdin, KEY.tab);
    await type(app.stdin, '203.0.113.9');
    expect(app.lastFrame()).toContain('203.0.113.9');
    expect(app.lastFrame()).not.toContain('52.95.110.23/32');
    expect(app.lastFrame()).toContain('sees you as 52.95.110.23');
    await press(app.stdin, KEY.enter);
    await enterUntil(app, 'What next');
    expect(app.lastFrame()).toContain('SSH from 203.0.113.9/32');
  });

  test('offline: the input stays empty for typing, says why, and is never widened', async () => {
    const app = await highlightMyAddress(lookUpAt(await closedUrl()));
    await waitForText(app, 'could not be reached');
    await press(app.stdin, KEY.enter);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'type your public address as a /32');
    expect(app.lastFrame()).toContain('SSH (port 22)');
  });

  test('a garbage answer is not offered', async () => {
    const server = await startCheckip('<html>log in to the hotel wifi</html>');
    servers.push(server);
    const app = await highlightMyAddress(lookUpAt(server.url));
    await waitForText(app, 'gave no usable address');
    expect(app.lastFrame()).not.toContain('found by');
    expect(app.lastFrame()).not.toContain('log in to the hotel');
  });
});
