// The wizard's vocabulary: every option a step offers, as typed unions built from one `as const`
// list each, plus the functions that read which option a spec stands for. The UI's lists, the
// panel text (controls/) and validation all use these, so an option is spelled once. The storage
// key's choices live with the storage control (controls/storage.ts), the ways in with theirs
// (controls/ways-in.ts).
import {isSingleAddress, parseCidr} from './cidr.js';
import type {LaunchSpec} from './spec.js';

export const IMAGE_SOURCES = ['al2023', 'al2', 'ami'] as const;
export const ARCHES = ['x86_64', 'arm64'] as const;
export const TENANCIES = ['default', 'dedicated', 'host'] as const;
export const HTTP_TOKENS = ['required', 'optional'] as const;
export const HOP_LIMITS = ['1', '2'] as const;
export const VOLUME_TYPES = ['gp3', 'gp2', 'io2'] as const;
export const KEY_TYPES = ['ed25519', 'rsa'] as const;
export const ROLE_MODES = ['none', 'existing', 'create'] as const;
export const ROLE_ACCESS = ['read', 'read-write'] as const;
export const GROUP_MODES = ['create', 'existing'] as const;
export const KEY_PAIR_MODES = ['create', 'import', 'existing', 'none'] as const;
export const USER_DATA = ['httpd', 'none'] as const;

export type HopLimitChoice = (typeof HOP_LIMITS)[number];

/** Where the server lives: the default VPC, a new one, or one the operator names. */
export const VPC_CHOICES = ['default', 'new', 'existing'] as const;
export type VpcChoice = (typeof VPC_CHOICES)[number];
export function vpcChoice(spec: LaunchSpec): VpcChoice {
  return spec.network.vpc === 'default' || spec.network.vpc === 'new' ? spec.network.vpc : 'existing';
}

/** The new VPC's subnet the instance goes into. */
export const SUBNET_CHOICES = ['public', 'private'] as const;
export type SubnetChoice = (typeof SUBNET_CHOICES)[number];
export function subnetChoice(spec: LaunchSpec): SubnetChoice {
  return spec.network.subnet === 'private' ? 'private' : 'public';
}

/** Yes/no lists (public IPv4, HTTPS). */
export const YES_NO = ['yes', 'no'] as const;
export type YesNo = (typeof YES_NO)[number];

/** True for 0.0.0.0/0, ::/0 and any other prefix of length 0: the whole internet. */
export function isWholeInternet(cidr: string | false | undefined): boolean {
  return typeof cidr === 'string' && /\/0$/.test(cidr.trim());
}

/** SSH on port 22: none, from the operator's one address, or from anywhere. */
export const SSH_CHOICES = ['ssh-none', 'ssh-address', 'ssh-world'] as const;
export type SshChoice = (typeof SSH_CHOICES)[number];
export function sshChoice(ssh: string | false): SshChoice {
  if (ssh === false) return 'ssh-none';
  return isWholeInternet(ssh) ? 'ssh-world' : 'ssh-address';
}

/** What "SSH from anywhere" writes into the spec. */
export const SSH_WORLD = '0.0.0.0/0';

/** A bare address typed for SSH means that one address. */
export function sshAddressFrom(text: string): string {
  const trimmed = text.trim();
  if (!trimmed || trimmed.includes('/')) return trimmed;
  return `${trimmed}/${trimmed.includes(':') ? 128 : 32}`;
}

/**
 * The one rule for an SSH source that is meant to be the operator's address: it must be exactly
 * one address (/32 or /128). Any wider range, the whole internet included, is refused here; SSH
 * from anywhere is its own explicit choice. Undefined when fine or not a CIDR at all (the CIDR
 * syntax has its own message).
 */
export function sshAddressProblem(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (!parsed.ok || isSingleAddress(parsed.cidr)) return undefined;
  return `${cidr} is a range, not one address; give your address as a /32, or choose SSH from anywhere (0.0.0.0/0) if you really mean it.`;
}

/** The instance types the wizard suggests for each architecture; anything else is typed. */
export const SUGGESTED_TYPES = {
  x86_64: ['t3.micro', 't3.small', 't3.medium', 'm7i.large', 'c7i.large'],
  arm64: ['t4g.micro', 't4g.small', 't4g.medium', 'm7g.large', 'c7g.large'],
} as const satisfies Record<(typeof ARCHES)[number], readonly string[]>;

/** The instance-type list's last option: type a name that is not suggested. */
export const OTHER_TYPE = 'other';

export function suggestedTypes(spec: LaunchSpec): readonly string[] {
  return SUGGESTED_TYPES[spec.instance.arch];
}

export function instanceTypeChoice(spec: LaunchSpec): string {
  return suggestedTypes(spec).includes(spec.instance.type) ? spec.instance.type : OTHER_TYPE;
}
