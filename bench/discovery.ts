// 6. Discovery at scale: one moto account seeded with 1,000 EC2 roles, 1,000 KMS keys, 500
// security groups and 200 subnets, read through a fault proxy that adds delayMs to every call.
// For each list: the calls made, the time until the first usable list (the first onPage) and
// until the complete one, for tandem's discovery and for the one-call-per-item approach it
// replaced (bench/legacy-discovery.ts), measured in the same run against the same account.
import {makeClients, type AwsClients} from '../source/aws/clients.js';
import {createDiscovery} from '../source/aws/discovery.js';
import type {Discovery} from '../source/domain/cloud.js';
import {startFaultProxy} from '../test/support/fault-proxy.js';
import {seedAccount, type AccountSize} from '../test/support/seed-account.js';
import {freshAccountId, sdkSettings, warmAccount} from './accounts.js';
import {legacyKeys, legacyRoles, legacySecurityGroups, legacySubnets} from './legacy-discovery.js';
import {median, repeat, round} from './stats.js';

export type ListKind = 'roles' | 'keys' | 'security groups' | 'subnets';

export interface ListFigures {
  kind: ListKind;
  items: number;
  tandem: {calls: number; firstMs: number; completeMs: number; runs: Array<{calls: number; firstMs: number; completeMs: number}>};
  /** The approach before issue 16; it shows nothing until the list is complete. */
  perItem: {calls: number; completeMs: number};
}

export interface DiscoveryFigures {
  size: AccountSize;
  delayMs: number;
  seed: {ms: number; calls: number; concurrency: number};
  lists: ListFigures[];
  /** DescribeKey + GetKeyRotationStatus for the highlighted key. */
  keyDetails: {calls: number; ms: number};
  /** Requests that did not get the added delay (must be 0). */
  undelayedCalls: number;
}

const ACTIONS = [
  'ListRoles',
  'ListInstanceProfiles',
  'ListInstanceProfilesForRole',
  'ListKeys',
  'ListAliases',
  'DescribeKey',
  'GetKeyRotationStatus',
  'DescribeSecurityGroups',
  'DescribeSubnets',
  'DescribeRouteTables',
];

interface Context {
  motoEndpoint: string;
  runs: number;
  delayMs: number;
  size: AccountSize;
  log: (line: string) => void;
}

export async function measureDiscovery(context: Context): Promise<DiscoveryFigures> {
  const {motoEndpoint, runs, delayMs, size, log} = context;
  const accountId = freshAccountId();
  await warmAccount(motoEndpoint, accountId);
  const concurrency = 16;
  const seedCalls = size.roles * 2 + size.keys * 2 + size.securityGroups + size.subnets + 1;
  log(`6. seeding ${size.roles} roles, ${size.keys} keys, ${size.securityGroups} security groups, ${size.subnets} subnets (~${seedCalls} calls, ${concurrency} at a time)…`);
  const seeded = await seedAccount(await makeClients({...sdkSettings(motoEndpoint, accountId), maxAttempts: 5}), size, concurrency);
  log(`   seeded in ${round(seeded.ms / 1000)} s`);

  const proxy = await startFaultProxy(motoEndpoint);
  try {
    for (const action of ACTIONS) proxy.add({action, kind: 'delay', delayMs});
    const clients: AwsClients = await makeClients(sdkSettings(proxy.endpoint, accountId));
    const discovery = createDiscovery(clients);
    const measured = async (body: (onPage: () => void) => Promise<unknown[]>) => {
      const before = proxy.requests.length;
      const started = performance.now();
      let firstMs: number | undefined;
      const items = (await body(() => (firstMs ??= performance.now() - started))).length;
      const completeMs = performance.now() - started;
      return {items, calls: proxy.requests.length - before, firstMs: round(firstMs ?? completeMs), completeMs: round(completeMs)};
    };
    const lists: Array<[ListKind, (d: Discovery, onPage: () => void) => Promise<unknown[]>, (c: AwsClients) => Promise<number>]> = [
      ['roles', (d, onPage) => d.instanceRoles(onPage), legacyRoles],
      ['keys', (d, onPage) => d.kmsKeys(onPage), legacyKeys],
      ['security groups', (d, onPage) => d.securityGroups(seeded.vpcId, onPage), (c) => legacySecurityGroups(c, seeded.vpcId)],
      ['subnets', (d, onPage) => d.subnets(seeded.vpcId, onPage), (c) => legacySubnets(c, seeded.vpcId)],
    ];
    // Untimed: loads the SDK clients' code and warms moto's handlers for each call.
    for (const [, list] of lists) await list(discovery, () => undefined);

    const figures: ListFigures[] = [];
    for (const [kind, list, legacy] of lists) {
      const tandemRuns = await repeat(runs, () => measured((onPage) => list(discovery, onPage)));
      log(`   ${kind}: tandem ${tandemRuns.map((run) => `${run.calls} calls ${run.firstMs}/${run.completeMs} ms`).join(', ')}; one call per item…`);
      const before = proxy.requests.length;
      const started = performance.now();
      await legacy(clients);
      const perItem = {calls: proxy.requests.length - before, completeMs: round(performance.now() - started)};
      log(`   ${kind}: one call per item ${perItem.calls} calls ${perItem.completeMs} ms`);
      figures.push({
        kind,
        items: tandemRuns[0]?.items ?? 0,
        tandem: {
          calls: median(tandemRuns.map((run) => run.calls)),
          firstMs: round(median(tandemRuns.map((run) => run.firstMs))),
          completeMs: round(median(tandemRuns.map((run) => run.completeMs))),
          runs: tandemRuns.map(({calls, firstMs, completeMs}) => ({calls, firstMs, completeMs})),
        },
        perItem,
      });
    }
    const before = proxy.requests.length;
    const started = performance.now();
    await discovery.kmsKeyDetails([seeded.keyIds[0] ?? '']);
    const keyDetails = {calls: proxy.requests.length - before, ms: round(performance.now() - started)};
    return {
      size,
      delayMs,
      seed: {ms: seeded.ms, calls: seedCalls, concurrency},
      lists: figures,
      keyDetails,
      undelayedCalls: proxy.requests.filter((request) => request.faulted !== 'delay').length,
    };
  } finally {
    await proxy.close();
  }
}
