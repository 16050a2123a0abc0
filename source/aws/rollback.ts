// Deleting what a launch created, one resource at a time, keeping the journal in step: a
// resource leaves the record only once AWS confirms it is gone, so an interrupted rollback or
// destroy can simply be run again.
import type {CreatedResource, DestroyResult, LaunchEvent} from '../domain/cloud.js';
import type {Journal} from '../store/journal.js';
import type {AwsClients} from './clients.js';
import {deleteResource, type DeleteOptions} from './actions.js';
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
}): Promise<DestroyResult> {
  const result: DestroyResult = {deleted: [], failed: []};
  for (const resource of options.resources) {
    try {
      const outcome = await deleteResource(options.clients, resource, options.deletes);
      options.journal.update(options.launchId, (record) => {
        record.resources = record.resources.filter((item) => !same(item, resource));
      });
      const done = outcome.deletionDate ? {...resource, extra: {...resource.extra, deletionDate: outcome.deletionDate}} : resource;
      result.deleted.push(done);
      options.onEvent?.({type: 'resource-deleted', resource: done});
    } catch (error) {
      const info = describeAwsError(error);
      result.failed.push({resource, ...info});
      options.onEvent?.({type: 'resource-delete-failed', resource, ...info});
    }
  }
  return result;
}

/** Rolls back a failed or interrupted launch: newest first, which undoes dependencies in order. */
export async function rollback(options: {
  clients: AwsClients;
  journal: Journal;
  launchId: string;
  onEvent?: (event: LaunchEvent) => void;
  deletes?: DeleteOptions;
}): Promise<DestroyResult> {
  options.onEvent?.({type: 'rollback-started', launchId: options.launchId});
  const adoption = await adoptPending(options);
  const resources = [...options.journal.read(options.launchId).resources].reverse();
  const result = await deleteInOrder({...options, resources});
  return withUnresolved(result, adoption, options.onEvent);
}

/** An intent that could not be looked up is a failure to clean up: destroy must be run again. */
export function withUnresolved(result: DestroyResult, adoption: AdoptResult, onEvent?: (event: LaunchEvent) => void): DestroyResult {
  for (const {pending, code, message} of adoption.unresolved) {
    const resource: CreatedResource = {kind: pending.kinds[0]!, id: `(unrecorded ${pending.stepId})`, stepId: pending.stepId, region: ''};
    const detail = `could not check whether ${pending.stepId} created something: ${message}`;
    result.failed.push({resource, code, message: detail});
    onEvent?.({type: 'resource-delete-failed', resource, code, message: detail});
  }
  return result;
}
