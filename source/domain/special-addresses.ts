// Address ranges that are not globally reachable, after IANA's special-purpose address registries
// for IPv4 and IPv6 (plus multicast and the reserved blocks of the address-space registries). An
// address in one of them can never be the public address a server on the internet sees a
// connection come from, so "your address" answers inside them are refused.
import {cidrContains, cidrOrThrow, type Cidr} from './cidr.js';

export interface SpecialRange {
  /** The block, in CIDR text. */
  range: string;
  /** What the block is, as a noun phrase for a sentence: "a private address". */
  what: string;
}

// More specific blocks come before the blocks that contain them, so the most precise name wins
// (255.255.255.255 is "broadcast", not merely "reserved").
//
// Two deliberate simplifications, both on the side of refusing: the IANA registries mark a few
// anycast service addresses inside 192.0.0.0/24 and 2001::/23 (PCP, TURN, AMT, AS112, ORCHIDv2,
// drone remote ID) as globally reachable; they serve requests and never originate an operator's
// connection, so the whole blocks are refused. And for IPv6, only the global unicast block
// 2000::/3 is handed out to networks at all; everything outside it is refused by the last entry.
const IPV4: SpecialRange[] = [
  {range: '0.0.0.0/8', what: 'a "this network" address'},
  {range: '10.0.0.0/8', what: 'a private address'},
  {range: '100.64.0.0/10', what: 'a shared address (carrier-grade NAT)'},
  {range: '127.0.0.0/8', what: 'a loopback address'},
  {range: '169.254.0.0/16', what: 'a link-local address'},
  {range: '172.16.0.0/12', what: 'a private address'},
  {range: '192.0.0.0/24', what: 'an IETF protocol assignment'},
  {range: '192.0.2.0/24', what: 'a documentation address (TEST-NET-1)'},
  {range: '192.88.99.0/24', what: 'a retired 6to4 relay anycast address'},
  {range: '192.168.0.0/16', what: 'a private address'},
  {range: '198.18.0.0/15', what: 'a benchmarking address'},
  {range: '198.51.100.0/24', what: 'a documentation address (TEST-NET-2)'},
  {range: '203.0.113.0/24', what: 'a documentation address (TEST-NET-3)'},
  {range: '224.0.0.0/4', what: 'a multicast address'},
  {range: '255.255.255.255/32', what: 'the broadcast address'},
  {range: '240.0.0.0/4', what: 'a reserved address'},
];

const IPV6: SpecialRange[] = [
  {range: '::/128', what: 'the unspecified address'},
  {range: '::1/128', what: 'a loopback address'},
  {range: '::ffff:0:0/96', what: 'an IPv4-mapped address'},
  {range: '64:ff9b::/96', what: 'an IPv4/IPv6 translation address'},
  {range: '64:ff9b:1::/48', what: 'a local-use IPv4/IPv6 translation address'},
  {range: '100::/64', what: 'a discard-only address'},
  {range: '2001:2::/48', what: 'a benchmarking address'},
  {range: '2001:db8::/32', what: 'a documentation address'},
  {range: '2001::/23', what: 'an IETF protocol assignment'},
  {range: '3fff::/20', what: 'a documentation address'},
  {range: '5f00::/16', what: 'a segment routing (SRv6) identifier'},
  {range: 'fc00::/7', what: 'a unique local (private) address'},
  {range: 'fe80::/10', what: 'a link-local address'},
  {range: 'ff00::/8', what: 'a multicast address'},
];

// Checked after every named IPv6 block: outside 2000::/3 nothing is global unicast.
const IPV6_GLOBAL_UNICAST = cidrOrThrow('2000::/3');
const IPV6_OUTSIDE: SpecialRange = {range: '::/0', what: 'outside 2000::/3, the only block used for global unicast'};

/** Every named special-purpose block, parsed, beside its entry (IPv4 then IPv6). */
export const SPECIAL_BLOCKS: ReadonlyArray<readonly [Cidr, SpecialRange]> = [...IPV4, ...IPV6].map((entry) => [cidrOrThrow(entry.range), entry] as const);

/** Every named special-purpose block, IPv4 then IPv6 (for tests and documentation). */
export const SPECIAL_RANGES: readonly SpecialRange[] = [...IPV4, ...IPV6];

/**
 * The special-purpose range `address` lies in, or undefined when it is a globally reachable
 * address. Works for a single address (/32, /128) or a block: a block is special when it lies
 * inside a special range.
 */
export function nonGlobalRange(address: Cidr): SpecialRange | undefined {
  const named = SPECIAL_BLOCKS.find(([range]) => cidrContains(range, address));
  if (named) return named[1];
  if (address.version === 6 && !cidrContains(IPV6_GLOBAL_UNICAST, address)) return IPV6_OUTSIDE;
  return undefined;
}

/** How a non-global range reads after "is": "a private address (10.0.0.0/8)". */
export function specialRangeText(entry: SpecialRange): string {
  return entry === IPV6_OUTSIDE ? entry.what : `${entry.what} (${entry.range})`;
}
