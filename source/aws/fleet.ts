// A fleet's life through StackSets: deploy (pre-flight, StackSet, stack instances, rollback when
// the failure tolerance is exceeded), verify, destroy. Every call that starts something is written
// to the fleet record first, so the next command picks up an operation a killed tandem left running.
import type {CloudFormationClient} from '@aws-sdk/client-cloudformation';
import {createHash} from 'node:crypto';
import {
  EXECUTION_ROLE,
  ORGANIZATION_ACCESS_ROLE,
  operationPreferences,
  targetKey,
  targetsOf,
  type FleetEvent,
  type FleetTarget,
  type OperationPreferences,
  type PermissionModel,
  type PreflightFinding,
  type TargetResult,
} from '../domain/fleet.js';
import type {TargetVerification} from '../domain/fleet-table.js';
import {PROFILE_TAG} from '../domain/export-render.js';
import {withDeletionProtectionLifted} from '../domain/export-cloudformation-yaml.js';
import {partitionOfArn} from '../domain/launch-target.js';
import type {LaunchSpec} from '../domain/spec.js';
import {UsageError} from '../exit.js';
import {openFleetStore, type FleetOperation, type FleetRecord, type FleetStore} from '../store/fleets.js';
import {makeClients, makeCloudFormationClient, type AwsClients, type AwsSettings} from './clients.js';
import {answered, describeAwsError} from './errors.js';
import {accountAccess} from './fleet-access.js';
import {preflight} from './fleet-preflight.js';
import * as stacksets from './fleet-stacksets.js';
import {verifyFleet} from './fleet-verify.js';

export interface FleetContext {
  settings: AwsSettings;
  home: string;
  onEvent: (event: FleetEvent) => void;
  /** Time between DescribeStackSetOperation polls. */
  pollMs?: number;
  /**
   * Aborted on Ctrl+C: tandem stops between calls and stops polling. StackSets goes on with what
   * was sent; the record keeps the operation's id for the next command.
   */
  signal?: AbortSignal;
  /**
   * Why the credentials at hand must not act on this fleet (another administration account or
   * partition than its record's), asked right after GetCallerIdentity, before any other call.
   */
  identityProblem?: (identity: {account: string; arn: string}) => string | undefined;
}

const DEFAULT_POLL_MS = 3000;

interface Opened {
  admin: AwsClients;
  cfn: CloudFormationClient;
  store: FleetStore;
  account: string;
  partition?: string;
}

async function open(context: FleetContext): Promise<Opened> {
  const [admin, cfn] = await Promise.all([makeClients(context.settings), makeCloudFormationClient(context.settings)]);
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts');
  const identity = await admin.sts.send(new GetCallerIdentityCommand({}));
  const account = identity.Account ?? '';
  const refused = context.identityProblem?.({account, arn: identity.Arn ?? ''});
  if (refused) throw new UsageError(refused);
  const partition = partitionOfArn(identity.Arn ?? '');
  return {admin, cfn, store: openFleetStore(context.home), account, ...(partition ? {partition} : {})};
}

/** Folds an operation's per-target results into the record's latest state. */
function applyResults(record: FleetRecord, results: TargetResult[]): void {
  const byKey = new Map(record.targets.map((target) => [targetKey(target), target]));
  for (const result of results) byKey.set(targetKey(result), result);
  record.targets = [...byKey.values()];
}

/** Accounts grouped by the regions they need, so each call names a full accounts × regions grid. */
function grids(targets: FleetTarget[]): Array<{accounts: string[]; regions: string[]}> {
  const regionsOf = new Map<string, string[]>();
  for (const target of targets) regionsOf.set(target.account, [...(regionsOf.get(target.account) ?? []), target.region]);
  const groups = new Map<string, {accounts: string[]; regions: string[]}>();
  for (const [account, regions] of regionsOf) {
    const key = [...regions].sort().join(',');
    const group = groups.get(key) ?? {accounts: [], regions: [...regions].sort()};
    group.accounts.push(account);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * A delete StackSets refused to start (AWS answered with an error) is a failure of each of its
 * targets, with AWS's reason, so the other targets are still removed.
 */
async function deleteOrReport(targets: FleetTarget[], start: () => Promise<stacksets.OperationOutcome>): Promise<TargetResult[]> {
  try {
    return (await start()).results;
  } catch (error) {
    if (!answered(error)) throw error;
    const info = describeAwsError(error);
    // One answer for the whole call: each of its targets gets it, said as the call's refusal.
    return targets.map((target) => ({...target, status: 'failed', reason: `StackSets refused the delete: ${info.code}: ${info.message}`}));
  }
}

async function runOperation(
  context: FleetContext,
  opened: Opened,
  name: string,
  kind: FleetOperation['kind'],
  targets: FleetTarget[],
  start: (operationId: string) => Promise<string>,
): Promise<stacksets.OperationOutcome> {
  context.signal?.throwIfAborted();
  const operationId = stacksets.newOperationId();
  // Written before the call: if tandem dies now, the next command asks StackSets about this id.
  opened.store.update(name, (record) => {
    record.operation = {kind, operationId, startedAt: new Date().toISOString(), targets};
  });
  let startedId: string;
  try {
    startedId = await start(operationId);
  } catch (error) {
    // AWS answered with an error, so no operation exists: the record must not say one is in
    // flight. Without an answer (a dropped connection) the id stays for the next command to ask.
    if (answered(error)) {
      opened.store.update(name, (record) => {
        delete record.operation;
      });
    }
    throw error;
  }
  if (startedId !== operationId) {
    opened.store.update(name, (record) => {
      if (record.operation) record.operation.operationId = startedId;
    });
  }
  context.signal?.throwIfAborted();
  const action = kind === 'delete-instances' ? 'delete' : kind === 'update-stack-set' ? 'update' : 'create';
  context.onEvent({type: 'operation-started', action, operationId: startedId, targets});
  const outcome = await stacksets.waitForOperation(opened.cfn, {
    name,
    operationId: startedId,
    pollMs: context.pollMs ?? DEFAULT_POLL_MS,
    ...(context.signal ? {signal: context.signal} : {}),
    onTarget: (result) => context.onEvent({type: 'target', operationId: startedId, ...result}),
  });
  context.onEvent({type: 'operation-done', operationId: startedId, status: outcome.status, ...(outcome.reason ? {reason: outcome.reason} : {})});
  opened.store.update(name, (record) => {
    applyResults(record, outcome.results);
    delete record.operation;
  });
  // A stop asked for while the operation ran takes effect once its outcome is recorded.
  context.signal?.throwIfAborted();
  return outcome;
}

/** Finishes what a killed tandem left in flight, without starting it again. */
async function recover(context: FleetContext, opened: Opened, name: string): Promise<void> {
  if (!opened.store.exists(name)) return;
  const {operation} = opened.store.read(name);
  if (!operation) return;
  if (operation.kind === 'create-stack-set') {
    const exists = Boolean(await stacksets.describeStackSet(opened.cfn, name));
    opened.store.update(name, (record) => {
      record.stackSetCreated = record.stackSetCreated || exists;
      delete record.operation;
    });
    context.onEvent({type: 'recovered', kind: operation.kind, status: exists ? 'SUCCEEDED' : 'NOT_FOUND'});
    return;
  }
  const operationId = operation.operationId ?? '';
  const outcome = await stacksets.waitForOperation(opened.cfn, {
    name,
    operationId,
    pollMs: context.pollMs ?? DEFAULT_POLL_MS,
    ...(context.signal ? {signal: context.signal} : {}),
    onTarget: (result) => context.onEvent({type: 'target', operationId, ...result}),
  });
  opened.store.update(name, (record) => {
    applyResults(record, outcome.results);
    delete record.operation;
    if (record.status === 'deploying') record.status = record.targets.every((target) => target.status === 'succeeded') ? 'deployed' : 'partial';
  });
  context.onEvent({type: 'recovered', kind: operation.kind, operationId, status: outcome.status});
}

export interface DeployInput {
  name: string;
  /** Where the profile came from (a local path or a saved name), for the fleet record only. */
  profile: string;
  /** The profile's name as AWS sees it (the tandem:profile tag): never a local path. */
  profileLabel: string;
  spec: LaunchSpec;
  template: string;
  description: string;
  permissionModel: PermissionModel;
  accounts: string[];
  orgUnits: string[];
  regions: string[];
  preferences: OperationPreferences;
  keep: boolean;
}

export type DeployOutcome = {kind: 'refused'; problems: PreflightFinding[]} | {kind: 'done'; record: FleetRecord; failed: TargetResult[]; rolledBack: boolean; exceeded: boolean};

function wantedTargets(input: DeployInput, existing: stacksets.StackInstance[]): FleetTarget[] {
  if (input.orgUnits.length > 0) return existing.filter((instance) => input.regions.includes(instance.region));
  return targetsOf(input.accounts, input.regions);
}

/** Why this deploy must not touch the StackSet of that name: not ours, or made with the other permission model. */
function stackSetClash(input: DeployInput, known: FleetRecord | undefined, existingSet: stacksets.StackSetInfo | undefined, storeDir: string): string | undefined {
  if (existingSet && !known) {
    return `a StackSet named ${input.name} already exists and is not a fleet recorded in ${storeDir}; pick another name with --name`;
  }
  if (existingSet && existingSet.permissionModel !== input.permissionModel) {
    return `StackSet ${input.name} uses ${existingSet.permissionModel} permissions; deploy it with ${existingSet.permissionModel === 'SERVICE_MANAGED' ? '--org-units' : '--accounts'} as before`;
  }
  return undefined;
}

/** What stops the deploy before anything is sent: a StackSet clash, else the targets' pre-flight. */
async function deployProblems(
  context: FleetContext,
  opened: Opened,
  input: DeployInput,
  known: FleetRecord | undefined,
  existingSet: stacksets.StackSetInfo | undefined,
): Promise<PreflightFinding[]> {
  const clash = stackSetClash(input, known, existingSet, opened.store.dir);
  if (clash) return [{account: opened.account, region: context.settings.region, message: clash}];
  return preflight({
    admin: opened.admin,
    adminAccount: opened.account,
    permissionModel: input.permissionModel,
    spec: input.spec,
    // Targets the StackSet already has were checked when they were made; their names exist by design.
    accounts: input.accounts,
    regions: input.regions,
    access: accountAccess(context.settings, EXECUTION_ROLE),
    skip: existingSet ? new Set((await stacksets.listStackInstances(opened.cfn, input.name)).map(targetKey)) : new Set(),
  });
}

/** The fleet record as this deploy starts: what it adds to an earlier deploy of the same fleet, status deploying. */
function recordDeploying(context: FleetContext, opened: Opened, input: DeployInput, known: FleetRecord | undefined): void {
  const now = new Date().toISOString();
  // Where this deploy acts replaces what an earlier (destroyed) fleet of this name recorded.
  const {endpointUrl: _earlierEndpoint, partition: _earlierPartition, ...earlier} = known ?? {createdAt: now, stackSetCreated: false, targets: []};
  opened.store.write({
    ...earlier,
    name: input.name,
    createdAt: known?.createdAt ?? now,
    updatedAt: now,
    profile: input.profile,
    spec: input.spec,
    account: opened.account,
    ...(opened.partition ? {partition: opened.partition} : {}),
    region: context.settings.region,
    ...(context.settings.endpointUrl ? {endpointUrl: context.settings.endpointUrl} : {}),
    permissionModel: input.permissionModel,
    accounts: [...new Set([...(known?.accounts ?? []), ...input.accounts])],
    orgUnits: [...new Set([...(known?.orgUnits ?? []), ...input.orgUnits])],
    regions: [...new Set([...(known?.regions ?? []), ...input.regions])],
    preferences: input.preferences,
    status: 'deploying',
    stackSetCreated: known?.stackSetCreated ?? false,
    targets: known?.targets ?? [],
  });
}

/**
 * Creates the StackSet, or updates its template when it changed since this fleet last sent it.
 * Answers whether this deploy created it (only then may its rollback delete it).
 */
async function putStackSet(
  context: FleetContext,
  opened: Opened,
  input: DeployInput,
  known: FleetRecord | undefined,
  existingSet: stacksets.StackSetInfo | undefined,
  preferences: ReturnType<typeof operationPreferences>,
): Promise<boolean> {
  const {store, cfn} = opened;
  let createdSetNow = false;
  // Compared with what this fleet last sent: StackSets may hand the template back reformatted.
  const templateSha256 = createHash('sha256').update(input.template).digest('hex');
  context.signal?.throwIfAborted();
  if (!existingSet) {
    store.update(input.name, (record) => {
      record.operation = {kind: 'create-stack-set', startedAt: new Date().toISOString(), targets: []};
    });
    await stacksets.createStackSet(cfn, {
      name: input.name,
      template: input.template,
      description: input.description,
      permissionModel: input.permissionModel,
      tags: {[PROFILE_TAG]: input.profileLabel},
    });
    createdSetNow = true;
    store.update(input.name, (record) => {
      record.stackSetCreated = true;
      delete record.operation;
    });
    context.onEvent({type: 'stack-set', action: 'created', name: input.name});
    context.signal?.throwIfAborted();
  } else if (known?.templateSha256 !== templateSha256) {
    context.onEvent({type: 'stack-set', action: 'updated', name: input.name});
    await runOperation(context, opened, input.name, 'update-stack-set', [], (operationId) =>
      stacksets.updateStackSet(cfn, {name: input.name, template: input.template, description: input.description, operationId, preferences}),
    );
  } else {
    context.onEvent({type: 'stack-set', action: 'unchanged', name: input.name});
  }
  store.update(input.name, (record) => {
    record.templateSha256 = templateSha256;
  });
  return createdSetNow;
}

/** What the stack-instance creates of one deploy did: the failed targets, whether the tolerance was exceeded, what was made. */
interface InstancesOutcome {
  failed: TargetResult[];
  exceeded: boolean;
  created: FleetTarget[];
}

/**
 * Creates the stack instances the fleet lacks: one call for organisational units (StackSets
 * picks the accounts), else one per accounts × regions grid, stopping at the first operation
 * that exceeds the failure tolerance.
 */
async function createInstances(context: FleetContext, opened: Opened, input: DeployInput, preferences: ReturnType<typeof operationPreferences>): Promise<InstancesOutcome> {
  const {cfn} = opened;
  const before = await stacksets.listStackInstances(cfn, input.name);
  const current = new Set(before.filter((instance) => instance.status === 'CURRENT').map(targetKey));
  const made: InstancesOutcome = {failed: [], exceeded: false, created: []};
  if (input.orgUnits.length > 0) {
    if (!input.regions.every((region) => before.some((instance) => instance.region === region && instance.status === 'CURRENT'))) {
      const outcome = await runOperation(context, opened, input.name, 'create-instances', [], (operationId) =>
        stacksets.createStackInstances(cfn, {name: input.name, where: {accounts: [], orgUnits: input.orgUnits, regions: input.regions}, operationId, preferences}),
      );
      made.failed.push(...outcome.results.filter((result) => result.status !== 'succeeded'));
      made.exceeded = outcome.status !== 'SUCCEEDED';
      made.created.push(...outcome.results.filter((result) => !before.some((instance) => targetKey(instance) === targetKey(result))));
    }
    return made;
  }
  const missing = wantedTargets(input, before).filter((target) => !current.has(targetKey(target)));
  for (const grid of grids(missing)) {
    const targets = targetsOf(grid.accounts, grid.regions);
    const outcome = await runOperation(context, opened, input.name, 'create-instances', targets, (operationId) =>
      stacksets.createStackInstances(cfn, {name: input.name, where: {...grid, orgUnits: []}, operationId, preferences}),
    );
    made.failed.push(...outcome.results.filter((result) => result.status !== 'succeeded'));
    made.created.push(...targets.filter((target) => !before.some((instance) => targetKey(instance) === targetKey(target))));
    if (outcome.status !== 'SUCCEEDED') {
      made.exceeded = true;
      break;
    }
  }
  return made;
}

/** Removes what this deploy created, and the StackSet too when this deploy made it and nothing else is in it. */
async function rollBackDeploy(context: FleetContext, opened: Opened, input: DeployInput, created: FleetTarget[], createdSetNow: boolean): Promise<FleetRecord> {
  const {store, cfn} = opened;
  context.onEvent({type: 'rollback-started', name: input.name});
  await removeInstances(context, opened, input.name, created, input.permissionModel, input.orgUnits);
  const left = await stacksets.listStackInstances(cfn, input.name);
  if (createdSetNow && left.length === 0) {
    await stacksets.deleteStackSet(cfn, input.name);
    context.onEvent({type: 'stack-set', action: 'deleted', name: input.name});
  }
  return store.update(input.name, (next) => {
    next.status = left.length === 0 ? 'rolled-back' : 'failed';
    if (left.length === 0 && createdSetNow) next.stackSetCreated = false;
  });
}

export async function deployFleet(context: FleetContext, input: DeployInput): Promise<DeployOutcome> {
  const opened = await open(context);
  const {store, cfn} = opened;
  await recover(context, opened, input.name);
  const known = store.exists(input.name) ? store.read(input.name) : undefined;
  const existingSet = await stacksets.describeStackSet(cfn, input.name);
  const problems = await deployProblems(context, opened, input, known, existingSet);
  context.onEvent({type: 'preflight', ok: problems.length === 0, problems});
  if (problems.length > 0) return {kind: 'refused', problems};

  recordDeploying(context, opened, input, known);
  const preferences = operationPreferences(input.preferences);
  const createdSetNow = await putStackSet(context, opened, input, known, existingSet, preferences);
  const {failed, exceeded, created} = await createInstances(context, opened, input, preferences);
  if (exceeded && !input.keep) {
    const record = await rollBackDeploy(context, opened, input, created, createdSetNow);
    return {kind: 'done', record, failed, rolledBack: true, exceeded};
  }
  const record = store.update(input.name, (next) => {
    next.status = exceeded ? 'failed' : failed.length > 0 ? 'partial' : 'deployed';
  });
  return {kind: 'done', record, failed, rolledBack: false, exceeded};
}

/**
 * Deletes the stack instances of `targets` (and their stacks), each refusal reported per target.
 */
async function removeInstances(context: FleetContext, opened: Opened, name: string, targets: FleetTarget[], permissionModel: PermissionModel, orgUnits: string[]): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const preferences = operationPreferences({failureTolerance: 0});
  if (permissionModel === 'SERVICE_MANAGED') {
    if (targets.length === 0) return results;
    const regions = [...new Set(targets.map((target) => target.region))];
    return deleteOrReport(targets, () =>
      runOperation(context, opened, name, 'delete-instances', targets, (operationId) =>
        stacksets.deleteStackInstances(opened.cfn, {name, where: {accounts: [], orgUnits, regions}, operationId, preferences}),
      ),
    );
  }
  for (const grid of grids(targets)) {
    const gridTargets = targetsOf(grid.accounts, grid.regions);
    results.push(
      ...(await deleteOrReport(gridTargets, () =>
        runOperation(context, opened, name, 'delete-instances', gridTargets, (operationId) =>
          stacksets.deleteStackInstances(opened.cfn, {name, where: {...grid, orgUnits: []}, operationId, preferences}),
        ),
      )),
    );
  }
  return results;
}

/** A stack instance `fleet destroy` could not remove, with the reason StackSets gave. */
export interface LeftTarget extends FleetTarget {
  status: string;
  reason?: string;
}

/**
 * Turns the load balancers' deletion protection off in every stack, by updating the StackSet to
 * its own template with the protection lifted: AWS refuses to delete a stack whose load balancer
 * is protected. Nothing is sent when no load balancer has it on (docs/fleets.md).
 */
async function liftDeletionProtection(context: FleetContext, opened: Opened, name: string, set: stacksets.StackSetInfo): Promise<void> {
  const lifted = set.templateBody ? withDeletionProtectionLifted(set.templateBody) : undefined;
  if (!lifted) return;
  const preferences = operationPreferences({failureTolerance: 0});
  context.onEvent({type: 'stack-set', action: 'updated', name});
  await runOperation(context, opened, name, 'update-stack-set', [], (operationId) =>
    stacksets.updateStackSet(opened.cfn, {name, template: lifted, description: set.description ?? `tandem fleet ${name}`, operationId, preferences}),
  );
  // A later deploy of the fleet sends its own template again, protection and all.
  opened.store.update(name, (record) => {
    record.templateSha256 = createHash('sha256').update(lifted).digest('hex');
  });
}

/**
 * Removes every stack instance, then the StackSet. Safe to run again after any partial failure:
 * it first settles an operation an earlier run left in flight, then deletes what StackSets still
 * lists, so a target already gone counts as gone.
 */
export async function destroyFleet(context: FleetContext, name: string): Promise<{record: FleetRecord; remaining: LeftTarget[]}> {
  const opened = await open(context);
  await recover(context, opened, name);
  const known = opened.store.read(name);
  opened.store.update(name, (record) => {
    record.status = 'destroying';
  });
  const reasons = new Map<string, string>();
  let remaining: stacksets.StackInstance[] = [];
  const set = await stacksets.describeStackSet(opened.cfn, name);
  if (set) {
    const instances = await stacksets.listStackInstances(opened.cfn, name);
    if (instances.length > 0) await liftDeletionProtection(context, opened, name, set);
    const results = await removeInstances(context, opened, name, instances, known.permissionModel, known.orgUnits);
    for (const result of results) if (result.status !== 'succeeded' && result.reason) reasons.set(targetKey(result), result.reason);
    opened.store.update(name, (record) => applyResults(record, results));
    remaining = await stacksets.listStackInstances(opened.cfn, name);
    if (remaining.length === 0) {
      await stacksets.deleteStackSet(opened.cfn, name);
      context.onEvent({type: 'stack-set', action: 'deleted', name});
    }
  }
  const left = new Set(remaining.map(targetKey));
  const record = opened.store.update(name, (next) => {
    next.status = remaining.length === 0 ? 'destroyed' : 'partial';
    if (remaining.length === 0) next.stackSetCreated = false;
    // A target StackSets no longer lists is gone, whatever its last operation said.
    next.targets = next.targets.map((target) => (left.has(targetKey(target)) ? target : {...target, status: 'cancelled', reason: 'destroyed'}));
  });
  return {
    record,
    remaining: remaining.map(({account, region, status, reason}) => {
      const why = reasons.get(targetKey({account, region})) ?? reason;
      return {account, region, status, ...(why ? {reason: why} : {})};
    }),
  };
}

export async function verifyFleetByName(context: FleetContext, name: string, onTarget?: (result: TargetVerification) => void): Promise<{record: FleetRecord; targets: TargetVerification[]}> {
  const opened = await open(context);
  await recover(context, opened, name);
  const known = opened.store.read(name);
  const instances = await stacksets.listStackInstances(opened.cfn, name);
  const role = known.permissionModel === 'SERVICE_MANAGED' ? ORGANIZATION_ACCESS_ROLE : EXECUTION_ROLE;
  const sorted = instances.sort((a, b) => a.region.localeCompare(b.region) || a.account.localeCompare(b.account));
  const targets = await verifyFleet({name, spec: known.spec, instances: sorted, access: accountAccess(context.settings, role), ...(onTarget ? {onTarget} : {})});
  const record = opened.store.update(name, (next) => {
    next.lastVerification = targets;
  });
  return {record, targets};
}

/** Picks up an operation a killed tandem left behind; `tandem fleet list` shows the result. */
export async function recoverFleet(context: FleetContext, name: string): Promise<void> {
  await recover(context, await open(context), name);
}
