// The StackSets calls of a fleet, through the SDK: the StackSet itself, its stack instances, and
// the operations StackSets runs on them, polled until they end with a result per account/region.
import type {CloudFormationClient, StackSetOperationPreferences} from '@aws-sdk/client-cloudformation';
import {randomUUID} from 'node:crypto';
import type {FleetTarget, PermissionModel, TargetResult} from '../domain/fleet.js';
import {operationDone, targetKey, targetStatusOf} from '../domain/fleet.js';
import {errorCode} from './errors.js';
import {setTimeout as sleep} from 'node:timers/promises';

const sdk = () => import('@aws-sdk/client-cloudformation');

export interface StackSetInfo {
  permissionModel: PermissionModel;
  templateBody?: string;
  description?: string;
}

export interface Where {
  accounts: string[];
  orgUnits: string[];
  regions: string[];
}

/** Accounts for SELF_MANAGED, organizational units for SERVICE_MANAGED. */
function targetsParam(where: Where) {
  return where.orgUnits.length > 0 ? {DeploymentTargets: {OrganizationalUnitIds: where.orgUnits}} : {Accounts: where.accounts};
}

export function newOperationId(): string {
  return randomUUID();
}

export async function describeStackSet(cfn: CloudFormationClient, name: string): Promise<StackSetInfo | undefined> {
  const {DescribeStackSetCommand} = await sdk();
  try {
    const answer = await cfn.send(new DescribeStackSetCommand({StackSetName: name}));
    const set = answer.StackSet;
    if (!set || set.Status === 'DELETED') return undefined;
    return {
      permissionModel: set.PermissionModel === 'SERVICE_MANAGED' ? 'SERVICE_MANAGED' : 'SELF_MANAGED',
      ...(set.TemplateBody ? {templateBody: set.TemplateBody} : {}),
      ...(set.Description ? {description: set.Description} : {}),
    };
  } catch (error) {
    if (errorCode(error) === 'StackSetNotFoundException') return undefined;
    throw error;
  }
}

export async function createStackSet(
  cfn: CloudFormationClient,
  input: {name: string; template: string; description: string; permissionModel: PermissionModel; tags: Record<string, string>},
): Promise<void> {
  const {CreateStackSetCommand} = await sdk();
  await cfn.send(
    new CreateStackSetCommand({
      StackSetName: input.name,
      TemplateBody: input.template,
      Description: input.description,
      // The template makes an IAM role and instance profile when the profile asks for one.
      Capabilities: ['CAPABILITY_IAM'],
      PermissionModel: input.permissionModel,
      ...(input.permissionModel === 'SERVICE_MANAGED' ? {AutoDeployment: {Enabled: false}} : {}),
      Tags: Object.entries(input.tags).map(([Key, Value]) => ({Key, Value})),
      ClientRequestToken: newOperationId(),
    }),
  );
}

export async function updateStackSet(
  cfn: CloudFormationClient,
  input: {name: string; template: string; description: string; operationId: string; preferences: StackSetOperationPreferences},
): Promise<string> {
  const {UpdateStackSetCommand} = await sdk();
  const answer = await cfn.send(
    new UpdateStackSetCommand({
      StackSetName: input.name,
      TemplateBody: input.template,
      Description: input.description,
      Capabilities: ['CAPABILITY_IAM'],
      OperationId: input.operationId,
      OperationPreferences: input.preferences,
    }),
  );
  return answer.OperationId ?? input.operationId;
}

export async function createStackInstances(cfn: CloudFormationClient, input: {name: string; where: Where; operationId: string; preferences: StackSetOperationPreferences}): Promise<string> {
  const {CreateStackInstancesCommand} = await sdk();
  const answer = await cfn.send(
    new CreateStackInstancesCommand({
      StackSetName: input.name,
      ...targetsParam(input.where),
      Regions: input.where.regions,
      OperationId: input.operationId,
      OperationPreferences: input.preferences,
    }),
  );
  return answer.OperationId ?? input.operationId;
}

export async function deleteStackInstances(cfn: CloudFormationClient, input: {name: string; where: Where; operationId: string; preferences: StackSetOperationPreferences}): Promise<string> {
  const {DeleteStackInstancesCommand} = await sdk();
  const answer = await cfn.send(
    new DeleteStackInstancesCommand({
      StackSetName: input.name,
      ...targetsParam(input.where),
      Regions: input.where.regions,
      RetainStacks: false,
      OperationId: input.operationId,
      OperationPreferences: input.preferences,
    }),
  );
  return answer.OperationId ?? input.operationId;
}

export async function deleteStackSet(cfn: CloudFormationClient, name: string): Promise<void> {
  const {DeleteStackSetCommand} = await sdk();
  try {
    await cfn.send(new DeleteStackSetCommand({StackSetName: name}));
  } catch (error) {
    if (errorCode(error) !== 'StackSetNotFoundException') throw error;
  }
}

export interface StackInstance extends FleetTarget {
  stackId?: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  status: string;
  reason?: string;
}

export async function listStackInstances(cfn: CloudFormationClient, name: string): Promise<StackInstance[]> {
  const {paginateListStackInstances} = await sdk();
  const instances: StackInstance[] = [];
  for await (const page of paginateListStackInstances({client: cfn}, {StackSetName: name})) {
    for (const summary of page.Summaries ?? []) {
      instances.push({
        account: summary.Account ?? '',
        region: summary.Region ?? '',
        ...(summary.StackId ? {stackId: summary.StackId} : {}),
        status: summary.Status ?? 'UNKNOWN',
        ...(summary.StatusReason ? {reason: summary.StatusReason} : {}),
      });
    }
  }
  return instances;
}

export interface OperationOutcome {
  operationId: string;
  /** SUCCEEDED, FAILED, STOPPED or NOT_FOUND (never started: tandem died before the call went out). */
  status: string;
  reason?: string;
  results: TargetResult[];
}

async function operationResults(cfn: CloudFormationClient, name: string, operationId: string): Promise<TargetResult[]> {
  const {paginateListStackSetOperationResults} = await sdk();
  const results: TargetResult[] = [];
  for await (const page of paginateListStackSetOperationResults({client: cfn}, {StackSetName: name, OperationId: operationId})) {
    for (const summary of page.Summaries ?? []) {
      results.push({
        account: summary.Account ?? '',
        region: summary.Region ?? '',
        status: targetStatusOf(summary.Status),
        ...(summary.StatusReason ? {reason: summary.StatusReason} : {}),
      });
    }
  }
  return results;
}

/**
 * Polls the operation until it ends, reporting each account/region whose status changed. An
 * operation StackSets does not know was never started (tandem stopped before sending it).
 */
export async function waitForOperation(
  cfn: CloudFormationClient,
  input: {name: string; operationId: string; pollMs: number; onTarget?: (result: TargetResult) => void; signal?: AbortSignal},
): Promise<OperationOutcome> {
  const {DescribeStackSetOperationCommand} = await sdk();
  const seen = new Map<string, string>();
  for (;;) {
    input.signal?.throwIfAborted();
    let operation;
    try {
      operation = (await cfn.send(new DescribeStackSetOperationCommand({StackSetName: input.name, OperationId: input.operationId}))).StackSetOperation;
    } catch (error) {
      if (errorCode(error) === 'OperationNotFoundException') return {operationId: input.operationId, status: 'NOT_FOUND', results: []};
      throw error;
    }
    const results = await operationResults(cfn, input.name, input.operationId);
    for (const result of results) {
      const key = targetKey(result);
      const text = `${result.status} ${result.reason ?? ''}`;
      if (seen.get(key) !== text) {
        seen.set(key, text);
        input.onTarget?.(result);
      }
    }
    if (operationDone(operation?.Status)) {
      return {operationId: input.operationId, status: operation?.Status ?? 'UNKNOWN', ...(operation?.StatusReason ? {reason: operation.StatusReason} : {}), results};
    }
    input.signal?.throwIfAborted();
    // Woken by the signal too, so Ctrl+C does not wait out a poll interval.
    await sleep(input.pollMs, undefined, input.signal ? {signal: input.signal} : {}).catch(() => input.signal?.throwIfAborted());
  }
}
