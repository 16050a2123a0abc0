// CIDR blocks as operators type them: parsed into a number range so we can say precisely what is
// wrong ("octet 300", "prefix /33", "host bits set") and answer containment/overlap questions for
// VPC and subnet planning. Addresses are bigints so IPv4 and IPv6 share one code path.

export type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  /** The network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Canonical text, e.g. '10.0.0.0/16' or '2001:db8::/32'. */
  text: string;
}

export type CidrResult = {ok: true; cidr: Cidr} | {ok: false; message: string};

const BITS: Record<IpVersion, number> = {4: 32, 6: 128};
const EXAMPLE: Record<IpVersion, string> = {4: '10.0.0.0/16', 6: '2001:db8::/32'};

function fail(message: string): CidrResult {
  return {ok: false, message};
}

/** The network mask of a prefix length, as a number (0 for /0). */
export function maskOf(version: IpVersion, prefix: number): bigint {
  const bits = BITS[version];
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

type AddressResult = {ok: true; value: bigint} | {ok: false; message: string};

function parseIpv4(text: string, whole: string): AddressResult {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return {ok: false, message: `'${whole}' is not a valid IPv4 address; expected four numbers separated by dots, like ${EXAMPLE[4]}.`};
  }
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) {
      return {ok: false, message: `'${part}' in '${whole}' is not a number from 0 to 255; expected a block like ${EXAMPLE[4]}.`};
    }
    const octet = Number(part);
    if (octet > 255) return {ok: false, message: `Octet ${octet} in '${whole}' is out of range; each octet must be 0–255.`};
    value = (value << 8n) | BigInt(octet);
  }
  return {ok: true, value};
}

function parseIpv6(text: string, whole: string): AddressResult {
  const bad = (): AddressResult => ({
    ok: false,
    message: `'${whole}' is not a valid IPv6 address; expected hex groups separated by colons, like ${EXAMPLE[6]}.`,
  });
  const halves = text.split('::');
  if (halves.length > 2) return bad();
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  // An embedded dotted IPv4 tail (e.g. ::ffff:192.0.2.1) counts as two groups.
  const words: number[] = [];
  const expand = (groups: string[]): boolean => {
    for (const [index, group] of groups.entries()) {
      if (group.includes('.') && index === groups.length - 1) {
        const v4 = parseIpv4(group, whole);
        if (!v4.ok) return false;
        words.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
        words.push(parseInt(group, 16));
      } else {
        return false;
      }
    }
    return true;
  };
  if (!expand(head)) return bad();
  const headCount = words.length;
  if (!expand(tail)) return bad();
  const tailWords = words.splice(headCount);
  if (halves.length === 1 && words.length !== 8) return bad();
  if (halves.length === 2 && words.length + tailWords.length > 7) return bad();
  const full = [...words, ...new Array<number>(8 - words.length - tailWords.length).fill(0), ...tailWords];
  return {ok: true, value: full.reduce((acc, word) => (acc << 16n) | BigInt(word), 0n)};
}

/** Text form of an address: dotted quad, or RFC 5952 compressed IPv6. */
export function formatAddress(version: IpVersion, value: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const words = [...Array(8).keys()].map((index) => Number((value >> BigInt(112 - index * 16)) & 0xffffn));
  // Compress the longest run (length >= 2) of zero words, leftmost on ties.
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8;) {
    if (words[start] !== 0) {
      start += 1;
      continue;
    }
    let end = start;
    while (end < 8 && words[end] === 0) end += 1;
    if (end - start > bestLength && end - start >= 2) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = words.map((word) => word.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Parses a CIDR block. By default the address must be the network address (no host bits set),
 * because that is what VPCs, subnets and security group rules expect.
 */
export function parseCidr(text: string, options: {allowHostBits?: boolean} = {}): CidrResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return fail(`A CIDR block is required; expected something like ${EXAMPLE[4]}.`);
  }
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const version: IpVersion = trimmed.includes(':') ? 6 : 4;
  if (slash < 0) {
    const single = version === 4 ? '/32' : '/128';
    return fail(`'${trimmed}' has no prefix length; expected a CIDR block such as ${trimmed}${single} for one address or ${EXAMPLE[version]}.`);
  }
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  const bits = BITS[version];
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return fail(`Prefix /${prefixText} in '${trimmed}' is out of range; an IPv${version} prefix must be 0–${bits}.`);
  }
  const prefix = Number(prefixText);
  const address = version === 4 ? parseIpv4(addressText, trimmed) : parseIpv6(addressText, trimmed);
  if (!address.ok) return fail(address.message);
  const network = address.value & maskOf(version, prefix);
  const canonical = `${formatAddress(version, network)}/${prefix}`;
  if (network !== address.value && !options.allowHostBits) {
    return fail(`'${trimmed}' has host bits set; did you mean ${canonical}?`);
  }
  return {ok: true, cidr: {version, network, prefix, text: canonical}};
}

/** The parsed block, or an Error carrying the friendly message. */
export function cidrOrThrow(text: string): Cidr {
  const result = parseCidr(text);
  if (!result.ok) throw new Error(result.message);
  return result.cidr;
}

function lastAddress(cidr: Cidr): bigint {
  return cidr.network | ((1n << BigInt(BITS[cidr.version] - cidr.prefix)) - 1n);
}

/** True when every address of `inner` lies inside `outer` (a subnet inside its VPC). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.prefix <= inner.prefix && (inner.network & maskOf(outer.version, outer.prefix)) === outer.network;
}

/** True when the two blocks share at least one address. */
export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** 0.0.0.0/0 or ::/0: every address on the internet. Accepts text or a parsed block. */
export function isWorld(cidr: Cidr | string): boolean {
  const parsed = typeof cidr === 'string' ? parseCidr(cidr) : {ok: true as const, cidr};
  return parsed.ok && parsed.cidr.prefix === 0;
}

/** A block covering exactly one address (/32 or /128), like an operator's own IP. */
export function isSingleAddress(cidr: Cidr): boolean {
  return cidr.prefix === BITS[cidr.version];
}

/** The `index`-th block of length `prefix` inside `outer` (e.g. the second /24 of a /16). */
export function nthSubnet(outer: Cidr, prefix: number, index: number): Cidr | undefined {
  const bits = BITS[outer.version];
  if (prefix < outer.prefix || prefix > bits) return undefined;
  const count = 1n << BigInt(prefix - outer.prefix);
  if (BigInt(index) >= count) return undefined;
  const network = outer.network + (BigInt(index) << BigInt(bits - prefix));
  return {version: outer.version, network, prefix, text: `${formatAddress(outer.version, network)}/${prefix}`};
}
