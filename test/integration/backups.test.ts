// Backups of the root volume against the local endpoint, through the real SDK. moto 5.2.1 has AWS
// Backup vaults and plans but no backup selections (docs/design.md section 5): the fault proxy's
// double (test/support/backup-double.ts) answers CreateBackupSelection, GetBackupSelection,
// ListBackupSelections and DeleteBackupSelection with the AWS Backup API's own shapes, keeps what it
// made so the four agree, and refuses DeleteBackupPlan while a selection remains, as AWS does. The
// first test shows the gap in moto itself; the rest run against moto plus the double.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  ListBackupSelectionsCommand,
} from '@aws-sdk/client-backup';
import {DescribeSnapshotsCommand, DescribeVolumesCommand} from '@aws-sdk/client-ec2';
import {GetRoleCommand, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {collect, FAST, launchCleanly, tempDir} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

/** A cloud and independent clients for one fresh account, both through the proxy and its Backup double. */
async function account() {
  const settings = {...testSettings(), endpointUrl: proxy.endpoint};
  const cloud = await createCloud(settings, tempDir('tandem-home-'), FAST);
  return {cloud, check: await makeClients(settings)};
}

/** A public web server in a new VPC (moto's default VPC has no route to a gateway), with the backup plan on. */
function backedUpSpec(retentionDays = 14): LaunchSpec {
  const spec = defaultSpec();
  return {...spec, instance: {...spec.instance, name: 'backed-up'}, network: {vpc: 'new', subnet: 'public', publicIp: true}, backup: {plan: true, retentionDays, firstSnapshot: true}};
}

async function newPlan(check: AwsClients): Promise<string> {
  await check.backup.send(new CreateBackupVaultCommand({BackupVaultName: 'gap-vault'}));
  const plan = await check.backup.send(
    new CreateBackupPlanCommand({BackupPlan: {BackupPlanName: 'gap-plan', Rules: [{RuleName: 'daily', TargetBackupVaultName: 'gap-vault', ScheduleExpression: 'cron(0 5 ? * * *)'}]}}),
  );
  return plan.BackupPlanId!;
}

const SELECTION = {SelectionName: 'root-volume', IamRoleArn: 'arn:aws:iam::123456789012:role/backup', Resources: ['arn:aws:ec2:*:*:volume/*']};

describe('AWS Backup selections on the local endpoint', () => {
  it('moto alone has no backup selections: one "created" there cannot be read back', async () => {
    const direct = await makeClients(testSettings());
    const planId = await newPlan(direct);
    // moto routes the selection paths to its plan handler; whatever it answers, no selection exists after.
    const created = await direct.backup.send(new CreateBackupSelectionCommand({BackupPlanId: planId, BackupSelection: SELECTION})).catch((error: Error) => error);
    const selectionId = created instanceof Error ? 'none' : (created.SelectionId ?? 'none');
    const read = await direct.backup.send(new GetBackupSelectionCommand({BackupPlanId: planId, SelectionId: selectionId})).catch((error: Error) => error);
    expect(read instanceof Error || read.BackupSelection?.SelectionName !== 'root-volume').toBe(true);
  });

  it('the double creates, reads, lists and deletes a selection as AWS does, and keeps the plan while one remains', async () => {
    const {check} = await account();
    const planId = await newPlan(check);
    const created = await check.backup.send(new CreateBackupSelectionCommand({BackupPlanId: planId, BackupSelection: SELECTION, CreatorRequestId: 'once'}));
    expect(created).toMatchObject({BackupPlanId: planId, SelectionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown});
    expect(created.CreationDate).toBeInstanceOf(Date);
    // The same request again (a retry) answers with the same selection; another with the same name is refused.
    const retried = await check.backup.send(new CreateBackupSelectionCommand({BackupPlanId: planId, BackupSelection: SELECTION, CreatorRequestId: 'once'}));
    expect(retried.SelectionId).toBe(created.SelectionId);
    await expect(check.backup.send(new CreateBackupSelectionCommand({BackupPlanId: planId, BackupSelection: SELECTION}))).rejects.toMatchObject({name: 'AlreadyExistsException'});

    const got = await check.backup.send(new GetBackupSelectionCommand({BackupPlanId: planId, SelectionId: created.SelectionId}));
    expect(got).toMatchObject({BackupPlanId: planId, SelectionId: created.SelectionId, CreatorRequestId: 'once', BackupSelection: SELECTION});
    const listed = await check.backup.send(new ListBackupSelectionsCommand({BackupPlanId: planId}));
    expect(listed.BackupSelectionsList).toEqual([expect.objectContaining({SelectionId: created.SelectionId, SelectionName: 'root-volume', IamRoleArn: SELECTION.IamRoleArn})]);

    // AWS refuses to delete a plan that still has resources assigned (moto would delete it).
    await expect(check.backup.send(new DeleteBackupPlanCommand({BackupPlanId: planId}))).rejects.toMatchObject({name: 'InvalidRequestException'});
    await check.backup.send(new DeleteBackupSelectionCommand({BackupPlanId: planId, SelectionId: created.SelectionId}));
    await expect(check.backup.send(new GetBackupSelectionCommand({BackupPlanId: planId, SelectionId: created.SelectionId}))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect((await check.backup.send(new ListBackupSelectionsCommand({BackupPlanId: planId}))).BackupSelectionsList).toEqual([]);
    await check.backup.send(new DeleteBackupPlanCommand({BackupPlanId: planId}));
  });

  it('refuses a selection for a plan that does not exist, and one without a role', async () => {
    const {check} = await account();
    await expect(check.backup.send(new CreateBackupSelectionCommand({BackupPlanId: 'no-such-plan', BackupSelection: SELECTION}))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const planId = await newPlan(check);
    await expect(check.backup.send(new CreateBackupSelectionCommand({BackupPlanId: planId, BackupSelection: {...SELECTION, IamRoleArn: undefined}}))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
  });
});

describe('a launch with backups', () => {
  it('assigns the root volume to a daily plan, snapshots it, verifies both by independent reads, and destroy removes all of it', async () => {
    const {cloud, check} = await account();
    const spec = backedUpSpec(14);
    const {launchId, result} = await launchCleanly(cloud, spec);

    const record = cloud.journal.read(launchId);
    const of = (kind: string) => record.resources.find((resource) => resource.kind === kind)!;
    expect(record.resources.map((resource) => resource.kind)).toEqual(expect.arrayContaining(['backup-vault', 'backup-plan', 'backup-selection', 'ebs-snapshot']));

    // Independent reads: the selection names every volume, narrowed to this launch's tag, with the backup role.
    const volumes = await check.ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [record.resolved.instanceId!]}]}));
    const volume = volumes.Volumes![0];
    expect(volume.Tags).toEqual(expect.arrayContaining([{Key: 'tandem:launch-id', Value: launchId}]));
    const selection = await check.backup.send(new GetBackupSelectionCommand({BackupPlanId: of('backup-selection').extra!.planId, SelectionId: of('backup-selection').id}));
    expect(selection.BackupSelection).toMatchObject({
      Resources: ['arn:aws:ec2:*:*:volume/*'],
      Conditions: {StringEquals: [{ConditionKey: 'aws:ResourceTag/tandem:launch-id', ConditionValue: launchId}]},
    });
    const role = await check.iam.send(new GetRoleCommand({RoleName: 'tandem-backup-backed-up'}));
    expect(selection.BackupSelection?.IamRoleArn).toBe(role.Role?.Arn);
    expect(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')).toContain('backup.amazonaws.com');
    const attached = await check.iam.send(new ListAttachedRolePoliciesCommand({RoleName: 'tandem-backup-backed-up'}));
    expect(attached.AttachedPolicies?.map((policy) => policy.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup']);
    const plan = await check.backup.send(new GetBackupPlanCommand({BackupPlanId: of('backup-plan').id}));
    expect(plan.BackupPlan?.Rules?.[0]).toMatchObject({TargetBackupVaultName: 'tandem-backed-up', ScheduleExpression: 'cron(0 5 ? * * *)', Lifecycle: {DeleteAfterDays: 14}});
    const snapshots = await check.ec2.send(new DescribeSnapshotsCommand({OwnerIds: ['self'], Filters: [{Name: 'volume-id', Values: [volume.VolumeId!]}]}));
    expect(snapshots.Snapshots?.map((snapshot) => snapshot.SnapshotId)).toEqual([of('ebs-snapshot').id]);

    // tandem's own row and the checkers' verdicts on the volume.
    const row = result.verification?.find((item) => item.control === 'volume-backup');
    expect(row).toMatchObject({status: 'pass'});
    expect(row?.actual).toContain('kept 14 day(s)');
    const verdicts = Object.fromEntries((row?.checkerVerdicts ?? []).map((verdict) => [verdict.id, verdict.verdict]));
    // checkov reads the exported template: its vault has AWS Backup's own key (finding backup-vault-default-key).
    // The snapshot keeps the volume's encryption (ec2_ebs_snapshots_encrypted).
    expect(verdicts).toEqual({
      'EC2.28': 'pass',
      ec2_ebs_volume_protected_by_backup_plan: 'pass',
      ec2_ebs_volume_snapshots_exists: 'pass',
      ec2_ebs_snapshots_encrypted: 'pass',
      CKV_AWS_166: 'fail',
    });

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    // A deleted plan still answers GetBackupPlan, with its deletion date (AWS keeps deleted plan versions).
    expect((await check.backup.send(new GetBackupPlanCommand({BackupPlanId: of('backup-plan').id}))).DeletionDate).toBeInstanceOf(Date);
    await expect(check.backup.send(new DescribeBackupVaultCommand({BackupVaultName: 'tandem-backed-up'}))).rejects.toThrow();
    await expect(check.iam.send(new GetRoleCommand({RoleName: 'tandem-backup-backed-up'}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
    const left = await check.ec2.send(new DescribeSnapshotsCommand({OwnerIds: ['self'], Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId]}]}));
    expect(left.Snapshots).toEqual([]);
    expect(cloud.journal.read(launchId)).toMatchObject({status: 'destroyed', resources: []});
  });

  it('destroy keeps a vault that holds recovery points, says why, and leaves it in the journal for a later destroy', async () => {
    const {cloud, check} = await account();
    const spec = backedUpSpec(7);
    const launchId = newLaunchId();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => undefined});
    expect(result.status).toBe('launched');
    // A backup job ran meanwhile: AWS lists its recovery point in the vault (no job ever runs against moto).
    const point = {RecoveryPointArn: 'arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0', BackupVaultName: 'tandem-backed-up', ResourceType: 'EBS', Status: 'COMPLETED'};
    proxy.add({service: 'backup', action: 'ListRecoveryPointsByBackupVault', kind: 'answer', body: JSON.stringify({RecoveryPoints: [point]}), times: 1});
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([expect.objectContaining({resource: expect.objectContaining({kind: 'backup-vault'}) as unknown, code: 'VaultHoldsRecoveryPoints'})]);
    expect(destroyed.failed[0].message).toMatch(/still holds 1 recovery point.*expires at the end of its retention.*tandem destroy again/);
    expect(cloud.journal.read(launchId).resources.map((resource) => resource.kind)).toEqual(['backup-vault']);
    await check.backup.send(new DescribeBackupVaultCommand({BackupVaultName: 'tandem-backed-up'}));
    // Once the recovery points are gone, the next destroy removes the vault.
    const again = await cloud.destroy(launchId);
    expect(again.failed).toEqual([]);
    expect(cloud.journal.read(launchId)).toMatchObject({status: 'destroyed', resources: []});
  });

  it('rolls back the vault, plan, role and snapshot when the selection fails', async () => {
    const {cloud, check} = await account();
    const spec = backedUpSpec(7);
    const launchId = newLaunchId();
    proxy.add({service: 'backup', action: 'CreateBackupSelection', kind: 'error', code: 'InvalidParameterValueException', message: 'Invalid IAM role', times: 1});
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    expect(result.status).toBe('rolled-back');
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([expect.objectContaining({stepId: 'backup-selection', code: 'InvalidParameterValueException'})]);
    await expect(check.backup.send(new DescribeBackupVaultCommand({BackupVaultName: 'tandem-backed-up'}))).rejects.toThrow();
    await expect(check.iam.send(new GetRoleCommand({RoleName: 'tandem-backup-backed-up'}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
    const left = await check.ec2.send(new DescribeSnapshotsCommand({OwnerIds: ['self'], Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId]}]}));
    expect(left.Snapshots).toEqual([]);
  });

  it('by default takes only the first snapshot, which verification reads back and destroy deletes', async () => {
    const {cloud, check} = await account();
    const base = defaultSpec();
    const spec: LaunchSpec = {...base, network: {vpc: 'new', subnet: 'public', publicIp: true}};
    const launchId = newLaunchId();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => undefined});
    expect(result.status).toBe('launched');
    expect(cloud.journal.read(launchId).resources.some((resource) => resource.kind.startsWith('backup-'))).toBe(false);
    const row = result.verification?.find((item) => item.control === 'volume-backup');
    expect(row?.status).toBe('pass');
    const verdicts = Object.fromEntries((row?.checkerVerdicts ?? []).map((verdict) => [verdict.id, verdict.verdict]));
    expect(verdicts).toEqual({'EC2.28': 'fail', ec2_ebs_volume_protected_by_backup_plan: 'fail', ec2_ebs_volume_snapshots_exists: 'pass', ec2_ebs_snapshots_encrypted: 'pass'});
    await cloud.destroy(launchId);
    const left = await check.ec2.send(new DescribeSnapshotsCommand({OwnerIds: ['self'], Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId]}]}));
    expect(left.Snapshots).toEqual([]);
  });
});
