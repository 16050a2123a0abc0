// The review's cost (docs/cost.md): usage at once, prices filled in when the price list answers,
// and the review usable meanwhile; in explain mode (no credentials) nothing is asked and the cost
// says why it is usage only. The prices are the local Price List endpoint's catalogue, read as
// tandem reads GetProducts' answer.
import {afterEach, expect, test} from 'vitest';
import {priceFromList, queryKey} from '../../source/domain/cost/estimate.js';
import type {FoundPrice, PriceQuery, PriceState} from '../../source/domain/cost/types.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {entry, matching, usEast1Products} from '../support/pricing-double.js';
import {deferred, fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

function served(queries: readonly PriceQuery[]): PriceState {
  const prices = new Map<string, FoundPrice | undefined>();
  for (const query of queries) {
    const found = matching(usEast1Products(), {ServiceCode: query.serviceCode, Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value}))});
    prices.set(queryKey(query), priceFromList(found.map(entry), query));
  }
  return {status: 'priced', prices, fetchedAt: '2026-12-06T13:00:00Z'};
}

test('explain mode shows usage only and why there are no prices', async () => {
  const app = renderAt(<App mode="explain" initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'Cost: no total: usage only');
  expect(flat(app.lastFrame())).toContain('usage only: prices need pricing:GetProducts (explain mode: no AWS credentials)');
});

test('the review is usable before the prices arrive, asks once, then shows the total of the prices the price list served with their source and date', async () => {
  const answer = deferred<PriceState>();
  const asked: Array<readonly PriceQuery[]> = [];
  const cloud = {
    ...fakeCloud(),
    prices: (queries: readonly PriceQuery[]) => {
      asked.push(queries);
      return answer.promise;
    },
  };
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, '› Launch');
  expect(flat(app.lastFrame())).toContain('Cost: no total: usage only');
  expect(flat(app.lastFrame())).toContain('prices are being fetched from the AWS Price List; usage only until they arrive');
  expect(asked).toHaveLength(1);
  answer.resolve(served(asked[0]));
  await waitForText(app, 'Cost: $14.38 a month');
  expect(flat(app.lastFrame())).toContain('AWS Price List Query API (pricing:GetProducts), on-demand, prices of 2026-11-20; 730 hours a month (c: the 5 lines)');
  expect(asked).toHaveLength(1);
});

test('c opens the cost breakdown under the total, a line per resource at the price served, and closes it again', async () => {
  const cloud = {...fakeCloud(), prices: (queries: readonly PriceQuery[]) => Promise.resolve(served(queries))};
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'Cost: $14.38 a month');
  const line = 'public IPv4 address: 730 hours × $0.005 per hour = $3.65 a month';
  expect(flat(app.lastFrame())).not.toContain(line);
  expect(app.lastFrame()).toContain('c cost lines');
  await press(app.stdin, 'c');
  await waitForText(app, line);
  const frame = flat(app.lastFrame());
  expect(frame).toContain('instance t3.micro (Linux, shared tenancy): 730 hours × $0.0104 per hour = $7.59 a month');
  expect(frame).toContain('first snapshot of the root volume: 8 GB-months × $0.05 per GB-month = $0.40 a month (assumes the whole volume is stored;');
  expect(app.lastFrame()).toContain('c hide cost lines');
  await press(app.stdin, 'c');
  expect(flat(app.lastFrame())).not.toContain(line);
});

test('the review says why when the price list cannot be had', async () => {
  const cloud = {...fakeCloud(), prices: () => Promise.resolve<PriceState>({status: 'unavailable', reason: 'prices need pricing:GetProducts (AccessDeniedException)'})};
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={defaultSpec('us-east-1')} startAtReview onExit={() => {}} />, 220);
  await waitForText(app, 'usage only: prices need pricing:GetProducts (AccessDeniedException)');
  expect(flat(app.lastFrame())).toContain('Cost: no total: usage only');
});

test('the end screen of a launch says what it costs a month until it is removed, with the source and date', async () => {
  const cloud = {...fakeCloud(), prices: (queries: readonly PriceQuery[]) => Promise.resolve(served(queries))};
  const app = renderAt(
    // The web server's high risks are recorded, so Launch launches at once.
    <App mode="live" cloud={cloud} identity={identity} initialSpec={publicWebServerSpec()} startAtReview makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => {}} />,
    220,
  );
  await waitForText(app, 'Cost: $14.38 a month');
  await waitForText(app, '› Launch');
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'Launched, and every control checked out.');
  expect(flat(app.lastFrame())).toContain('Costs $14.38 a month until removed (AWS Price List Query API (pricing:GetProducts), on-demand, prices of 2026-11-20)');
});
