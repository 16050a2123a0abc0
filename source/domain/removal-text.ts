// What tandem says about removing resources (rollback, destroy), worded once for the TUI, the
// headless launch and `tandem destroy`. A KMS key is the exception to "removed": AWS only
// schedules its deletion and keeps it restorable until a date, so tandem says that instead.
import type {CreatedResource} from './cloud.js';
import {t} from './safe-text.js';

/** The date AWS will delete this KMS key, when tandem scheduled (or found) its deletion. */
export function deletionDate(resource: CreatedResource): string | undefined {
  return resource.kind === 'kms-key' ? resource.extra?.deletionDate : undefined;
}

/** How to keep a key whose deletion is scheduled (a cancelled key comes back disabled). */
export function cancelKeyDeletion(resource: CreatedResource): string {
  const id = t`${resource.id}`;
  const region = resource.region ? t` --region ${resource.region}` : '';
  return t.text`aws kms cancel-key-deletion --key-id ${id}${region} && aws kms enable-key --key-id ${id}${region}`;
}

/** One line per removed resource, as progress: "removed vpc vpc-…", "already gone …", or the key's scheduled date. */
export function removedLine(resource: CreatedResource, alreadyGone = false): string {
  const date = deletionDate(resource);
  if (date) return t.text`scheduled kms-key ${resource.id} for deletion on ${date}`;
  return t.text`${alreadyGone ? t`already gone:` : t`removed`} ${resource.kind} ${resource.id}`;
}

/** Sentences for keys that are only scheduled for deletion: the date, and how to cancel. */
export function scheduledKeyNotes(deleted: CreatedResource[]): string[] {
  return deleted.flatMap((resource) => {
    const date = deletionDate(resource);
    if (!date) return [];
    return [t.text`KMS key ${resource.id} is not deleted yet: AWS deletes it on ${date} and it cannot be used meanwhile. ` + `To keep it, before then run: ${cancelKeyDeletion(resource)}`];
  });
}

/** "Removed 11 resources" counts only what is gone; a scheduled key is named separately. */
function removedCount(deleted: CreatedResource[], of = ''): string {
  const scheduled = deleted.filter((resource) => deletionDate(resource)).length;
  const gone = deleted.length - scheduled;
  const noun = gone === 1 ? 'resource' : 'resources';
  if (scheduled === 0) return `Removed ${gone} ${noun}${of}`;
  const keys = scheduled === 1 ? 'its KMS key' : `${scheduled} KMS keys`;
  return gone === 0 ? `Scheduled the deletion of ${keys}${of}` : `Removed ${gone} ${noun}${of} and scheduled the deletion of ${keys}`;
}

/** What a rollback did, for the end of a failed launch. */
export function rolledBackSentence(launchId: string, deleted: CreatedResource[]): string[] {
  if (!deleted.some((resource) => deletionDate(resource))) return [`Launch ${launchId} failed; everything it created was removed.`];
  return [`Launch ${launchId} failed. ${removedCount(deleted, ' it created')}.`, ...scheduledKeyNotes(deleted)];
}

/** Counts `tandem destroy` knows before it starts: the journal's resources and unanswered create calls. */
export interface DestroyStart {
  launchId: string;
  recorded: number;
  /** Create calls sent but never answered (the launch was killed mid-call). */
  unanswered: number;
}

/** Said before destroying, so an empty journal with unanswered calls is not "nothing left". */
export function destroyOpening(start: DestroyStart): string | undefined {
  if (start.unanswered > 0) {
    const calls = start.unanswered === 1 ? 'create call' : 'create calls';
    const recorded = start.recorded === 0 ? 'no resources recorded' : `${start.recorded} resources recorded`;
    return `Launch ${start.launchId} stopped with ${recorded} and ${start.unanswered} ${calls} never answered; looking for what those calls made by the launch's tag.`;
  }
  if (start.recorded === 0) return `Launch ${start.launchId} has nothing recorded left to remove; checking for anything still tagged with it.`;
  return undefined;
}

/** ", 2 already gone" when some recorded resources were not found (removed outside tandem). */
function goneClause(alreadyGone: CreatedResource[]): string {
  return alreadyGone.length === 0 ? '' : `; ${alreadyGone.length} already gone (not found: removed outside tandem or by an earlier run)`;
}

/** What could not be removed, by kind and id, for the closing line. */
function leftText(failed: Array<{resource: CreatedResource}>): string {
  return failed.map(({resource}) => t.text`${resource.kind} ${resource.id}`).join(', ');
}

/** The closing line of `tandem destroy`, plus one note per KMS key that is only scheduled. */
export function destroySummary(start: DestroyStart, result: {deleted: CreatedResource[]; alreadyGone?: CreatedResource[]; failed: Array<{resource: CreatedResource}>}): string[] {
  const {launchId} = start;
  const alreadyGone = result.alreadyGone ?? [];
  if (result.failed.length > 0) {
    return [
      `${removedCount(result.deleted)}${goneClause(alreadyGone)}; ${result.failed.length} could not be removed (${leftText(result.failed)}). ` +
        `Launch ${launchId} is not destroyed; run tandem destroy ${launchId} again.`,
      ...scheduledKeyNotes(result.deleted),
    ];
  }
  if (result.deleted.length === 0 && alreadyGone.length === 0) return [`Launch ${launchId} had nothing left to remove.`];
  if (result.deleted.length === 0) {
    return [`Removed nothing of launch ${launchId}: all ${alreadyGone.length} of its recorded resources were already gone (not found: removed outside tandem or by an earlier run).`];
  }
  const found = Math.max(0, result.deleted.length + alreadyGone.length - start.recorded);
  const byTag = found > 0 ? ` (${found} found by its tag, made by create calls the launch never saw answered)` : '';
  return [`${removedCount(result.deleted, ` of launch ${launchId}`)}${byTag}${goneClause(alreadyGone)}.`, ...scheduledKeyNotes(result.deleted)];
}
