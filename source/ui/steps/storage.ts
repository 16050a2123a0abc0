import {AWS_MANAGED_KEY, createsKey, ebsDefaultNote, existingKeyOf, kmsAliasOf, namesOtherServiceKey, NEW_KEY, storageChoice} from '../../domain/controls/storage.js';
import {backupChoice, backupOf, BACKUP_CHOICES, hasBackupPlan, withBackup, withBackupChoice, type BackupChoice} from '../../domain/controls/backups.js';
import {withName} from '../../domain/preflight.js';
import type {DiscoveredKey, KmsKeyDetails} from '../../domain/cloud.js';
import {cell} from '../../domain/safe-text.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {StepScreen} from '../fields.js';
import {keyDetailsKey, keyRow} from '../key-details.js';
import {existingPicker, searchText} from './existing-picker.js';
import {choiceField, textField} from './factories.js';

const storage = (spec: LaunchSpec, patch: Partial<LaunchSpec['storage']>): LaunchSpec => ({...spec, storage: {...spec.storage, ...patch}});

export const storageStep: StepScreen = {
  id: 'storage',
  intro: 'The root volume. AWS provides encryption; switching it on and choosing the key is yours.',
  fields: [
    choiceField({
      id: 'storage.encryption',
      path: 'storage.kmsKey',
      label: 'Encryption',
      panel: true,
      source: () => ({
        key: 'ebs-default',
        what: 'account default encryption',
        load: (d) => d.ebsDefaultEncryption(),
        describe: (data) => ebsDefaultNote(data as {enabled: boolean; kmsKeyId?: string}),
      }),
      choices: [
        [AWS_MANAGED_KEY, 'on, AWS managed key aws/ebs'],
        [NEW_KEY, 'on, new customer key (rotates yearly)'],
        ['existing', 'on, an existing key…'],
        ['off', 'off'],
      ],
      get: storageChoice,
      set: (spec, value) => {
        if (value === 'off') return storage(spec, {encrypted: false});
        if (value === 'existing') return storage(spec, {encrypted: true, kmsKey: ''});
        return storage(spec, {encrypted: true, kmsKey: value});
      },
    }),
    ...existingPicker<DiscoveredKey>({
      id: 'storage.kmsKey',
      label: 'KMS key',
      path: 'storage.kmsKey',
      required: 'type a key alias, id or ARN, e.g. alias/web-volumes',
      placeholder: 'alias/…',
      shown: (spec) => storageChoice(spec) === 'existing',
      request: () => ({key: 'kms-keys', what: 'KMS keys', load: (d, onPage) => d.kmsKeys(onPage)}),
      noun: 'KMS keys',
      // State and rotation cost two calls per key: read only for the key under the cursor.
      details: (spec) => {
        const id = existingKeyOf(spec.storage);
        if (!id || namesOtherServiceKey(id)) return undefined;
        return {key: keyDetailsKey(id), what: 'key details', load: async (d) => (await d.kmsKeyDetails([id]))[0]};
      },
      toOption: (key, context) => {
        const value = key.aliases[0] ?? key.id;
        const details = context.discovery[keyDetailsKey(value)];
        return {value, label: cell(value), search: searchText(key.id, key.aliases.slice(1)), ...keyRow(key, details?.status === 'ready' ? (details.data as KmsKeyDetails) : undefined)};
      },
      get: (spec) => spec.storage.kmsKey,
      set: (spec, value) => storage(spec, {kmsKey: value}),
    }),
    textField({
      path: 'storage.kmsAlias',
      label: 'Key alias',
      required: 'give the new key an alias, e.g. alias/web-ebs',
      visible: (spec) => createsKey(spec.storage),
      get: kmsAliasOf,
      set: (spec, value) => withName(spec, 'storage.kmsAlias', String(value).trim()),
    }),
    textField({
      path: 'storage.sizeGiB',
      label: 'Size (GiB)',
      required: 'type the root volume size in GiB, e.g. 8',
      set: (spec, value) => storage(spec, {sizeGiB: value as number}),
      parse: (raw) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw.trim()),
    }),
    choiceField({
      path: 'storage.type',
      label: 'Volume type',
      choices: [
        ['gp3', 'gp3 (general purpose SSD)'],
        ['gp2', 'gp2 (older general purpose SSD)'],
        ['io2', 'io2 (provisioned IOPS SSD)'],
      ],
    }),
    // Backups (controls/backups.ts) share the screen: the two switches as one list, and the
    // plan's retention once there is a plan. Their card says what each choice costs.
    choiceField({
      id: 'backup',
      path: 'backup.plan',
      label: 'Backups',
      choices: [
        [BACKUP_CHOICES[0], 'a first snapshot at launch (destroy deletes it)'],
        [BACKUP_CHOICES[1], 'a first snapshot and a daily AWS Backup plan (its backups outlive destroy)'],
        [BACKUP_CHOICES[2], 'a daily AWS Backup plan only'],
        [BACKUP_CHOICES[3], 'none'],
      ],
      get: backupChoice,
      set: (spec, value) => withBackupChoice(spec, value as BackupChoice),
    }),
    textField({
      path: 'backup.retentionDays',
      label: 'Keep each backup (days)',
      required: 'type how many days AWS Backup keeps each backup, e.g. 7',
      visible: hasBackupPlan,
      get: (spec) => String(backupOf(spec).retentionDays),
      set: (spec, value) => withBackup(spec, {retentionDays: value as number}),
      parse: (raw) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw.trim()),
    }),
  ],
};
