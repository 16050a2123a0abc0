// `tandem launch --dry-run` prints what the launch would cost a month beside what it may do
// (docs/cost.md). The dry run's calls go to moto through the fault proxy; the price list's go to the
// local Price List endpoint (moto has no pricing service), which the SDK finds through
// AWS_ENDPOINT_URL_PRICING ahead of --endpoint-url, as it ranks a service's own endpoint.
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {runHeadless} from '../../source/commands/launch-headless.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {motoEndpoint} from '../support/aws.js';
import {answerDryRunLikeAws, startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';
import {tempDir} from './provision-support.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.text += chunk.toString();
    callback();
  }
}

function context(flags: Partial<GlobalFlags>) {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {
    args: [],
    flags: {color: false, yes: false, dryRun: true, force: false, keep: false, endpointUrl: proxy.endpoint, ...flags},
    io: {stdin: new PassThrough(), stdout, stderr, env: {TANDEM_HOME: tempDir('tandem-home-')}},
  };
  return {ctx, stdout, stderr};
}

// A new VPC: moto's default VPC has no internet gateway or 0.0.0.0/0 route (AWS's has both).
function webSpec(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  const id = path.basename(tempDir('tandem-cost-'));
  return {
    ...spec,
    instance: {...spec.instance, name: `web-${id}`},
    network: {vpc: 'new', subnet: 'public', publicIp: true},
    securityGroup: {...spec.securityGroup, name: `web-sg-${id}`},
  };
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let proxy: FaultProxy;
let prices: PricingDouble;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  prices = await startPricingDouble();
});
afterAll(async () => {
  await proxy.close();
  await prices.close();
});
beforeEach(() => {
  answerDryRunLikeAws(proxy);
  prices.fault = 'none';
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ENDPOINT_URL_PRICING', prices.url);
});
afterEach(() => {
  proxy.clear();
  vi.unstubAllEnvs();
});

describe('tandem launch --dry-run: the cost', () => {
  it('gives the cost as a JSON event before the summary, each line at the price the price list served', async () => {
    const {ctx, stdout} = context({output: 'json'});
    expect(await runHeadless(ctx, webSpec())).toBe(0);
    const events = jsonLines(stdout.text);
    expect(events.at(-1)).toMatchObject({type: 'dry-run-summary', passed: true});
    const cost = events.at(-2) as {type: string; monthly: number; lines: Array<{resource: string; monthly: number}>};
    expect(cost).toMatchObject({type: 'cost', currency: 'USD', partial: false, asOf: '2026-11-20'});
    // The new VPC adds its flow logs (an assumed 1 GB) to the default launch's $14.38.
    expect(cost.lines.map((line) => [line.resource, line.monthly])).toContainEqual(['VPC flow logs ingested', 0.5]);
    expect(cost.monthly).toBe(14.88);
  });

  it('prints the cost in text after the checks, and a denied price list changes only the cost, not the exit code', async () => {
    const priced = context({});
    expect(await runHeadless(priced.ctx, webSpec())).toBe(0);
    expect(priced.stdout.text).toContain('Cost a month:\n  Total: $14.88 a month');
    expect(priced.stdout.text).toContain('  public IPv4 address: 730 hours × $0.005 per hour = $3.65 a month');
    prices.fault = 'deny';
    const denied = context({});
    expect(await runHeadless(denied.ctx, webSpec())).toBe(0);
    expect(denied.stdout.text).toContain('  Total: no total: usage only');
    expect(denied.stdout.text).toContain('  Note: usage only: prices need pricing:GetProducts (AccessDeniedException)');
  });
});
