// Filtering roles by tag against moto: 100 EC2 roles tagged team=web and 20 tagged team=data.
// ListRoles and ListInstanceProfiles carry no role tags (IAM's list calls leave them out), so
// listing stays a few paged calls and never asks for tags; the tags come from ListRoleTags, one
// call per role, a bounded few at a time, only when asked for.
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand} from '@aws-sdk/client-iam';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {ROLE_TAG_CONCURRENCY} from '../../source/aws/discover-roles.js';
import {createDiscovery} from '../../source/aws/discovery.js';
import {mapLimit} from '../../source/aws/map-limit.js';
import type {RoleTags} from '../../source/domain/cloud.js';
import {filterItems} from '../../source/ui/list-filter.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';

const EC2_TRUST = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
const WEB = Array.from({length: 100}, (_, n) => `web-${String(n).padStart(3, '0')}-role`);
const DATA = Array.from({length: 20}, (_, n) => `data-${String(n).padStart(3, '0')}-role`);

let proxy: FaultProxy;
let clients: AwsClients;
/** Most ListRoleTags calls in flight at once, seen by the SDK client itself. */
let mostInFlight = 0;

beforeAll(async () => {
  const accountId = freshAccountId();
  const direct = await makeClients(testSettings({accountId, maxAttempts: 5}));
  const roles = [...WEB.map((name) => [name, 'web']), ...DATA.map((name) => [name, 'data'])];
  await mapLimit(roles, 16, async ([name, team]) => {
    await direct.iam.send(new CreateRoleCommand({RoleName: name, AssumeRolePolicyDocument: EC2_TRUST, Tags: [{Key: 'team', Value: team}]}));
    if (name.endsWith('0-role')) {
      await direct.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: name}));
      await direct.iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: name, RoleName: name}));
    }
  });
  proxy = await startFaultProxy(motoEndpoint());
  clients = await makeClients(testSettings({accountId, endpointUrl: proxy.endpoint}));
  let inFlight = 0;
  clients.iam.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'ListRoleTagsCommand') return next(args);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
      }
    },
    {step: 'initialize', name: 'countRoleTagsInFlight'},
  );
}, 120_000);
afterAll(async () => {
  await proxy?.close();
});

describe('filtering roles by tag', () => {
  it('listing roles never asks for tags: a few paged calls, whatever the count', async () => {
    proxy.requests.length = 0;
    const roles = await createDiscovery(clients).instanceRoles();
    expect(roles).toHaveLength(WEB.length + DATA.length);
    expect(proxy.count('ListRoleTags')).toBe(0);
    expect(proxy.requests.length).toBeLessThanOrEqual(5);
  });

  it('team=web finds the 100 tagged roles once their tags are read, a bounded few calls at a time', async () => {
    const discovery = createDiscovery(clients);
    const roles = await discovery.instanceRoles();
    proxy.requests.length = 0;
    const pages: number[] = [];
    const tags = await discovery.roleTags(
      roles.map((role) => role.name),
      (soFar) => pages.push(soFar.length),
    );
    expect(proxy.count('ListRoleTags')).toBe(roles.length);
    expect(proxy.requests.length).toBe(roles.length);
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(ROLE_TAG_CONCURRENCY);
    // Matches appear while the rest are still being read.
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((count) => count < roles.length)).toBe(true);

    const byName = new Map(tags.map((entry: RoleTags) => [entry.name, entry.tags]));
    expect(byName.get('web-042-role')).toEqual(['team=web']);
    expect(byName.get('data-007-role')).toEqual(['team=data']);
    const options = roles.map((role) => ({value: role.name, label: role.name, search: byName.get(role.name)?.join(' ')}));
    expect(filterItems(options, 'team=web').map((option) => option.value)).toEqual(WEB);
    expect(filterItems(options, 'team=data')).toHaveLength(DATA.length);
  });

  it('a role deleted after the list was read has no tags; the others are still found', async () => {
    const tags = await createDiscovery(clients).roleTags(['web-001-role', 'gone-role']);
    expect(tags).toEqual([
      {name: 'web-001-role', tags: ['team=web']},
      {name: 'gone-role', tags: []},
    ]);
  });
});
