// The difference a choice makes, on the panel of the wizard step that makes it (docs/cost.md): the
// figure comes from the run's book of prices (the same the review reads), "pricing…" until the
// answer comes, nothing when prices fail or the option adds nothing priced, and the line stays on
// one line of an 80-column terminal. The prices are the local Price List endpoint's catalogue,
// read as tandem reads GetProducts' answer, with a t3.small added for the type list.
import {afterEach, describe, expect, test} from 'vitest';
import {priceFromList, queryKey} from '../../source/domain/cost/estimate.js';
import type {FoundPrice, PriceQuery, PriceState} from '../../source/domain/cost/types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {entry, matching, usEast1Products, type Product} from '../support/pricing-double.js';
import {deferred, fakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitFor, waitForText, widestLine} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const SHIFT_TAB = '\u001B[Z';

const t3Small: Product = {
  serviceCode: 'AmazonEC2',
  productFamily: 'Compute Instance',
  attributes: {
    regionCode: 'us-east-1',
    location: 'US East (N. Virginia)',
    instanceType: 't3.small',
    tenancy: 'Shared',
    operatingSystem: 'Linux',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    licenseModel: 'No License required',
    usagetype: 'BoxUsage:t3.small',
    operation: 'RunInstances',
  },
  unit: 'Hrs',
  usd: '0.0208000000',
};

function served(queries: readonly PriceQuery[], products = [...usEast1Products(), t3Small]): PriceState {
  const prices = new Map<string, FoundPrice | undefined>();
  for (const query of queries) {
    const found = matching(products, {ServiceCode: query.serviceCode, Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value}))});
    prices.set(queryKey(query), priceFromList(found.map(entry), query));
  }
  return {status: 'priced', prices, fetchedAt: '2026-12-06T13:00:00Z'};
}

/** The app with a price list that answers from the catalogue, counting the questions asked. */
function start(options: {columns?: number; rows?: number; spec?: LaunchSpec; prices?: (queries: readonly PriceQuery[]) => Promise<PriceState>} = {}) {
  const asked: Array<readonly PriceQuery[]> = [];
  const cloud = {
    ...fakeCloud(),
    prices: (queries: readonly PriceQuery[]) => {
      asked.push(queries);
      return options.prices ? options.prices(queries) : Promise.resolve(served(queries));
    },
  };
  const app = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={options.spec ?? defaultSpec('us-east-1')} onExit={() => undefined} />,
    options.columns ?? 100,
    options.rows,
  );
  return {...app, asked, frame: () => app.lastFrame() ?? ''};
}

describe('the difference a choice makes, while choosing', () => {
  test('network: a public IPv4 address adds $3.65 a month, no address adds nothing; flow logs show their price per GB', async () => {
    const app = start();
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await waitForText(app, '+$3.65/month: public IPv4');
    await press(app.stdin, KEY.down);
    await waitForText(app, 'no public address');
    expect(app.frame()).not.toContain(': public IPv4');
    await press(app.stdin, 'f');
    await waitForText(app, '+$0.50/GB: flow logs');
  });

  test('network: a load balancer in front says what it adds over the same launch without one, its LCUs by their unit price', async () => {
    // 80 columns: the panel, and the cost line at its top, sit under the inputs.
    const app = start({columns: 80});
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'Certificate');
    await waitFor(() => /\+\$[\d.]+\/month \+ \$[\d.]+\/LCU-hour: load balancer/.test(app.frame().replace(/\s+/g, ' ')), 'the load balancer line', app.frame);
    expect(app.frame().replace(/\s+/g, ' ')).toContain('+$16.43/month + $0.008/LCU-hour: load balancer');
  });

  test('beside the inputs, a cost line too long for the panel wraps instead of losing what it prices', async () => {
    const app = start({columns: 100});
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitFor(() => app.frame().includes('LCU-hour: load'), 'the load balancer line', app.frame);
    const panelSide = app
      .frame()
      .split('\n')
      .map((line) => line.split('│')[1] ?? '')
      .join('\n');
    expect(panelSide).toMatch(/Cost {3}\+\$16\.43\/month \+ \$0\.008\/LCU-hour: load\s*\n\s+balancer/);
    expect(app.frame()).not.toContain('load bal…');
  });

  test('instance type: a bigger type says what it costs more than the first suggestion, and monitoring says what it adds', async () => {
    const app = start();
    await enterUntil(app, 'step 3 of 12');
    await waitForText(app, '+$2.10/month: detailed monitoring');
    expect(app.frame()).not.toContain('vs t3.micro');
    await press(app.stdin, KEY.down);
    // $0.0208 an hour for 730 hours ($15.18) less t3.micro's $7.59.
    await waitForText(app, '+$7.59/month: t3.small vs t3.micro');
  });

  test('tenancy: a dedicated instance and a dedicated host, against shared hardware', async () => {
    const app = start();
    await enterUntil(app, 'step 6 of 12');
    expect(app.frame()).not.toContain(': dedicated');
    await press(app.stdin, KEY.down);
    // The instance's dearer hours, and the fee per region AWS bills while any dedicated instance runs.
    await waitForText(app, '+$1461.90/month: dedicated instance');
    await press(app.stdin, KEY.down);
    await waitForText(app, '+$356.83/month: dedicated host');
  });

  test('storage: a new KMS key, a bigger volume as it is typed, and backups by their price per GB-month', async () => {
    const app = start();
    await enterUntil(app, 'step 7 of 12');
    await press(app.stdin, KEY.down);
    await waitForText(app, '+$1.00/month: new KMS key');
    // The new key brings its alias field; the size comes after it.
    await press(app.stdin, KEY.tab, 2);
    await press(app.stdin, KEY.backspace);
    await type(app.stdin, '20');
    await waitForText(app, '+$0.96/month: root volume vs 8 GiB gp3');
    await press(app.stdin, KEY.tab, 2);
    await waitForText(app, '+$0.05/GB-month: backups');
  });

  test('key pair: Session Manager in a private subnet prices its three interface endpoints', async () => {
    const base = defaultSpec('us-east-1');
    const app = start({spec: {...base, network: {vpc: 'new', subnet: 'private', cidr: '10.0.0.0/16', publicIp: false}}});
    await enterUntil(app, 'step 9 of 12');
    await press(app.stdin, SHIFT_TAB);
    // Three endpoints in one availability zone, 730 hours each at $0.01.
    await waitForText(app, '+$21.90/month: Session Manager endpoints');
  });

  test('an option that adds nothing priced shows no line: Session Manager in a public subnet adds only its role', async () => {
    const app = start();
    await enterUntil(app, 'step 9 of 12');
    await press(app.stdin, SHIFT_TAB);
    await waitForText(app, 'Session Manager');
    expect(app.frame()).not.toContain('Session Manager endpoints');
    expect(app.frame()).not.toContain('pricing…');
  });

  test('failing prices show no figure: "pricing…" goes away with the answer, and the wizard goes on', async () => {
    const answer = deferred<void>();
    const app = start({prices: async () => (await answer.promise, {status: 'unavailable', reason: 'the AWS Price List is throttling requests (ThrottlingException); try again later'})});
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await waitForText(app, 'pricing…: public IPv4');
    answer.resolve();
    await waitFor(() => !app.frame().includes('pricing…'), '"pricing…" to go', app.frame);
    expect(app.frame()).not.toContain(': public IPv4');
    expect(app.frame()).not.toContain(': flow logs');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 5 of 12');
  });

  test('"pricing…" until the answer comes; moving over a list asks each question once', async () => {
    const answer = deferred<void>();
    const app = start({prices: async (queries) => (await answer.promise, served(queries))});
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await waitForText(app, 'pricing…: public IPv4');
    answer.resolve();
    await waitForText(app, '+$3.65/month: public IPv4');
    const before = app.asked.length;
    await press(app.stdin, KEY.down);
    await press(app.stdin, KEY.up);
    await press(app.stdin, KEY.down);
    await press(app.stdin, KEY.up);
    await waitForText(app, '+$3.65/month: public IPv4');
    expect(app.asked.length).toBe(before);
  });

  test('at 80 columns the line sits between the inputs and the panel and never widens the screen, nor lengthens a short one', async () => {
    const app = start({columns: 80});
    await enterUntil(app, 'step 6 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, '+$356.83/month: dedicated host');
    expect(widestLine(app.frame())).toBeLessThanOrEqual(80);
    cleanupAll();
    const short = start({columns: 80, rows: 24});
    await enterUntil(short, 'step 4 of 12');
    await press(short.stdin, KEY.tab);
    await waitForText(short, '+$3.65/month: public IPv4');
    expect(short.frame().split('\n').length).toBeLessThanOrEqual(24);
    expect(short.frame()).toContain('Public IPv4');
    expect(widestLine(short.frame())).toBeLessThanOrEqual(80);
  });
  test('at 40×15 the line still fits on one line and the screen keeps its height', async () => {
    const app = start({columns: 40, rows: 15});
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await waitForText(app, '+$3.65/month: public IPv4');
    expect(app.frame().split('\n').length).toBeLessThanOrEqual(15);
    expect(widestLine(app.frame())).toBeLessThanOrEqual(40);
    expect(app.frame()).toContain('› a public IPv4');
  });
});
