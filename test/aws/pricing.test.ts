// Prices for a launch's estimate, asked of the local Price List endpoint through the real SDK pricing
// client (source/aws/pricing.ts). moto has no pricing service, so the endpoint is
// test/support/pricing-double.ts, found the way the SDK finds any service's endpoint:
// AWS_ENDPOINT_URL_PRICING. Each way of not getting prices (no credentials, no permission,
// throttling, an empty answer, a slow one) ends in usage only with its reason, never a made-up number.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {estimateCost, planUsage, priceQueries} from '../../source/domain/cost/estimate.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {fetchPrices, PRICES_NEED} from '../../source/aws/pricing.js';
import {checkProfile} from '../../source/store/profile-schema.js';
import type {AwsSettings} from '../../source/aws/clients.js';
import {closedUrl, startCheckip} from '../support/checkip-server.js';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';

let double: PricingDouble;
let home: string;
let savedEnv: NodeJS.ProcessEnv;
const settings: AwsSettings = {region: 'us-east-1', maxAttempts: 2, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}};

beforeEach(async () => {
  double = await startPricingDouble();
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-pricing-'));
  savedEnv = {...process.env};
  process.env.AWS_ENDPOINT_URL_PRICING = double.url;
});
afterEach(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await double.close();
  rmSync(home, {recursive: true, force: true});
});

const env = () => ({...process.env, TANDEM_HOME: home});

async function estimateFor(spec: LaunchSpec, options: {timeoutMs?: number; settings?: AwsSettings} = {}) {
  const usage = planUsage(buildPlan(spec), spec.region);
  const {state, asked} = await fetchPrices(priceQueries(usage), {settings: options.settings ?? settings, env: env(), ...(options.timeoutMs ? {timeoutMs: options.timeoutMs} : {})});
  return {state, asked, estimate: estimateCost(usage, state), queries: priceQueries(usage)};
}

describe('prices from the AWS Price List', () => {
  it('prices the default launch in us-east-1 with the figures the price list served, every question asked at once of us-east-1', async () => {
    const {estimate, queries} = await estimateFor(defaultSpec('us-east-1'));
    expect(estimate.lines.map((line) => [line.resource, line.unitPrice, line.monthly])).toEqual([
      ['instance t3.micro (Linux, shared tenancy)', 0.0104, 7.59],
      ['root volume gp3, 8 GiB', 0.08, 0.64],
      ['public IPv4 address', 0.005, 3.65],
      ['detailed monitoring (1-minute metrics)', 0.3, 2.1],
      ['first snapshot of the root volume', 0.05, 0.4],
    ]);
    expect(estimate).toMatchObject({monthly: 14.38, partial: false, asOf: '2026-11-20'});
    expect(double.requests).toHaveLength(queries.length);
    expect(double.requests.every((request) => request.target === 'AWSPriceListService.GetProducts' && request.signedRegion === 'us-east-1')).toBe(true);
    expect(double.requests.every((request) => request.body.Filters?.[0]?.Field === 'regionCode' && request.body.Filters[0].Value === 'us-east-1')).toBe(true);
  });

  it('asks its questions in parallel: five answers that each take 400 ms arrive together', async () => {
    double.fault = 'slow';
    double.slowMs = 400;
    const started = Date.now();
    const {estimate, queries} = await estimateFor(defaultSpec('us-east-1'));
    expect(queries).toHaveLength(5);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(estimate.monthly).toBe(14.38);
  });

  it('asks more than ten questions at once without Node warning of too many listeners on the one deadline', async () => {
    double.fault = 'slow';
    double.slowMs = 200;
    const types = ['t3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'm5.xlarge', 'c5.large', 'c5.xlarge', 'r5.large', 'r5.xlarge', 't3a.micro', 't3a.small'];
    const queries = [
      ...new Map(
        types
          .flatMap((type) => priceQueries(planUsage(buildPlan({...defaultSpec('us-east-1'), instance: {...defaultSpec('us-east-1').instance, type}}), 'us-east-1')))
          .map((query) => [JSON.stringify(query), query]),
      ).values(),
    ];
    expect(queries.length).toBeGreaterThan(10);
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(warning.name);
    process.on('warning', listen);
    try {
      await fetchPrices(queries, {settings, env: env()});
      // Node emits the warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).toEqual([]);
  });

  it('keeps the answers under TANDEM_HOME with their date, and the next estimate reads them without asking again', async () => {
    await estimateFor(defaultSpec('us-east-1'));
    const file = path.join(home, 'cache', 'prices.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {prices: Record<string, {fetchedAt: string}>};
    expect(Object.values(saved.prices).every((entry) => /^\d{4}-\d\d-\d\dT/.test(entry.fetchedAt))).toBe(true);
    const asked = double.requests.length;
    const again = await estimateFor(defaultSpec('us-east-1'));
    expect(double.requests).toHaveLength(asked);
    expect(again.asked).toBe(false);
    expect(again.estimate.monthly).toBe(14.38);
    expect(again.estimate.notes.join('\n')).toMatch(/prices from the local cache, fetched \d{4}-\d\d-\d\d/);
  });

  it('prices a load-balanced launch through AWSELB: the Application Load Balancer product family, not the Network one', async () => {
    const result = checkProfile({version: 1, loadBalancer: {certificate: 'none'}});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const {estimate} = await estimateFor(result.spec);
    const asked = double.requests.filter((request) => request.body.ServiceCode === 'AWSELB');
    expect(asked).toHaveLength(2);
    expect(asked.every((request) => request.body.Filters?.some((filter) => filter.Field === 'productFamily' && filter.Value === 'Load Balancer-Application'))).toBe(true);
    expect(estimate.lines.filter((line) => line.resource.startsWith('Application Load Balancer')).map((line) => [line.resource, line.usage, line.unitPrice, line.monthly])).toEqual([
      ['Application Load Balancer', 730, 0.0225, 16.43],
      ['Application Load Balancer capacity units (LCUs)', 730, 0.008, 5.84],
    ]);
    expect(estimate).toMatchObject({monthly: 55.4, partial: false, asOf: '2026-11-20'});
  });

  it('asks for the launch region by regionCode while the client stays in us-east-1, and gives "no price found" where the list has none', async () => {
    const {estimate} = await estimateFor(defaultSpec('eu-west-1'));
    expect(double.requests.every((request) => request.signedRegion === 'us-east-1' && request.body.Filters?.[0]?.Value === 'eu-west-1')).toBe(true);
    expect(estimate.lines.every((line) => line.unitPrice === null && line.note?.startsWith('no price found'))).toBe(true);
    expect(estimate.monthly).toBeNull();
  });

  it('marks the total partial when the price list does not know the instance type', async () => {
    const spec = defaultSpec('us-east-1');
    const {estimate} = await estimateFor({...spec, instance: {...spec.instance, type: 't9.imaginary'}});
    expect(estimate.lines[0]).toMatchObject({unitPrice: null, monthly: null, note: 'no price found'});
    expect(estimate).toMatchObject({monthly: 6.79, partial: true});
  });

  it('uses AWS_ENDPOINT_URL_PRICING over --endpoint-url, as the SDK ranks a service’s own endpoint first', async () => {
    const {estimate} = await estimateFor(defaultSpec('us-east-1'), {settings: {...settings, endpointUrl: await closedUrl()}});
    expect(estimate.monthly).toBe(14.38);
  });
});

describe('prices that cannot be had', () => {
  it('makes no call without credentials, and says prices need pricing:GetProducts', async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_') && key !== 'AWS_ENDPOINT_URL_PRICING') delete process.env[key];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const {state, estimate, asked} = await estimateFor(defaultSpec('us-east-1'), {settings: {region: 'us-east-1'}});
    expect(double.requests).toHaveLength(0);
    expect(asked).toBe(false);
    expect(state).toEqual({status: 'unavailable', reason: `${PRICES_NEED} (no AWS credentials found)`});
    expect(estimate.monthly).toBeNull();
    expect(estimate.lines.every((line) => line.unitPrice === null)).toBe(true);
  });

  it('shows usage only when the account may not read prices, and caches nothing', async () => {
    double.fault = 'deny';
    const {state, estimate} = await estimateFor(defaultSpec('us-east-1'));
    expect(state).toEqual({status: 'unavailable', reason: `${PRICES_NEED} (AccessDeniedException)`});
    expect(estimate.notes).toContain(`usage only: ${PRICES_NEED} (AccessDeniedException)`);
    expect(estimate.lines.map((line) => line.usage)).toEqual([730, 8, 730, 7, 8]);
    expect(existsSync(path.join(home, 'cache', 'prices.json'))).toBe(false);
  });

  it('shows usage only when the price list throttles, after the SDK’s own retry', async () => {
    double.fault = 'throttle';
    const {state, estimate} = await estimateFor(defaultSpec('us-east-1'));
    expect(state.status === 'unavailable' && state.reason).toMatch(/throttling requests \(ThrottlingException\)/);
    expect(estimate.monthly).toBeNull();
    // maxAttempts 2: each question was asked twice before giving up.
    expect(double.requests.length).toBeGreaterThan(1);
  });

  it('shows usage only when the endpoint is not a price list (moto has none) or does not listen', async () => {
    const other = await startCheckip('<html>not found</html>', 404);
    process.env.AWS_ENDPOINT_URL_PRICING = other.url;
    const {state} = await estimateFor(defaultSpec('us-east-1'));
    await other.close();
    expect(state).toEqual({status: 'unavailable', reason: 'the price list endpoint answered with something that is not an AWS response'});
    process.env.AWS_ENDPOINT_URL_PRICING = await closedUrl();
    const closed = await estimateFor(defaultSpec('us-east-1'));
    expect(closed.state.status === 'unavailable' && closed.state.reason).toMatch(/^the AWS Price List did not answer \(/);
  });

  it('gives "no price found", never 0, when the price list answers with nothing', async () => {
    double.fault = 'empty';
    const {estimate} = await estimateFor(defaultSpec('us-east-1'));
    expect(estimate.lines.every((line) => line.unitPrice === null && line.monthly === null && line.note?.startsWith('no price found'))).toBe(true);
    expect(estimate.monthly).toBeNull();
  });

  it('gives up on a slow price list at its deadline instead of waiting for it', async () => {
    double.fault = 'slow';
    double.slowMs = 5_000;
    const started = Date.now();
    const {state, estimate} = await estimateFor(defaultSpec('us-east-1'), {timeoutMs: 300});
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(state).toEqual({status: 'unavailable', reason: 'the AWS Price List did not answer within 300 ms'});
    expect(estimate.lines.every((line) => line.unitPrice === null)).toBe(true);
  });
});
