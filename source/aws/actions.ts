// The table of AWS actions the executor and teardown use: how to send any plan step (the SDK
// command class is looked up by name, so plan steps stay plain data), which resources a response
// created, and how to delete each kind of resource. "Not found" on delete counts as already gone,
// which is what makes `tandem destroy` safe to run twice.
import type {CreatedResource} from '../domain/cloud.js';
import type {PlanStep, ResourceKind, Service} from '../domain/plan-types.js';
import type {AwsClients} from './clients.js';
import {errorCode, errorMessage, isNotFound, StepError} from './errors.js';
import {setTimeout as sleep} from 'node:timers/promises';
import {deleteValidationRecord} from './certificate.js';
import {VALIDATION_RECORD_TTL} from '../domain/controls/load-balancer.js';

type SdkModule = Record<string, unknown>;

// Route 53 has no SDK client here: route53.ts signs its calls (sendRoute53 below).
const modules: Record<Exclude<Service, 'route53'>, () => Promise<SdkModule>> = {
  ec2: async () => import('@aws-sdk/client-ec2'),
  iam: async () => import('@aws-sdk/client-iam'),
  kms: async () => import('@aws-sdk/client-kms'),
  ssm: async () => import('@aws-sdk/client-ssm'),
  sts: async () => import('@aws-sdk/client-sts'),
  backup: async () => import('@aws-sdk/client-backup'),
  logs: async () => import('@aws-sdk/client-cloudwatch-logs'),
  elbv2: async () => import('@aws-sdk/client-elastic-load-balancing-v2'),
  acm: async () => import('@aws-sdk/client-acm'),
};

type Sendable = {send: (command: unknown, options?: {abortSignal?: AbortSignal}) => Promise<unknown>};
type Waiter = (config: {client: unknown; maxWaitTime: number; minDelay?: number; maxDelay?: number; abortSignal?: AbortSignal}, input: unknown) => Promise<{state: string; reason?: unknown}>;

export interface SendOptions {
  /** Only used by waiters: an in-flight create call is never aborted, its result must be recorded. */
  abortSignal?: AbortSignal;
  /** Seconds a waiter (WaitUntil… action) may take before it gives up. */
  maxWaitSeconds?: number;
}

/**
 * Sends `action` (an SDK command name without "Command", or "WaitUntilX" for the SDK waiter
 * waitUntilX) of `service` with `input`, and returns the response.
 */
export async function send(clients: AwsClients, service: Service, action: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<Record<string, unknown>> {
  if (service === 'route53') throw new StepError('UnknownAction', `route53:${action} is sent by tandem's own steps, not as an SDK command`);
  const sdk = await modules[service]();
  const client = clients[service] as unknown as Sendable;
  if (action.startsWith('WaitUntil')) {
    const waiter = sdk[`waitUntil${action.slice('WaitUntil'.length)}`] as Waiter | undefined;
    if (typeof waiter !== 'function') throw new StepError('UnknownAction', `the SDK has no waiter ${service}:${action}`);
    const result = await waiter({client, maxWaitTime: options.maxWaitSeconds ?? 300, minDelay: 2, maxDelay: 15, abortSignal: options.abortSignal}, input);
    return (result.reason ?? {}) as Record<string, unknown>;
  }
  const Command = sdk[`${action}Command`] as (new (input: unknown) => unknown) | undefined;
  if (typeof Command !== 'function') throw new StepError('UnknownAction', `the SDK has no command ${service}:${action}`);
  const response = (await client.send(new Command(input))) as Record<string, unknown>;
  return response;
}

/** IAM action names as policies spell them, e.g. ec2:RunInstances (for "denied" messages). */
export function iamActionName(step: Pick<PlanStep, 'service' | 'action'>): string {
  return `${step.service}:${step.action}`;
}

function get(value: unknown, dotted: string): unknown {
  let current = value;
  for (const part of dotted.split('.')) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[/^\d+$/.test(part) ? Number(part) : (part as never)];
  }
  return current;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Resources a successful response created, in the order they should be recorded. */
export function createdResources(step: Pick<PlanStep, 'id' | 'service' | 'action'>, input: Record<string, unknown>, response: Record<string, unknown>, region: string): CreatedResource[] {
  const one = (kind: ResourceKind, id: string | undefined, extra?: Record<string, string | undefined>) => {
    if (!id) return [];
    const clean = extra ? (Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) as Record<string, string>) : undefined;
    return [{kind, id, stepId: step.id, region, ...(clean && Object.keys(clean).length > 0 ? {extra: clean} : {})}];
  };
  switch (`${step.service}:${step.action}`) {
    case 'ec2:CreateVpc':
      return one('vpc', str(get(response, 'Vpc.VpcId')));
    case 'ec2:CreateSubnet':
      return one('subnet', str(get(response, 'Subnet.SubnetId')), {vpcId: str(get(response, 'Subnet.VpcId'))});
    case 'ec2:CreateInternetGateway':
      return one('internet-gateway', str(get(response, 'InternetGateway.InternetGatewayId')));
    case 'ec2:CreateRouteTable':
      return one('route-table', str(get(response, 'RouteTable.RouteTableId')), {vpcId: str(get(response, 'RouteTable.VpcId'))});
    case 'ec2:CreateVpcEndpoint':
      return one('vpc-endpoint', str(get(response, 'VpcEndpoint.VpcEndpointId')), {vpcId: str(input.VpcId), serviceName: str(input.ServiceName)});
    case 'ec2:CreateSecurityGroup':
      return one('security-group', str(response.GroupId), {vpcId: str(input.VpcId)});
    case 'ec2:CreateKeyPair':
    case 'ec2:ImportKeyPair':
      return one('key-pair', str(response.KeyName) ?? str(input.KeyName), {keyPairId: str(response.KeyPairId)});
    case 'ec2:AllocateHosts':
      return ((response.HostIds as string[] | undefined) ?? []).flatMap((id) => one('dedicated-host', id));
    case 'ec2:RunInstances':
      return ((response.Instances as Array<{InstanceId?: string}> | undefined) ?? []).flatMap((instance) => one('instance', instance.InstanceId));
    case 'iam:CreateRole':
      return one('iam-role', str(get(response, 'Role.RoleName')) ?? str(input.RoleName));
    case 'iam:CreateInstanceProfile':
      return one('iam-instance-profile', str(get(response, 'InstanceProfile.InstanceProfileName')) ?? str(input.InstanceProfileName));
    case 'kms:CreateKey':
      return one('kms-key', str(get(response, 'KeyMetadata.KeyId')), {arn: str(get(response, 'KeyMetadata.Arn'))});
    case 'kms:CreateAlias':
      return one('kms-alias', str(input.AliasName), {targetKeyId: str(input.TargetKeyId)});
    case 'backup:CreateBackupVault':
      return one('backup-vault', str(response.BackupVaultName) ?? str(input.BackupVaultName), {arn: str(response.BackupVaultArn)});
    case 'backup:CreateBackupPlan':
      return one('backup-plan', str(response.BackupPlanId), {arn: str(response.BackupPlanArn)});
    case 'backup:CreateBackupSelection':
      // A selection is named by its plan and its own id: DeleteBackupSelection needs both.
      return one('backup-selection', str(response.SelectionId), {planId: str(response.BackupPlanId) ?? str(input.BackupPlanId)});
    case 'ec2:CreateSnapshot':
      return one('ebs-snapshot', str(response.SnapshotId), {volumeId: str(input.VolumeId)});
    case 'ec2:CreateFlowLogs':
      return ((response.FlowLogIds as string[] | undefined) ?? []).flatMap((id) => one('flow-log', id, {vpcId: str((input.ResourceIds as string[] | undefined)?.[0])}));
    case 'logs:CreateLogGroup':
      return one('log-group', str(input.logGroupName));
    case 'elbv2:CreateLoadBalancer':
      return one('load-balancer', str(get(response, 'LoadBalancers.0.LoadBalancerArn')), {name: str(input.Name)});
    case 'elbv2:CreateTargetGroup':
      return one('target-group', str(get(response, 'TargetGroups.0.TargetGroupArn')), {name: str(input.Name)});
    case 'elbv2:CreateListener':
      return one('listener', str(get(response, 'Listeners.0.ListenerArn')), {port: String(input.Port)});
    case 'acm:RequestCertificate':
      return one('certificate', str(response.CertificateArn), {domain: str(input.DomainName)});
    case 'route53:WriteValidationRecord':
      // Only a record tandem wrote is recorded: one the operator creates is theirs.
      if (response.Written !== true) return [];
      return one('dns-record', str(get(response, 'ResourceRecord.name')), {
        zoneId: str(response.HostedZoneId),
        type: str(get(response, 'ResourceRecord.type')),
        value: str(get(response, 'ResourceRecord.value')),
        ttl: String(VALIDATION_RECORD_TTL),
        // What the delete checks first: another certificate of the same name shares the record.
        domain: str(input.DomainName),
        certificateArn: str(input.CertificateArn),
      });
    default:
      return [];
  }
}

export interface DeleteOptions {
  /** Seconds to wait for an instance to reach terminated. */
  terminateWaitSeconds?: number;
  /** Bounded retry of DependencyViolation while a terminating instance lets go of its ENI. */
  dependencyRetry?: {delayMs: number; maxTotalMs: number};
  /** Told before each wait, so the wait is visible: AWS's code and message, the attempt, how long. */
  onWait?: (wait: {code: string; reason: string; attempt: number; waitMs: number}) => void;
  signal?: AbortSignal;
  /** How often onWait hears of an instance still terminating (it can take minutes); 5 s by default. */
  waitTickMs?: number;
}

/** Runs `work`, telling onWait every tick how long it has waited so far. */
async function withTicks<T>(options: DeleteOptions, code: string, reason: (seconds: number) => string, work: () => Promise<T>): Promise<T> {
  if (!options.onWait) return work();
  const started = Date.now();
  const tick = options.waitTickMs ?? 5000;
  let attempt = 0;
  const timer = setInterval(() => {
    attempt += 1;
    options.onWait?.({code, reason: reason(Math.round((Date.now() - started) / 1000)), attempt, waitMs: tick});
  }, tick);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export interface DeleteOutcome {
  state: 'deleted' | 'already-gone';
  /** KMS keys are never deleted at once: the day AWS will delete it (ISO date), while it can still be cancelled. */
  deletionDate?: string;
}

/** An endpoint being deleted, or deleted, is as good as gone: it is never adopted, kept or checked. */
export const endpointGoing = (state: unknown): boolean => /^delet/i.test(String(state));

/** Polls until the endpoint is deleted (or not found); EC2 has no waiter for endpoints. */
async function endpointGone(clients: AwsClients, id: string, maxMs: number, options: DeleteOptions): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    let state: string | undefined;
    try {
      const found = await send(clients, 'ec2', 'DescribeVpcEndpoints', {VpcEndpointIds: [id]});
      state = (found.VpcEndpoints as Array<{State?: string}> | undefined)?.[0]?.State;
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (state === undefined || /^deleted$/i.test(state)) return;
    if (options.signal?.aborted) throw new StepError('Interrupted', `stopped while endpoint ${id} was still ${state}`);
    const waitMs = Math.min(1000 * attempt, 10_000);
    if (Date.now() - started + waitMs > maxMs) throw new StepError('EndpointNotDeleted', `endpoint ${id} is still ${state} after ${Math.round(maxMs / 1000)} s`);
    await sleep(waitMs);
  }
}

async function retryDependency<T>(options: DeleteOptions, action: () => Promise<T>, code = 'DependencyViolation'): Promise<T> {
  const {delayMs, maxTotalMs} = options.dependencyRetry ?? {delayMs: 5000, maxTotalMs: 180_000};
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      // Only the code that means "something is still letting go" is worth waiting out; anything else is final.
      const waitMs = Math.min(delayMs * attempt, 20_000);
      if (errorCode(error) !== code || Date.now() - started + waitMs > maxTotalMs) throw error;
      options.onWait?.({code, reason: errorMessage(error), attempt, waitMs});
      await sleep(waitMs);
    }
  }
}

/** KMS ScheduleKeyDeletion wants the bare key id (moto rejects the ARN; AWS accepts both). */
export function bareKeyId(id: string): string {
  const at = id.indexOf(':key/');
  return at >= 0 ? id.slice(at + ':key/'.length) : id;
}

const isoDay = (value: unknown) => (value ? new Date(value as string | Date).toISOString().slice(0, 10) : undefined);

/** A KMS key's scheduled deletion date, or undefined when it is gone or not scheduled. */
async function keyDeletionDate(clients: AwsClients, id: string): Promise<string | undefined> {
  try {
    const described = await send(clients, 'kms', 'DescribeKey', {KeyId: bareKeyId(id)});
    return isoDay(get(described, 'KeyMetadata.DeletionDate'));
  } catch {
    return undefined;
  }
}

/** Terminates an instance and waits until EC2 says it is terminated: what it holds is freed only then. */
async function terminateInstance(clients: AwsClients, id: string, options: DeleteOptions): Promise<void> {
  await send(clients, 'ec2', 'TerminateInstances', {InstanceIds: [id]});
  const limit = options.terminateWaitSeconds ?? 600;
  await withTicks(
    options,
    'still terminating',
    (seconds) => `waited ${seconds} s of at most ${limit} s`,
    () => send(clients, 'ec2', 'WaitUntilInstanceTerminated', {InstanceIds: [id]}, {maxWaitSeconds: limit}),
  );
}

async function deleteVpcEndpoint(clients: AwsClients, id: string, options: DeleteOptions): Promise<void> {
  const response = await send(clients, 'ec2', 'DeleteVpcEndpoints', {VpcEndpointIds: [id]});
  const error = (response.Unsuccessful as Array<{Error?: {Code?: string; Message?: string}}> | undefined)?.[0]?.Error;
  if (error) throw new StepError(error.Code ?? 'DeleteVpcEndpointsFailed', error.Message ?? 'the endpoint could not be deleted');
  // Its network interfaces hold the subnet and the security group until it is gone.
  const limit = options.terminateWaitSeconds ?? 600;
  await withTicks(
    options,
    'still deleting',
    (seconds) => `endpoint ${id}: waited ${seconds} s of at most ${limit} s`,
    () => endpointGone(clients, id, limit * 1000, options),
  );
}

/**
 * DeleteFlowLogs answers success with the flow logs it could not delete listed: a missing one is
 * already gone, anything else is a failure.
 */
async function deleteFlowLog(clients: AwsClients, id: string): Promise<void> {
  const response = await send(clients, 'ec2', 'DeleteFlowLogs', {FlowLogIds: [id]});
  const error = (response.Unsuccessful as Array<{Error?: {Code?: string; Message?: string}}> | undefined)?.[0]?.Error;
  if (error) throw new StepError(error.Code ?? 'DeleteFlowLogsFailed', error.Message ?? 'the flow log could not be deleted');
}

/** ReleaseHosts answers success with the hosts it could not release listed: that is a failure. */
async function releaseHost(clients: AwsClients, id: string): Promise<void> {
  const response = await send(clients, 'ec2', 'ReleaseHosts', {HostIds: [id]});
  const failed = (response.Unsuccessful as Array<{Error?: {Code?: string; Message?: string}}> | undefined) ?? [];
  const error = failed[0]?.Error;
  if (error) throw new StepError(error.Code ?? 'ReleaseHostsFailed', error.Message ?? 'the host could not be released');
}

/** IAM refuses to delete an instance profile that still holds a role: the roles come out first. */
async function deleteInstanceProfile(clients: AwsClients, id: string): Promise<void> {
  const profile = await send(clients, 'iam', 'GetInstanceProfile', {InstanceProfileName: id});
  for (const role of (get(profile, 'InstanceProfile.Roles') as Array<{RoleName?: string}>) ?? []) {
    if (role.RoleName) await send(clients, 'iam', 'RemoveRoleFromInstanceProfile', {InstanceProfileName: id, RoleName: role.RoleName});
  }
  await send(clients, 'iam', 'DeleteInstanceProfile', {InstanceProfileName: id});
}

/** IAM refuses to delete a role with policies or instance profiles: each is removed first. */
async function deleteRole(clients: AwsClients, id: string): Promise<void> {
  const iam = (action: string, input: Record<string, unknown>) => send(clients, 'iam', action, input);
  const inline = await iam('ListRolePolicies', {RoleName: id});
  for (const name of (inline.PolicyNames as string[] | undefined) ?? []) {
    await iam('DeleteRolePolicy', {RoleName: id, PolicyName: name});
  }
  const attached = await iam('ListAttachedRolePolicies', {RoleName: id});
  for (const policy of (attached.AttachedPolicies as Array<{PolicyArn?: string}> | undefined) ?? []) {
    if (policy.PolicyArn) await iam('DetachRolePolicy', {RoleName: id, PolicyArn: policy.PolicyArn});
  }
  const profiles = await iam('ListInstanceProfilesForRole', {RoleName: id});
  for (const profile of (profiles.InstanceProfiles as Array<{InstanceProfileName?: string}> | undefined) ?? []) {
    if (profile.InstanceProfileName) {
      await iam('RemoveRoleFromInstanceProfile', {InstanceProfileName: profile.InstanceProfileName, RoleName: id});
    }
  }
  await iam('DeleteRole', {RoleName: id});
}

/** A route table with subnet associations cannot be deleted: they are removed first (never the main one). */
async function deleteRouteTable(clients: AwsClients, id: string, options: DeleteOptions): Promise<void> {
  const described = await send(clients, 'ec2', 'DescribeRouteTables', {RouteTableIds: [id]});
  const table = ((described.RouteTables as Array<Record<string, unknown>>) ?? [])[0];
  for (const association of (table?.Associations as Array<{Main?: boolean; RouteTableAssociationId?: string}>) ?? []) {
    if (!association.Main && association.RouteTableAssociationId) {
      await send(clients, 'ec2', 'DisassociateRouteTable', {AssociationId: association.RouteTableAssociationId});
    }
  }
  await retryDependency(options, () => send(clients, 'ec2', 'DeleteRouteTable', {RouteTableId: id}));
}

/** An attached internet gateway cannot be deleted: it is detached from its VPC first. */
async function deleteInternetGateway(clients: AwsClients, id: string, options: DeleteOptions): Promise<void> {
  const ec2 = (action: string, input: Record<string, unknown>) => send(clients, 'ec2', action, input);
  const described = await ec2('DescribeInternetGateways', {InternetGatewayIds: [id]});
  const gateway = ((described.InternetGateways as Array<Record<string, unknown>>) ?? [])[0];
  for (const attachment of (gateway?.Attachments as Array<{VpcId?: string}>) ?? []) {
    if (attachment.VpcId) {
      await retryDependency(options, () => ec2('DetachInternetGateway', {InternetGatewayId: id, VpcId: attachment.VpcId}));
    }
  }
  await retryDependency(options, () => ec2('DeleteInternetGateway', {InternetGatewayId: id}));
}

/**
 * A vault that holds recovery points cannot be deleted (AWS refuses), and tandem does not delete
 * backups to make it so: they are what the vault is for. Destroy says what is left and why.
 */
async function deleteBackupVault(clients: AwsClients, name: string): Promise<void> {
  const points = await send(clients, 'backup', 'ListRecoveryPointsByBackupVault', {BackupVaultName: name});
  const count = ((points.RecoveryPoints as unknown[] | undefined) ?? []).length;
  if (count > 0 || str(points.NextToken)) {
    throw new StepError(
      'VaultHoldsRecoveryPoints',
      `backup vault ${name} still holds ${count}${str(points.NextToken) ? ' or more' : ''} recovery point(s); tandem keeps backups: each expires at the end of its retention, or delete them yourself (aws backup delete-recovery-point), then run tandem destroy again to remove the vault`,
    );
  }
  await send(clients, 'backup', 'DeleteBackupVault', {BackupVaultName: name});
}

/**
 * A load balancer with deletion protection on cannot be deleted (OperationNotPermitted): the
 * protection is turned off first. Destroy asks before it gets here (docs/load-balancer.md).
 */
async function deleteLoadBalancer(clients: AwsClients, arn: string): Promise<void> {
  const attributes = {LoadBalancerArn: arn, Attributes: [{Key: 'deletion_protection.enabled', Value: 'false'}]};
  await send(clients, 'elbv2', 'ModifyLoadBalancerAttributes', attributes);
  await send(clients, 'elbv2', 'DeleteLoadBalancer', {LoadBalancerArn: arn});
}

/** One delete of one resource, by kind; a KMS key answers the date its deletion is scheduled for. */
async function deleteOnce(clients: AwsClients, resource: CreatedResource, options: DeleteOptions): Promise<string | void> {
  const ec2 = (action: string, input: Record<string, unknown>) => send(clients, 'ec2', action, input);
  const id = resource.id;
  switch (resource.kind) {
    case 'instance':
      return terminateInstance(clients, id, options);
    case 'security-group':
      await retryDependency(options, () => ec2('DeleteSecurityGroup', {GroupId: id}));
      return;
    case 'vpc-endpoint':
      return deleteVpcEndpoint(clients, id, options);
    case 'key-pair':
      // By name: AWS accepts either, and moto ignores KeyPairId here.
      await ec2('DeleteKeyPair', {KeyName: id});
      return;
    case 'dedicated-host':
      return releaseHost(clients, id);
    case 'iam-instance-profile':
      return deleteInstanceProfile(clients, id);
    case 'iam-role':
      return deleteRole(clients, id);
    case 'route-table':
      return deleteRouteTable(clients, id, options);
    case 'internet-gateway':
      return deleteInternetGateway(clients, id, options);
    case 'subnet':
      await retryDependency(options, () => ec2('DeleteSubnet', {SubnetId: id}));
      return;
    case 'vpc':
      await retryDependency(options, () => ec2('DeleteVpc', {VpcId: id}));
      return;
    case 'kms-alias':
      await send(clients, 'kms', 'DeleteAlias', {AliasName: id});
      return;
    case 'ebs-snapshot':
      await ec2('DeleteSnapshot', {SnapshotId: id});
      return;
    case 'backup-selection':
      await send(clients, 'backup', 'DeleteBackupSelection', {BackupPlanId: resource.extra?.planId, SelectionId: id});
      return;
    case 'backup-plan':
      await send(clients, 'backup', 'DeleteBackupPlan', {BackupPlanId: id});
      return;
    case 'backup-vault':
      return deleteBackupVault(clients, id);
    case 'flow-log':
      return deleteFlowLog(clients, id);
    case 'log-group':
      await send(clients, 'logs', 'DeleteLogGroup', {logGroupName: id});
      return;
    case 'listener':
      await send(clients, 'elbv2', 'DeleteListener', {ListenerArn: id});
      return;
    case 'load-balancer':
      return deleteLoadBalancer(clients, id);
    case 'target-group':
      // Until the load balancer's deletion has gone through, AWS may still count the group as in use.
      await retryDependency(options, () => send(clients, 'elbv2', 'DeleteTargetGroup', {TargetGroupArn: id}), 'ResourceInUse');
      return;
    case 'certificate':
      // ACM refuses to delete a certificate a listener still holds (ResourceInUseException) until
      // the load balancer's deletion has gone through.
      await retryDependency(options, () => send(clients, 'acm', 'DeleteCertificate', {CertificateArn: id}), 'ResourceInUseException');
      return;
    case 'dns-record':
      return deleteValidationRecord(clients, resource);
    case 'kms-key':
      // Seven days is the shortest window AWS allows; the key is unusable from now on, but until
      // that date it can be restored, so the caller is told the date.
      return isoDay((await send(clients, 'kms', 'ScheduleKeyDeletion', {KeyId: bareKeyId(id), PendingWindowInDays: 7})).DeletionDate);
    default: {
      const never: never = resource.kind;
      throw new StepError('UnknownResource', `tandem does not know how to delete ${String(never)}`);
    }
  }
}

/**
 * DeleteKeyPair answers success for a name that does not exist (and moto does the same for
 * DeleteVpcEndpoints), so "removed" would be claimed for what was already gone: these are looked
 * up first. True when the lookup says the resource is not there.
 */
async function answersDoneWhenMissing(clients: AwsClients, resource: CreatedResource): Promise<boolean> {
  const lookups: Partial<Record<ResourceKind, [string, Record<string, unknown>, string]>> = {
    'key-pair': ['DescribeKeyPairs', {KeyNames: [resource.id]}, 'KeyPairs'],
    'vpc-endpoint': ['DescribeVpcEndpoints', {VpcEndpointIds: [resource.id]}, 'VpcEndpoints'],
  };
  const lookup = lookups[resource.kind];
  if (!lookup) return false;
  try {
    const found = await send(clients, 'ec2', lookup[0], lookup[1]);
    const items = (found[lookup[2]] as Array<{State?: string}> | undefined) ?? [];
    return items.length === 0 || items.every((item) => /^deleted$/i.test(String(item.State)));
  } catch (error) {
    if (isNotFound(error)) return true;
    // DescribeKeyPairs answers an unknown name with InvalidKeyPair.NotFound; anything else: delete as usual.
    return false;
  }
}

/** Deletes one recorded resource; "not found" means another run (or a person) already did. */
export async function deleteResource(clients: AwsClients, resource: CreatedResource, options: DeleteOptions = {}): Promise<DeleteOutcome> {
  try {
    if (await answersDoneWhenMissing(clients, resource)) return {state: 'already-gone'};
    const deletionDate = await deleteOnce(clients, resource, options);
    return deletionDate ? {state: 'deleted', deletionDate} : {state: 'deleted'};
  } catch (error) {
    if (isNotFound(error)) {
      // A key an earlier run scheduled answers "pending deletion": it still exists until its date.
      const deletionDate = resource.kind === 'kms-key' ? await keyDeletionDate(clients, resource.id) : undefined;
      return deletionDate ? {state: 'already-gone', deletionDate} : {state: 'already-gone'};
    }
    // DeleteKeyPair and a few others answer a bad name with InvalidParameterValue, not NotFound.
    if (resource.kind === 'instance' && /does not exist/i.test(errorMessage(error))) return {state: 'already-gone'};
    throw error;
  }
}

/** Dependency order for teardown: the instance first, the VPC and the KMS key last. */
export const DELETE_ORDER: readonly ResourceKind[] = [
  'instance',
  'ebs-snapshot',
  // The selection first: AWS refuses to delete a plan that still has one, and the selection holds the backup role.
  'backup-selection',
  'backup-plan',
  'backup-vault',
  // The flow log goes before its role and group, and before the VPC it watches.
  'flow-log',
  'log-group',
  // The load balancer's listeners, then it, then its target group: each holds the next. It must be
  // gone before its security group and subnets can go.
  'listener',
  'load-balancer',
  'target-group',
  // The requested certificate once no listener holds it, and the validation record tandem wrote.
  'certificate',
  'dns-record',
  'vpc-endpoint',
  'security-group',
  'key-pair',
  'dedicated-host',
  'iam-instance-profile',
  'iam-role',
  'route-table',
  'internet-gateway',
  'subnet',
  'vpc',
  'kms-alias',
  'kms-key',
];
