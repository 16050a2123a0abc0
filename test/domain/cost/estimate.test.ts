// A launch's cost from its plan (source/domain/cost): the usage each plan step adds, the price the
// price list gives each, and the estimate with its total, its notes and its gaps. The prices come
// from the same catalog the local Price List endpoint serves (test/support/pricing-double.ts),
// filtered as that endpoint filters, so these figures are the ones the system tests see through it.
import {describe, expect, it} from 'vitest';
import {estimateCost, NO_PRICE, NOT_PRICED, planUsage, priceFromList, priceQueries, queryKey} from '../../../source/domain/cost/estimate.js';
import {FREE_KINDS, PRICERS} from '../../../source/domain/cost/pricers.js';
import {lineText} from '../../../source/domain/cost/render.js';
import type {FoundPrice, PriceQuery, PriceState} from '../../../source/domain/cost/types.js';
import {buildPlan} from '../../../source/domain/plan.js';
import type {Plan, ResourceKind} from '../../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec} from '../../../source/domain/spec.js';
import {checkProfile} from '../../../source/store/profile-schema.js';
import {entry, matching, usEast1Products, type Product} from '../../support/pricing-double.js';

/** What the local endpoint would answer for each query, read as tandem reads it. */
function pricesFrom(products: Product[], queries: PriceQuery[]): PriceState {
  const prices = new Map<string, FoundPrice | undefined>();
  for (const query of queries) {
    const found = matching(products, {ServiceCode: query.serviceCode, Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value}))});
    prices.set(queryKey(query), priceFromList(found.map(entry), query));
  }
  return {status: 'priced', prices, fetchedAt: '2026-12-06T13:00:00Z'};
}

function estimateOf(spec: LaunchSpec, products = usEast1Products()) {
  const usage = planUsage(buildPlan(spec), spec.region);
  return estimateCost(usage, pricesFrom(products, priceQueries(usage)));
}

/** The default launch behind an Application Load Balancer, as the profile `loadBalancer: {certificate: none}` gives it. */
const loadBalanced = (): LaunchSpec => {
  const result = checkProfile({version: 1, loadBalancer: {certificate: 'none'}});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.spec;
};

const privateEverything = (): LaunchSpec => {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    instance: {...spec.instance, tenancy: 'host'},
    network: {vpc: 'new', subnet: 'private', cidr: '10.0.0.0/16', publicIp: false},
    storage: {...spec.storage, type: 'io2', sizeGiB: 20, kmsKey: 'new'},
    backup: {plan: true, retentionDays: 7, firstSnapshot: true},
  };
};

describe('the cost of a launch', () => {
  it('prices the default launch in us-east-1 line by line at the prices the price list served, 730 hours a month', () => {
    const estimate = estimateOf(defaultSpec('us-east-1'));
    expect(estimate.lines.map(({resource, usage, unit, unitPrice, monthly}) => ({resource, usage, unit, unitPrice, monthly}))).toEqual([
      {resource: 'instance t3.micro (Linux, shared tenancy)', usage: 730, unit: 'hour', unitPrice: 0.0104, monthly: 7.59},
      {resource: 'root volume gp3, 8 GiB', usage: 8, unit: 'GB-month', unitPrice: 0.08, monthly: 0.64},
      {resource: 'public IPv4 address', usage: 730, unit: 'hour', unitPrice: 0.005, monthly: 3.65},
      {resource: 'detailed monitoring (1-minute metrics)', usage: 7, unit: 'metric-month', unitPrice: 0.3, monthly: 2.1},
      {resource: 'first snapshot of the root volume', usage: 8, unit: 'GB-month', unitPrice: 0.05, monthly: 0.4},
    ]);
    expect(estimate).toMatchObject({currency: 'USD', monthly: 14.38, partial: false, asOf: '2026-11-20'});
    expect(estimate.source).toMatch(/AWS Price List Query API/);
    expect(estimate.notes[0]).toMatch(/^730 hours a month/);
    expect(estimate.lines[4].note).toMatch(/assumes the whole volume/);
  });

  it('gives "no price found" for an instance type the price list does not know, never 0, and says the total is partial', () => {
    const spec = defaultSpec('us-east-1');
    const estimate = estimateOf({...spec, instance: {...spec.instance, type: 't9.imaginary'}});
    const instance = estimate.lines[0];
    expect(instance).toMatchObject({resource: 'instance t9.imaginary (Linux, shared tenancy)', unitPrice: null, monthly: null, note: NO_PRICE});
    expect(estimate.partial).toBe(true);
    expect(estimate.monthly).toBe(6.79);
    expect(estimate.notes.join('\n')).toMatch(/partial: 1 line has no price/);
  });

  it('gives "no price found" on every line in a region the price list does not know, and no total', () => {
    const estimate = estimateOf(defaultSpec('xx-nowhere-1'));
    expect(estimate.lines.every((line) => line.unitPrice === null && line.monthly === null && line.note?.startsWith(NO_PRICE))).toBe(true);
    expect(estimate.monthly).toBeNull();
  });

  it('shows usage only, with the reason, when prices cannot be had or have not arrived', () => {
    const usage = planUsage(buildPlan(defaultSpec('us-east-1')), 'us-east-1');
    const denied = estimateCost(usage, {status: 'unavailable', reason: 'prices need pricing:GetProducts'});
    expect(denied.monthly).toBeNull();
    expect(denied.asOf).toBeNull();
    expect(denied.lines.map((line) => [line.usage, line.unitPrice, line.monthly])).toEqual([
      [730, null, null],
      [8, null, null],
      [730, null, null],
      [7, null, null],
      [8, null, null],
    ]);
    expect(denied.notes).toContain('usage only: prices need pricing:GetProducts');
    const pending = estimateCost(usage, {status: 'pending'});
    expect(pending.notes.join('\n')).toMatch(/being fetched/);
  });

  it('prices what a private launch adds: a dedicated host billed whole instead of the instance, io2 IOPS, a KMS key, an endpoint per AZ, flow logs and backups as stated assumptions', () => {
    const estimate = estimateOf(privateEverything());
    const byResource = new Map(estimate.lines.map((line) => [line.resource, line]));
    expect([...byResource.keys()].some((resource) => resource.startsWith('instance '))).toBe(false);
    expect(byResource.get('dedicated host (t3 family; the instance on it is not billed apart)')).toMatchObject({usage: 730, unitPrice: 0.4992, monthly: 364.42});
    expect(byResource.get('root volume io2, 20 GiB')).toMatchObject({unitPrice: 0.125, monthly: 2.5});
    expect(byResource.get('provisioned IOPS (io2, 3000)')).toMatchObject({unitPrice: 0.065, monthly: 195});
    expect(byResource.get('KMS customer managed key')).toMatchObject({usage: 1, unitPrice: 1, monthly: 1});
    for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
      expect(byResource.get(`interface endpoint com.amazonaws.us-east-1.${service} (1 AZ)`)).toMatchObject({usage: 730, unitPrice: 0.01, monthly: 7.3});
    }
    expect(byResource.get('VPC flow logs ingested')).toMatchObject({usage: 1, unit: 'GB', unitPrice: 0.5, monthly: 0.5, note: expect.stringMatching(/^assumes 1 GB/) as unknown});
    expect(byResource.get('AWS Backup recovery points of the root volume (daily, kept 7 days)')).toMatchObject({usage: 20, unitPrice: 0.05, monthly: 1});
    expect(byResource.has('public IPv4 address')).toBe(false);
    expect(estimate.partial).toBe(false);
  });

  it('prices a dedicated instance at the dedicated rate, and the per-region fee of dedicated instances from its own product, saying when AWS bills it', () => {
    const spec = defaultSpec('us-east-1');
    const estimate = estimateOf({...spec, instance: {...spec.instance, tenancy: 'dedicated'}});
    expect(estimate.lines[0]).toMatchObject({resource: 'instance t3.micro (Linux, dedicated tenancy)', unitPrice: 0.013, monthly: 9.49});
    expect(estimate.lines[1]).toMatchObject({
      resource: 'dedicated instances, fee per region',
      usage: 730,
      unitPrice: 2,
      monthly: 1460,
      note: expect.stringMatching(/^AWS charges it once per region for each hour any dedicated instance of the account runs there/) as unknown,
    });
    expect(estimate).toMatchObject({monthly: 1476.28, partial: false});
  });

  it('prices a load-balanced launch: the Application Load Balancer by the hour and its LCUs as a stated assumption; target group, listener and S3 gateway endpoint are free, so the total is whole', () => {
    const estimate = estimateOf(loadBalanced());
    const lb = estimate.lines.filter((line) => line.resource.startsWith('Application Load Balancer'));
    expect(lb).toEqual([
      {resource: 'Application Load Balancer', usage: 730, unit: 'hour', unitPrice: 0.0225, monthly: 16.43, note: null},
      {
        resource: 'Application Load Balancer capacity units (LCUs)',
        usage: 730,
        unit: 'LCU-hour',
        unitPrice: 0.008,
        monthly: 5.84,
        note: "assumes 1 LCU on average, a quiet web server's traffic; each LCU-hour more costs the unit price",
      },
    ]);
    expect(lb.map(lineText)).toEqual([
      'Application Load Balancer: 730 hours × $0.0225 per hour = $16.43 a month',
      "Application Load Balancer capacity units (LCUs): 730 LCU-hours × $0.008 per LCU-hour = $5.84 a month (assumes 1 LCU on average, a quiet web server's traffic; each LCU-hour more costs the unit price)",
    ]);
    expect(estimate.lines.filter((line) => line.note?.includes(NOT_PRICED) || line.monthly === null)).toEqual([]);
    expect(estimate.lines.some((line) => /target-group|listener|Gateway|s3/.test(line.resource))).toBe(false);
    expect(estimate).toMatchObject({monthly: 55.4, partial: false});
  });

  it('prices a load balancer of another type than application as "not priced by tandem", never at the application rate', () => {
    const plan = buildPlan(loadBalanced());
    const step = plan.steps.find((candidate) => candidate.creates.includes('load-balancer'));
    if (!step) throw new Error('no load balancer step');
    step.params = {...step.params, Type: 'network'};
    const usage = planUsage(plan, 'us-east-1');
    const estimate = estimateCost(usage, pricesFrom(usEast1Products(), priceQueries(usage)));
    expect(estimate.lines.filter((line) => line.resource.includes('load balancer') || line.resource.includes('Load Balancer'))).toEqual([
      {resource: 'network load balancer', usage: 730, unit: 'hour', unitPrice: null, monthly: null, note: NOT_PRICED},
    ]);
    expect(estimate.partial).toBe(true);
  });

  it('shows a resource of a kind no pricer knows as "not priced by tandem" and the total as partial, never as free', () => {
    const plan: Plan = buildPlan(defaultSpec('us-east-1'));
    const stranger = 'nat-gateway' as ResourceKind;
    plan.steps.push({
      id: 'nat',
      service: 'ec2',
      action: 'CreateNatGateway',
      params: {},
      creates: [stranger],
      dependsOn: [],
      controls: ['instance-type'],
      dryRunnable: false,
      summary: 'Create NAT gateway web-nat',
    });
    const usage = planUsage(plan, 'us-east-1');
    const estimate = estimateCost(usage, pricesFrom(usEast1Products(), priceQueries(usage)));
    expect(estimate.lines.at(-1)).toMatchObject({resource: 'nat-gateway (Create NAT gateway web-nat)', unitPrice: null, monthly: null, note: NOT_PRICED});
    expect(estimate).toMatchObject({monthly: 14.38, partial: true});
  });

  it('asks each distinct price once, however many lines use it', () => {
    const usage = planUsage(buildPlan(privateEverything()), 'us-east-1');
    const queries = priceQueries(usage);
    expect(queries.filter((query) => query.usagetypeSuffix === 'VpcEndpoint-Hours')).toHaveLength(1);
    expect(queries.filter((query) => query.usagetypeSuffix === 'EBS:SnapshotUsage')).toHaveLength(1);
    expect(queries.every((query) => query.filters[0].field === 'regionCode' && query.filters[0].value === 'us-east-1')).toBe(true);
  });

  it('keeps one pricer per kind, and no kind both free and priced', () => {
    const kinds = PRICERS.flatMap((pricer) => pricer.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.filter((kind) => FREE_KINDS.has(kind))).toEqual([]);
  });
});

describe('reading the price list answer', () => {
  const query: PriceQuery = {serviceCode: 'AmazonVPC', unit: 'Hrs', filters: [], usagetypeSuffix: 'VpcEndpoint-Hours'};
  const endpoints = usEast1Products().filter((product) => product.productFamily === 'VpcEndpoint');

  it('takes the on-demand price of the product whose usagetype ends as asked, in the unit asked', () => {
    // The per-GB product comes first; its usagetype and unit both rule it out.
    const entries = [...endpoints].sort((a) => (a.unit === 'GB' ? -1 : 1)).map(entry);
    expect(priceFromList(entries, query)).toEqual({usd: 0.01, unit: 'Hrs', publicationDate: '2026-11-20T18:32:41Z'});
  });

  it('takes the first tier of a tiered price, and skips entries that are not JSON', () => {
    const logs = usEast1Products().filter((product) => product.attributes.usagetype === 'VendedLog-Bytes');
    expect(priceFromList(['not json', ...logs.map(entry)], {serviceCode: 'AmazonCloudWatch', unit: 'GB', filters: [], usagetypeSuffix: 'VendedLog-Bytes'})).toMatchObject({usd: 0.5});
  });

  it('finds nothing in an empty answer', () => {
    expect(priceFromList([], query)).toBeUndefined();
  });
});
