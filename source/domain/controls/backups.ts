// Backups of the root volume (docs/design.md section 1): a first EBS snapshot once the instance
// runs, and, when asked for, an AWS Backup vault, a daily plan with a stated retention, a selection
// that assigns this launch's root volume to it, and the role AWS Backup uses. It shares the storage
// screen's panel; the choices are the spec's `backup` field (a profile line), with safe defaults.
//
// The defaults, and why: the first snapshot is on. It costs cents a month for a fresh root volume,
// gives the volume a restore point from the start (Prowler ec2_ebs_volume_snapshots_exists, high),
// and `tandem destroy` deletes it with everything else. The backup plan is one choice away
// (backup: {plan: true}): the recovery points AWS Backup makes are backups, which tandem does not
// delete, so they outlive `tandem destroy` and are billed until their retention ends; a default
// launch stays one that destroy removes completely. With the plan off, its checkers' failures are
// predicted and raised as a finding.
//
// How the selection covers the volume: Resources `arn:<partition>:ec2:*:*:volume/*` narrowed by
// the condition aws:ResourceTag/tandem:launch-id = this launch. The volume carries that tag from
// RunInstances, so AWS Backup picks this launch's volumes and no other, and the selection exists
// before the instance does. Prowler ec2_ebs_volume_protected_by_backup_plan counts a volume as
// protected when a selection's Resources hold its ARN, that volume wildcard, or "*" (it does not
// read tags or conditions), so the wildcard is also what makes it pass on AWS.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import {checkov, hub, prowler} from './control.js';
import type {CheckerFacts} from '../checker-facts.js';
import {passIf} from '../checker-rules.js';
import {resourcesOfType} from '../checker-template.js';
import type {Checker} from '../checker-kit.js';
import {booleanRule, show, type FieldRules} from '../field-rules.js';
import {partitionOf} from '../partition.js';
import {INSTANCE_ID, PLAN_STEP} from '../plan-ids.js';
import {LAUNCH_ID, LAUNCH_ID_TAG, tagList, tagMap, tagSpecifications} from '../plan-tags.js';
import type {PlanStep} from '../plan-types.js';
import type {BackupSpec, LaunchSpec} from '../spec.js';
import {isEncrypted} from './storage.js';

/** What a spec without a `backup` field (or part of one) means; the top of this file says why. */
export const BACKUP_DEFAULTS: Readonly<BackupSpec> = {plan: false, retentionDays: 7, firstSnapshot: true};
/** AWS Backup keeps a recovery point at least a day; 100 years is its upper bound. */
const RETENTION_LIMITS = [1, 36500] as const;

export const backupOf = (spec: Pick<LaunchSpec, 'backup'>): BackupSpec => ({...BACKUP_DEFAULTS, ...spec.backup});
/** True when the launch assigns its root volume to an AWS Backup plan. */
export const hasBackupPlan = (spec: Pick<LaunchSpec, 'backup'>): boolean => backupOf(spec).plan;
/** True when the launch snapshots its root volume once the instance runs. */
export const takesFirstSnapshot = (spec: Pick<LaunchSpec, 'backup'>): boolean => backupOf(spec).firstSnapshot;

/**
 * The storage screen's backup list: the two switches as one choice. The values differ from the
 * encryption options that share the screen's panel.
 */
export const BACKUP_CHOICES = ['backup-snapshot', 'backup-snapshot-plan', 'backup-plan', 'backup-none'] as const;
export type BackupChoice = (typeof BACKUP_CHOICES)[number];

export function backupChoice(spec: Pick<LaunchSpec, 'backup'>): BackupChoice {
  const {plan, firstSnapshot} = backupOf(spec);
  if (plan) return firstSnapshot ? 'backup-snapshot-plan' : 'backup-plan';
  return firstSnapshot ? 'backup-snapshot' : 'backup-none';
}

/** A copy of `spec` with part of its backups changed (the rest as the spec or the defaults have it). */
export function withBackup(spec: LaunchSpec, patch: Partial<BackupSpec>): LaunchSpec {
  return {...spec, backup: {...backupOf(spec), ...patch}};
}

export function withBackupChoice(spec: LaunchSpec, choice: BackupChoice): LaunchSpec {
  return withBackup(spec, {plan: choice === 'backup-plan' || choice === 'backup-snapshot-plan', firstSnapshot: choice !== 'backup-plan' && choice !== 'backup-none'});
}

/** Daily at 05:00 UTC, as AWS Backup's cron expressions write it. */
export const BACKUP_SCHEDULE = 'cron(0 5 ? * * *)';
/** The AWS managed policy that lets AWS Backup snapshot EBS volumes (and nothing outside backup). */
export const BACKUP_POLICY_NAME = 'AWSBackupServiceRolePolicyForBackup';
export const backupPolicyArn = (region: string): string => `arn:${partitionOf(region)}:iam::aws:policy/service-role/${BACKUP_POLICY_NAME}`;
/** Every EBS volume, as AWS Backup and Prowler write it; the tag condition narrows it to this launch. */
export const volumeWildcard = (region: string): string => `arn:${partitionOf(region)}:ec2:*:*:volume/*`;
export const LAUNCH_TAG_CONDITION = `aws:ResourceTag/${LAUNCH_ID_TAG}`;
export const SELECTION_NAME = 'root-volume';

/** Vault and plan names allow letters, digits, - and _ (vaults 2–50 characters). */
const safeName = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 40);
export const backupVaultName = (spec: LaunchSpec): string => `tandem-${safeName(spec.instance.name)}`;
export const backupPlanName = (spec: LaunchSpec): string => `tandem-${safeName(spec.instance.name)}-daily`;
export const backupRoleName = (spec: LaunchSpec): string => `tandem-backup-${safeName(spec.instance.name)}`;

/**
 * Only AWS Backup may assume the role. No aws:SourceAccount condition: AWS Backup's documentation
 * does not say it sets that key when it assumes a selection's role, and a condition it does not
 * meet would silently stop every backup (Prowler's confused-deputy check is predicted instead).
 */
export function backupTrustPolicy(): string {
  return JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'backup.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
}

export const BACKUP_STEP = {
  vault: 'backup-vault',
  plan: 'backup-plan',
  role: 'backup-role',
  rolePolicy: 'backup-role-policy',
  selection: 'backup-selection',
  volume: 'root-volume-read',
  snapshot: 'root-snapshot',
} as const;

const CONTROLS: PlanStep['controls'] = ['volume-backup'];

/** The vault, the plan and its daily rule. */
function vaultAndPlan(spec: LaunchSpec): PlanStep[] {
  const {retentionDays} = backupOf(spec);
  return [
    {
      id: BACKUP_STEP.vault,
      service: 'backup',
      action: 'CreateBackupVault',
      params: {BackupVaultName: backupVaultName(spec), BackupVaultTags: tagMap(spec, backupVaultName(spec))},
      creates: ['backup-vault'],
      dependsOn: [],
      controls: CONTROLS,
      dryRunnable: false,
      summary: `Create backup vault ${backupVaultName(spec)} (encrypted with AWS Backup's default key)`,
    },
    {
      id: BACKUP_STEP.plan,
      service: 'backup',
      action: 'CreateBackupPlan',
      params: {
        BackupPlan: {
          BackupPlanName: backupPlanName(spec),
          Rules: [
            {
              RuleName: 'daily',
              TargetBackupVaultName: {ref: BACKUP_STEP.vault, output: 'BackupVaultName'},
              ScheduleExpression: BACKUP_SCHEDULE,
              StartWindowMinutes: 60,
              CompletionWindowMinutes: 360,
              Lifecycle: {DeleteAfterDays: retentionDays},
            },
          ],
        },
        BackupPlanTags: tagMap(spec, backupPlanName(spec)),
      },
      creates: ['backup-plan'],
      dependsOn: [BACKUP_STEP.vault],
      controls: CONTROLS,
      dryRunnable: false,
      summary: `Create backup plan ${backupPlanName(spec)}: daily at 05:00 UTC, each recovery point kept ${retentionDays} day(s)`,
    },
  ];
}

/** The role AWS Backup assumes, with AWS's managed policy for taking backups. */
function backupRole(spec: LaunchSpec): PlanStep[] {
  return [
    {
      id: BACKUP_STEP.role,
      service: 'iam',
      action: 'CreateRole',
      params: {
        RoleName: backupRoleName(spec),
        AssumeRolePolicyDocument: backupTrustPolicy(),
        Description: `Lets AWS Backup back up the root volume of ${spec.instance.name}, created by tandem`,
        Tags: tagList(spec, backupRoleName(spec)),
      },
      creates: ['iam-role'],
      dependsOn: [],
      controls: CONTROLS,
      dryRunnable: false,
      summary: `Create IAM role ${backupRoleName(spec)} that only AWS Backup can assume`,
    },
    {
      id: BACKUP_STEP.rolePolicy,
      service: 'iam',
      action: 'AttachRolePolicy',
      params: {RoleName: {ref: BACKUP_STEP.role, output: 'Role.RoleName'}, PolicyArn: backupPolicyArn(spec.region)},
      creates: [],
      dependsOn: [BACKUP_STEP.role],
      controls: CONTROLS,
      dryRunnable: false,
      summary: `Attach the AWS managed policy ${BACKUP_POLICY_NAME} to the backup role`,
    },
  ];
}

/** The selection: EBS volumes carrying this launch's id tag, i.e. its root volume. */
function selection(spec: LaunchSpec): PlanStep {
  return {
    id: BACKUP_STEP.selection,
    service: 'backup',
    action: 'CreateBackupSelection',
    params: {
      BackupPlanId: {ref: BACKUP_STEP.plan, output: 'BackupPlanId'},
      BackupSelection: {
        SelectionName: SELECTION_NAME,
        IamRoleArn: {ref: BACKUP_STEP.role, output: 'Role.Arn'},
        Resources: [volumeWildcard(spec.region)],
        Conditions: {StringEquals: [{ConditionKey: LAUNCH_TAG_CONDITION, ConditionValue: LAUNCH_ID}]},
      },
    },
    creates: ['backup-selection'],
    dependsOn: [BACKUP_STEP.plan, BACKUP_STEP.role, BACKUP_STEP.rolePolicy],
    controls: CONTROLS,
    dryRunnable: false,
    summary: `Assign this launch's root volume (EBS volumes tagged with its launch id) to the plan`,
  };
}

/** The first snapshot, taken once the instance runs: the volume has a restore point from the start. */
function firstSnapshot(spec: LaunchSpec): PlanStep[] {
  return [
    {
      id: BACKUP_STEP.volume,
      service: 'ec2',
      action: 'DescribeVolumes',
      params: {Filters: [{Name: 'attachment.instance-id', Values: [INSTANCE_ID]}]},
      creates: [],
      dependsOn: [PLAN_STEP.waitRunning],
      controls: CONTROLS,
      dryRunnable: true,
      summary: 'Find the root volume of the running instance',
    },
    {
      id: BACKUP_STEP.snapshot,
      service: 'ec2',
      action: 'CreateSnapshot',
      params: {
        VolumeId: {ref: BACKUP_STEP.volume, output: 'Volumes.0.VolumeId'},
        Description: `First snapshot of the root volume of ${spec.instance.name}, taken at launch by tandem`,
        TagSpecifications: tagSpecifications(spec, [{type: 'snapshot', name: `${spec.instance.name}-root-first`}]),
      },
      creates: ['ebs-snapshot'],
      dependsOn: [BACKUP_STEP.volume],
      controls: CONTROLS,
      dryRunnable: true,
      summary: 'Take a first snapshot of the root volume',
    },
  ];
}

export function backupSteps(spec: LaunchSpec): PlanStep[] {
  const plan = hasBackupPlan(spec) ? [...vaultAndPlan(spec), ...backupRole(spec), selection(spec)] : [];
  return [...plan, ...(takesFirstSnapshot(spec) ? firstSnapshot(spec) : [])];
}

// ---------------------------------------------------------------------------------------------
// Checkers

/** Each attached volume: assigned to a backup plan (as Prowler reads selections), and with a snapshot. */
const perVolume = (judge: (volume: NonNullable<CheckerFacts['volumeBackups']>[number]) => boolean) => (facts: CheckerFacts) =>
  facts.volumeBackups?.map((volume) => ({resource: volume.id, verdict: passIf(judge(volume))}));

const checkers: Checker[] = [
  {
    // Config rule ebs-resources-protected-by-backup-plan: a volume no backup plan covers is NON_COMPLIANT.
    tool: 'Security Hub',
    id: 'EC2.28',
    group: 'volume-backup-plan',
    row: 'volume-backup',
    evaluates: 'live',
    severity: 'low',
    standards: ['FSBP', 'NIST 800-53'],
    title: 'EBS volumes should be covered by a backup plan',
    resourceType: 'AWS::EC2::Volume',
    rule: 'Fails a volume that no AWS Backup plan covers.',
    verdicts: perVolume((volume) => volume.inBackupPlan),
  },
  {
    // ec2_ebs_volume_protected_by_backup_plan.py: PASS when a selection's Resources hold the
    // volume's ARN, arn:<partition>:ec2:*:*:volume/* or "*" (tags and conditions are not read).
    tool: 'Prowler',
    id: 'ec2_ebs_volume_protected_by_backup_plan',
    group: 'volume-backup-plan',
    row: 'volume-backup',
    evaluates: 'live',
    severity: 'medium',
    title: 'EBS volume is protected by a backup plan',
    resourceType: 'AWS::EC2::Volume',
    rule: "Fails a volume whose ARN (or the every-volume wildcard, or *) is in no backup selection's Resources.",
    verdicts: perVolume((volume) => volume.inBackupPlan),
  },
  {
    // ec2_ebs_volume_snapshots_exists.py: PASS when any snapshot owned by the account names the volume.
    tool: 'Prowler',
    id: 'ec2_ebs_volume_snapshots_exists',
    group: 'volume-snapshot',
    row: 'volume-backup',
    evaluates: 'live',
    severity: 'high',
    title: 'EBS volume has at least one snapshot',
    resourceType: 'AWS::EC2::Volume',
    rule: 'Fails a volume that no snapshot of this account was taken from.',
    verdicts: perVolume((volume) => volume.snapshot),
  },
  {
    // ec2_ebs_snapshots_encrypted.py: FAIL for every snapshot of the account that is not encrypted.
    tool: 'Prowler',
    id: 'ec2_ebs_snapshots_encrypted',
    group: 'snapshot-encryption',
    row: 'volume-backup',
    evaluates: 'live',
    severity: 'high',
    title: 'EBS snapshot is encrypted',
    resourceType: 'AWS::EC2::Snapshot',
    rule: "Fails a snapshot that is not encrypted; a snapshot keeps its volume's encryption, so an unencrypted volume's snapshot fails.",
    verdicts: (facts) => facts.snapshots?.map((snapshot) => ({resource: snapshot.id, verdict: passIf(snapshot.encrypted)})),
  },
  {
    // BackupVaultEncrypted.py: Properties/EncryptionKeyArn must be set on an AWS::Backup::BackupVault.
    tool: 'Checkov',
    id: 'CKV_AWS_166',
    severity: 'unrated',
    group: 'backup-vault-key',
    row: 'volume-backup',
    evaluates: 'template',
    title: 'Ensure Backup Vault is encrypted at rest using KMS CMK',
    resourceType: 'AWS::Backup::BackupVault',
    rule: 'Fails a vault in the template without EncryptionKeyArn.',
    verdicts: (template) => resourcesOfType(template, 'AWS::Backup::BackupVault').map((vault) => ({resource: vault.name, verdict: passIf(vault.properties.EncryptionKeyArn !== undefined)})),
  },
];

/**
 * AWS Backup's role as the confused-deputy check reads it. Its trust policy names backup.amazonaws.com
 * with no aws:SourceAccount condition: AWS Backup documents none for its service role, so a condition
 * could only stop the backups (Prowler's own tracker lists Backup among the services the check
 * misjudges), and only this account, through iam:PassRole, can hand the role to a plan.
 */
export function predictedBackupRoles(spec: LaunchSpec): NonNullable<CheckerFacts['serviceRoles']> {
  return hasBackupPlan(spec) ? [{name: backupRoleName(spec), trust: JSON.parse(backupTrustPolicy()) as unknown}] : [];
}

/** The first snapshot as the checkers will see it: as encrypted as the volume it is taken from. */
export function predictedSnapshotFact(spec: LaunchSpec): NonNullable<CheckerFacts['snapshots']> {
  return takesFirstSnapshot(spec) ? [{id: 'first snapshot', encrypted: isEncrypted(spec.storage)}] : [];
}

/** The root volume as the checkers will see it: in a plan and snapshotted as the spec asks. */
export function predictedBackupFact(spec: LaunchSpec): NonNullable<CheckerFacts['volumeBackups']> {
  return [{id: 'root volume', inBackupPlan: hasBackupPlan(spec), snapshot: takesFirstSnapshot(spec)}];
}

/**
 * Whether a backup selection (as GetBackupSelection answers it) names a volume in Prowler's sense:
 * the volume's ARN (any account: verification does not need to know it), the every-volume wildcard
 * of its partition, or "*" in Resources.
 */
export function selectionNamesVolume(resources: readonly string[], volume: {partition: string; region: string; volumeId: string}): boolean {
  const arn = new RegExp(`^arn:${volume.partition}:ec2:${volume.region}:\\d{12}:volume/${volume.volumeId}$`);
  return resources.some((resource) => resource === '*' || resource === `arn:${volume.partition}:ec2:*:*:volume/*` || arn.test(resource));
}

// ---------------------------------------------------------------------------------------------
// Panel, validation

/** Prices AWS publishes for us-east-1 (other regions differ), per GB-month of data stored. */
export const BACKUP_PRICES =
  'EBS snapshots cost $0.05 per GB-month (standard tier) and AWS Backup recovery points of EBS volumes $0.05 per GB-month (warm storage), in us-east-1 as AWS publishes them; both charge only for the blocks stored, and each snapshot after the first only for the blocks that changed. The vault, plan and selection cost nothing.';

/** BACKUP_PRICES in a few words, for the panel card. */
const BACKUP_PRICE = '$0.05/GB-month stored (us-east-1)';

function panel(_option: string | undefined, spec: LaunchSpec): PanelEdits {
  const {plan, retentionDays, firstSnapshot} = backupOf(spec);
  // The card says what the choice costs; the notes (?) give the prices in full.
  const customer = plan
    ? `Daily backups at 05:00 UTC kept ${retentionDays} day(s)${firstSnapshot ? ', and a first snapshot' : ''}, ${BACKUP_PRICE}; they outlive destroy. Testing restores is yours.`
    : firstSnapshot
      ? `A first snapshot at launch, ${BACKUP_PRICE}; destroy deletes it. No backup plan: choose one in the wizard or with backup: {plan: true}.`
      : 'No snapshot and no backup plan: nothing copies this volume. Choose one in the wizard, or backup: {plan: true} or firstSnapshot: true in a profile.';
  const verify = plan
    ? 'GetBackupSelection shows the root volume assigned to the plan; DescribeSnapshots shows its snapshot.'
    : "Security Hub EC2.28 and Prowler's backup-plan check are expected to fail on the root volume; its snapshot is read back.";
  return {'volume-backup': {customer, verify, addCompliance: [BACKUP_PRICES]}};
}

const FINDING_IDS = ['no-backup-plan', 'no-first-snapshot', 'snapshot-unencrypted', 'backup-vault-default-key', 'backup-role-trust-unscoped'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  if (!hasBackupPlan(spec))
    drafts.push({
      id: 'no-backup-plan',
      severity: 'medium',
      title: 'Root volume in no backup plan',
      explanation: `No AWS Backup plan covers the root volume, so nothing copies it on a schedule: Security Hub EC2.28 (low) and Prowler ec2_ebs_volume_protected_by_backup_plan (medium) fail it. Add backup: {plan: true} to the profile for a daily plan; its recovery points are kept after tandem destroy until their retention ends. ${BACKUP_PRICES}`,
      control: 'volume-backup',
      checkers: [hub('EC2.28'), prowler('ec2_ebs_volume_protected_by_backup_plan')],
    });
  if (hasBackupPlan(spec))
    drafts.push({
      id: 'backup-vault-default-key',
      severity: 'low',
      title: "Backup vault uses AWS Backup's own key",
      explanation:
        "The vault is encrypted with AWS Backup's AWS managed key, not a customer key, so checkov CKV_AWS_166 fails it. For EBS the vault key does not protect the data: each recovery point is an EBS snapshot that keeps the volume's own encryption (the storage key you chose).",
      control: 'volume-backup',
      checkers: [checkov('CKV_AWS_166')],
    });
  if (hasBackupPlan(spec))
    drafts.push({
      id: 'backup-role-trust-unscoped',
      severity: 'low',
      title: "AWS Backup's role trusts the service without a source condition",
      explanation: `Prowler iam_role_cross_service_confused_deputy_prevention (high) fails ${backupRoleName(spec)}: its trust policy lets backup.amazonaws.com assume it with no aws:SourceAccount condition. AWS Backup documents no such condition for the role a plan uses, so adding one could only stop the backups; only this account, through iam:PassRole, can give the role to a plan.`,
      control: 'volume-backup',
      checkers: [prowler('iam_role_cross_service_confused_deputy_prevention')],
    });
  if (!takesFirstSnapshot(spec))
    drafts.push({
      id: 'no-first-snapshot',
      severity: 'high',
      title: 'Root volume without a snapshot',
      explanation:
        'backup.firstSnapshot is off, so the volume starts with no snapshot to restore from: Prowler ec2_ebs_volume_snapshots_exists (high) fails it. Turn it back on, or let a backup plan take the first one at its next window.',
      control: 'volume-backup',
      checkers: [prowler('ec2_ebs_volume_snapshots_exists')],
    });
  if (takesFirstSnapshot(spec) && !isEncrypted(spec.storage))
    drafts.push({
      id: 'snapshot-unencrypted',
      severity: 'high',
      title: 'First snapshot not encrypted',
      explanation:
        "A snapshot keeps its volume's encryption, so the first snapshot of this unencrypted root volume is unencrypted too: Prowler ec2_ebs_snapshots_encrypted (high) fails it. Encrypt the volume on the storage step and the snapshot follows.",
      control: 'volume-backup',
      checkers: [prowler('ec2_ebs_snapshots_encrypted')],
    });
  return drafts;
}

function retentionProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const [min, max] = RETENTION_LIMITS;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `Backup retention ${show(value)} must be a whole number of days from ${min} to ${max}, like 7.`;
}

const rules: FieldRules = {
  'backup.plan': (value, spec) => (value === undefined ? undefined : booleanRule('Backup plan')(value, spec)),
  'backup.retentionDays': retentionProblem,
  'backup.firstSnapshot': (value, spec) => (value === undefined ? undefined : booleanRule('First snapshot')(value, spec)),
};

export const backupsControl: ControlModule<(typeof FINDING_IDS)[number], 'volume-backup', 'storage'> = {
  step: 'storage',
  rules,
  catalog: [
    {
      id: 'volume-backup',
      step: 'storage',
      title: 'Root volume backups',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: 'Runs AWS Backup and EBS snapshots, and stores every copy redundantly across the Availability Zones of the region.',
      customer: 'Choose what is backed up, how often and how long, pay for the storage, and test restores; nothing is backed up unless assigned to a plan.',
      verify: 'A backup selection assigns the root volume to a plan (GetBackupSelection), and the volume has a snapshot (DescribeSnapshots).',
      checkerRows: ['volume-backup'],
      compliance: [
        'tandem destroy deletes the first snapshot, the selection and the plan, but not the recovery points AWS Backup made: the vault stays until they expire at the end of their retention or you delete them.',
      ],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  planSteps: (spec) => backupSteps(spec),
  // After every other module's steps: the snapshot waits for the running instance anyway.
  planOrder: 90,
  checkers,
};
