// The launch spec: every decision the operator makes, in the same shape as a profile file
// (docs/design.md section 3), so a profile is simply a saved spec. Defaults are the secure choice.

import type {ARCHES, IMAGE_SOURCES, USER_DATA} from './controls/image.js';
import type {KEY_PAIR_MODES, KEY_TYPES} from './controls/key-pair.js';
import type {HTTP_TOKENS} from './controls/metadata.js';
import type {ROLE_ACCESS, ROLE_MODES} from './controls/role.js';
import type {GROUP_MODES} from './controls/security-group.js';
import type {VOLUME_TYPES} from './controls/storage.js';
import type {TENANCIES} from './controls/tenancy.js';

export type Arch = (typeof ARCHES)[number];
export type ImageSource = (typeof IMAGE_SOURCES)[number];
export type Tenancy = (typeof TENANCIES)[number];
export type HttpTokens = (typeof HTTP_TOKENS)[number];
export type VolumeType = (typeof VOLUME_TYPES)[number];
export type KeyType = (typeof KEY_TYPES)[number];

export interface InstanceSpec {
  /** Value of the instance's Name tag. */
  name: string;
  image: ImageSource;
  /** Only for image: 'ami'. */
  amiId?: string;
  arch: Arch;
  type: string;
  tenancy: Tenancy;
  imds: HttpTokens;
  /** IMDS PUT response hop limit; 1 keeps tokens inside the instance, 2 allows one container hop. */
  hopLimit: number;
  /** 'httpd' installs and starts a web server on first boot. */
  userData: (typeof USER_DATA)[number];
  /** CloudWatch metrics every minute (billed) instead of every 5 minutes; on when absent (controls/monitoring.ts). */
  detailedMonitoring?: boolean;
}

export interface NetworkSpec {
  /** 'default' = the account's default VPC, 'new' = create one, otherwise an existing vpc-… id. */
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the words an id cannot be, spelled out for readers and editors
  vpc: 'default' | 'new' | string;
  /** 'default' = a default subnet of that VPC, 'public'/'private' = the new VPC's subnet, or a subnet-… id. */
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the words an id cannot be, spelled out for readers and editors
  subnet: 'default' | 'public' | 'private' | string;
  /** VPC CIDR, only when vpc is 'new'. */
  cidr?: string;
  publicSubnetCidr?: string;
  privateSubnetCidr?: string;
  publicIp: boolean;
  /** VPC flow logs to a log group tandem creates; absent: on for a new VPC, off for any other. */
  flowLogs?: boolean;
  /**
   * Behind a load balancer in an existing VPC: its two public subnets, in two zones. Absent, the
   * launch picks them (controls/load-balancer-placement.ts) and records them here.
   */
  loadBalancerSubnets?: string[];
}

export type RoleAccess = (typeof ROLE_ACCESS)[number];
export interface RoleSpec {
  mode: (typeof ROLE_MODES)[number];
  /** Role name; for 'existing' the instance profile of the same name is used unless given. */
  name?: string;
  instanceProfile?: string;
  bucket?: string;
  access?: RoleAccess;
}

export interface StorageSpec {
  sizeGiB: number;
  type: VolumeType;
  encrypted: boolean;
  /** 'aws/ebs' (AWS managed), 'new' (customer key with rotation), alias/…, key id or key ARN. */
  kmsKey: string;
  /** Alias of a new key ('new'); alias/tandem-<instance name> when absent. */
  kmsAlias?: string;
}

/** Backups of the root volume (controls/backups.ts); absent fields take BACKUP_DEFAULTS. */
export interface BackupSpec {
  /** An AWS Backup vault, a daily plan and a selection that assigns the root volume to it. */
  plan: boolean;
  /** Days AWS Backup keeps each recovery point. */
  retentionDays: number;
  /** A snapshot of the root volume once the instance runs. */
  firstSnapshot: boolean;
}

export interface SecurityGroupSpec {
  mode: (typeof GROUP_MODES)[number];
  /** sg-… id when mode is 'existing'. */
  groupId?: string;
  name: string;
  /** CIDR allowed on port 80, or false for no HTTP rule. */
  http: string | false;
  /** CIDR allowed on port 443, or false. */
  https: string | false;
  /** CIDR allowed on port 22 (normally the operator's /32), or false for no SSH at all. */
  ssh: string | false;
}

/**
 * The web tier behind an Application Load Balancer (controls/load-balancer.ts, docs/load-balancer.md).
 * Absent or false: the instance takes the traffic itself, as it always has.
 */
export interface LoadBalancerSpec {
  /** 'none' (HTTP only), an ACM certificate ARN in the launch's region, or 'request' (ACM, DNS validation). */
  // eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the words an ARN cannot be, spelled out for readers and editors
  certificate: 'none' | 'request' | string;
  /** The name the certificate is for; needed with 'request'. */
  domain?: string;
  /** With 'request': how long the launch waits for ACM to issue the certificate (10 by default). */
  validationWaitMinutes?: number;
  /** DeleteLoadBalancer is refused while this is on; destroy turns it off first, after asking. */
  deletionProtection: boolean;
  /** An S3 bucket in the launch's region that receives the access logs, or false for none. */
  accessLogs: string | false;
}

export interface KeyPairSpec {
  mode: (typeof KEY_PAIR_MODES)[number];
  name?: string;
  type?: KeyType;
  /** Where a created private key is written (create), or the public key to import (import). */
  path?: string;
}

/**
 * Ways in that open no port to the world. Session Manager needs only the instance role's
 * managed policy (and, in a private subnet, interface endpoints); Instance Connect opens
 * port 22 to the region's EC2 Instance Connect prefix list only.
 */
export interface AccessSpec {
  sessionManager: boolean;
  instanceConnect: boolean;
}

/** What a spec saved before `access` existed meant: no way in but SSH. */
export const NO_ACCESS: Readonly<AccessSpec> = {sessionManager: false, instanceConnect: false};

export interface AcceptedRisk {
  finding: string;
  reason: string;
}

export interface LaunchSpec {
  version: 1;
  region: string;
  instance: InstanceSpec;
  network: NetworkSpec;
  role: RoleSpec;
  storage: StorageSpec;
  /** Absent: a first snapshot and no backup plan (controls/backups.ts says why). */
  backup?: BackupSpec;
  securityGroup: SecurityGroupSpec;
  /** Absent or false: no load balancer (controls/load-balancer.ts). */
  loadBalancer?: LoadBalancerSpec | false;
  keyPair: KeyPairSpec;
  access: AccessSpec;
  acceptedRisks: AcceptedRisk[];
  tags: Record<string, string>;
}

/** True when the instance goes into the private subnet of a VPC this launch creates. */
export function inNewPrivateSubnet(network: Pick<NetworkSpec, 'vpc' | 'subnet'>): boolean {
  return network.vpc === 'new' && network.subnet === 'private';
}

/** The load balancer the spec asks for, or undefined when the instance takes the traffic itself. */
export function loadBalancerOf(spec: Pick<LaunchSpec, 'loadBalancer'>): LoadBalancerSpec | undefined {
  return typeof spec.loadBalancer === 'object' && spec.loadBalancer !== null ? spec.loadBalancer : undefined;
}

/** True when an Application Load Balancer takes the traffic and the instance sits behind it. */
export function behindLoadBalancer(spec: Pick<LaunchSpec, 'loadBalancer'>): boolean {
  return loadBalancerOf(spec) !== undefined;
}

/**
 * The defaults that follow the subnet. defaultSpec() is a public web server: a public IPv4
 * address, and httpd installed from the package repositories at first boot. A new VPC's private
 * subnet has no route to or from the internet, so neither could work there: no public address
 * (it would reach nothing) and no user data (the install could not download anything).
 */
export function subnetDefaults(network: Pick<NetworkSpec, 'vpc' | 'subnet'>): {publicIp: boolean; userData: InstanceSpec['userData']} {
  return inNewPrivateSubnet(network) ? {publicIp: false, userData: 'none'} : {publicIp: true, userData: 'httpd'};
}

/** The secure launch that Enter-through-every-screen produces. */
export function defaultSpec(region = 'us-east-1'): LaunchSpec {
  return {
    version: 1,
    region,
    instance: {
      name: 'web-1',
      image: 'al2023',
      arch: 'x86_64',
      type: 't3.micro',
      tenancy: 'default',
      imds: 'required',
      hopLimit: 1,
      userData: 'httpd',
      detailedMonitoring: true,
    },
    network: {vpc: 'default', subnet: 'default', publicIp: true},
    role: {mode: 'none'},
    storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'aws/ebs'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: false, ssh: false},
    keyPair: {mode: 'none'},
    // The way in that opens no port: a role with AmazonSSMManagedInstanceCore, no key, no port 22.
    access: {sessionManager: true, instanceConnect: false},
    acceptedRisks: [],
    tags: {},
  };
}
