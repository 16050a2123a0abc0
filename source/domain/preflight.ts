// Pre-flight: what must hold in the account before a launch creates anything. EC2's DryRun only
// asks "may I?", so a taken security group name or a type the zone does not offer would surface
// half-way through a launch, after a VPC, a role and a key were made and then rolled back. Each
// check names the profile field to change and how; the AWS side lives in source/aws/preflight.ts.
import type {LaunchSpec} from './spec.js';
import {createdRoleName} from './plan-iam.js';
import {defaultSessionRoleName, needsSessionRole} from './controls/ways-in.js';
import {createdKeyAlias, kmsAliasFor} from './controls/storage.js';

export const PREFLIGHT_CHECKS = [
  'reference',
  'security-group-name',
  'role-name',
  'instance-profile-name',
  'key-pair-name',
  'kms-alias-name',
  'key-file',
  'instance-type-offered',
  'instance-type-arch',
  'kms-key-usable',
  'subnet-in-vpc',
  'subnet-free-addresses',
  'public-ip-route',
  'user-data-route',
  'dedicated-host',
  'role-trust',
  'instance-connect-list',
  'role-session-manager',
  'session-manager-route',
  'flow-log-group-name',
  'flow-log-role-name',
  'backup-vault-name',
  'backup-plan-name',
  'backup-role-name',
  'load-balancer-name',
  'target-group-name',
  'lb-certificate',
  'lb-subnets',
  'lb-packages-route',
] as const;
export type PreflightCheck = (typeof PREFLIGHT_CHECKS)[number];

/**
 * 'fail' blocks the launch; 'warn' is worth saying but the launch works; 'not-checked' means
 * tandem could not look (a denied or failed call) and says so rather than guessing.
 */
export type PreflightStatus = 'ok' | 'fail' | 'warn' | 'not-checked';

export interface PreflightResult {
  check: PreflightCheck;
  status: PreflightStatus;
  /** The spec (profile) field to change. */
  field: string;
  /** What was found, in one line. */
  detail: string;
  /** What to change, for 'fail' and 'warn'. */
  fix?: string;
  /** 'not-checked' because the endpoint did not answer (network, 5xx): no launch should start on it. */
  unreachable?: boolean;
}

/** The read-only calls each check makes, as IAM names them (for docs and "denied" lines). */
export const PREFLIGHT_CALLS: Record<PreflightCheck, string[]> = {
  reference: [
    'ec2:DescribeImages',
    'ec2:DescribeVpcs',
    'ec2:DescribeSubnets',
    'iam:GetRole',
    'iam:GetInstanceProfile',
    'kms:DescribeKey',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeKeyPairs',
  ],
  'security-group-name': ['ec2:DescribeSecurityGroups'],
  'role-name': ['iam:GetRole'],
  'instance-profile-name': ['iam:GetInstanceProfile'],
  'key-pair-name': ['ec2:DescribeKeyPairs'],
  'kms-alias-name': ['kms:ListAliases'],
  'key-file': [],
  'instance-type-offered': ['ec2:DescribeInstanceTypeOfferings'],
  'instance-type-arch': ['ec2:DescribeInstanceTypes', 'ec2:DescribeImages'],
  'kms-key-usable': ['kms:DescribeKey'],
  'subnet-in-vpc': ['ec2:DescribeVpcs', 'ec2:DescribeSubnets'],
  'subnet-free-addresses': ['ec2:DescribeSubnets'],
  'public-ip-route': ['ec2:DescribeRouteTables'],
  'user-data-route': ['ec2:DescribeRouteTables'],
  'dedicated-host': ['ec2:DescribeHosts'],
  'role-trust': ['iam:GetRole'],
  'instance-connect-list': ['ec2:DescribeManagedPrefixLists'],
  'role-session-manager': ['iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion'],
  'session-manager-route': ['ec2:DescribeRouteTables'],
  'flow-log-group-name': ['logs:DescribeLogGroups'],
  'flow-log-role-name': ['iam:GetRole'],
  'backup-vault-name': ['backup:DescribeBackupVault'],
  'backup-plan-name': ['backup:ListBackupPlans'],
  'backup-role-name': ['iam:GetRole'],
  'load-balancer-name': ['elasticloadbalancing:DescribeLoadBalancers'],
  'target-group-name': ['elasticloadbalancing:DescribeTargetGroups'],
  'lb-certificate': ['acm:DescribeCertificate', 'route53:ListHostedZonesByName'],
  'lb-subnets': ['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeRouteTables', 'ec2:DescribeVpcEndpoints'],
  'lb-packages-route': ['ec2:DescribeRouteTables', 'ec2:DescribeVpcEndpoints'],
};

/** Checks that could not be made because the endpoint did not answer: an error, not a warning. */
export const unreachable = (results: readonly PreflightResult[]): PreflightResult[] => results.filter((result) => result.unreachable);

export const blocking = (results: readonly PreflightResult[]): PreflightResult[] => results.filter((result) => result.status === 'fail');

/** One line for a person: the field, what is wrong, and the fix. */
export function preflightLine(result: PreflightResult): string {
  const status = result.status === 'not-checked' ? 'not checked: ' : '';
  return `${result.field}: ${status}${result.detail}${result.fix ? `; ${result.fix}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Names a launch creates, and the next free one when a name is taken.

export const NAME_FIELDS = ['securityGroup.name', 'role.name', 'keyPair.name', 'storage.kmsAlias'] as const;
export type NameField = (typeof NAME_FIELDS)[number];

/** Where a created private key goes unless the operator says otherwise. */
export const keyPathFor = (keyName: string): string => `~/.ssh/${keyName}.pem`;

/** The names this spec would create, by field; fields whose resource is not created are absent. */
export function createdNames(spec: LaunchSpec): Partial<Record<NameField, string>> {
  const names: Partial<Record<NameField, string>> = {};
  if (spec.securityGroup.mode === 'create') names['securityGroup.name'] = spec.securityGroup.name;
  const role = createdRoleName(spec);
  if (role) names['role.name'] = role;
  if (spec.keyPair.mode === 'create' || spec.keyPair.mode === 'import') names['keyPair.name'] = spec.keyPair.name || 'web-key';
  const alias = createdKeyAlias(spec);
  if (alias) names['storage.kmsAlias'] = alias;
  return names;
}

/**
 * The n-th alternative to a taken name, the way a person would number it: `web-sg` becomes
 * `web-sg-2`, and a name ending in `-key` keeps that ending (`web-key` becomes `web-2-key`).
 */
export function numberedName(name: string, n: number): string {
  const keyEnding = /-key$/.exec(name);
  if (keyEnding && keyEnding.index > 0) return `${name.slice(0, keyEnding.index)}-${n}-key`;
  return `${name}-${n}`;
}

/**
 * The next name after `current` in the numbering of `base` (`web-sg`: `web-sg-3` gives `web-sg-4`;
 * `tandem-ssm-web-1` itself gives `tandem-ssm-web-1-2`), as the proposal of free names counts.
 */
export function nextNumberedName(base: string, current: string): string {
  for (let n = 2; n < 1000; n += 1) if (numberedName(base, n) === current) return numberedName(base, n + 1);
  return numberedName(current, 2);
}

/**
 * A copy of `spec` with one name changed. A created key's path follows its name while the path is
 * still the one tandem made up for the old name; a path the operator typed is left alone.
 */
export function withName(spec: LaunchSpec, field: NameField, name: string): LaunchSpec {
  switch (field) {
    case 'securityGroup.name':
      return {...spec, securityGroup: {...spec.securityGroup, name}};
    case 'role.name': {
      const {instanceProfile, ...role} = spec.role;
      // The instance profile follows the role unless it was named on its own.
      const keepProfile = instanceProfile && instanceProfile !== (spec.role.name || 'EC2AccessToS3Role');
      return {...spec, role: {...role, name, ...(keepProfile ? {instanceProfile} : {})}};
    }
    case 'keyPair.name': {
      const old = spec.keyPair.name || 'web-key';
      const follows = spec.keyPair.mode === 'create' && (!spec.keyPair.path || spec.keyPair.path === keyPathFor(old));
      return {...spec, keyPair: {...spec.keyPair, name, ...(follows ? {path: keyPathFor(name)} : {})}};
    }
    case 'storage.kmsAlias':
      return {...spec, storage: {...spec.storage, kmsAlias: name}};
  }
}

const MADE_UP: Record<NameField, (spec: LaunchSpec) => string> = {
  'securityGroup.name': () => 'web-sg',
  'role.name': (spec) => (needsSessionRole(spec) ? defaultSessionRoleName(spec) : 'EC2AccessToS3Role'),
  'keyPair.name': () => 'web-key',
  'storage.kmsAlias': (spec) => kmsAliasFor(spec.instance.name),
};

/**
 * For each of `fields` whose name tandem made up, the name its numbering counts from: what a
 * launch passes as LaunchOptions.proposedNames, so a name taken by another launch between the
 * proposal and the create moves on to the next number instead of failing.
 */
export function proposedBases(spec: LaunchSpec, fields: readonly NameField[]): Partial<Record<NameField, string>> {
  const bases: Partial<Record<NameField, string>> = {};
  for (const field of fields) if (isMadeUpName(spec, field)) bases[field] = MADE_UP[field](spec);
  return bases;
}

/**
 * Is this name one tandem made up (the default, or a number it added to it) rather than one the
 * operator typed? Only made-up names are renumbered when taken; a typed one is kept and checked.
 */
export function isMadeUpName(spec: LaunchSpec, field: NameField): boolean {
  const name = createdNames(spec)[field];
  if (name === undefined) return false;
  if (field === 'storage.kmsAlias' && !spec.storage.kmsAlias) return true;
  const base = MADE_UP[field](spec);
  if (name === base) return true;
  for (let n = 2; n < 60; n += 1) if (numberedName(base, n) === name) return true;
  return false;
}
