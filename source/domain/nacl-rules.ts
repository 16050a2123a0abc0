// Network ACL entries as the checkers read them, and the rules that judge them (pure). Prowler's
// network-ACL checks walk a list's inbound entries in rule-number order and stop at the first one
// from the whole internet that covers the port (prowler/providers/aws/services/ec2/lib/
// network_acls.py check_network_acl): a deny there passes, an allow fails. Security Hub EC2.21
// (the Config rule nacl-no-unrestricted-ssh-rdp) fails a list with any inbound allow entry from
// 0.0.0.0/0 or ::/0 for 22 or 3389; tandem reads it without regard to order, the stricter reading.

/** One entry of a network ACL, as DescribeNetworkAcls reports it. */
export interface NaclEntryFact {
  ruleNumber: number;
  egress: boolean;
  /** AWS's protocol number as text: '-1' for every protocol, '6' for TCP. */
  protocol: string;
  action: 'allow' | 'deny';
  cidr?: string;
  ipv6Cidr?: string;
  from?: number;
  to?: number;
}

export interface NetworkAclFact {
  id: string;
  entries: NaclEntryFact[];
}

/** The entry carries `protocol` traffic to `port` (protocol '-1' with port 0 means "any port"). */
function carries(entry: NaclEntryFact, protocol: string, port: number): boolean {
  if (entry.protocol === '-1') return true;
  return entry.protocol === protocol && (entry.from ?? 0) <= port && port <= (entry.to ?? 65535);
}

/** The first inbound entry from `world` that carries the traffic, in rule-number order, decides. */
function firstWorldEntryAllows(entries: readonly NaclEntryFact[], world: (entry: NaclEntryFact) => boolean, protocol: string, port: number): boolean {
  const inbound = entries.filter((entry) => !entry.egress && world(entry)).sort((a, b) => a.ruleNumber - b.ruleNumber);
  const first = inbound.find((entry) => carries(entry, protocol, port));
  return first?.action === 'allow';
}

/**
 * Prowler's check_network_acl: IPv6 entries from ::/0 first, then IPv4 from 0.0.0.0/0; true when
 * the internet reaches the port. `protocol` '-1' with port 0 is the "any port" check, which only an
 * every-protocol entry matches.
 */
export function prowlerNaclOpen(entries: readonly NaclEntryFact[], protocol: string, port: number): boolean {
  if (firstWorldEntryAllows(entries, (entry) => entry.ipv6Cidr === '::/0', protocol, port)) return true;
  return firstWorldEntryAllows(entries, (entry) => entry.cidr === '0.0.0.0/0', protocol, port);
}

/** Security Hub EC2.21: some inbound allow entry from the internet covers TCP 22 or 3389. */
export function hubNaclOpensAdminPorts(entries: readonly NaclEntryFact[]): boolean {
  return entries.some(
    (entry) => !entry.egress && entry.action === 'allow' && (entry.cidr === '0.0.0.0/0' || entry.ipv6Cidr === '::/0') && (carries(entry, '6', 22) || carries(entry, '6', 3389)),
  );
}

/** An entry as one line of a verification row: "in 10 allow tcp 80 from 0.0.0.0/0". */
export function naclEntryText(entry: NaclEntryFact): string {
  const ports =
    entry.protocol === '-1' ? 'all' : `${entry.protocol === '6' ? 'tcp' : `protocol ${entry.protocol}`} ${entry.from === entry.to ? `${entry.from}` : `${entry.from}-${entry.to}`}`;
  const where = entry.cidr ?? entry.ipv6Cidr ?? '?';
  return `${entry.egress ? 'out' : 'in'} ${entry.ruleNumber} ${entry.action} ${ports} ${entry.egress ? 'to' : 'from'} ${where}`;
}

/** The VPC's own entries before anyone changes them: rule 100 allows everything both ways (the `*` deny is never listed apart). */
export const AWS_DEFAULT_NACL_ENTRIES: readonly NaclEntryFact[] = [
  {ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0'},
  {ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0'},
];
