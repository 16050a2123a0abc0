// `tandem destroy`: removes exactly the resources the journal recorded, in dependency order
// (the instance first, the VPC and KMS key last). Tags are only used afterwards, to report
// anything still carrying the launch id; nothing is ever deleted because of a tag alone.
import type {Host, Reservation, VpcEndpoint} from '@aws-sdk/client-ec2';
import type {CreatedResource, DestroyResult, LaunchEvent} from '../domain/cloud.js';
import type {Journal} from '../store/journal.js';
import type {AwsClients} from './clients.js';
import {bareKeyId, type DeleteOptions, endpointGoing, send} from './actions.js';
import {errorCode, isNotFound} from './errors.js';
import {adoptPending, IN_FLIGHT_SETTLE_MS} from './pending.js';
import {deleteInOrder, settleKeyFile, teardownOrder, withUnresolved} from './rollback.js';
import {taggedLoadBalancing} from './tagged-load-balancing.js';

export const LAUNCH_TAG = 'tandem:launch-id';

export interface Leftover {
  resourceType: string;
  id: string;
}

export interface TeardownResult extends DestroyResult {
  /** EC2 and Elastic Load Balancing resources still tagged with the launch id after the teardown (not deleted by tandem). */
  leftovers: Leftover[];
  /** Why part of that report could not be read, when it could not. */
  leftoversUnread?: string;
}

export {teardownOrder} from './rollback.js';

/** A liveness test typed by the SDK's entry for the probe's action (send() answers untyped). */
function aliveWhen<Entry>(alive: (entry: Entry) => boolean): (item: unknown) => boolean {
  return (item) => alive(item as Entry);
}

// How to ask whether a tagged resource still exists. Tags can outlive their resource for a
// while (and moto never forgets them), so every tag hit is confirmed with a Describe call.
const EXISTS: Record<string, {action: string; input: (id: string) => Record<string, unknown>; list: string; alive?: (item: unknown) => boolean}> = {
  instance: {
    action: 'DescribeInstances',
    input: (id) => ({InstanceIds: [id]}),
    list: 'Reservations',
    alive: aliveWhen((reservation: Reservation) => reservation.Instances?.some((i) => i.State?.Name !== 'terminated') ?? false),
  },
  vpc: {action: 'DescribeVpcs', input: (id) => ({VpcIds: [id]}), list: 'Vpcs'},
  subnet: {action: 'DescribeSubnets', input: (id) => ({SubnetIds: [id]}), list: 'Subnets'},
  'security-group': {action: 'DescribeSecurityGroups', input: (id) => ({GroupIds: [id]}), list: 'SecurityGroups'},
  'internet-gateway': {action: 'DescribeInternetGateways', input: (id) => ({InternetGatewayIds: [id]}), list: 'InternetGateways'},
  'vpc-endpoint': {
    action: 'DescribeVpcEndpoints',
    input: (id) => ({VpcEndpointIds: [id]}),
    list: 'VpcEndpoints',
    alive: aliveWhen((endpoint: VpcEndpoint) => !endpointGoing(endpoint.State)),
  },
  'route-table': {action: 'DescribeRouteTables', input: (id) => ({RouteTableIds: [id]}), list: 'RouteTables'},
  // Journaled as a flow-log; AWS's DescribeTags calls it a vpc-flow-log, moto's a flow-logs.
  'flow-log': {action: 'DescribeFlowLogs', input: (id) => ({FlowLogIds: [id]}), list: 'FlowLogs'},
  'vpc-flow-log': {action: 'DescribeFlowLogs', input: (id) => ({FlowLogIds: [id]}), list: 'FlowLogs'},
  'flow-logs': {action: 'DescribeFlowLogs', input: (id) => ({FlowLogIds: [id]}), list: 'FlowLogs'},
  'key-pair': {action: 'DescribeKeyPairs', input: (id) => ({KeyPairIds: [id]}), list: 'KeyPairs'},
  volume: {action: 'DescribeVolumes', input: (id) => ({VolumeIds: [id]}), list: 'Volumes'},
  // By the journal's kind and by DescribeTags' resource type.
  'ebs-snapshot': {action: 'DescribeSnapshots', input: (id) => ({SnapshotIds: [id]}), list: 'Snapshots'},
  snapshot: {action: 'DescribeSnapshots', input: (id) => ({SnapshotIds: [id]}), list: 'Snapshots'},
  'dedicated-host': {
    action: 'DescribeHosts',
    input: (id) => ({HostIds: [id]}),
    list: 'Hosts',
    alive: aliveWhen((host: Host) => !['released', 'released-permanent-failure'].includes(String(host.State))),
  },
};

async function stillExists(clients: AwsClients, resourceType: string, id: string): Promise<boolean> {
  // A rule disappears with its group; other types without a check are reported as found.
  if (resourceType === 'security-group-rule') return false;
  const probe = EXISTS[resourceType];
  if (!probe) return true;
  try {
    const response = await send(clients, 'ec2', probe.action, probe.input(id));
    const items = (response[probe.list] as unknown[] | undefined) ?? [];
    return items.some((item) => (probe.alive ? probe.alive(item) : true));
  } catch (error) {
    if (isNotFound(error)) return false;
    return true;
  }
}

/**
 * EC2 resources still tagged with the launch id that really exist (terminated instances do not
 * count). Ids in `journaled` are skipped: the journal accounts for them (removed, or reported as
 * not removable), so they are not "not in its journal", even when a probe cannot tell.
 */
async function taggedEc2(clients: AwsClients, launchId: string, journaled: ReadonlySet<string>): Promise<Leftover[]> {
  const response = await send(clients, 'ec2', 'DescribeTags', {
    Filters: [
      {Name: 'key', Values: [LAUNCH_TAG]},
      {Name: 'value', Values: [launchId]},
    ],
  });
  const tags = (response.Tags as Array<{ResourceType?: string; ResourceId?: string}> | undefined) ?? [];
  const leftovers: Leftover[] = [];
  for (const tag of tags) {
    if (!tag.ResourceId || journaled.has(tag.ResourceId)) continue;
    const resourceType = tag.ResourceType ?? 'unknown';
    if (await stillExists(clients, resourceType, tag.ResourceId)) leftovers.push({resourceType, id: tag.ResourceId});
  }
  return leftovers;
}

/** Load balancers and target groups still tagged with the launch id, minus what the journal accounts for. */
async function taggedElb(clients: AwsClients, launchId: string, journaled: ReadonlySet<string>): Promise<Leftover[]> {
  return (await taggedLoadBalancing(clients, LAUNCH_TAG, launchId)).filter((tagged) => !journaled.has(tagged.id));
}

/** Every resource, EC2 or Elastic Load Balancing, still tagged with the launch id; any failure to read throws. */
export async function findTagged(clients: AwsClients, launchId: string, journaled: ReadonlySet<string> = new Set()): Promise<Leftover[]> {
  return [...(await taggedEc2(clients, launchId, journaled)), ...(await taggedElb(clients, launchId, journaled))];
}

/**
 * Destroy's report of what is still tagged. It is advisory (the deletions are what counts), so a
 * part that cannot be read does not fail the destroy; the Elastic Load Balancing part says so,
 * since an operator may destroy EC2 resources without the right to list load balancers.
 */
async function leftoverReport(clients: AwsClients, launchId: string, journaled: ReadonlySet<string>): Promise<Pick<TeardownResult, 'leftovers' | 'leftoversUnread'>> {
  const leftovers = await taggedEc2(clients, launchId, journaled).catch(() => []);
  try {
    return {leftovers: [...leftovers, ...(await taggedElb(clients, launchId, journaled))]};
  } catch (error) {
    return {leftovers, leftoversUnread: `load balancers and target groups could not be listed (${errorCode(error)}), so any still tagged with this launch are not shown`};
  }
}

/** Asks AWS whether a resource it answered a delete for is really gone. Errors: cannot tell, so no. */
async function stillThere(clients: AwsClients, resource: CreatedResource): Promise<boolean> {
  const {kind, id} = resource;
  try {
    switch (kind) {
      case 'key-pair': {
        const found = await send(clients, 'ec2', 'DescribeKeyPairs', {KeyNames: [id]});
        return ((found.KeyPairs as unknown[] | undefined) ?? []).length > 0;
      }
      case 'iam-role':
        await send(clients, 'iam', 'GetRole', {RoleName: id});
        return true;
      case 'iam-instance-profile':
        await send(clients, 'iam', 'GetInstanceProfile', {InstanceProfileName: id});
        return true;
      case 'kms-key': {
        // A key pending deletion is what a destroy leaves (AWS never deletes a key at once).
        const found = await send(clients, 'kms', 'DescribeKey', {KeyId: bareKeyId(id)});
        return !/^Pending(Replica)?Deletion$/.test(String((found.KeyMetadata as {KeyState?: string} | undefined)?.KeyState));
      }
      case 'log-group': {
        const found = await send(clients, 'logs', 'DescribeLogGroups', {logGroupNamePrefix: id});
        return ((found.logGroups as Array<{logGroupName?: string}> | undefined) ?? []).some((group) => group.logGroupName === id);
      }
      case 'kms-alias': {
        let marker: string | undefined;
        do {
          const page = await send(clients, 'kms', 'ListAliases', marker ? {Marker: marker} : {});
          if (((page.Aliases as Array<{AliasName?: string}> | undefined) ?? []).some((alias) => alias.AliasName === id)) return true;
          marker = page.Truncated ? (page.NextMarker as string | undefined) : undefined;
        } while (marker);
        return false;
      }
      default: {
        const probe = EXISTS[kind];
        if (!probe) return false;
        const response = await send(clients, 'ec2', probe.action, probe.input(id));
        const items = (response[probe.list] as unknown[] | undefined) ?? [];
        return items.some((item) => (probe.alive ? probe.alive(item) : true));
      }
    }
  } catch {
    // not found, or the probe could not answer: the delete's own answer stands
    return false;
  }
}

/**
 * Describes each resource whose delete was answered as done: one still there goes back into the
 * journal and counts as not removed, so the launch is marked destroyed only when AWS shows nothing left.
 */
async function confirmGone(options: {clients: AwsClients; journal: Journal; launchId: string}, result: DestroyResult): Promise<DestroyResult> {
  const left: CreatedResource[] = [];
  for (const resource of result.deleted) if (await stillThere(options.clients, resource)) left.push(resource);
  if (left.length === 0) return result;
  options.journal.update(options.launchId, (record) => {
    record.resources.push(...left.filter((resource) => !record.resources.some((item) => item.kind === resource.kind && item.id === resource.id)));
  });
  const failed = left.map((resource) => ({
    resource,
    code: 'StillPresent',
    message: `AWS answered the delete of ${resource.kind} ${resource.id}, but describing it shows it is still there`,
  }));
  return {...result, deleted: result.deleted.filter((resource) => !left.includes(resource)), failed: [...result.failed, ...failed]};
}

export async function destroyLaunch(options: {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  onEvent?: (event: LaunchEvent) => void;
  deletes?: DeleteOptions;
}): Promise<TeardownResult> {
  // Create calls the launch never saw answered (it crashed mid-call) come into the record first;
  // a destroy right after the crash also waits for calls that were still landing.
  const adoption = await adoptPending({...options, settleMs: IN_FLIGHT_SETTLE_MS});
  const record = options.journal.read(options.launchId);
  const deleted = withUnresolved(await deleteInOrder({...options, resources: teardownOrder(record.resources)}), adoption, options.onEvent);
  const result = await confirmGone(options, deleted);
  for (const failure of result.failed.slice(deleted.failed.length)) options.onEvent?.({type: 'resource-delete-failed', ...failure});
  if (result.failed.length === 0) {
    options.journal.update(options.launchId, (current) => {
      current.status = 'destroyed';
    });
  }
  settleKeyFile(options);
  // A key pair is journaled by name, but tags name it by its key-… id.
  const journaled = new Set(record.resources.flatMap((resource) => [resource.id, resource.extra?.keyPairId ?? '']));
  return {...result, ...(await leftoverReport(options.clients, options.launchId, journaled))};
}
