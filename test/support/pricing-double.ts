// The AWS Price List Query API as AWS answers it, on 127.0.0.1 (docs/cost.md). moto 5.2.1 has no
// pricing service at all, so this double stands in for it: the tests point the SDK's pricing client
// at it with AWS_ENDPOINT_URL_PRICING, the variable the SDK itself reads for that one service.
//
// It speaks the API's protocol (AWS JSON 1.1: POST /, X-Amz-Target AWSPriceListService.GetProducts),
// answers GetProducts with the real response shape (each PriceList entry a JSON document encoded as
// a string, with the product's attributes and its OnDemand terms and price dimensions), keeps only
// the products every TERM_MATCH filter matches, pages with MaxResults and NextToken, and answers
// errors as AWS does (`__type` in the body). A test can make it deny (AccessDeniedException),
// throttle (ThrottlingException), answer an empty list, or answer late.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

/** One price tier of a product: AWS lists a tiered price as one dimension per range. */
export interface Tier {
  usd: string;
  beginRange?: string;
  endRange?: string;
}

/** A product as the tests describe it; `entry` turns it into the API's PriceList string. */
export interface Product {
  serviceCode: string;
  productFamily: string;
  /** The product's attributes (regionCode, instanceType, usagetype, …), all strings as in the API. */
  attributes: Record<string, string>;
  unit: string;
  /** One price, or the tiers of a tiered price. */
  usd: string | Tier[];
  description?: string;
  publicationDate?: string;
}

export const PUBLICATION_DATE = '2026-11-20T18:32:41Z';

/** A stable stand-in for a SKU, from the product's attributes (AWS's are 16 letters and digits). */
function skuOf(product: Product): string {
  let hash = 0;
  for (const char of JSON.stringify([product.serviceCode, product.productFamily, product.attributes])) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `SKU${hash.toString(36).toUpperCase().padStart(13, '0')}`;
}

/** The PriceList entry AWS returns for a product: a JSON document, as a string. */
export function entry(product: Product): string {
  const sku = skuOf(product);
  const term = 'JRTCKXETXF';
  const tiers = typeof product.usd === 'string' ? [{usd: product.usd}] : product.usd;
  const priceDimensions = Object.fromEntries(
    tiers.map((tier, index) => {
      const rateCode = `${sku}.${term}.${index === 0 ? '6YS6EN2CT7' : `TIER${index}`}`;
      const dimension = {
        unit: product.unit,
        endRange: tier.endRange ?? 'Inf',
        description: product.description ?? `$${tier.usd} per ${product.unit} of ${product.attributes.usagetype ?? product.productFamily}`,
        appliesTo: [],
        rateCode,
        beginRange: tier.beginRange ?? '0',
        pricePerUnit: {USD: tier.usd},
      };
      return [rateCode, dimension];
    }),
  );
  return JSON.stringify({
    product: {productFamily: product.productFamily, attributes: {servicecode: product.serviceCode, ...product.attributes}, sku},
    serviceCode: product.serviceCode,
    terms: {
      OnDemand: {[`${sku}.${term}`]: {priceDimensions, sku, effectiveDate: '2026-11-01T00:00:00Z', offerTermCode: term, termAttributes: {}}},
      // Reserved terms are part of the real answer; tandem must not read them as on-demand prices.
      Reserved: {[`${sku}.4NA7Y494T4`]: {priceDimensions: {}, sku, effectiveDate: '2026-11-01T00:00:00Z', offerTermCode: '4NA7Y494T4', termAttributes: {LeaseContractLength: '1yr'}}},
    },
    version: '20261120183241',
    publicationDate: product.publicationDate ?? PUBLICATION_DATE,
  });
}

const US_EAST_1 = {regionCode: 'us-east-1', location: 'US East (N. Virginia)', locationType: 'AWS Region'};

/** An EC2 instance product of us-east-1 with the attributes that tell its variants apart. */
function instance(type: string, usd: string, overrides: Record<string, string> = {}): Product {
  return {
    serviceCode: 'AmazonEC2',
    productFamily: 'Compute Instance',
    attributes: {
      ...US_EAST_1,
      instanceType: type,
      tenancy: 'Shared',
      operatingSystem: 'Linux',
      preInstalledSw: 'NA',
      capacitystatus: 'Used',
      licenseModel: 'No License required',
      usagetype: `BoxUsage:${type}`,
      operation: 'RunInstances',
      ...overrides,
    },
    unit: 'Hrs',
    usd,
  };
}

/** An Elastic Load Balancing product of us-east-1, as AWSELB lists it per type of load balancer. */
function loadBalancer(type: 'Application' | 'Network', usagetype: string, unit: string, usd: string): Product {
  return {
    serviceCode: 'AWSELB',
    productFamily: `Load Balancer-${type}`,
    attributes: {...US_EAST_1, usagetype, operation: `LoadBalancing:${type}`, group: 'ELB:Balancing'},
    unit,
    usd,
  };
}

/**
 * The us-east-1 products the tests need, at AWS's list prices, and the near-misses a careless query
 * would pick instead (Windows, RHEL, unused reservations, another region, the per-GB side of the
 * same family), so a test fails if a filter is missing.
 */
export function usEast1Products(): Product[] {
  return [
    instance('t3.micro', '0.0104000000'),
    instance('t3.micro', '0.0130000000', {tenancy: 'Dedicated', usagetype: 'DedicatedUsage:t3.micro'}),
    instance('t3.micro', '0.0196000000', {operatingSystem: 'Windows', usagetype: 'BoxUsage:t3.micro', operation: 'RunInstances:0002'}),
    instance('t3.micro', '0.0704000000', {operatingSystem: 'RHEL', operation: 'RunInstances:0010'}),
    instance('t3.micro', '0.0104000000', {capacitystatus: 'UnusedCapacityReservation', usagetype: 'Reservation:t3.micro'}),
    instance('t3.micro', '0.0130000000', {regionCode: 'us-east-2', location: 'US East (Ohio)', usagetype: 'USE2-BoxUsage:t3.micro'}),
    instance('m5.large', '0.0960000000'),
    {
      serviceCode: 'AmazonEC2',
      productFamily: 'Dedicated Host',
      attributes: {...US_EAST_1, instanceFamily: 't3', tenancy: 'Host', usagetype: 'HostUsage:t3'},
      unit: 'Hrs',
      usd: '0.4992000000',
    },
    {
      serviceCode: 'AmazonEC2',
      productFamily: 'Dedicated Host',
      attributes: {...US_EAST_1, instanceFamily: 'm5', tenancy: 'Host', usagetype: 'HostUsage:m5'},
      unit: 'Hrs',
      usd: '5.0680000000',
    },
    // The fee per region of dedicated instances, as the price list has it (family Fee, operation Surcharge).
    {
      serviceCode: 'AmazonEC2',
      productFamily: 'Fee',
      attributes: {
        ...US_EAST_1,
        group: 'EC2-Dedicated Usage',
        groupDescription: 'Fee for running at least one Dedicated Instance in the region',
        usagetype: 'DedicatedUsage',
        operation: 'Surcharge',
      },
      unit: 'Hrs',
      usd: '2.0000000000',
      description: "$2.00 once per hour when you're running at least one Dedicated Instance in the US East (N. Virginia) Region",
    },
    {serviceCode: 'AmazonEC2', productFamily: 'Storage', attributes: {...US_EAST_1, volumeApiName: 'gp3', usagetype: 'EBS:VolumeUsage.gp3'}, unit: 'GB-Mo', usd: '0.0800000000'},
    {serviceCode: 'AmazonEC2', productFamily: 'Storage', attributes: {...US_EAST_1, volumeApiName: 'gp2', usagetype: 'EBS:VolumeUsage.gp2'}, unit: 'GB-Mo', usd: '0.1000000000'},
    {serviceCode: 'AmazonEC2', productFamily: 'Storage', attributes: {...US_EAST_1, volumeApiName: 'io2', usagetype: 'EBS:VolumeUsage.io2'}, unit: 'GB-Mo', usd: '0.1250000000'},
    {
      serviceCode: 'AmazonEC2',
      productFamily: 'System Operation',
      attributes: {...US_EAST_1, volumeApiName: 'io2', usagetype: 'EBS:VolumeP-IOPS.io2', group: 'EBS IOPS'},
      unit: 'IOPS-Mo',
      usd: [
        {usd: '0.0650000000', beginRange: '0', endRange: '32000'},
        {usd: '0.0455000000', beginRange: '32000', endRange: '64000'},
        {usd: '0.0319000000', beginRange: '64000', endRange: 'Inf'},
      ],
    },
    {serviceCode: 'AmazonEC2', productFamily: 'Storage Snapshot', attributes: {...US_EAST_1, usagetype: 'EBS:SnapshotUsage'}, unit: 'GB-Mo', usd: '0.0500000000'},
    {serviceCode: 'AmazonEC2', productFamily: 'Storage Snapshot', attributes: {...US_EAST_1, usagetype: 'EBS:SnapshotArchiveStorage'}, unit: 'GB-Mo', usd: '0.0125000000'},
    {
      serviceCode: 'AmazonVPC',
      productFamily: 'VPC Public IPv4 Address',
      attributes: {...US_EAST_1, usagetype: 'USE1-PublicIPv4:InUseAddress', group: 'VPCPublicIPv4Address'},
      unit: 'Hrs',
      usd: '0.0050000000',
    },
    {
      serviceCode: 'AmazonVPC',
      productFamily: 'VPC Public IPv4 Address',
      attributes: {...US_EAST_1, usagetype: 'USE1-PublicIPv4:IdleAddress', group: 'VPCPublicIPv4Address'},
      unit: 'Hrs',
      usd: '0.0050000000',
    },
    {serviceCode: 'AmazonVPC', productFamily: 'VpcEndpoint', attributes: {...US_EAST_1, usagetype: 'VpcEndpoint-Hours', endpointType: 'PrivateLink'}, unit: 'Hrs', usd: '0.0100000000'},
    {serviceCode: 'AmazonVPC', productFamily: 'VpcEndpoint', attributes: {...US_EAST_1, usagetype: 'VpcEndpoint-Bytes', endpointType: 'PrivateLink'}, unit: 'GB', usd: '0.0100000000'},
    {
      serviceCode: 'AmazonCloudWatch',
      productFamily: 'Data Payload',
      attributes: {...US_EAST_1, usagetype: 'VendedLog-Bytes', group: 'Ingested Logs'},
      unit: 'GB',
      usd: [
        {usd: '0.5000000000', beginRange: '0', endRange: '10240'},
        {usd: '0.2500000000', beginRange: '10240', endRange: '30720'},
        {usd: '0.1000000000', beginRange: '30720', endRange: 'Inf'},
      ],
    },
    {serviceCode: 'AmazonCloudWatch', productFamily: 'Data Payload', attributes: {...US_EAST_1, usagetype: 'DataProcessing-Bytes'}, unit: 'GB', usd: '0.5000000000'},
    {
      serviceCode: 'AmazonCloudWatch',
      productFamily: 'Metric',
      attributes: {...US_EAST_1, usagetype: 'CW:MetricMonitorUsage', group: 'Metric'},
      unit: 'Metrics',
      usd: [
        {usd: '0.3000000000', beginRange: '0', endRange: '10000'},
        {usd: '0.1000000000', beginRange: '10000', endRange: '250000'},
      ],
    },
    {serviceCode: 'awskms', productFamily: 'Encryption Key', attributes: {...US_EAST_1, usagetype: 'us-east-1-KMS-Keys'}, unit: 'Keys', usd: '1.0000000000'},
    // Elastic Load Balancing: the Network Load Balancer's hours and capacity units come first, with
    // the same usagetypes and units as the Application Load Balancer's at other prices, so a query
    // without its productFamily takes them; then the application's, and the idle reserved capacity
    // the application family also lists.
    loadBalancer('Network', 'LoadBalancerUsage', 'Hrs', '0.0250000000'),
    loadBalancer('Network', 'LCUUsage', 'LCU-Hrs', '0.0060000000'),
    loadBalancer('Application', 'LoadBalancerUsage', 'Hrs', '0.0225000000'),
    loadBalancer('Application', 'LCUUsage', 'LCU-Hrs', '0.0080000000'),
    loadBalancer('Application', 'IdleProvisionedLBCapacity', 'IdleLCU-Hr', '0.0080000000'),
  ];
}

export type PricingFault = 'none' | 'deny' | 'throttle' | 'empty' | 'slow';

export interface PricingRequest {
  target: string;
  body: {ServiceCode?: string; Filters?: Array<{Type?: string; Field?: string; Value?: string}>; MaxResults?: number; NextToken?: string; FormatVersion?: string};
  /** The SigV4 Authorization header's credential scope region (…/REGION/pricing/aws4_request). */
  signedRegion: string | undefined;
}

export interface PricingDouble {
  url: string;
  /** What the next requests meet: a fault, or 'none' to answer. */
  fault: PricingFault;
  /** How long a 'slow' answer waits. */
  slowMs: number;
  products: Product[];
  requests: PricingRequest[];
  close(): Promise<void>;
}

/** A product's value for a filter field: `productFamily` and `serviceCode` are fields too. */
function fieldOf(product: Product, field: string): string | undefined {
  if (field === 'productFamily') return product.productFamily;
  if (field === 'serviceCode' || field === 'servicecode') return product.serviceCode;
  return product.attributes[field];
}

/** TERM_MATCH keeps the products whose field equals the value. */
export function matching(products: Product[], request: PricingRequest['body']): Product[] {
  return products.filter((product) => product.serviceCode === request.ServiceCode && (request.Filters ?? []).every((filter) => fieldOf(product, filter.Field ?? '') === filter.Value));
}

const awsError = (response: http.ServerResponse, status: number, type: string, message: string) => {
  response.writeHead(status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'pricing-double'});
  response.end(JSON.stringify({__type: type, Message: message}));
};

/** The GetProducts answer: one page of the matching products, and a token for the next. */
function getProducts(double: PricingDouble, body: PricingRequest['body']): {status: number; value: unknown} {
  if (!body.ServiceCode) return {status: 400, value: {__type: 'InvalidParameterException', Message: 'ServiceCode is required'}};
  for (const filter of body.Filters ?? []) {
    if (filter.Type !== 'TERM_MATCH' || !filter.Field || filter.Value === undefined) {
      return {status: 400, value: {__type: 'InvalidParameterException', Message: `Invalid filter ${JSON.stringify(filter)}`}};
    }
  }
  const found = double.fault === 'empty' ? [] : matching(double.products, body);
  const size = Math.min(body.MaxResults ?? 100, 100);
  const start = body.NextToken ? Number(Buffer.from(body.NextToken, 'base64').toString('utf8')) : 0;
  const page = found.slice(start, start + size).map(entry);
  const next = start + size < found.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return {status: 200, value: {FormatVersion: 'aws_v1', PriceList: page, ...(next ? {NextToken: next} : {})}};
}

async function answer(double: PricingDouble, request: http.IncomingMessage, response: http.ServerResponse, raw: string): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const authorization = String(request.headers.authorization ?? '');
  const signedRegion = /Credential=[^/]+\/\d{8}\/([^/]+)\/pricing\/aws4_request/.exec(authorization)?.[1];
  let body: PricingRequest['body'] = {};
  try {
    body = JSON.parse(raw || '{}') as PricingRequest['body'];
  } catch {
    awsError(response, 400, 'SerializationException', 'Start of structure or map found where not expected');
    return;
  }
  double.requests.push({target, body, signedRegion});
  if (request.method !== 'POST' || !authorization.startsWith('AWS4-HMAC-SHA256')) {
    awsError(response, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    return;
  }
  if (double.fault === 'deny') {
    awsError(response, 400, 'AccessDeniedException', 'User: arn:aws:iam::123456789012:user/tester is not authorized to perform: pricing:GetProducts');
    return;
  }
  if (double.fault === 'throttle') {
    awsError(response, 400, 'ThrottlingException', 'Rate exceeded');
    return;
  }
  if (double.fault === 'slow') await new Promise((resolve) => setTimeout(resolve, double.slowMs));
  if (target !== 'AWSPriceListService.GetProducts') {
    awsError(response, 400, 'UnknownOperationException', `Unknown operation ${target}`);
    return;
  }
  const {status, value} = getProducts(double, body);
  response.writeHead(status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'pricing-double'});
  response.end(JSON.stringify(value));
}

export async function startPricingDouble(products: Product[] = usEast1Products()): Promise<PricingDouble> {
  const double: PricingDouble = {url: '', fault: 'none', slowMs: 5_000, products, requests: [], close: async () => {}};
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void answer(double, request, response, Buffer.concat(chunks).toString('utf8')).catch(() => response.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  double.url = `http://127.0.0.1:${port}`;
  double.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return double;
}
