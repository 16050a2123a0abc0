// Create calls whose answer tandem never recorded: the process was killed while the call was in
// flight, or the connection died after AWS made the resource. The executor writes an intent to
// the journal before each create call (PendingCreate); rollback and destroy call adoptPending
// first, which looks for what such a call may have made and adds it to the record so it is
// deleted like everything else. A resource is adopted only when the journal says this launch
// tried to create that kind AND it carries this launch's unique tag (IAM and key pairs: the
// name the request used, plus the tag), so nothing belonging to anyone else is ever touched.
import type {
  DescribeFlowLogsResult,
  DescribeHostsResult,
  DescribeInstancesResult,
  DescribeInternetGatewaysResult,
  DescribeRouteTablesResult,
  DescribeSecurityGroupsResult,
  DescribeSnapshotsResult,
  DescribeSubnetsResult,
  DescribeVpcEndpointsResult,
  DescribeVpcsResult,
} from '@aws-sdk/client-ec2';
import type {CreatedResource} from '../domain/cloud.js';
import type {PlanStep, ResourceKind} from '../domain/plan-types.js';
import type {Journal} from '../store/journal.js';
import type {PendingCreate} from '../store/journal-types.js';
import type {AwsClients} from './clients.js';
import {endpointGoing, send} from './actions.js';
import {describeAwsError, isNotFound} from './errors.js';
import {launchCertificates, launchValidationRecord} from './certificate.js';
import {setTimeout as sleep} from 'node:timers/promises';

const LAUNCH_TAG = 'tandem:launch-id';
// Name: a load balancer's or target group's; LoadBalancerArn: the load balancer a listener was for;
// DomainName: a requested certificate's; CertificateArn: the certificate a validation record was for.
const NAME_FIELDS = ['RoleName', 'InstanceProfileName', 'KeyName', 'AliasName', 'GroupName', 'logGroupName', 'Name', 'LoadBalancerArn', 'DomainName', 'CertificateArn'] as const;

export function pendingCreate(step: Pick<PlanStep, 'id' | 'creates'>, input: Record<string, unknown>): PendingCreate {
  const names: Record<string, string> = {};
  for (const field of NAME_FIELDS) {
    const value = input[field];
    if (typeof value === 'string' && value) names[field] = value;
  }
  return {stepId: step.id, kinds: [...step.creates], names};
}

type Found = Pick<CreatedResource, 'kind' | 'id'> & {extra?: Record<string, string>};
type Response = Record<string, unknown>;

/** A resource found, or nothing when the answer lacks its id; extra ids the answer lacks are left out. */
function foundResource(kind: ResourceKind, id: string | undefined, extra?: Record<string, string | undefined>): Found | undefined {
  if (!id) return undefined;
  if (!extra) return {kind, id};
  const present = Object.entries(extra).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return {kind, id, extra: Object.fromEntries(present)};
}

interface ByTag {
  action: string;
  /** The input's filter list: Filters, except DescribeFlowLogs' Filter (an unknown key would be dropped, and the call list everything). */
  filterKey?: 'Filter';
  found: (response: Response) => Found[];
}

/** One Describe call's entry, typed by the SDK's output for that action (send() answers untyped). */
function byTag<Output, Entry>(action: string, list: (response: Output) => Entry[] | undefined, found: (entry: Entry) => Found | undefined): ByTag {
  return {action, found: (response) => (list(response as Output) ?? []).flatMap((entry) => found(entry) ?? [])};
}

/** EC2 kinds found by a Describe call filtered on the launch tag (Describe lists only what exists). */
const EC2_BY_TAG: Partial<Record<ResourceKind, ByTag>> = {
  vpc: byTag(
    'DescribeVpcs',
    (r: DescribeVpcsResult) => r.Vpcs,
    (i) => foundResource('vpc', i.VpcId),
  ),
  subnet: byTag(
    'DescribeSubnets',
    (r: DescribeSubnetsResult) => r.Subnets,
    (i) => foundResource('subnet', i.SubnetId, {vpcId: i.VpcId}),
  ),
  'internet-gateway': byTag(
    'DescribeInternetGateways',
    (r: DescribeInternetGatewaysResult) => r.InternetGateways,
    (i) => foundResource('internet-gateway', i.InternetGatewayId),
  ),
  'route-table': byTag(
    'DescribeRouteTables',
    (r: DescribeRouteTablesResult) => r.RouteTables,
    (i) => foundResource('route-table', i.RouteTableId, {vpcId: i.VpcId}),
  ),
  'vpc-endpoint': byTag(
    'DescribeVpcEndpoints',
    (r: DescribeVpcEndpointsResult) => r.VpcEndpoints,
    (i) => (endpointGoing(i.State) ? undefined : foundResource('vpc-endpoint', i.VpcEndpointId, {vpcId: i.VpcId, serviceName: i.ServiceName})),
  ),
  'security-group': byTag(
    'DescribeSecurityGroups',
    (r: DescribeSecurityGroupsResult) => r.SecurityGroups,
    (i) => foundResource('security-group', i.GroupId, {vpcId: i.VpcId}),
  ),
  instance: byTag(
    'DescribeInstances',
    (r: DescribeInstancesResult) => r.Reservations?.flatMap((reservation) => reservation.Instances ?? []),
    (i) => (i.State?.Name === 'terminated' ? undefined : foundResource('instance', i.InstanceId)),
  ),
  'ebs-snapshot': byTag(
    'DescribeSnapshots',
    (r: DescribeSnapshotsResult) => r.Snapshots,
    (i) => foundResource('ebs-snapshot', i.SnapshotId, {volumeId: i.VolumeId}),
  ),
  'flow-log': {
    ...byTag(
      'DescribeFlowLogs',
      (r: DescribeFlowLogsResult) => r.FlowLogs,
      (i) => foundResource('flow-log', i.FlowLogId, {vpcId: i.ResourceId}),
    ),
    filterKey: 'Filter',
  },
  'dedicated-host': byTag(
    'DescribeHosts',
    (r: DescribeHostsResult) => r.Hosts,
    (i) => (String(i.State).startsWith('released') ? undefined : foundResource('dedicated-host', i.HostId)),
  ),
};

/** True when a tag list (EC2 and IAM: Key/Value; KMS: TagKey/TagValue) carries this launch's tag. */
const tagged = (tags: unknown, launchId: string, key = 'Key', value = 'Value') =>
  Array.isArray(tags) && tags.some((tag: unknown) => isRecord(tag) && tag[key] === LAUNCH_TAG && tag[value] === launchId);

const isRecord = (value: unknown): value is Response => typeof value === 'object' && value !== null;

/** The records in a response's list field; anything else there is ignored. */
const records = (value: unknown): Response[] => (Array.isArray(value) ? value.filter(isRecord) : []);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Swallows "not found": the call never made the resource. */
async function maybe<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function launchKmsKeys(clients: AwsClients, launchId: string): Promise<Found[]> {
  const found: Found[] = [];
  let marker: string | undefined;
  do {
    const page = await send(clients, 'kms', 'ListKeys', marker ? {Marker: marker} : {});
    for (const key of records(page.Keys)) {
      const keyId = text(key.KeyId);
      if (!keyId) continue;
      const tags = await maybe(() => send(clients, 'kms', 'ListResourceTags', {KeyId: keyId}));
      const resource = foundResource('kms-key', keyId, {arn: text(key.KeyArn)});
      if (tags && resource && tagged(tags.Tags, launchId, 'TagKey', 'TagValue')) found.push(resource);
    }
    marker = page.Truncated ? (page.NextMarker as string | undefined) : undefined;
  } while (marker);
  return found;
}

/** The log group the request named, if it exists and carries this launch's tag. */
async function launchLogGroup(clients: AwsClients, launchId: string, name: string | undefined): Promise<Found[]> {
  if (!name) return [];
  const page = await send(clients, 'logs', 'DescribeLogGroups', {logGroupNamePrefix: name});
  const group = records(page.logGroups).find((item) => item.logGroupName === name);
  const arn = text(group?.arn)?.replace(/:\*$/, '');
  if (!arn) return [];
  const tags = await maybe(() => send(clients, 'logs', 'ListTagsForResource', {resourceArn: arn}));
  const own = isRecord(tags?.tags) && tags.tags[LAUNCH_TAG] === launchId;
  return own ? [{kind: 'log-group', id: name}] : [];
}

/** Whether an Elastic Load Balancing resource carries this launch's tag. */
async function elbTagged(clients: AwsClients, launchId: string, arn: string): Promise<boolean> {
  const tags = await maybe(() => send(clients, 'elbv2', 'DescribeTags', {ResourceArns: [arn]}));
  return tagged(records(tags?.TagDescriptions)[0]?.Tags, launchId);
}

/**
 * A load balancer or target group the request named, if it exists and is this launch's; a
 * listener: every listener of this launch's load balancer the request was for.
 */
async function launchElbResources(clients: AwsClients, launchId: string, kind: ResourceKind, names: Record<string, string>): Promise<Found[]> {
  if (kind === 'listener') {
    const lbArn = names.LoadBalancerArn;
    if (!lbArn || !(await elbTagged(clients, launchId, lbArn))) return [];
    const listeners = await maybe(() => send(clients, 'elbv2', 'DescribeListeners', {LoadBalancerArn: lbArn}));
    return records(listeners?.Listeners).flatMap((listener) => foundResource('listener', text(listener.ListenerArn)) ?? []);
  }
  if (!names.Name) return [];
  const [action, list, arnField] = kind === 'load-balancer' ? ['DescribeLoadBalancers', 'LoadBalancers', 'LoadBalancerArn'] : ['DescribeTargetGroups', 'TargetGroups', 'TargetGroupArn'];
  const found = await maybe(() => send(clients, 'elbv2', action, {Names: [names.Name]}));
  const arn = text(records(found?.[list])[0]?.[arnField]);
  if (!arn || !(await elbTagged(clients, launchId, arn))) return [];
  return [{kind, id: arn, extra: {name: names.Name}}];
}

async function lookup(clients: AwsClients, launchId: string, kind: ResourceKind, names: Record<string, string>, knownKeys: Set<string>): Promise<Found[]> {
  const byTag = EC2_BY_TAG[kind];
  if (byTag) {
    // Snapshots: only this account's (DescribeSnapshots also lists every public one).
    const owner = kind === 'ebs-snapshot' ? {OwnerIds: ['self']} : {};
    const response = await send(clients, 'ec2', byTag.action, {...owner, [byTag.filterKey ?? 'Filters']: [{Name: `tag:${LAUNCH_TAG}`, Values: [launchId]}]});
    return byTag.found(response);
  }
  switch (kind) {
    case 'key-pair': {
      if (!names.KeyName) return [];
      const response = await maybe(() => send(clients, 'ec2', 'DescribeKeyPairs', {KeyNames: [names.KeyName]}));
      const pair = records(response?.KeyPairs)[0];
      const resource = pair && tagged(pair.Tags, launchId) ? foundResource(kind, text(pair.KeyName), {keyPairId: text(pair.KeyPairId)}) : undefined;
      return resource ? [resource] : [];
    }
    case 'iam-role': {
      if (!names.RoleName) return [];
      const role = await maybe(() => send(clients, 'iam', 'GetRole', {RoleName: names.RoleName}));
      return role && isRecord(role.Role) && tagged(role.Role.Tags, launchId) ? [{kind, id: names.RoleName}] : [];
    }
    case 'iam-instance-profile': {
      if (!names.InstanceProfileName) return [];
      const profile = await maybe(() => send(clients, 'iam', 'GetInstanceProfile', {InstanceProfileName: names.InstanceProfileName}));
      const tags = isRecord(profile?.InstanceProfile) ? profile.InstanceProfile.Tags : undefined;
      return tagged(tags, launchId) ? [{kind, id: names.InstanceProfileName}] : [];
    }
    case 'kms-key':
      return launchKmsKeys(clients, launchId);
    case 'log-group':
      return launchLogGroup(clients, launchId, names.logGroupName);
    case 'load-balancer':
    case 'target-group':
    case 'listener':
      return launchElbResources(clients, launchId, kind, names);
    case 'certificate':
      return launchCertificates(clients, launchId, names.DomainName, LAUNCH_TAG);
    case 'dns-record':
      return launchValidationRecord(clients, names.CertificateArn, names.DomainName);
    case 'kms-alias': {
      if (!names.AliasName) return [];
      const response = await send(clients, 'kms', 'ListAliases', {});
      const alias = records(response.Aliases).find((item) => item.AliasName === names.AliasName);
      const targetKeyId = text(alias?.TargetKeyId);
      // Aliases carry no tags: only one pointing at a key of this launch is ours.
      return targetKeyId && knownKeys.has(targetKeyId) ? [{kind, id: names.AliasName, extra: {targetKeyId}}] : [];
    }
    default:
      return [];
  }
}

export interface AdoptResult {
  adopted: CreatedResource[];
  /** Intents that could not be looked up (e.g. access denied); they stay in the journal. */
  unresolved: Array<{pending: PendingCreate; code: string; message: string}>;
}

/**
 * How long after a launch's last journal write a create call it had in flight may still be
 * landing. A process killed outright (SIGKILL, power loss) leaves its last requests on the wire
 * or queued in front of the service; AWS completes them all the same, a moment later. A destroy
 * started right after such a kill would look too early and miss them, so it waits out the rest
 * of this window before its final look. Rollback in the launch's own process needs no window:
 * the executor lets every in-flight call settle before it rolls back.
 */
export const IN_FLIGHT_SETTLE_MS = 3000;

export interface AdoptOptions {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  /** Look again, after the settle window, for intents that found nothing (destroy after a crash). */
  settleMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Moves whatever unrecorded create calls of this launch made into its record. */
export async function adoptPending(options: AdoptOptions): Promise<AdoptResult> {
  const {clients, journal, launchId} = options;
  const result: AdoptResult = {adopted: [], unresolved: []};
  const record = journal.read(launchId);
  const pending = record.pending ?? [];
  if (pending.length === 0) return result;
  const known = new Set(record.resources.map((resource) => `${resource.kind}:${resource.id}`));
  const knownKeys = new Set(record.resources.filter((resource) => resource.kind === 'kms-key').map((resource) => resource.id));
  const resolved = new Set<string>();
  /** Looks up what one intent made; false when it found nothing new. */
  const adopt = async (entry: PendingCreate): Promise<boolean> => {
    let any = false;
    for (const kind of entry.kinds) {
      for (const found of await lookup(clients, launchId, kind, entry.names, knownKeys)) {
        if (known.has(`${found.kind}:${found.id}`)) continue;
        known.add(`${found.kind}:${found.id}`);
        if (found.kind === 'kms-key') knownKeys.add(found.id);
        result.adopted.push({...found, stepId: entry.stepId, region: clients.settings.region});
        any = true;
      }
    }
    return any;
  };
  const empty: PendingCreate[] = [];
  for (const entry of pending) {
    try {
      if (!(await adopt(entry))) empty.push(entry);
      resolved.add(entry.stepId);
    } catch (error) {
      result.unresolved.push({pending: entry, ...describeAwsError(error)});
    }
  }
  const left = settleLeft(record.updatedAt, options);
  if (empty.length > 0 && left > 0) {
    await (options.sleep ?? sleep)(left);
    for (const entry of empty) {
      try {
        await adopt(entry);
      } catch (error) {
        resolved.delete(entry.stepId);
        result.unresolved.push({pending: entry, ...describeAwsError(error)});
      }
    }
  }
  journal.update(launchId, (current) => {
    current.resources.push(...result.adopted);
    current.pending = (current.pending ?? []).filter((item) => !resolved.has(item.stepId));
  });
  return result;
}

/** What is left of the settle window since the journal's last write (0 when none was asked for). */
function settleLeft(updatedAt: string, options: Pick<AdoptOptions, 'settleMs' | 'now'>): number {
  if (!options.settleMs) return 0;
  const since = (options.now ?? Date.now)() - Date.parse(updatedAt);
  return Number.isFinite(since) ? Math.max(0, Math.min(options.settleMs, options.settleMs - since)) : 0;
}
