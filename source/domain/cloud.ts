// The port between the UI/commands and AWS. source/aws/ implements it with the real SDK;
// component tests inject a fake. Extend additively: the UI and the aws adapter both build on it.
import type {Arch, LaunchSpec} from './spec.js';
import type {ControlId, Owner, RowId} from './catalog-types.js';
import type {CheckerVerdict} from './checker-verdicts.js';
import type {Plan, ResourceKind} from './plan-types.js';
import type {ProfileReference} from './profile-references.js';
import type {NameField, PreflightResult} from './preflight.js';
import type {SessionReach} from './controls/ways-in.js';
import type {PriceQuery, PriceState} from './cost/types.js';
import {TandemError, brandFor} from '../tandem-error.js';

export interface CallerIdentity {
  account: string;
  arn: string;
  region: string;
}

export interface DiscoveredVpc {
  id: string;
  cidr: string;
  isDefault: boolean;
  name?: string;
  /** 'key=value' for every tag, so a list can be filtered by tag. */
  tags?: string[];
}
export interface DiscoveredSubnet {
  id: string;
  vpcId: string;
  cidr: string;
  availabilityZone: string;
  /** Has a 0.0.0.0/0 route to an internet gateway (from its route table, or the main one). */
  public: boolean;
  mapPublicIpOnLaunch: boolean;
  name?: string;
  tags?: string[];
}
export interface DiscoveredRole {
  name: string;
  arn: string;
  /** Absent in a partial list while the instance profiles are still being read. */
  instanceProfiles?: string[];
}
/** A role's tags as 'key=value' (what a person types to filter a list), read with ListRoleTags. */
export interface RoleTags {
  name: string;
  tags: string[];
}
/** A key as ListKeys and ListAliases show it; its state and rotation come from keyDetails. */
export interface DiscoveredKey {
  id: string;
  arn: string;
  aliases: string[];
  managedBy: 'AWS' | 'Customer';
}
/** What DescribeKey and GetKeyRotationStatus say about one key (per-key calls: only keys on screen). */
export interface KmsKeyDetails {
  /** The id, alias or ARN it was asked for. */
  id: string;
  keyId?: string;
  state?: string;
  usage?: string;
  spec?: string;
  managedBy?: 'AWS' | 'Customer';
  /** Customer keys only; absent when unknown (denied, or AWS rotates it). */
  rotation?: boolean;
  /** Why the details could not be read (a key policy denying DescribeKey, say). */
  error?: {code: string; message: string};
}
export interface DiscoveredSecurityGroup {
  id: string;
  name: string;
  vpcId: string;
  description: string;
  tags?: string[];
}
export interface DiscoveredKeyPair {
  name: string;
  id: string;
  type: string;
  fingerprint: string;
  tags?: string[];
}

/**
 * Lists are read a page at a time: each call costs pages, never one call per item. `onPage`, when
 * given, receives everything usable found so far as pages arrive, so a list can be shown before
 * the account is read to the end; the promise settles with the complete list.
 */
export type OnPage<T> = (soFar: T[]) => void;

export interface Discovery {
  identity(): Promise<CallerIdentity>;
  latestImages(arch: Arch): Promise<{al2023?: string; al2?: string}>;
  vpcs(onPage?: OnPage<DiscoveredVpc>): Promise<DiscoveredVpc[]>;
  subnets(vpcId: string, onPage?: OnPage<DiscoveredSubnet>): Promise<DiscoveredSubnet[]>;
  /** Roles whose trust policy lets ec2.amazonaws.com assume them. */
  instanceRoles(onPage?: OnPage<DiscoveredRole>): Promise<DiscoveredRole[]>;
  /** One call per role (the role lists carry no tags): ask only when a filter needs them. */
  roleTags(names: string[], onPage?: OnPage<RoleTags>): Promise<RoleTags[]>;
  kmsKeys(onPage?: OnPage<DiscoveredKey>): Promise<DiscoveredKey[]>;
  /** Two calls per key: ask only for the keys on screen (the highlighted one, a visible page). */
  kmsKeyDetails(ids: string[]): Promise<KmsKeyDetails[]>;
  securityGroups(vpcId: string, onPage?: OnPage<DiscoveredSecurityGroup>): Promise<DiscoveredSecurityGroup[]>;
  keyPairs(): Promise<DiscoveredKeyPair[]>;
  ebsDefaultEncryption(): Promise<{enabled: boolean; kmsKeyId?: string}>;
}

export interface CreatedResource {
  kind: ResourceKind;
  id: string;
  /** Plan step that created it. */
  stepId: string;
  region: string;
  /** Extra identifiers teardown needs (e.g. the VPC an internet gateway is attached to). */
  extra?: Record<string, string>;
}

export type VerificationStatus = 'pass' | 'fail' | 'info';
export interface VerificationResult {
  /** The control checked; 'verification' when describing the launch back failed as a whole. */
  control: RowId | 'verification';
  title: string;
  owner: Owner;
  expected: string;
  actual: string;
  /** tandem's own answer: is the resource as you chose? */
  status: VerificationStatus;
  /** "Tool id" of every checker that judges this row's resource. */
  checkers: string[];
  /** The second answer: what each of those checkers would say about this very resource. */
  checkerVerdicts: CheckerVerdict[];
  /** Session Manager's row only: whether Systems Manager lists the instance yet, apart from PASS/FAIL. */
  reachable?: SessionReach;
}

/** Verification found the launch's instance gone: nothing else is worth checking. */
export class InstanceGone extends TandemError {
  static override readonly brand = brandFor('InstanceGone');
  static override readonly code = 'instance-gone';
  constructor(
    readonly instanceId: string,
    readonly state: string,
  ) {
    super(`instance ${instanceId} is ${state}`);
  }
}

/** 'would-fail': pre-flight found the call would fail however the permissions stand (a taken name...). */
export type DryRunOutcome = 'would-succeed' | 'would-fail' | 'denied' | 'not-checkable' | 'error';
export interface DryRunResult {
  stepId: string;
  action: string;
  outcome: DryRunOutcome;
  detail?: string;
}

export type LaunchStatus = 'launched' | 'rolled-back' | 'kept' | 'failed' | 'interrupted';

export type LaunchEvent =
  | {type: 'launch-started'; launchId: string; steps: Array<{id: string; action: string; controls: ControlId[]}>}
  | {type: 'step-started'; stepId: string; action: string}
  | {type: 'step-waiting'; stepId: string; reason: string; attempt: number}
  | {type: 'step-done'; stepId: string; resources: CreatedResource[]; ms: number}
  | {type: 'step-failed'; stepId: string; code: string; message: string; ms: number}
  | {type: 'rollback-started'; launchId: string}
  | {type: 'resource-deleted'; resource: CreatedResource; alreadyGone?: boolean}
  | {type: 'resource-delete-failed'; resource: CreatedResource; code: string; message: string}
  /** AWS refused a delete because something still depends on the resource: waiting, bounded. */
  | {type: 'resource-waiting'; resource: CreatedResource; code: string; reason: string; attempt: number; waitMs: number}
  /** A second stop cut the rollback short: what is left stays recorded for `tandem destroy`. */
  | {type: 'rollback-stopped'; launchId: string; remaining: number}
  /** The private key file this launch wrote: removed with its key pair, or kept and why. */
  | {type: 'key-file'; path: string; removed: boolean; reason?: string}
  | {type: 'verification'; results: VerificationResult[]}
  | {
      type: 'summary';
      launchId: string;
      status: LaunchStatus;
      instanceId?: string;
      publicIp?: string;
      /** The load balancer's DNS name, when the instance sits behind one: where the site is. */
      loadBalancerDns?: string;
      keyPath?: string;
      login?: string;
      session?: string;
    };

export interface LaunchOptions {
  launchId: string;
  onEvent: (event: LaunchEvent) => void;
  signal?: AbortSignal;
  /** Keep what was created when a step fails instead of rolling back. */
  keepOnFailure?: boolean;
  /** A second stop while rolling back: no further delete starts; the rest is left for destroy. */
  rollbackSignal?: AbortSignal;
  /** `ssh: me` was filled with this address, found at this URL; the journal keeps both. */
  myAddress?: {cidr: string; url: string};
  /**
   * Names tandem chose (the profile did not write them), by field, with the name they were
   * numbered from: when another launch takes one between the proposal and the create, the create
   * takes the next name of that numbering instead of failing.
   */
  proposedNames?: Partial<Record<NameField, string>>;
}

export interface LaunchResult {
  launchId: string;
  status: LaunchStatus;
  resources: CreatedResource[];
  instanceId?: string;
  publicIp?: string;
  publicDns?: string;
  /** The load balancer's DNS name, when the instance sits behind one. */
  loadBalancerDns?: string;
  keyPath?: string;
  /** How to log in (login-hint.ts), for a launched instance. */
  login?: string;
  /** The exact `aws ssm start-session` command, when Session Manager is on. */
  session?: string;
  verification?: VerificationResult[];
}

export interface DestroyResult {
  /** Removed by this run (a KMS key: its deletion scheduled, by this run or an earlier one). */
  deleted: CreatedResource[];
  /** Not found when this run came to delete them: removed outside tandem or by an earlier run. */
  alreadyGone?: CreatedResource[];
  failed: Array<{resource: CreatedResource; code: string; message: string}>;
}

/**
 * What became of one resource a saved profile reuses. 'changed' means it exists but no longer
 * looks as the profile expects (a KMS key scheduled for deletion, a subnet in another VPC);
 * 'unknown' means tandem could not look (access denied, a throttled or failed call).
 */
export type ReferenceStatus = 'ok' | 'missing' | 'changed' | 'unknown';
export interface ReferenceCheck extends ProfileReference {
  status: ReferenceStatus;
  /** One line for a person: what was found, or why it is missing or unknown. */
  detail: string;
  /** 'unknown' because the endpoint did not answer (network, 5xx), not because the call was refused. */
  unreachable?: boolean;
}

/** Pre-flight: the reference checks as before, and every result of the pass (references first). */
export interface PreflightReport {
  references: ReferenceCheck[];
  results: PreflightResult[];
}

export interface Cloud {
  discovery: Discovery;
  /** One read-only pass before a launch (domain/preflight.ts); never throws for AWS errors. */
  preflight?(spec: LaunchSpec): Promise<PreflightReport>;
  /** The spec with each of `fields` that is taken in the account renamed to the next free name. */
  proposeNames?(spec: LaunchSpec, fields: readonly NameField[]): Promise<LaunchSpec>;
  /** Looks up every existing resource the spec reuses (profile-references.ts); never throws for AWS errors. */
  checkReferences?(spec: LaunchSpec): Promise<ReferenceCheck[]>;
  /** The price list's answers to these questions (docs/cost.md); never throws, and never holds up a launch. */
  prices?(queries: readonly PriceQuery[]): Promise<PriceState>;
  launch(spec: LaunchSpec, plan: Plan, options: LaunchOptions): Promise<LaunchResult>;
  dryRun(spec: LaunchSpec, plan: Plan): Promise<DryRunResult[]>;
  verify(launchId: string): Promise<VerificationResult[]>;
  destroy(launchId: string, onEvent?: (event: LaunchEvent) => void): Promise<DestroyResult>;
}
