// Verification of the root volume's backups (controls/backups.ts), by calls independent of the
// launch's own: AWS Backup's selections and plans as GetBackupSelection and GetBackupPlan answer
// them, and the volume's snapshots as DescribeSnapshots lists them. The checkers' facts read every
// selection of the region, as Prowler does, so a plan someone else assigned the volume to counts.
import type {Snapshot, Volume} from '@aws-sdk/client-ec2';
import type {BackupSelection} from '@aws-sdk/client-backup';
import type {AwsClients} from './clients.js';
import type {CreatedResource} from '../domain/cloud.js';
import type {CheckerFacts} from '../domain/checker-facts.js';
import {backupOf, LAUNCH_TAG_CONDITION, selectionNamesVolume} from '../domain/controls/backups.js';
import {partitionOf} from '../domain/partition.js';
import {LAUNCH_ID_TAG} from '../domain/plan-tags.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {call} from './errors.js';
import type {Check, CheckOutcome} from './verify-checks.js';
import type {VerifyContext} from './verify-context.js';

/** Plans and selections listed at most this many pages deep: an account with more is not read whole. */
const MAX_PAGES = 20;

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** Every backup selection of the region (ListBackupPlans, ListBackupSelections, GetBackupSelection). */
async function allSelections(clients: AwsClients): Promise<BackupSelection[]> {
  const {ListBackupPlansCommand, ListBackupSelectionsCommand, GetBackupSelectionCommand} = await import('@aws-sdk/client-backup');
  const planIds: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await call('ListBackupPlans', () => clients.backup.send(new ListBackupPlansCommand({NextToken: token})));
    planIds.push(...(answer.BackupPlansList ?? []).flatMap((plan) => (plan.BackupPlanId ? [plan.BackupPlanId] : [])));
    token = answer.NextToken;
    if (!token) break;
  }
  const selections = await Promise.all(
    planIds.map(async (BackupPlanId) => {
      const listed = await call('ListBackupSelections', () => clients.backup.send(new ListBackupSelectionsCommand({BackupPlanId})));
      return Promise.all(
        (listed.BackupSelectionsList ?? []).map(async ({SelectionId}) => {
          const got = await call('GetBackupSelection', () => clients.backup.send(new GetBackupSelectionCommand({BackupPlanId, SelectionId})));
          return got.BackupSelection ?? {};
        }),
      );
    }),
  );
  return selections.flat() as BackupSelection[];
}

/** The snapshots this account took of a volume. */
async function snapshotsOf(clients: AwsClients, volumeId: string): Promise<Snapshot[]> {
  const {DescribeSnapshotsCommand} = await import('@aws-sdk/client-ec2');
  const answer = await call('DescribeSnapshots', () => clients.ec2.send(new DescribeSnapshotsCommand({OwnerIds: ['self'], Filters: [{Name: 'volume-id', Values: [volumeId]}]})));
  return answer.Snapshots ?? [];
}

/** tandem's own selection, read back (GetBackupSelection), and the retention of its plan's rule (GetBackupPlan). */
async function ownSelection(clients: AwsClients, made: CreatedResource | undefined): Promise<{selection?: BackupSelection; retention?: number}> {
  const planId = made?.extra?.planId;
  if (!made || !planId) return {};
  const {GetBackupSelectionCommand, GetBackupPlanCommand} = await import('@aws-sdk/client-backup');
  const got = await call('GetBackupSelection', () => clients.backup.send(new GetBackupSelectionCommand({BackupPlanId: planId, SelectionId: made.id})));
  const plan = await call('GetBackupPlan', () => clients.backup.send(new GetBackupPlanCommand({BackupPlanId: planId})));
  return {selection: got.BackupSelection, retention: plan.BackupPlan?.Rules?.[0]?.Lifecycle?.DeleteAfterDays};
}

/** The lookups verification shares: read once, used by the row and by the checkers' facts. */
export function backupLookups(clients: AwsClients, record: LaunchRecord) {
  const snapshots = new Map<string, Promise<Snapshot[]>>();
  return {
    backupSelections: once(() => allSelections(clients)),
    ownBackupSelection: once(() =>
      ownSelection(
        clients,
        record.resources.find((resource) => resource.kind === 'backup-selection'),
      ),
    ),
    snapshotsOf: (volumeId: string) => {
      if (!snapshots.has(volumeId)) snapshots.set(volumeId, snapshotsOf(clients, volumeId));
      return snapshots.get(volumeId)!;
    },
  };
}

const volumeTarget = (context: VerifyContext, volume: Volume) => ({partition: partitionOf(context.record.region), region: context.record.region, volumeId: volume.VolumeId ?? ''});

/** Each attached volume: does a selection of the region name it (Prowler's reading), has it a snapshot. */
export async function volumeBackupFacts(context: VerifyContext): Promise<CheckerFacts['volumeBackups']> {
  const [volumes, selections] = await Promise.all([context.volumes(), context.backupSelections()]);
  return Promise.all(
    volumes.map(async (volume) => ({
      id: volume.VolumeId ?? '?',
      inBackupPlan: selections.some((selection) => selectionNamesVolume(selection.Resources ?? [], volumeTarget(context, volume))),
      snapshot: (await context.snapshotsOf(volume.VolumeId ?? '')).length > 0,
    })),
  );
}

/** The snapshots of the attached volumes, as Prowler's snapshot checks read them. */
export async function snapshotFacts(context: VerifyContext): Promise<CheckerFacts['snapshots']> {
  const volumes = await context.volumes();
  const snapshots = (await Promise.all(volumes.map((volume) => context.snapshotsOf(volume.VolumeId ?? '')))).flat();
  return snapshots.map((snapshot) => ({id: snapshot.SnapshotId ?? '?', encrypted: Boolean(snapshot.Encrypted)}));
}

/** True when the selection's tag condition picks this volume (it carries the launch id it names). */
function conditionPicks(selection: BackupSelection, volume: Volume): boolean {
  const wanted = (selection.Conditions?.StringEquals ?? []).filter((condition) => condition.ConditionKey === LAUNCH_TAG_CONDITION);
  const tag = volume.Tags?.find((item) => item.Key === LAUNCH_ID_TAG)?.Value;
  return wanted.length > 0 && wanted.every((condition) => condition.ConditionValue === tag);
}

/** Whether the volumes' snapshots are as the spec asks: one at least, when a first snapshot was taken. */
async function snapshotParts(context: VerifyContext, volumes: Volume[]): Promise<{ok: boolean; parts: string[]}> {
  const counts = await Promise.all(volumes.map(async (volume) => [volume.VolumeId ?? '?', (await context.snapshotsOf(volume.VolumeId ?? '')).length] as const));
  return {ok: counts.every(([, count]) => count > 0), parts: counts.map(([id, count]) => `${id}: ${count} snapshot(s)`)};
}

/** Whether tandem's selection, read back, assigns every volume to a plan keeping the chosen days. */
async function planParts(context: VerifyContext, volumes: Volume[], retentionDays: number): Promise<{ok: boolean; parts: string[]}> {
  const {selection, retention} = await context.ownBackupSelection();
  if (!selection) return {ok: false, parts: ['no backup selection recorded or found']};
  const assigned = volumes.map((volume) => selectionNamesVolume(selection.Resources ?? [], volumeTarget(context, volume)) && conditionPicks(selection, volume));
  const parts = volumes.map((volume, index) => `${volume.VolumeId ?? '?'} ${assigned[index] ? 'assigned to the plan' : 'NOT assigned'}`);
  parts.push(retention === retentionDays ? `kept ${retention} day(s)` : `plan keeps recovery points ${retention ?? 'forever'} day(s)`);
  return {ok: assigned.every(Boolean) && retention === retentionDays, parts};
}

/** The row: a first snapshot exists, and tandem's selection assigns the root volume to a plan keeping the chosen days. */
export const checkVolumeBackup: Check = async (context): Promise<CheckOutcome> => {
  const {plan, retentionDays, firstSnapshot} = backupOf(context.spec);
  if (!plan && !firstSnapshot) {
    // Information only: a failed read here must not fail a launch that asked for no backups.
    const facts = await volumeBackupFacts(context).catch(() => undefined);
    const covered = facts?.some((volume) => volume.inBackupPlan || volume.snapshot);
    const actual = facts === undefined ? 'not read' : covered ? 'backed up by something other than this launch' : 'no backup plan or snapshot';
    return {expected: 'no backups (backup.plan and backup.firstSnapshot are off)', actual, status: 'info'};
  }
  const expected = [firstSnapshot ? 'the root volume has a snapshot' : '', plan ? `a selection assigns it to a daily plan keeping ${retentionDays} day(s)` : ''].filter(Boolean).join('; ');
  const volumes = await context.volumes();
  if (volumes.length === 0) return {expected, actual: 'no volumes attached', status: 'fail'};
  const results = await Promise.all([firstSnapshot ? snapshotParts(context, volumes) : undefined, plan ? planParts(context, volumes, retentionDays) : undefined]);
  const done = results.filter((result) => result !== undefined);
  return {expected, actual: done.flatMap((result) => result.parts).join('; '), status: done.every((result) => result.ok) ? 'pass' : 'fail'};
};
