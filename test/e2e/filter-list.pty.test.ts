// An account with 200 EC2 roles, in a real terminal: the role list opens with a count and what
// fits, typing narrows it, and an item from the middle of the list is picked and reaches the
// review. The binary reaches its own moto account through a fault proxy that adds the account
// header (it has no other way to send one).
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {makeClients} from '../../source/aws/clients.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {seedAccount} from '../support/seed-account.js';
import {STEPS, Session, cleanEnv, removeTempHomes, requireBuild, tempHome} from './pty-session.js';

let proxy: FaultProxy;

beforeAll(async () => {
  const accountId = freshAccountId();
  await seedAccount(await makeClients(testSettings({accountId, maxAttempts: 5})), {roles: 200, keys: 0, securityGroups: 0, subnets: 0});
  proxy = await startFaultProxy(motoEndpoint(), {accountId});
}, 120_000);
afterAll(async () => {
  await proxy?.close();
});
afterEach(() => removeTempHomes());

/** A user's environment whose AWS calls reach the seeded account through the proxy. */
function accountEnv(): Record<string, string> {
  const home = tempHome();
  return {...cleanEnv(home), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: proxy.endpoint, HOME: home};
}

/** From the first step to the instance role's "an existing role…", with the list found in the account. */
async function openRoleList(session: Session): Promise<void> {
  await session.waitFor('· us-east-1');
  for (let step = 2; step <= 5; step++) {
    await session.press('\r');
    await session.waitFor(`step ${step} of ${STEPS}`);
  }
  await session.press('\u001B[B');
  await session.waitFor('200 roles');
}

describe('a list of 200 roles in a terminal', () => {
  test('typing filters it and an item from the middle is picked', async () => {
    requireBuild();
    const env = accountEnv();
    const session = new Session([], env);
    try {
      await openRoleList(session);
      expect(session.text).not.toContain('app-0150-role');
      await session.press('\t');
      for (const char of 'app-010') await session.press(char);
      await session.waitFor('10 of 200 roles');
      for (let index = 0; index < 7; index++) await session.press('\u001B[B');
      await session.waitFor('› app-0107-role');
      for (let step = 6; step <= STEPS; step++) {
        await session.press('\r');
        await session.waitFor(`step ${step} of ${STEPS}`);
      }
      await session.waitForMatch(/role\s+existing app-0107-role/);
      expect(proxy.count('ListInstanceProfilesForRole')).toBe(0);
    } finally {
      session.kill();
      // Let it finish writing its draft before the temporary home is removed.
      await session.exit;
    }
  }, 120_000);

  test("a tag filter reads the roles' tags, one ListRoleTags each, and narrows the list to the tagged ones", async () => {
    requireBuild();
    const env = accountEnv();
    const before = proxy.count('ListRoleTags');
    const session = new Session([], env);
    try {
      await openRoleList(session);
      await session.press('\t');
      for (const char of 'team') await session.press(char);
      expect(proxy.count('ListRoleTags')).toBe(before);
      // The seeded roles carry team=team-<n mod 7>: 29 of the 200 are team-3.
      for (const char of '=team-3') await session.press(char);
      await session.waitFor('29 of 200 roles');
      expect(proxy.count('ListRoleTags') - before).toBe(200);
    } finally {
      session.kill();
      await session.exit;
    }
  }, 120_000);
});
