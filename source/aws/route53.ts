// Route 53, the three calls the requested certificate's DNS validation needs
// (controls/load-balancer.ts): ListHostedZonesByName, ListResourceRecordSets and
// ChangeResourceRecordSets. The Route 53 client of the AWS SDK is not among the packages tandem can
// install, so these calls are signed here with the SDK's own Signature V4 signer and the same
// credentials, endpoint, extra headers and timeout as every other client (clients.ts). Route 53
// is a global service: AWS signs it for us-east-1 whatever the launch region.
import type {SignatureV4} from '@smithy/signature-v4';
import type {AwsSettings} from './clients.js';
import {clientConfig, DEFAULT_SOCKET_TIMEOUT_MS} from './clients.js';
import {StepError} from './errors.js';

const API = '/2013-04-01';
const ROUTE53_ENDPOINT = 'https://route53.amazonaws.com';
/** The tries a throttled or failing call gets (Route 53 allows five requests a second per account). */
const ATTEMPTS = 4;

export interface HostedZone {
  /** The bare id (Z0123…), without the /hostedzone/ prefix. */
  id: string;
  /** The zone's name with its final dot, as Route 53 gives it (example.com.). */
  name: string;
  privateZone: boolean;
}

export interface RecordSet {
  name: string;
  type: string;
  ttl: number;
  values: string[];
}

const signers = new WeakMap<AwsSettings, Promise<SignatureV4>>();

/** One signer per settings object: the credential chain is resolved once, as an SDK client does. */
function signerFor(settings: AwsSettings): Promise<SignatureV4> {
  let signer = signers.get(settings);
  if (!signer) {
    // Loaded lazily, like every SDK module: nothing of it loads before it is needed.
    // The SHA-256 every SDK client signs with in Node (its runtime config's `sha256`).
    signer = Promise.all([clientConfig(settings), import('@smithy/signature-v4'), import('@smithy/core/checksum')]).then(
      ([config, {SignatureV4: Signer}, {Sha256}]) => new Signer({credentials: config.credentials, region: 'us-east-1', service: 'route53', sha256: Sha256}),
    );
    signers.set(settings, signer);
  }
  return signer;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlUnescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of every `<tag>` element directly inside `xml` (Route 53's answers are small and regular). */
function elements(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]);
}
const first = (xml: string, tag: string): string | undefined => elements(xml, tag)[0];

/** Route 53's error answer as the code and message other calls' errors carry. */
function routeError(status: number, body: string): StepError {
  const code = first(body, 'Code') ?? `HTTP${status}`;
  const message = xmlUnescape(first(body, 'Message') ?? `Route 53 answered HTTP ${status}`);
  // A record that is not there: DELETE answers InvalidChangeBatch saying so. Counted as not found.
  if (code === 'InvalidChangeBatch' && /not found/i.test(message)) return new StepError('ResourceRecordSetNotFound', message);
  return new StepError(code, message);
}

const retryable = (status: number, code: string) => status >= 500 || status === 429 || /Throttl|PriorRequestNotComplete/.test(code);

/** One signed Route 53 request; throttling and 5xx are retried, a few times, with backoff. */
async function call(settings: AwsSettings, method: 'GET' | 'POST', path: string, query: Record<string, string> = {}, body?: string): Promise<string> {
  const endpoint = new URL(settings.endpointUrl ?? ROUTE53_ENDPOINT);
  const signer = await signerFor(settings);
  const basePath = endpoint.pathname.replace(/\/$/, '');
  for (let attempt = 1; ; attempt += 1) {
    const request = {
      method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: `${basePath}${path}`,
      query,
      headers: {host: endpoint.host, ...(body ? {'content-type': 'application/xml'} : {}), ...settings.headers},
      body,
    };
    const signed = await signer.sign(request);
    const url = new URL(`${endpoint.protocol}//${endpoint.host}${request.path}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const {host: _host, ...headers} = signed.headers;
    const response = await fetch(url, {method, headers, body, signal: AbortSignal.timeout(settings.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS)});
    const text = await response.text();
    if (response.ok) return text;
    const error = routeError(response.status, text);
    if (attempt >= ATTEMPTS || !retryable(response.status, error.code)) throw error;
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
  }
}

const bareZoneId = (id: string) => id.replace(/^\/?hostedzone\//, '');

/** The zones whose names sort from `dnsName` on (ListHostedZonesByName), up to `max`. */
export async function listHostedZonesByName(settings: AwsSettings, dnsName: string, max = 10): Promise<HostedZone[]> {
  const xml = await call(settings, 'GET', `${API}/hostedzonesbyname`, {...(dnsName ? {dnsname: dnsName} : {}), maxitems: String(max)});
  return elements(xml, 'HostedZone').map((zone) => ({
    id: bareZoneId(first(zone, 'Id') ?? ''),
    name: xmlUnescape(first(zone, 'Name') ?? ''),
    privateZone: first(zone, 'PrivateZone') === 'true',
  }));
}

/** The record sets of a zone from `name` on (ListResourceRecordSets), up to `max`. */
export async function listRecordSets(settings: AwsSettings, zoneId: string, name: string, max = 10): Promise<RecordSet[]> {
  const xml = await call(settings, 'GET', `${API}/hostedzone/${bareZoneId(zoneId)}/rrset`, {name, maxitems: String(max)});
  return elements(xml, 'ResourceRecordSet').map((set) => ({
    name: xmlUnescape(first(set, 'Name') ?? ''),
    type: first(set, 'Type') ?? '',
    ttl: Number(first(set, 'TTL') ?? 0),
    values: elements(set, 'Value').map(xmlUnescape),
  }));
}

/** One change to one record set (ChangeResourceRecordSets); answers the change's id. */
export async function changeRecordSet(settings: AwsSettings, zoneId: string, action: 'UPSERT' | 'DELETE', record: RecordSet, comment: string): Promise<string> {
  const values = record.values.map((value) => `<ResourceRecord><Value>${xmlEscape(value)}</Value></ResourceRecord>`).join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><ChangeBatch>` +
    `<Comment>${xmlEscape(comment)}</Comment><Changes><Change><Action>${action}</Action><ResourceRecordSet>` +
    `<Name>${xmlEscape(record.name)}</Name><Type>${xmlEscape(record.type)}</Type><TTL>${record.ttl}</TTL><ResourceRecords>${values}</ResourceRecords>` +
    `</ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>`;
  const xml = await call(settings, 'POST', `${API}/hostedzone/${bareZoneId(zoneId)}/rrset/`, {}, body);
  return first(xml, 'Id') ?? '';
}
