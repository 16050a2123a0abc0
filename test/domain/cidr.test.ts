import {describe, expect, it} from 'vitest';
import {cidrContains, cidrOverlaps, formatAddress, isSingleAddress, isWorld, nthSubnet, parseCidr, type Cidr} from '../../source/domain/cidr.js';

function ok(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.message}`);
  return result.cidr;
}

function message(text: string): string {
  const result = parseCidr(text);
  if (result.ok) throw new Error(`expected ${text} to be rejected`);
  return result.message;
}

describe('parseCidr', () => {
  it('parses IPv4 blocks', () => {
    expect(ok('10.0.0.0/16')).toMatchObject({version: 4, prefix: 16, text: '10.0.0.0/16'});
    expect(ok('203.0.113.7/32').text).toBe('203.0.113.7/32');
    expect(ok('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(ok(' 192.168.1.0/24 ').text).toBe('192.168.1.0/24');
  });

  it('parses IPv6 blocks into canonical text', () => {
    expect(ok('::/0')).toMatchObject({version: 6, prefix: 0, text: '::/0'});
    expect(ok('2001:DB8::/32').text).toBe('2001:db8::/32');
    expect(ok('2001:0db8:0000:0000:0000:0000:0000:0001/128').text).toBe('2001:db8::1/128');
    expect(ok('::ffff:192.0.2.1/128').text).toBe('::ffff:c000:201/128');
    expect(ok('fe80:0:0:1::/64').text).toBe('fe80:0:0:1::/64');
  });

  it('rejects a prefix out of range, saying the range', () => {
    expect(message('10.0.0.0/33')).toBe("Prefix /33 in '10.0.0.0/33' is out of range; an IPv4 prefix must be 0–32.");
    expect(message('::/129')).toContain('must be 0–128');
    expect(message('10.0.0.0/x')).toContain('must be 0–32');
  });

  it('rejects an octet out of range', () => {
    expect(message('300.1.1.1/32')).toBe("Octet 300 in '300.1.1.1/32' is out of range; each octet must be 0–255.");
  });

  it('rejects host bits and suggests the network', () => {
    expect(message('10.0.0.1/16')).toBe("'10.0.0.1/16' has host bits set; did you mean 10.0.0.0/16?");
    expect(message('2001:db8::1/32')).toContain('did you mean 2001:db8::/32?');
    expect(parseCidr('10.0.0.1/16', {allowHostBits: true})).toMatchObject({ok: true, cidr: {text: '10.0.0.0/16'}});
  });

  it('rejects a missing prefix, saying what was expected', () => {
    expect(message('203.0.113.7')).toBe("'203.0.113.7' has no prefix length; expected a CIDR block such as 203.0.113.7/32 for one address or 10.0.0.0/16.");
    expect(message('2001:db8::1')).toContain('2001:db8::1/128');
  });

  it('rejects malformed addresses and empty text', () => {
    expect(message('10.0.0/16')).toContain('four numbers');
    expect(message('10.a.0.0/16')).toContain("'a'");
    expect(message('1:2:3:4:5:6:7:8:9/64')).toContain('not a valid IPv6 address');
    expect(message('1::2::3/64')).toContain('not a valid IPv6 address');
    expect(message('')).toContain('required');
  });
});

describe('CIDR helpers', () => {
  it('answers containment', () => {
    expect(cidrContains(ok('10.0.0.0/16'), ok('10.0.1.0/24'))).toBe(true);
    expect(cidrContains(ok('10.0.0.0/16'), ok('10.0.0.0/16'))).toBe(true);
    expect(cidrContains(ok('10.0.0.0/16'), ok('10.1.0.0/24'))).toBe(false);
    expect(cidrContains(ok('10.0.1.0/24'), ok('10.0.0.0/16'))).toBe(false);
    expect(cidrContains(ok('::/0'), ok('10.0.0.0/8'))).toBe(false);
  });

  it('answers overlap', () => {
    expect(cidrOverlaps(ok('10.0.0.0/24'), ok('10.0.0.128/25'))).toBe(true);
    expect(cidrOverlaps(ok('10.0.0.0/24'), ok('10.0.1.0/24'))).toBe(false);
    expect(cidrOverlaps(ok('10.0.0.0/8'), ok('10.200.0.0/16'))).toBe(true);
  });

  it('recognises the whole internet and single addresses', () => {
    expect(isWorld('0.0.0.0/0')).toBe(true);
    expect(isWorld('::/0')).toBe(true);
    expect(isWorld(ok('203.0.113.7/32'))).toBe(false);
    expect(isWorld('not a cidr')).toBe(false);
    expect(isSingleAddress(ok('203.0.113.7/32'))).toBe(true);
    expect(isSingleAddress(ok('2001:db8::7/128'))).toBe(true);
    expect(isSingleAddress(ok('203.0.113.0/24'))).toBe(false);
  });

  it('carves subnets out of a block', () => {
    expect(nthSubnet(ok('10.0.0.0/16'), 24, 1)?.text).toBe('10.0.1.0/24');
    expect(nthSubnet(ok('10.0.0.0/24'), 25, 1)?.text).toBe('10.0.0.128/25');
    expect(nthSubnet(ok('10.0.0.0/24'), 25, 2)).toBeUndefined();
    expect(formatAddress(4, 0xc0000201n)).toBe('192.0.2.1');
  });
});
