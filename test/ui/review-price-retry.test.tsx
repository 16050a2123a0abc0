// Asking the price list again from the review (docs/cost.md): a question the price list refused
// (throttled, timed out) leaves the review with usage only and its reason, and p asks again. The
// price list is the local Price List endpoint (test/support/pricing-double.ts), reached through the
// real SDK pricing client as tandem reaches it (source/aws/pricing.ts), which throttles the first
// time and answers the second.
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import type {AwsSettings} from '../../source/aws/clients.js';
import {fetchPrices} from '../../source/aws/pricing.js';
import type {PriceQuery} from '../../source/domain/cost/types.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, press, renderAt, waitForText} from './helpers.js';

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
// One attempt: the SDK's own retries would only make the throttled answer slower to arrive.
const settings: AwsSettings = {region: 'us-east-1', maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}};
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

let double: PricingDouble;
let home: string;
let savedEndpoint: string | undefined;

beforeEach(async () => {
  double = await startPricingDouble();
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-price-retry-'));
  savedEndpoint = process.env.AWS_ENDPOINT_URL_PRICING;
  process.env.AWS_ENDPOINT_URL_PRICING = double.url;
});
afterEach(async () => {
  cleanupAll();
  if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_PRICING;
  else process.env.AWS_ENDPOINT_URL_PRICING = savedEndpoint;
  await double.close();
  rmSync(home, {recursive: true, force: true});
});

test('p on the review asks the price list again after it throttled, and the total arrives', async () => {
  double.fault = 'throttle';
  const cloud = {...fakeCloud(), prices: async (queries: readonly PriceQuery[]) => (await fetchPrices(queries, {settings, env: {...process.env, TANDEM_HOME: home}})).state};
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'usage only: the AWS Price List is throttling requests (ThrottlingException); try again later');
  expect(app.lastFrame()).toContain('p ask prices again');
  const throttled = double.requests.length;
  expect(throttled).toBeGreaterThan(0);

  double.fault = 'none';
  await press(app.stdin, 'p');
  await waitForText(app, 'Cost: $14.38 a month');
  expect(flat(app.lastFrame())).toContain('AWS Price List Query API (pricing:GetProducts), on-demand, prices of 2026-11-20');
  expect(double.requests.length).toBeGreaterThan(throttled);
  expect(app.lastFrame()).not.toContain('p ask prices again');
});

test('p is no key of the review while the prices are there', async () => {
  const cloud = {...fakeCloud(), prices: async (queries: readonly PriceQuery[]) => (await fetchPrices(queries, {settings, env: {...process.env, TANDEM_HOME: home}})).state};
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'Cost: $14.38 a month');
  const asked = double.requests.length;
  expect(app.lastFrame()).not.toContain('p ask prices again');
  await press(app.stdin, 'p');
  expect(double.requests.length).toBe(asked);
});
