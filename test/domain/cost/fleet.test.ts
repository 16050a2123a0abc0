// A fleet's cost (source/domain/cost/fleet.ts): each region's estimate times its accounts; with
// organizational units the accounts are StackSets' to decide, so the figure is per account and
// there is no total to make up.
import {describe, expect, it} from 'vitest';
import {fleetCost, fleetCostLines} from '../../../source/domain/cost/fleet.js';
import type {CostEstimate} from '../../../source/domain/cost/types.js';

const estimate = (monthly: number | null, partial = false): CostEstimate => ({
  currency: 'USD',
  monthly,
  partial,
  lines: [],
  source: 'AWS Price List Query API (pricing:GetProducts), on-demand',
  asOf: monthly === null ? null : '2026-11-20',
  notes: ['730 hours a month'],
});

describe('the cost of a fleet', () => {
  it('multiplies each region by its accounts and adds them up', () => {
    const cost = fleetCost([
      {region: 'us-east-1', accounts: 3, each: estimate(14.38)},
      {region: 'eu-west-1', accounts: 3, each: estimate(15.01)},
    ]);
    expect(cost).toMatchObject({monthly: 88.17, partial: false, targets: 6, asOf: '2026-11-20', notes: ['730 hours a month']});
    expect(fleetCostLines(cost).slice(0, 3)).toEqual([
      'Total for 6 targets: $88.17 a month',
      'us-east-1: $14.38 a month × 3 accounts = $43.14',
      'eu-west-1: $15.01 a month × 3 accounts = $45.03',
    ]);
  });

  it('says the total is partial when a region has no price', () => {
    const cost = fleetCost([
      {region: 'us-east-1', accounts: 2, each: estimate(14.38)},
      {region: 'xx-nowhere-1', accounts: 2, each: estimate(null)},
    ]);
    expect(cost).toMatchObject({monthly: 28.76, partial: true, targets: 4});
    expect(fleetCostLines(cost)[2]).toBe('xx-nowhere-1: no total: usage only × 2 accounts');
  });

  it('gives the cost per account, and no total, when organizational units decide the accounts', () => {
    const cost = fleetCost([{region: 'us-east-1', accounts: null, each: estimate(14.38)}]);
    expect(cost).toMatchObject({monthly: null, targets: null, partial: false});
    expect(fleetCostLines(cost).slice(0, 2)).toEqual(['Total: per account, as StackSets decides the accounts', 'us-east-1: $14.38 a month per account']);
    expect(cost.notes.at(-1)).toMatch(/StackSets decides the accounts/);
  });
});
