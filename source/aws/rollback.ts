// Deleting what a launch created, one resource at a time, keeping the journal in step: a
// resource leaves the record only once AWS confirms it is gone, so an interrupted rollback or
// destroy can simply be run again.
import type {CreatedResource, DestroyResult, LaunchEvent} from '../domain/cloud.js';
import type {Journal} from '../store/journal.js';
import type {AwsClients} from './clients.js';
import {DELETE_ORDER, deleteResource, type DeleteOptions} from './actions.js';
import {removeOwnKeyFile} from './key-file.js';
import {describeAwsError} from './errors.js';
import {adoptPending, type AdoptResult} from './pending.js';

const same = (a: CreatedResource, b: CreatedResource) => a.kind === b.kind && a.id === b.id;

export async function deleteInOrder(options: {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  resources: CreatedResource[];
  onEvent?: (event: LaunchEvent) => void;
  deletes?: DeleteOptions;
}): Promise<DestroyResult & {stopped?: boolean}> {
  const result: DestroyResult & {stopped?: boolean} = {deleted: [], alreadyGone: [], failed: []};
  for (const resource of options.resources) {
    if (options.deletes?.signal?.aborted) {
      result.stopped = true;
      break;
    }
    try {
      const outcome = await deleteResource(options.clients, resource, {
        ...options.deletes,
        onWait: (wait) => options.onEvent?.({type: 'resource-waiting', resource, ...wait}),
      });
      options.journal.update(options.launchId, (record) => {
        record.resources = record.resources.filter((item) => !same(item, resource));
      });
      const done = outcome.deletionDate ? {...resource, extra: {...resource.extra, deletionDate: outcome.deletionDate}} : resource;
      // "Removed" means this run removed it; a key found pending deletion is reported with its date.
      const gone = outcome.state === 'already-gone' && !outcome.deletionDate;
      (gone ? result.alreadyGone! : result.deleted).push(done);
      options.onEvent?.({type: 'resource-deleted', resource: done, ...(gone ? {alreadyGone: true} : {})});
    } catch (error) {
      const info = describeAwsError(error);
      result.failed.push({resource, ...info});
      options.onEvent?.({type: 'resource-delete-failed', resource, ...info});
    }
  }
  return result;
}

/** Rolls back a failed or interrupted launch, in the same dependency order as destroy. */
export async function rollback(options: {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  onEvent?: (event: LaunchEvent) => void;
  deletes?: DeleteOptions;
}): Promise<DestroyResult & {stopped?: boolean}> {
  options.onEvent?.({type: 'rollback-started', launchId: options.launchId});
  const adoption = await adoptPending(options);
  const resources = teardownOrder(options.journal.read(options.launchId).resources);
  const result = withUnresolved(await deleteInOrder({...options, resources}), adoption, options.onEvent);
  if (result.stopped) {
    const remaining = options.journal.read(options.launchId).resources.length;
    options.onEvent?.({type: 'rollback-stopped', launchId: options.launchId, remaining});
  }
  settleKeyFile(options);
  return result;
}

/** Dependency order for teardown: the instance first, the VPC and KMS key last (newest first within a kind). */
export function teardownOrder(resources: CreatedResource[]): CreatedResource[] {
  const rank = (resource: CreatedResource) => DELETE_ORDER.indexOf(resource.kind);
  // sort is stable, so reverse first.
  return [...resources].reverse().sort((a, b) => rank(a) - rank(b));
}

/**
 * Once the launch's key pair is gone from AWS, its private key file has no use left: remove it
 * (only the very file tandem wrote) so a retry can write a new one, or say which file to remove.
 */
export function settleKeyFile(options: {journal: Journal; launchId: string; onEvent?: (event: LaunchEvent) => void}): void {
  const record = options.journal.read(options.launchId);
  const {keyPath, keyFileSha256} = record.resolved;
  if (!keyPath || !keyFileSha256 || record.resources.some((resource) => resource.kind === 'key-pair')) return;
  const outcome = removeOwnKeyFile(keyPath, keyFileSha256);
  if (!outcome) return;
  options.onEvent?.({type: 'key-file', path: keyPath, ...outcome});
  if (outcome.removed) {
    options.journal.update(options.launchId, (current) => {
      delete current.resolved.keyFileSha256;
    });
  }
}

/** An intent that could not be looked up is a failure to clean up: destroy must be run again. */
export function withUnresolved<T extends DestroyResult>(result: T, adoption: AdoptResult, onEvent?: (event: LaunchEvent) => void): T {
  for (const {pending, code, message} of adoption.unresolved) {
    const resource: CreatedResource = {kind: pending.kinds[0], id: `(unrecorded ${pending.stepId})`, stepId: pending.stepId, region: ''};
    const detail = `could not check whether ${pending.stepId} created something: ${message}`;
    result.failed.push({resource, code, message: detail});
    onEvent?.({type: 'resource-delete-failed', resource, code, message: detail});
  }
  return result;
}
