// `tandem fleet deploy` says what the fleet will cost a month, × its targets, before it sends
// anything (docs/cost.md): the launch priced in each region, times the accounts there. StackSets run
// in moto through the proxy (test/support/moto-stacksets.ts); the prices come from the local Price
// List endpoint (moto has no pricing service), found through AWS_ENDPOINT_URL_PRICING. Its catalogue
// is us-east-1's only, so eu-west-1's lines have no price and the total says it is partial.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import {estimateCost, planUsage, priceFromList, priceQueries, queryKey} from '../../source/domain/cost/estimate.js';
import type {FleetCost} from '../../source/domain/cost/fleet.js';
import type {FoundPrice} from '../../source/domain/cost/types.js';
import {buildPlan} from '../../source/domain/plan.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization, type Org} from '../support/fleet-org.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {entry, matching, startPricingDouble, usEast1Products, type PricingDouble} from '../support/pricing-double.js';
import {tempDir} from './provision-support.js';

/** One target's estimate in us-east-1 at the double's prices, computed apart from the command. */
function usEast1Each(): number | null {
  const spec = {...fleetSpec(), region: 'us-east-1'};
  const usage = planUsage(buildPlan(spec), 'us-east-1');
  const prices = new Map<string, FoundPrice | undefined>();
  for (const query of priceQueries(usage)) {
    const found = matching(usEast1Products(), {ServiceCode: query.serviceCode, Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value}))});
    prices.set(queryKey(query), priceFromList(found.map(entry), query));
  }
  return estimateCost(usage, {status: 'priced', prices, fetchedAt: '2026-12-06T00:00:00Z'}).monthly;
}

describe('tandem fleet deploy: the cost', () => {
  let proxy: FaultProxy;
  let prices: PricingDouble;
  let org: Org;
  let dir: string;

  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
    prices = await startPricingDouble();
    org = await organization(motoEndpoint());
    dir = tempDir('tandem-fleet-cost-');
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
    await prices.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('gives the cost per region × accounts as a JSON event before anything is sent, and says the total is partial where a region has no price', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', org.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', org.credentials.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', org.credentials.sessionToken);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL_PRICING', prices.url);
    const profile = path.join(dir, 'web.yaml');
    writeFileSync(profile, serializeProfile(fleetSpec()));
    const env = {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'};
    const result = await runCommand(fleetCommand, ['deploy', profile], {
      env,
      flags: {yes: true, output: 'json', regions: 'us-east-1,eu-west-1', accounts: org.members.join(','), maxConcurrent: '2', failureTolerance: '0'},
    });
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as {type: string});
    const costAt = events.findIndex((event) => event.type === 'cost');
    expect(costAt).toBeGreaterThanOrEqual(0);
    expect(costAt).toBeLessThan(events.findIndex((event) => event.type === 'stack-set'));
    const cost = events[costAt] as unknown as FleetCost;
    const each = usEast1Each();
    expect(each).not.toBeNull();
    const accounts = org.members.length;
    expect(cost).toMatchObject({currency: 'USD', targets: 2 * accounts, partial: true, monthly: Math.round(each! * accounts * 100) / 100});
    expect(cost.regions.map((row) => [row.region, row.accounts, row.each.monthly, row.monthly])).toEqual([
      ['us-east-1', accounts, each, Math.round(each! * accounts * 100) / 100],
      ['eu-west-1', accounts, null, null],
    ]);
    expect(cost.regions[1].each.lines.every((line) => line.note?.startsWith('no price found'))).toBe(true);
  }, 120_000);
});
