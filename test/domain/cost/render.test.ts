// The estimate in words (source/domain/cost/render.ts): every figure with its unit, as many decimals
// as AWS lists, and a line without a price saying why rather than showing $0.00.
import {describe, expect, it} from 'vitest';
import {costTextLines, lineText, totalText, unitPriceText, usageText} from '../../../source/domain/cost/render.js';
import type {CostEstimate} from '../../../source/domain/cost/types.js';

const estimate: CostEstimate = {
  currency: 'USD',
  monthly: 6.79,
  partial: true,
  lines: [
    {resource: 'instance t9.imaginary (Linux, shared tenancy)', usage: 730, unit: 'hour', unitPrice: null, monthly: null, note: 'no price found'},
    {resource: 'KMS customer managed key', usage: 1, unit: 'key-month', unitPrice: 1, monthly: 1, note: null},
    {resource: 'VPC flow logs ingested', usage: 1, unit: 'GB', unitPrice: 0.5, monthly: 0.5, note: 'assumes 1 GB of flow records a month'},
  ],
  source: 'AWS Price List Query API (pricing:GetProducts), on-demand',
  asOf: '2026-11-20',
  notes: ['730 hours a month'],
};

describe('the estimate in words', () => {
  it('writes unit prices with at least cents and every decimal AWS lists', () => {
    expect([0.0104, 0.08, 1, 0.3, 0.000123].map(unitPriceText)).toEqual(['$0.0104', '$0.08', '$1.00', '$0.30', '$0.000123']);
  });

  it('counts usage in its unit, plural where it reads so', () => {
    expect(usageText({usage: 730, unit: 'hour'})).toBe('730 hours');
    expect(usageText({usage: 1, unit: 'key-month'})).toBe('1 key-month');
    expect(usageText({usage: 8, unit: 'GB'})).toBe('8 GB');
  });

  it('says "no price found" on a line without a price, and the total is partial', () => {
    expect(lineText(estimate.lines[0])).toBe('instance t9.imaginary (Linux, shared tenancy): 730 hours, no price found');
    expect(lineText(estimate.lines[2])).toBe('VPC flow logs ingested: 1 GB × $0.50 per GB = $0.50 a month (assumes 1 GB of flow records a month)');
    expect(totalText(estimate)).toBe('$6.79 a month, partial (some lines have no price)');
    expect(totalText({...estimate, monthly: null, partial: false})).toBe('no total: usage only');
  });

  it('ends with the source, its date and the notes', () => {
    const lines = costTextLines(estimate);
    expect(lines[0]).toBe('Total: $6.79 a month, partial (some lines have no price)');
    expect(lines.slice(-2)).toEqual(['Source: AWS Price List Query API (pricing:GetProducts), on-demand, prices of 2026-11-20', 'Note: 730 hours a month']);
  });
});
