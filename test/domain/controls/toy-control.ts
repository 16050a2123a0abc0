// A control that exists only in tests: a backup plan on the storage screen, with its own finding,
// panel text, plan step and checker. adding-a-control.test.ts registers it to show a new module
// reaches every reader of the registry with no other edit.
import type {CatalogEntry, ControlModule} from '../../../source/domain/controls/control.js';
import type {PlanStep} from '../../../source/domain/plan-types.js';

const entry: CatalogEntry<'toy-backup-plan', 'storage'> = {
  id: 'toy-backup-plan',
  step: 'storage',
  title: 'Backup plan',
  owner: 'Customer',
  kind: 'customer-specific',
  aws: 'Runs the backup service.',
  customer: 'Decide what to back up and for how long.',
  verify: 'A backup plan covers the instance.',
  compliance: [],
  checkerRows: ['toy-backup-plan'],
};

const step = (subnetStep: string): PlanStep => ({
  id: 'toy-backup-vault',
  service: 'ec2',
  action: 'CreateToyBackupVault',
  params: {Name: 'toy'},
  creates: [],
  dependsOn: [subnetStep],
  controls: ['toy-backup-plan' as PlanStep['controls'][number]],
  dryRunnable: false,
  summary: 'Create a backup vault (toy)',
});

const module: ControlModule<'toy-no-backup', 'toy-backup-plan', 'storage'> = {
  step: 'storage',
  catalog: [entry],
  findingIds: ['toy-no-backup'],
  panel: (option) => ({['toy-backup-plan' as never]: {customer: `Back up what "${option ?? 'nothing'}" stores.`}}),
  findings: () => [
    {
      id: 'toy-no-backup',
      severity: 'low',
      title: 'No backup plan',
      explanation: 'Nothing backs the volume up.',
      control: 'toy-backup-plan' as never,
      checkers: [{tool: 'Prowler', id: 'toy_backup_plan'}],
    },
  ],
  planSteps: (_spec, {network}) => [step(network.subnetStep)],
  // Between the storage module's key (50) and the security group (60).
  planOrder: 55,
  checkers: [
    {
      tool: 'Prowler',
      id: 'toy_backup_plan',
      // Higher than the finding's own 'low': the finding takes the tool's severity.
      severity: 'medium',
      title: 'A backup plan covers the instance',
      resourceType: 'AWS::Backup::BackupPlan',
      rule: 'Fails when no backup plan covers the instance.',
      group: 'toy-backup',
      row: 'toy-backup-plan' as never,
      evaluates: 'template',
      verdicts: () => [],
    },
  ],
};

/** Typed as a registered module: the toy's ids are not in the product's unions, by design. */
export const toyControl = module as unknown as ControlModule;
