// The difference a choice makes (source/domain/cost/difference.ts): two plans priced by the same
// pricers as the review, compared line by line. The prices are those the local Price List endpoint
// serves (test/support/pricing-double.ts), filtered as it filters.
import {describe, expect, it} from 'vitest';
import {costDifference, differenceQueries, differenceText} from '../../../source/domain/cost/difference.js';
import {planUsage, priceFromList, queryKey} from '../../../source/domain/cost/estimate.js';
import type {FoundPrice, PriceQuery, PriceState} from '../../../source/domain/cost/types.js';
import {withFlowLogs} from '../../../source/domain/controls/flow-logs.js';
import {buildPlan} from '../../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../../source/domain/spec.js';
import {entry, matching, usEast1Products} from '../../support/pricing-double.js';

function served(queries: readonly PriceQuery[]): PriceState {
  const prices = new Map<string, FoundPrice | undefined>();
  for (const query of queries) {
    const found = matching(usEast1Products(), {ServiceCode: query.serviceCode, Filters: query.filters.map(({field, value}) => ({Type: 'TERM_MATCH', Field: field, Value: value}))});
    prices.set(queryKey(query), priceFromList(found.map(entry), query));
  }
  return {status: 'priced', prices, fetchedAt: '2026-12-06T13:00:00Z'};
}

const usage = (spec: LaunchSpec) => planUsage(buildPlan(spec), spec.region);

/** The line the wizard shows for `spec` compared with `other`, at the prices served. */
function line(spec: LaunchSpec, other: LaunchSpec, label: string, state?: PriceState): string | undefined {
  const [withIt, without] = [usage(spec), usage(other)];
  return differenceText(costDifference(withIt, without, state ?? served(differenceQueries(withIt, without))), label);
}

const base = defaultSpec('us-east-1');
const noPublicIp: LaunchSpec = {...base, network: {...base.network, publicIp: false}};

describe('the difference a choice makes', () => {
  it('prices a public IPv4 address as the one line it adds', () => {
    expect(line(base, noPublicIp, 'public IPv4')).toBe('+$3.65/month: public IPv4');
    expect(differenceQueries(usage(base), usage(noPublicIp))).toHaveLength(1);
  });

  it('takes what a choice replaces off what it adds: a dedicated host instead of a shared instance', () => {
    const host: LaunchSpec = {...base, instance: {...base.instance, tenancy: 'host'}};
    // The t3 host's 730 hours at $0.4992 ($364.42) less the shared t3.micro's $7.59.
    expect(line(host, base, 'dedicated host vs shared')).toBe('+$356.83/month: dedicated host vs shared');
  });

  it('counts the fee per region a dedicated instance brings, which is not a guess: AWS bills it while any runs', () => {
    const dedicated: LaunchSpec = {...base, instance: {...base.instance, tenancy: 'dedicated'}};
    // $0.013 - $0.0104 an hour for the instance ($1.90), and the fee's 730 hours at $2 ($1,460).
    expect(line(dedicated, base, 'dedicated instance')).toBe('+$1461.90/month: dedicated instance');
  });

  it('says the figure is partial when a line that differs has no price', () => {
    const dedicated: LaunchSpec = {...base, instance: {...base.instance, tenancy: 'dedicated'}};
    const [withIt, without] = [usage(dedicated), usage(base)];
    const state = served(differenceQueries(withIt, without));
    // The price list knows no fee in this answer: "no price found" on its line, never 0.
    const prices = new Map(state.status === 'priced' ? [...state.prices].map(([key, price]) => [key, key.includes('Fee') ? undefined : price] as const) : []);
    const text = differenceText(costDifference(withIt, without, {status: 'priced', prices, fetchedAt: '2026-12-06T13:00:00Z'}), 'dedicated instance');
    expect(text).toBe('+$1.90/month (partial): dedicated instance');
  });

  it('shows a usage that is an assumption by its unit price, never as a monthly figure', () => {
    const logged = withFlowLogs({...base, network: {vpc: 'new', subnet: 'public', cidr: '10.0.0.0/16', publicIp: true}}, true);
    const without = withFlowLogs(logged, false);
    expect(line(logged, without, 'flow logs')).toBe('+$0.50/GB: flow logs');
  });

  it('leaves out the assumed snapshot of a bigger volume and prices the volume itself', () => {
    const bigger: LaunchSpec = {...base, storage: {...base.storage, sizeGiB: 20}};
    expect(line(bigger, base, 'root volume vs 8 GiB gp3')).toBe('+$0.96/month: root volume vs 8 GiB gp3');
  });

  it('prices an io2 volume with the IOPS it provisions, against the default gp3 volume', () => {
    const io2: LaunchSpec = {...base, storage: {...base.storage, type: 'io2'}};
    // 8 GiB at $0.125 ($1.00) and 3,000 IOPS at $0.065 ($195.00), less 8 GiB of gp3 ($0.64).
    expect(line(io2, base, 'root volume vs 8 GiB gp3')).toBe('+$195.36/month: root volume vs 8 GiB gp3');
  });

  it('says nothing when the two plans cost the same, when the prices cannot be had, and "pricing…" until they come', () => {
    expect(line(base, base, 'same')).toBeUndefined();
    expect(line(base, noPublicIp, 'public IPv4', {status: 'unavailable', reason: 'throttled'})).toBeUndefined();
    expect(line(base, noPublicIp, 'public IPv4', {status: 'pending'})).toBe('pricing…: public IPv4');
  });

  it('shows no line for an option whose only difference has no price: nothing made up', () => {
    const noPrice: PriceState = {status: 'priced', prices: new Map(), fetchedAt: '2026-12-06T13:00:00Z'};
    expect(line(base, noPublicIp, 'public IPv4', noPrice)).toBeUndefined();
  });

  it('shows a saving with a minus sign', () => {
    expect(line(noPublicIp, base, 'no public IPv4')).toBe('-$3.65/month: no public IPv4');
  });
});
