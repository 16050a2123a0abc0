// The lookup of the operator's public address against a local stand-in for checkip: every way it
// can end settles as a result the caller can show, and only one plain public IPv4 is ever "found".
import {afterEach, describe, expect, test} from 'vitest';
import {CHECKIP_SERVICE, checkipUrl, parseCheckipAnswer} from '../../source/domain/my-address.js';
import {CHECKIP_TIMEOUT_MS, lookUpMyAddress} from '../../source/net/checkip.js';
import {closedUrl, startCheckip, type CheckipServer} from '../support/checkip-server.js';

const servers: CheckipServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serve(body: string | undefined, status?: number): Promise<string> {
  const server = await startCheckip(body, status);
  servers.push(server);
  return server.url;
}

describe('checkip lookup', () => {
  test('found: the address as a /32, and where it came from', async () => {
    const url = await serve('52.95.110.23\n');
    expect(await lookUpMyAddress({env: {TANDEM_CHECKIP_URL: url}})).toEqual({status: 'found', address: '52.95.110.23', cidr: '52.95.110.23/32', url});
  });

  test('slow: a service that never answers is given up on after the 3 s bound, as "slow"', async () => {
    expect(CHECKIP_TIMEOUT_MS).toBe(3000);
    const url = await serve(undefined);
    const lookup = await lookUpMyAddress({env: {TANDEM_CHECKIP_URL: url}});
    expect(lookup).toMatchObject({status: 'failed', reason: 'slow', url});
  });

  test('offline: a refused connection is "offline", with the reason', async () => {
    const url = await closedUrl();
    expect(await lookUpMyAddress({env: {TANDEM_CHECKIP_URL: url}})).toMatchObject({status: 'failed', reason: 'offline', message: 'ECONNREFUSED', url});
  });

  test.each([
    ['a captive portal page', '<html><body>Please log in</body></html>'],
    ['two addresses', '52.95.110.23, 203.0.113.9'],
    ['a range', '198.51.100.0/24'],
    ['an empty answer', ''],
    ['an answer too long to be an address', `52.95.110.23${' '.repeat(100)}`],
    ['a private address', '10.1.2.3'],
    ['a shared (carrier-grade NAT) address', '100.64.1.2'],
    ['a documentation address', '198.51.100.23'],
    ['a benchmarking address', '198.18.0.9'],
    ['an IPv6 address', '2001:db8::1'],
  ])('garbage: %s is refused, never used', async (_what, body) => {
    const url = await serve(body);
    expect(await lookUpMyAddress({env: {TANDEM_CHECKIP_URL: url}})).toMatchObject({status: 'failed', reason: 'garbage'});
  });

  test('an error status is refused even when its body looks like an address', async () => {
    const url = await serve('52.95.110.23', 503);
    expect(await lookUpMyAddress({env: {TANDEM_CHECKIP_URL: url}})).toMatchObject({status: 'failed', reason: 'garbage', message: 'HTTP 503'});
  });

  test('AWS checkip is asked unless TANDEM_CHECKIP_URL says otherwise', () => {
    expect(checkipUrl({})).toBe('https://checkip.amazonaws.com');
    expect(checkipUrl({TANDEM_CHECKIP_URL: ' '})).toBe(CHECKIP_SERVICE);
    expect(checkipUrl({TANDEM_CHECKIP_URL: 'http://127.0.0.1:9/'})).toBe('http://127.0.0.1:9/');
  });
});

describe('parseCheckipAnswer', () => {
  test('one dotted quad, trimmed', () => {
    expect(parseCheckipAnswer(' 52.95.110.7\r\n')).toEqual({ok: true, address: '52.95.110.7', cidr: '52.95.110.7/32'});
  });
  // Every range that is not globally reachable: a server never sees a connection come from it.
  test.each([
    ['100.64.0.1', 'a shared address (carrier-grade NAT) (100.64.0.0/10)'],
    ['100.127.255.254', 'a shared address (carrier-grade NAT) (100.64.0.0/10)'],
    ['192.0.2.10', 'a documentation address (TEST-NET-1) (192.0.2.0/24)'],
    ['198.51.100.23', 'a documentation address (TEST-NET-2) (198.51.100.0/24)'],
    ['203.0.113.7', 'a documentation address (TEST-NET-3) (203.0.113.0/24)'],
    ['198.18.0.1', 'a benchmarking address (198.18.0.0/15)'],
    ['198.19.255.1', 'a benchmarking address (198.18.0.0/15)'],
    ['192.0.0.8', 'an IETF protocol assignment (192.0.0.0/24)'],
    ['10.1.2.3', 'a private address (10.0.0.0/8)'],
    ['240.0.0.1', 'a reserved address (240.0.0.0/4)'],
    ['255.255.255.255', 'the broadcast address (255.255.255.255/32)'],
    ['239.1.1.1', 'a multicast address (224.0.0.0/4)'],
  ])('refuses %s, naming its range', (body, what) => {
    expect(parseCheckipAnswer(body)).toEqual({ok: false, message: `the answer ${body} is ${what}, not the public address connections come from`});
  });
  test.each(['100.63.255.255', '100.128.0.1', '192.0.3.1', '198.17.255.255', '198.20.0.1', '198.51.101.1', '203.0.114.1', '223.255.255.254', '1.1.1.1'])(
    'accepts %s, a globally reachable neighbour of a special range',
    (body) => {
      expect(parseCheckipAnswer(body)).toEqual({ok: true, address: body, cidr: `${body}/32`});
    },
  );
  test.each(['203.0.113.256', '203.0.113', '203.0.113.07', '203.0.113.7.1', '127.0.0.1', '192.168.1.1', '172.16.0.1', '169.254.169.254', '0.0.0.0', '224.0.0.1', 'me'])(
    'refuses %s',
    (body) => {
      expect(parseCheckipAnswer(body).ok).toBe(false);
    },
  );
  test('shows a strange answer without its control characters', () => {
    const result = parseCheckipAnswer('\u001b[31mhello');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain('\u001b');
  });
});
