// Fleets: one launch profile deployed through CloudFormation StackSets to many accounts and
// regions. Pure: the names, targets and flags of a fleet, and what a profile must not need from a
// target (StackSets gives every target the same template and parameters).
import {instanceConnectChosen} from './controls/ways-in.js';
import {unacceptedHighRisks, type Finding} from './findings.js';
import type {LaunchSpec} from './spec.js';

export type PermissionModel = 'SELF_MANAGED' | 'SERVICE_MANAGED';
/** The role names AWS documents for self-managed StackSets permissions. */
export const ADMINISTRATION_ROLE = 'AWSCloudFormationStackSetAdministrationRole';
export const EXECUTION_ROLE = 'AWSCloudFormationStackSetExecutionRole';

export interface FleetTarget {
  account: string;
  region: string;
}

/** What StackSets reports per stack instance in an operation, in lower case. */
export type TargetStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TargetResult extends FleetTarget {
  status: TargetStatus;
  reason?: string;
}

export interface OperationPreferences {
  maxConcurrent?: number;
  failureTolerance: number;
}

export const targetKey = (target: FleetTarget): string => `${target.account}/${target.region}`;

/** Every account in every region, regions outermost (the order StackSets works in). */
export function targetsOf(accounts: readonly string[], regions: readonly string[]): FleetTarget[] {
  return regions.flatMap((region) => accounts.map((account) => ({account, region})));
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ORG_UNIT = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** A comma-separated flag value as a list without blanks or repeats; a bad item is named. */
export function parseList(flag: string, text: string | undefined, kind: 'account' | 'region' | 'org-unit'): string[] | string {
  if (text === undefined) return [];
  const items = [
    ...new Set(
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length === 0) return `--${flag} needs at least one ${kind}`;
  const pattern = kind === 'account' ? ACCOUNT : kind === 'region' ? REGION : ORG_UNIT;
  const example = kind === 'account' ? '123456789012' : kind === 'region' ? 'eu-west-1' : 'ou-ab12-cd34ef56';
  const bad = items.find((item) => !pattern.test(item));
  return bad === undefined
    ? items
    : `--${flag}: "${bad}" is not ${kind === 'org-unit' ? 'an organizational unit id' : `a${kind === 'account' ? 'n account id' : ' region'}`} (like ${example})`;
}

/** A count flag (--max-concurrent, --failure-tolerance): a whole number from `min`. */
export function parseCount(flag: string, text: string | undefined, min: number): number | undefined | string {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim())) return `--${flag} needs a whole number, not "${text}"`;
  const value = Number(text.trim());
  return value < min ? `--${flag} must be at least ${min}` : value;
}

/**
 * The StackSet name for a profile: StackSet names start with a letter and hold letters, digits
 * and hyphens (at most 128). A profile file's name loses its folder and .yaml ending.
 */
export function fleetNameFor(profile: string): string {
  const base = profile
    .split(/[\\/]/)
    .pop()!
    .replace(/\.ya?ml$/i, '');
  const cleaned = base
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '');
  return (cleaned || 'tandem-fleet').slice(0, 128);
}

export function isFleetName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name);
}

/**
 * Why the profile cannot be one template for every target, or nothing. Ids of existing VPCs,
 * subnets and security groups belong to one account and region, and the default VPC differs in
 * every one, so a fleet builds its own network and firewall.
 */
export function fleetProfileProblems(spec: LaunchSpec): string[] {
  const problems: string[] = [];
  if (spec.network.vpc !== 'new') {
    problems.push(`network: a fleet builds its own VPC in every target (network vpc "new"); "${spec.network.vpc}" differs per account and region`);
  }
  if (spec.securityGroup.mode !== 'create') problems.push('security group: a fleet creates its group in every target; an existing group id belongs to one account and region');
  if (spec.instance.image === 'ami') problems.push('image: an AMI id belongs to one region; use Amazon Linux (resolved in every region from its public SSM parameter)');
  if (spec.keyPair.mode === 'import') problems.push('key pair: importing needs the public key file per deployment; use an existing key pair name present in every target, or none');
  if (spec.keyPair.mode === 'create')
    problems.push("key pair: a created private key would stay in every target's Parameter Store; use an existing key pair name present in every target, or none");
  if (instanceConnectChosen(spec))
    problems.push("access: EC2 Instance Connect's prefix list has its own id in every region, which one template cannot look up; set access.instanceConnect to false for a fleet");
  if (spec.instance.tenancy === 'host') problems.push('tenancy: a dedicated host is allocated per zone and cannot be shared by a fleet template; use default or dedicated');
  return problems;
}

/** Findings that stop a fleet as they stop `launch --yes`: high severity, not accepted in the profile. */
export function blockingFindings(spec: LaunchSpec): Finding[] {
  return unacceptedHighRisks(spec);
}

/** StackSets' preferences from tandem's flags; AWS's own defaults apply to what is not given. */
export function operationPreferences(preferences: OperationPreferences): {MaxConcurrentCount?: number; FailureToleranceCount: number} {
  return {
    ...(preferences.maxConcurrent !== undefined ? {MaxConcurrentCount: preferences.maxConcurrent} : {}),
    FailureToleranceCount: preferences.failureTolerance,
  };
}

/** StackSets' operation result status (SUCCEEDED, FAILED, …) as tandem's word. */
export function targetStatusOf(status: string | undefined): TargetStatus {
  switch (status) {
    case 'SUCCEEDED':
      return 'succeeded';
    case 'FAILED':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'RUNNING':
      return 'running';
    default:
      return 'pending';
  }
}

/** An operation is over once it is neither queued, running nor stopping. */
export function operationDone(status: string | undefined): boolean {
  return status !== undefined && !['RUNNING', 'QUEUED', 'STOPPING'].includes(status);
}

/** Role tandem assumes in a member account of a SERVICE_MANAGED fleet (StackSets' own roles there are not assumable). */
export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';

export interface PreflightFinding {
  account?: string;
  region?: string;
  message: string;
}

/** "account 111122223333, region eu-west-1: message", as pre-flight and the screens say it. */
export function problemText(problem: PreflightFinding): string {
  const where = [problem.account ? `account ${problem.account}` : '', problem.region ? `region ${problem.region}` : ''].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${problem.message}`;
}

/** What a fleet command reports as it goes: text lines on stderr, or JSON lines on stdout. */
export type FleetEvent =
  | {type: 'preflight'; ok: boolean; problems: PreflightFinding[]}
  | {type: 'recovered'; kind: string; operationId?: string; status: string}
  | {type: 'stack-set'; action: 'created' | 'updated' | 'unchanged' | 'deleted'; name: string}
  | {type: 'operation-started'; action: 'create' | 'update' | 'delete'; operationId: string; targets: FleetTarget[]}
  | ({type: 'target'; operationId: string} & TargetResult)
  | {type: 'operation-done'; operationId: string; status: string; reason?: string}
  | {type: 'rollback-started'; name: string};
