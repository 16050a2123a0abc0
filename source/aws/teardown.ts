// `tandem destroy`: removes exactly the resources the journal recorded, in dependency order
// (the instance first, the VPC and KMS key last). Tags are only used afterwards, to report
// anything still carrying the launch id; nothing is ever deleted because of a tag alone.
import type {CreatedResource, DestroyResult, LaunchEvent} from '../domain/cloud.js';
import type {Journal} from '../store/journal.js';
import type {AwsClients} from './clients.js';
import {DELETE_ORDER, type DeleteOptions, send} from './actions.js';
import {deleteInOrder} from './rollback.js';

export const LAUNCH_TAG = 'tandem:launch-id';

export interface Leftover {
  resourceType: string;
  id: string;
}

export interface TeardownResult extends DestroyResult {
  /** EC2 resources still tagged with the launch id after the teardown (not deleted by tandem). */
  leftovers: Leftover[];
}

export function teardownOrder(resources: CreatedResource[]): CreatedResource[] {
  const rank = (resource: CreatedResource) => DELETE_ORDER.indexOf(resource.kind);
  // Within one kind, newest first; sort is stable, so reverse first.
  return [...resources].reverse().sort((a, b) => rank(a) - rank(b));
}

/** EC2 resources tagged with the launch id, ignoring instances that are already terminated. */
export async function findTagged(clients: AwsClients, launchId: string): Promise<Leftover[]> {
  const response = await send(clients, 'ec2', 'DescribeTags', {
    Filters: [
      {Name: 'key', Values: [LAUNCH_TAG]},
      {Name: 'value', Values: [launchId]},
    ],
  });
  const tags = (response.Tags as Array<{ResourceType?: string; ResourceId?: string}> | undefined) ?? [];
  const leftovers: Leftover[] = [];
  for (const tag of tags) {
    if (!tag.ResourceId) continue;
    if (tag.ResourceType === 'instance') {
      const described = await send(clients, 'ec2', 'DescribeInstances', {InstanceIds: [tag.ResourceId]}).catch(() => ({}));
      const state = (described as {Reservations?: Array<{Instances?: Array<{State?: {Name?: string}}>}>}).Reservations?.[0]
        ?.Instances?.[0]?.State?.Name;
      if (state === 'terminated' || state === undefined) continue;
    }
    leftovers.push({resourceType: tag.ResourceType ?? 'unknown', id: tag.ResourceId});
  }
  return leftovers;
}

export async function destroyLaunch(options: {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  onEvent?: (event: LaunchEvent) => void;
  deletes?: DeleteOptions;
}): Promise<TeardownResult> {
  const record = options.journal.read(options.launchId);
  const result = await deleteInOrder({...options, resources: teardownOrder(record.resources)});
  if (result.failed.length === 0) {
    options.journal.update(options.launchId, (current) => {
      current.status = 'destroyed';
    });
  }
  let leftovers: Leftover[] = [];
  try {
    leftovers = await findTagged(options.clients, options.launchId);
  } catch {
    // the report of leftovers is advisory; the deletions above are what counts
  }
  return {...result, leftovers};
}
