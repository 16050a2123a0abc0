// Which addresses are globally reachable, after IANA's special-purpose registries: every named
// block is refused at its first and last address, and its neighbours just outside are not.
import {describe, expect, test} from 'vitest';
import {cidrOrThrow, parseCidr} from '../../source/domain/cidr.js';
import {nonGlobalRange, SPECIAL_RANGES, specialRangeText} from '../../source/domain/special-addresses.js';

function single(address: string) {
  return cidrOrThrow(`${address}/${address.includes(':') ? 128 : 32}`);
}

function rangeOf(address: string): string | undefined {
  return nonGlobalRange(single(address))?.range;
}

describe('special-purpose IPv4 addresses', () => {
  test.each([
    ['0.0.0.0', '0.0.0.0/8'],
    ['0.255.255.255', '0.0.0.0/8'],
    ['10.0.0.1', '10.0.0.0/8'],
    ['100.64.0.0', '100.64.0.0/10'],
    ['100.127.255.255', '100.64.0.0/10'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.0.0.1', '192.0.0.0/24'],
    ['192.0.2.1', '192.0.2.0/24'],
    ['192.88.99.1', '192.88.99.0/24'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['198.18.0.0', '198.18.0.0/15'],
    ['198.19.255.255', '198.18.0.0/15'],
    ['198.51.100.23', '198.51.100.0/24'],
    ['203.0.113.7', '203.0.113.0/24'],
    ['224.0.0.1', '224.0.0.0/4'],
    ['239.255.255.255', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.254', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
  ])('%s is not global: %s', (address, range) => {
    expect(rangeOf(address)).toBe(range);
  });

  test.each([
    '1.0.0.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.0',
    '192.0.3.0',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '198.51.99.255',
    '198.51.101.0',
    '203.0.112.255',
    '203.0.114.0',
    '223.255.255.255',
    '52.95.110.23',
  ])('%s is global', (address) => {
    expect(nonGlobalRange(single(address))).toBeUndefined();
  });
});

describe('special-purpose IPv6 addresses', () => {
  test.each([
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['::ffff:192.0.2.1', '::ffff:0:0/96'],
    ['::ffff:52.95.110.23', '::ffff:0:0/96'],
    ['64:ff9b::808:808', '64:ff9b::/96'],
    ['64:ff9b:1::1', '64:ff9b:1::/48'],
    ['100::1', '100::/64'],
    ['2001::1', '2001::/23'],
    ['2001:1ff:ffff::1', '2001::/23'],
    ['2001:2::1', '2001:2::/48'],
    ['2001:db8::1', '2001:db8::/32'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8::/32'],
    ['3fff::1', '3fff::/20'],
    ['5f00::1', '5f00::/16'],
    ['fc00::1', 'fc00::/7'],
    ['fdff:ffff::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['febf::1', 'fe80::/10'],
    ['ff02::1', 'ff00::/8'],
    // Outside 2000::/3 no address is handed out for global unicast at all.
    ['4000::1', '::/0'],
    ['1fff:ffff::1', '::/0'],
  ])('%s is not global: %s', (address, range) => {
    expect(rangeOf(address)).toBe(range);
  });

  test.each(['2001:200::1', '2001:4860:4860::8888', '2600:1f18::1', '2001:db9::1', '2001:db7:ffff::1', '3fff:1000::1'])('%s is global', (address) => {
    expect(nonGlobalRange(single(address))).toBeUndefined();
  });
});

describe('the table itself', () => {
  test('every block is a canonical network and reads with its range', () => {
    for (const entry of SPECIAL_RANGES) {
      const parsed = parseCidr(entry.range);
      expect(parsed.ok && parsed.cidr.text, entry.range).toBe(entry.range);
      expect(specialRangeText(entry)).toBe(`${entry.what} (${entry.range})`);
    }
  });

  test('a block inside a special range is special; a block around one is not', () => {
    expect(nonGlobalRange(cidrOrThrow('10.1.0.0/16'))?.range).toBe('10.0.0.0/8');
    expect(nonGlobalRange(cidrOrThrow('0.0.0.0/0'))).toBeUndefined();
  });

  test('an address outside IPv6 global unicast says so without naming a range it is not in', () => {
    expect(specialRangeText(nonGlobalRange(single('4000::1'))!)).toBe('outside 2000::/3, the only block used for global unicast');
  });
});
