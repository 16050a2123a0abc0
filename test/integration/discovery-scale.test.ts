// Discovery on large accounts costs pages, not items. Two moto accounts, a small one and one ten
// times larger, are read through the fault proxy, which counts every request: each list must
// cost the same handful of calls in both (at most one more page), and never a call per item.
// moto returns ListKeys, ListAliases and ListInstanceProfiles in one page whatever the Limit;
// AWS pages them (1,000 keys, 100 aliases, 1,000 profiles per page), which the page sizes in
// source/aws/discover-*.ts account for. ListRoles does page in moto.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DisableKeyCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {createDiscovery} from '../../source/aws/discovery.js';
import type {Discovery} from '../../source/domain/cloud.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {motoEndpoint, testSettings, freshAccountId} from '../support/aws.js';
import {seedAccount, type AccountSize, type SeededAccount} from '../support/seed-account.js';

const SMALL: AccountSize = {roles: 12, keys: 10, securityGroups: 10, subnets: 4};
const LARGE: AccountSize = {roles: 150, keys: 100, securityGroups: 100, subnets: 24};
/** Calls that would mean "one per item". */
const PER_ITEM = ['ListInstanceProfilesForRole', 'ListRoleTags', 'DescribeKey', 'GetKeyRotationStatus', 'GetRole', 'GetInstanceProfile'];

interface Account {
  proxy: FaultProxy;
  seeded: SeededAccount;
  discovery: Discovery;
  clients: AwsClients;
}

async function account(size: AccountSize): Promise<Account> {
  const accountId = freshAccountId();
  const direct = await makeClients(testSettings({accountId, maxAttempts: 5}));
  const seeded = await seedAccount(direct, size);
  const proxy = await startFaultProxy(motoEndpoint());
  const clients = await makeClients(testSettings({accountId, endpointUrl: proxy.endpoint}));
  return {proxy, seeded, clients, discovery: createDiscovery(clients)};
}

/** The requests one list made, by action. */
async function callsOf(target: Account, list: (discovery: Discovery) => Promise<unknown[]>): Promise<{actions: Record<string, number>; total: number; items: number}> {
  target.proxy.requests.length = 0;
  const items = (await list(target.discovery)).length;
  const actions: Record<string, number> = {};
  for (const request of target.proxy.requests) actions[request.action] = (actions[request.action] ?? 0) + 1;
  return {actions, total: target.proxy.requests.length, items};
}

let small: Account;
let large: Account;
beforeAll(async () => {
  [small, large] = await Promise.all([account(SMALL), account(LARGE)]);
}, 120_000);
afterAll(async () => {
  await Promise.all([small?.proxy.close(), large?.proxy.close()]);
});

const LISTS: Array<[string, (discovery: Discovery, seeded: SeededAccount) => Promise<unknown[]>]> = [
  ['roles', (d) => d.instanceRoles()],
  ['KMS keys', (d) => d.kmsKeys()],
  ['security groups', (d, seeded) => d.securityGroups(seeded.vpcId)],
  ['subnets', (d, seeded) => d.subnets(seeded.vpcId)],
  ['VPCs', (d) => d.vpcs()],
  ['key pairs', (d) => d.keyPairs()],
];

describe('discovery at scale: calls per list', () => {
  for (const [what, list] of LISTS) {
    it(`lists ${what} in a bounded number of calls, whatever the account size`, async () => {
      const few = await callsOf(small, (d) => list(d, small.seeded));
      const many = await callsOf(large, (d) => list(d, large.seeded));
      for (const action of PER_ITEM) expect(many.actions[action] ?? 0, `${action} for ${what}`).toBe(0);
      expect(many.total).toBeLessThanOrEqual(20);
      // Ten times the items costs at most one more page.
      expect(many.total - few.total).toBeLessThanOrEqual(1);
    });
  }

  it('finds every seeded item with its pages', async () => {
    const roles = await large.discovery.instanceRoles();
    expect(roles).toHaveLength(LARGE.roles);
    expect(roles.find((role) => role.name === 'app-0002-role')?.instanceProfiles).toEqual(['app-0002-role']);
    expect(roles.find((role) => role.name === 'app-0003-role')?.instanceProfiles).toEqual([]);
    const keys = await large.discovery.kmsKeys();
    // The seeded keys plus aws/ebs (listed even before AWS creates it).
    expect(keys.filter((key) => key.managedBy === 'Customer')).toHaveLength(LARGE.keys);
    expect(keys.find((key) => key.aliases.includes('alias/app-0042'))?.arn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    expect(await large.discovery.securityGroups(large.seeded.vpcId)).toHaveLength(LARGE.securityGroups + 1); // + default
    expect(await large.discovery.subnets(large.seeded.vpcId)).toHaveLength(LARGE.subnets);
  });
});

describe('discovery at scale: the first page comes before the rest', () => {
  it('hands over the first page of roles while the next one is still on its way', async () => {
    // The second ListRoles page (the one with a Marker) is held back, so the order is certain.
    large.proxy.add({action: 'ListRoles', kind: 'delay', delayMs: 300, bodyIncludes: 'Marker='});
    const pages: number[] = [];
    const roles = await large.discovery.instanceRoles((soFar) => pages.push(soFar.length));
    large.proxy.clear();
    expect(pages[0]).toBeGreaterThan(0);
    expect(pages[0]).toBeLessThan(LARGE.roles);
    expect(pages.at(-1)).toBe(roles.length);
  });

  it('never renames a key under the cursor: keys without an alias wait for the last alias page', async () => {
    const pages: Array<Array<{id: string; label: string}>> = [];
    await large.discovery.kmsKeys((soFar) => pages.push(soFar.map((key) => ({id: key.id, label: key.aliases[0] ?? key.id}))));
    const labels = new Map<string, string>();
    for (const page of pages) {
      for (const {id, label} of page) {
        expect(labels.get(id) ?? label).toBe(label);
        labels.set(id, label);
      }
    }
  });
});

describe('key details: only for the keys on screen', () => {
  it('reads state and rotation for the asked keys only, two calls each', async () => {
    const [first, second] = large.seeded.keyIds;
    await large.clients.kms.send(new DisableKeyCommand({KeyId: second}));
    large.proxy.requests.length = 0;
    const details = await large.discovery.kmsKeyDetails([first, second]);
    expect(large.proxy.count('DescribeKey')).toBe(2);
    expect(large.proxy.count('GetKeyRotationStatus')).toBe(2);
    // moto leaves KeyUsage out of DescribeKey; AWS gives ENCRYPT_DECRYPT here.
    expect(details[0]).toMatchObject({id: first, state: 'Enabled', spec: 'SYMMETRIC_DEFAULT', managedBy: 'Customer', rotation: false});
    expect(details[1]).toMatchObject({id: second, state: 'Disabled'});
  });

  it('says why a key could not be read instead of failing the others', async () => {
    large.proxy.add({action: 'DescribeKey', kind: 'error', code: 'AccessDeniedException', message: 'not allowed', times: 1});
    const details = await large.discovery.kmsKeyDetails([large.seeded.keyIds[2]]);
    large.proxy.clear();
    expect(details[0]).toMatchObject({error: {code: 'AccessDeniedException'}});
  });
});
