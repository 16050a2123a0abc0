// The local Price List endpoint the pricing tests use (test/support/pricing-double.ts), asked through
// the real SDK pricing client, which finds it the way it finds any service's endpoint:
// AWS_ENDPOINT_URL_PRICING. moto has no pricing service (docs/cost.md), so this double is what
// the tests trust; these tests hold it to the API's shape.
import {GetProductsCommand, PricingClient} from '@aws-sdk/client-pricing';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';

let double: PricingDouble;
let saved: string | undefined;
const credentials = {accessKeyId: 'testing', secretAccessKey: 'testing'};

beforeEach(async () => {
  double = await startPricingDouble();
  saved = process.env.AWS_ENDPOINT_URL_PRICING;
  process.env.AWS_ENDPOINT_URL_PRICING = double.url;
});
afterEach(async () => {
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_PRICING;
  else process.env.AWS_ENDPOINT_URL_PRICING = saved;
  await double.close();
});

const match = (Field: string, Value: string) => ({Type: 'TERM_MATCH' as const, Field, Value});
const t3micro = [
  match('regionCode', 'us-east-1'),
  match('productFamily', 'Compute Instance'),
  match('instanceType', 't3.micro'),
  match('tenancy', 'Shared'),
  match('operatingSystem', 'Linux'),
  match('preInstalledSw', 'NA'),
  match('capacitystatus', 'Used'),
  match('licenseModel', 'No License required'),
];

interface Entry {
  product: {productFamily: string; attributes: Record<string, string>};
  terms: {OnDemand: Record<string, {priceDimensions: Record<string, {unit: string; pricePerUnit: {USD: string}}>}>};
  publicationDate: string;
}

describe('the local Price List endpoint', () => {
  it('is where the SDK pricing client sends GetProducts when AWS_ENDPOINT_URL_PRICING names it, signed for us-east-1', async () => {
    const client = new PricingClient({region: 'us-east-1', credentials, maxAttempts: 1});
    const answer = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: t3micro, FormatVersion: 'aws_v1'}));
    expect(double.requests).toHaveLength(1);
    expect(double.requests[0]).toMatchObject({target: 'AWSPriceListService.GetProducts', signedRegion: 'us-east-1'});
    expect(answer.FormatVersion).toBe('aws_v1');
    // Each entry is a JSON document inside a string, as the API returns it.
    expect(answer.PriceList).toHaveLength(1);
    // The SDK types PriceList loosely (string[] or any JSON value): read it as the strings it is.
    const [text] = answer.PriceList as string[];
    const entry = JSON.parse(text) as Entry;
    expect(entry.product.attributes).toMatchObject({instanceType: 't3.micro', tenancy: 'Shared', operatingSystem: 'Linux', regionCode: 'us-east-1'});
    const [dimension] = Object.values(Object.values(entry.terms.OnDemand)[0].priceDimensions);
    expect(dimension).toMatchObject({unit: 'Hrs', pricePerUnit: {USD: '0.0104000000'}});
    expect(entry.publicationDate).toMatch(/^\d{4}-\d\d-\d\dT/);
    client.destroy();
  });

  it('honours every TERM_MATCH filter: without the operating system it returns the Windows and RHEL variants too', async () => {
    const client = new PricingClient({region: 'us-east-1', credentials, maxAttempts: 1});
    const all = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: t3micro.filter((filter) => filter.Field !== 'operatingSystem')}));
    expect(all.PriceList).toHaveLength(3);
    const none = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: [...t3micro.slice(0, 2), match('instanceType', 't9.nothing')]}));
    expect(none.PriceList).toEqual([]);
    client.destroy();
  });

  it('pages with MaxResults and NextToken', async () => {
    const client = new PricingClient({region: 'us-east-1', credentials, maxAttempts: 1});
    const filters = [match('regionCode', 'us-east-1'), match('productFamily', 'Storage')];
    const first = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: filters, MaxResults: 2}));
    expect(first.PriceList).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    const second = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: filters, MaxResults: 2, NextToken: first.NextToken}));
    expect(second.PriceList).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    client.destroy();
  });

  it('denies, throttles and answers nothing as AWS does', async () => {
    const client = new PricingClient({region: 'us-east-1', credentials, maxAttempts: 1});
    const ask = () => client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: t3micro}));
    double.fault = 'deny';
    await expect(ask()).rejects.toMatchObject({name: 'AccessDeniedException', $metadata: {httpStatusCode: 400}});
    double.fault = 'throttle';
    await expect(ask()).rejects.toMatchObject({name: 'ThrottlingException'});
    double.fault = 'empty';
    await expect(ask()).resolves.toMatchObject({PriceList: []});
    client.destroy();
  });

  it('answers late when told to, so a caller can give up first', async () => {
    const client = new PricingClient({region: 'us-east-1', credentials, maxAttempts: 1});
    double.fault = 'slow';
    double.slowMs = 400;
    const started = Date.now();
    const answer = await client.send(new GetProductsCommand({ServiceCode: 'AmazonEC2', Filters: t3micro}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(answer.PriceList).toHaveLength(1);
    client.destroy();
  });
});
