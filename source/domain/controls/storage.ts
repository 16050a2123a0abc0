// Storage and its key: EBS encryption of the root volume and the KMS key that does it
// (docs/design.md section 1). Everything that asks "is the volume encrypted, and with which kind
// of key" asks this module; no other file compares storage.kmsKey with a key name.
//
// One meaning per key, as AWS documents it: `aws/ebs` and `alias/aws/ebs` (or that alias's ARN)
// both name the AWS managed key for EBS. AWS creates and rotates it; a customer cannot change its
// policy or its rotation. The plan then sends no KmsKeyId, so EBS uses the account's default EBS
// key, which is aws/ebs unless the account changed it (verification reports the key used). Any
// other alias/aws/… key is another service's AWS managed key, which EBS cannot use.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import type {CheckerFacts} from '../checker-facts.js';
import {passIf} from '../checker-rules.js';
import {literal, resourcesOfType} from '../checker-template.js';
import {one, type Checker} from '../checker-kit.js';
import {hub, prowler} from './control.js';
import type {PlanStep} from '../plan-types.js';
import {PLAN_STEP} from '../plan-ids.js';
import {kmsTagList} from '../plan-tags.js';
import type {ParamValue} from '../plan-types.js';
import {t} from '../safe-text.js';
import type {LaunchSpec, StorageSpec} from '../spec.js';
import {booleanRule, oneOf, show, type FieldRules} from '../field-rules.js';

/** The root volume types the wizard offers. */
export const VOLUME_TYPES = ['gp3', 'gp2', 'io2'] as const;

/** How the spec writes the AWS managed key, and the alias AWS gives it. */
export const AWS_MANAGED_KEY = 'aws/ebs';
export const AWS_MANAGED_ALIAS = 'alias/aws/ebs';
/** What the spec writes for a key tandem creates. */
export const NEW_KEY = 'new';

/** The kind of key a launch encrypts its volume with; 'none' when encryption is off. */
export type KeyKind = 'none' | 'aws-managed' | 'new' | 'customer';

type StorageKey = Pick<StorageSpec, 'encrypted' | 'kmsKey'>;

/** True for every spelling of the AWS managed EBS key: aws/ebs, alias/aws/ebs, and that alias's ARN. */
export function namesAwsManagedKey(key: string): boolean {
  return key === AWS_MANAGED_KEY || key === AWS_MANAGED_ALIAS || /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/aws\/ebs$/.test(key);
}

/** An AWS managed key of another service (alias/aws/s3, …): EBS cannot encrypt with it. */
export function namesOtherServiceKey(key: string): boolean {
  return !namesAwsManagedKey(key) && /(^|:)alias\/aws\//.test(key);
}

/** The one classifier of the storage key. */
export function keyKind(storage: StorageKey): KeyKind {
  if (!storage.encrypted) return 'none';
  if (storage.kmsKey === NEW_KEY) return 'new';
  return namesAwsManagedKey(storage.kmsKey) ? 'aws-managed' : 'customer';
}

export const isEncrypted = (storage: Pick<StorageSpec, 'encrypted'>): boolean => storage.encrypted;
export const isAwsManagedKey = (storage: StorageKey): boolean => keyKind(storage) === 'aws-managed';
export const createsKey = (storage: StorageKey): boolean => keyKind(storage) === 'new';
/** The customer key the spec names and tandem must find (an alias, id or ARN), if any. */
export const existingKeyOf = (storage: StorageKey): string | undefined => (keyKind(storage) === 'customer' ? storage.kmsKey : undefined);
/** A key whose rotation is the customer's to switch on, so verification expects it on. */
export const expectsRotation = (storage: StorageKey): boolean => keyKind(storage) === 'new' || keyKind(storage) === 'customer';

/** Root volume encryption as the storage screen lists it. */
export const STORAGE_CHOICES = [AWS_MANAGED_KEY, NEW_KEY, 'existing', 'off'] as const;
export type StorageChoice = (typeof STORAGE_CHOICES)[number];
const CHOICE_OF: Record<KeyKind, StorageChoice> = {none: 'off', 'aws-managed': AWS_MANAGED_KEY, new: NEW_KEY, customer: 'existing'};
export function storageChoice(spec: LaunchSpec): StorageChoice {
  return CHOICE_OF[keyKind(spec.storage)];
}

/** The key in a person's words, as reports name it; undefined when encryption is off. */
export function keyDescription(storage: StorageKey): string | undefined {
  switch (keyKind(storage)) {
    case 'none':
      return undefined;
    case 'new':
      return 'a new customer key (rotation on)';
    case 'aws-managed':
      return "the account's default EBS key (aws/ebs unless changed)";
    case 'customer':
      return storage.kmsKey;
  }
}

/** The key as the review's drawing labels it; undefined when encryption is off. */
export function keyLabel(storage: StorageKey): string | undefined {
  const kind = keyKind(storage);
  if (kind === 'none') return undefined;
  if (kind === 'new') return 'new customer key';
  return kind === 'aws-managed' ? AWS_MANAGED_KEY : storage.kmsKey;
}

/** The volume in one phrase, as the launch step's summary names it: "encrypted 8 GiB gp3". */
export function volumeText(storage: Pick<StorageSpec, 'encrypted' | 'sizeGiB' | 'type'>): string {
  return `${storage.encrypted ? 'encrypted' : 'unencrypted'} ${storage.sizeGiB} GiB ${storage.type}`;
}

/** Characters KMS accepts in an alias name. */
export function kmsAliasFor(instanceName: string): string {
  return `alias/tandem-${instanceName.replace(/[^a-zA-Z0-9/_-]/g, '-')}`;
}

/** The alias a new key gets: the spec's own, or one made from the instance name. */
export const kmsAliasOf = (spec: LaunchSpec): string => spec.storage.kmsAlias || kmsAliasFor(spec.instance.name);

/** The alias a launch creates, or undefined when it creates no key. */
export const createdKeyAlias = (spec: LaunchSpec): string | undefined => (createsKey(spec.storage) ? kmsAliasOf(spec) : undefined);

/** What DescribeKey should read to find the key that encrypts the volume (undefined: encryption off). */
export function keyToDescribe(storage: StorageKey, recorded?: string): string | undefined {
  if (!storage.encrypted) return undefined;
  if (recorded) return recorded;
  const kind = keyKind(storage);
  if (kind === 'aws-managed') return AWS_MANAGED_ALIAS;
  return kind === 'customer' ? storage.kmsKey : undefined;
}

// ---------------------------------------------------------------------------------------------
// Validation

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY_ID = `(?:${UUID}|mrk-[0-9a-f]{32})`;
const ALIAS_NAME = 'alias/[a-zA-Z0-9/_-]{1,250}';
const KMS_ARN_HEAD = 'arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:';
const KMS_KEY_PATTERNS = [new RegExp(`^${ALIAS_NAME}$`), new RegExp(`^${KEY_ID}$`), new RegExp(`^${KMS_ARN_HEAD}key/${KEY_ID}$`), new RegExp(`^${KMS_ARN_HEAD}${ALIAS_NAME}$`)];

/** The region a KMS key or alias ARN names, or undefined for an id or alias (those mean "this region"). */
export function kmsArnRegion(key: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
}

/** Why a KMS key ARN cannot encrypt a volume in `region` (EBS only uses a key of the volume's region). */
export function kmsRegionProblem(key: string, region: string): string | undefined {
  const keyRegion = kmsArnRegion(key);
  if (!keyRegion || keyRegion === region) return undefined;
  return t.text`KMS key ${t`${show(key)}`} is in ${keyRegion}, but this launch is in ${region}; EBS only encrypts with a key in the volume's own region, so choose a key in ${region} (a multi-Region key's replica there has its own ARN) or launch in ${keyRegion}.`;
}

export function kmsKeyProblem(value: unknown, spec: LaunchSpec): string | undefined {
  if (!spec.storage.encrypted) return undefined;
  if (value === NEW_KEY) return undefined;
  if (typeof value === 'string' && namesOtherServiceKey(value)) {
    return `KMS key ${show(value)} is the AWS managed key of another service; EBS can use only its own, aws/ebs, or a customer key.`;
  }
  if (typeof value === 'string' && (namesAwsManagedKey(value) || KMS_KEY_PATTERNS.some((pattern) => pattern.test(value)))) return kmsRegionProblem(value, spec.region);
  return `KMS key ${show(value)} is not recognised; expected 'aws/ebs', 'new', an alias like alias/my-key, a key id, or a key or alias ARN.`;
}

export function kmsAliasProblem(value: unknown, spec: LaunchSpec): string | undefined {
  if (value === undefined || !createsKey(spec.storage)) return undefined;
  if (typeof value !== 'string' || !/^alias\/[a-zA-Z0-9/_-]{1,250}$/.test(value)) {
    return `KMS alias ${show(value)} is not valid; write alias/ followed by letters, digits, / _ or -, like alias/web-ebs.`;
  }
  if (value.startsWith('alias/aws/')) return `KMS alias '${value}' starts with alias/aws/, which AWS keeps for its own keys; choose another name.`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Plan

const KMS_KEY_STEP = PLAN_STEP.kmsKey;

/** The KMS steps: read a named customer key, or create one with its alias and rotation. */
export function kmsSteps(spec: LaunchSpec): PlanStep[] {
  const {storage, instance} = spec;
  const kind = keyKind(storage);
  if (kind === 'none' || kind === 'aws-managed') return [];
  if (kind === 'customer') {
    // Resolving an alias or id up front fails fast on a missing or disabled key, instead of an
    // instance that starts and then stops when EBS cannot use the key.
    return [
      {
        id: KMS_KEY_STEP,
        service: 'kms',
        action: 'DescribeKey',
        params: {KeyId: storage.kmsKey},
        creates: [],
        dependsOn: [],
        controls: ['kms-key', 'ebs-encryption'],
        dryRunnable: false,
        summary: `Read KMS key ${storage.kmsKey} and resolve it to its ARN`,
      },
    ];
  }
  const alias = kmsAliasOf(spec);
  return [
    {
      id: KMS_KEY_STEP,
      service: 'kms',
      action: 'CreateKey',
      params: {
        Description: `EBS encryption key for ${instance.name}, created by tandem`,
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeySpec: 'SYMMETRIC_DEFAULT',
        Tags: kmsTagList(spec, `${instance.name}-ebs`),
      },
      creates: ['kms-key'],
      dependsOn: [],
      controls: ['kms-key', 'ebs-encryption'],
      dryRunnable: false,
      summary: 'Create a customer managed KMS key for the root volume',
    },
    {
      id: 'kms-alias',
      service: 'kms',
      action: 'CreateAlias',
      params: {AliasName: alias, TargetKeyId: {ref: KMS_KEY_STEP, output: 'KeyMetadata.KeyId'}},
      creates: ['kms-alias'],
      dependsOn: [KMS_KEY_STEP],
      controls: ['kms-key'],
      dryRunnable: false,
      summary: `Name the key ${alias}`,
    },
    {
      id: 'kms-rotation',
      service: 'kms',
      action: 'EnableKeyRotation',
      params: {KeyId: {ref: KMS_KEY_STEP, output: 'KeyMetadata.KeyId'}},
      creates: [],
      dependsOn: [KMS_KEY_STEP],
      controls: ['kms-key'],
      dryRunnable: false,
      summary: 'Turn on yearly automatic rotation of the key (Security Hub KMS.4)',
    },
  ];
}

// io2 volumes need an explicit IOPS figure; 3000 matches the gp3 baseline and stays within the
// 1000 IOPS per GiB ratio for any size validation allows.
const IO2_IOPS = 3000;

/** The root volume's Ebs block of RunInstances, and the plan steps it waits for. */
export function rootVolume(spec: LaunchSpec): {ebs: {[key: string]: ParamValue}; dependsOn: string[]} {
  const {storage} = spec;
  const ebs: {[key: string]: ParamValue} = {VolumeSize: storage.sizeGiB, VolumeType: storage.type, DeleteOnTermination: true};
  if (storage.type === 'io2') ebs.Iops = IO2_IOPS;
  // Encryption is only ever requested, never switched off explicitly: with encryption off the
  // account's EBS default decides. Without KmsKeyId, EBS uses the account's default EBS key,
  // which is aws/ebs unless the account changed it; verification reports the key actually used.
  if (!storage.encrypted) return {ebs, dependsOn: []};
  ebs.Encrypted = true;
  if (isAwsManagedKey(storage)) return {ebs, dependsOn: []};
  ebs.KmsKeyId = {ref: KMS_KEY_STEP, output: 'KeyMetadata.Arn'};
  return {ebs, dependsOn: [KMS_KEY_STEP]};
}

// ---------------------------------------------------------------------------------------------
// Verification and checkers

/** The key fact the checkers judge before launch; undefined for a named customer key (unknown until read). */
export function predictedKeyFact(storage: StorageKey): {id: string; customerManaged: boolean; enabled: boolean; rotation: boolean} | undefined {
  const kind = keyKind(storage);
  if (kind === 'new') return {id: 'new KMS key', customerManaged: true, enabled: true, rotation: true};
  if (kind === 'aws-managed') return {id: 'aws/ebs', customerManaged: false, enabled: true, rotation: true};
  return undefined;
}

/** The root volume as the checkers see it before launch: without encryption asked for, predicted as off. */
export function predictedVolumeFact(storage: Pick<StorageSpec, 'encrypted'>): {id: string; encrypted: boolean} {
  return {id: 'root volume', encrypted: isEncrypted(storage)};
}

/** What verification expects of the key, before it reads anything. */
export type KeyExpectation =
  {kind: 'none'; expected: string} | {kind: 'aws-managed'; expected: string; describe: string; label: string} | {kind: 'customer'; expected: string; describe?: string; label: string};

export function keyExpectation(storage: StorageKey, recorded?: string): KeyExpectation {
  const kind = keyKind(storage);
  if (kind === 'none') return {kind: 'none', expected: 'no key (encryption off)'};
  if (kind === 'aws-managed')
    return {kind: 'aws-managed', expected: 'AWS managed key aws/ebs: AWS rotates it, you cannot (KMS.4 is for customer keys)', describe: AWS_MANAGED_ALIAS, label: AWS_MANAGED_KEY};
  const describe = keyToDescribe(storage, recorded);
  const label = kind === 'new' ? (describe ? 'the new customer key' : 'the new customer key (not recorded)') : storage.kmsKey;
  return {kind: 'customer', expected: 'customer key, enabled, automatic rotation on', label, ...(describe ? {describe} : {})};
}

// ---------------------------------------------------------------------------------------------
// Checkers (checkers.ts lists every tool's rules; these are the ones on this control's rows)

const perVolume = (facts: CheckerFacts) => facts.volumes?.map((volume) => ({resource: volume.id, verdict: passIf(volume.encrypted)}));

const ebsDefault = (facts: CheckerFacts) => (facts.ebsDefault ? one(facts.ebsDefault.id, passIf(facts.ebsDefault.enabled)) : undefined);

// Both tools judge rotation on enabled customer managed keys only; AWS managed keys rotate by themselves.
const keyRotation = (facts: CheckerFacts) => {
  const key = facts.kmsKey;
  if (!key) return undefined;
  return one(key.id, key.customerManaged && key.enabled ? passIf(key.rotation) : 'not-applicable');
};

const checkers: Checker[] = [
  // Volume encryption.
  {
    tool: 'Security Hub',
    id: 'EC2.3',
    severity: 'medium',
    standards: ['FSBP', 'NIST 800-53'],
    group: 'volume-encryption',
    row: 'ebs-encryption',
    evaluates: 'live',
    title: 'Attached EBS volumes should be encrypted at rest',
    resourceType: 'AWS::EC2::Volume',
    rule: 'Fails an attached volume that is not encrypted.',
    verdicts: perVolume,
  },
  {
    // ec2_ebs_volume_encryption.py: FAIL per volume whose encrypted flag is false.
    tool: 'Prowler',
    id: 'ec2_ebs_volume_encryption',
    severity: 'high',
    group: 'volume-encryption',
    row: 'ebs-encryption',
    evaluates: 'live',
    title: 'EBS volume is encrypted',
    resourceType: 'AWS::EC2::Volume',
    rule: 'Fails every volume that is not encrypted.',
    verdicts: perVolume,
  },
  // The account's default encryption.
  {
    tool: 'Security Hub',
    id: 'EC2.7',
    severity: 'medium',
    standards: ['FSBP', 'CIS', 'NIST 800-53'],
    group: 'ebs-default',
    row: 'ebs-default-encryption',
    evaluates: 'live',
    title: 'EBS default encryption should be enabled',
    resourceType: 'AWS::::Account',
    rule: 'Fails a region of the account where new volumes are not encrypted by default.',
    verdicts: ebsDefault,
  },
  {
    // ec2_ebs_default_encryption.py: FAIL when the region's EBS encryption by default is off.
    tool: 'Prowler',
    id: 'ec2_ebs_default_encryption',
    severity: 'high',
    group: 'ebs-default',
    row: 'ebs-default-encryption',
    evaluates: 'live',
    title: 'EBS default encryption is enabled',
    resourceType: 'AWS::::Account',
    rule: 'Fails a region where EBS encryption by default is off.',
    verdicts: ebsDefault,
  },
  // Key rotation.
  {
    tool: 'Security Hub',
    id: 'KMS.4',
    severity: 'medium',
    standards: ['CIS', 'PCI DSS', 'NIST 800-53'],
    group: 'key-rotation',
    row: 'kms-key',
    evaluates: 'live',
    title: 'AWS KMS key rotation should be enabled',
    resourceType: 'AWS::KMS::Key',
    rule: 'Fails a customer managed symmetric key without automatic rotation; AWS managed keys are not its concern.',
    verdicts: keyRotation,
  },
  {
    // kms_cmk_rotation_enabled.py: customer managed, enabled, symmetric keys only; FAIL without rotation.
    tool: 'Prowler',
    id: 'kms_cmk_rotation_enabled',
    severity: 'high',
    group: 'key-rotation',
    row: 'kms-key',
    evaluates: 'live',
    title: 'KMS customer managed key has rotation enabled',
    resourceType: 'AWS::KMS::Key',
    rule: 'Fails an enabled customer managed symmetric key whose rotation is off.',
    verdicts: keyRotation,
  },
  {
    // KMSRotation.py: EnableKeyRotation must be true on a symmetric AWS::KMS::Key.
    tool: 'Checkov',
    id: 'CKV_AWS_7',
    severity: 'unrated',
    group: 'key-rotation',
    row: 'kms-key',
    evaluates: 'template',
    title: 'Rotation for customer created CMKs is enabled',
    resourceType: 'AWS::KMS::Key',
    rule: 'Fails a key in the template without EnableKeyRotation: true.',
    verdicts: (template) => resourcesOfType(template, 'AWS::KMS::Key').map((key) => ({resource: key.name, verdict: passIf(literal(template, key.properties.EnableKeyRotation) === true)})),
  },
];

// ---------------------------------------------------------------------------------------------
// Panel and findings

/** The encryption screen's note on the account default, wherever the list is drawn. */
export function ebsDefaultNote(state: {enabled: boolean; kmsKeyId?: string}): string {
  return state.enabled
    ? t.text`this account encrypts new volumes by default${state.kmsKeyId ? t` (key ${state.kmsKeyId})` : ''}`
    : 'this account does not encrypt new volumes by default, so the encryption option you choose decides';
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const choice = option ?? storageChoice(spec);
  if (choice === 'off')
    return {
      'ebs-encryption': {
        aws: 'Offers encryption but applies it only when asked: this volume is written unencrypted unless the account default is on.',
        customer: 'Volumes will be unencrypted and Security Hub EC2.3 will fail. Encrypt inside the OS (LUKS) or pick a key.',
        verify: 'EC2.3 is expected to fail: the attached volume reports Encrypted = false.',
      },
      'kms-key': {customer: 'No key is used, so there is nothing to rotate or guard.', verify: 'Nothing to check: no key is used.'},
    };
  if (choice === NEW_KEY)
    return {
      'kms-key': {
        customer: 'You own the new customer key: its key policy, who may use it, and its rotation (tandem switches rotation on).',
        verify: 'Automatic rotation is enabled on the new key (Security Hub KMS.4).',
      },
    };
  if (choice === 'existing') {
    const key = existingKeyOf(spec.storage) || 'the key you pick';
    return {
      'kms-key': {
        customer: `You own ${key}: its policy must let EC2 use it for this account, and its rotation is your job.`,
        verify: `Volumes are encrypted with ${key}; rotation on it is checked (Security Hub KMS.4).`,
      },
    };
  }
  return {
    'kms-key': {
      aws: 'Creates the AWS managed key aws/ebs for the account and rotates it on its own schedule.',
      customer: 'Nothing to manage, but you cannot edit its policy, rotate it yourself, or share snapshots it encrypts with other accounts.',
      verify: "Volumes are encrypted with the account's default EBS key, which is aws/ebs unless the account changed it; the key actually used is reported.",
    },
  };
}

const FINDING_IDS = ['ebs-unencrypted', 'kms-aws-managed-key'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  const kind = keyKind(spec.storage);
  if (kind === 'none')
    return [
      {
        id: 'ebs-unencrypted',
        severity: 'high',
        title: 'Root volume not encrypted',
        explanation:
          'EBS volumes are unencrypted unless the request or the account default asks for encryption, and this spec does not. Security Hub EC2.3 and Prowler fail an unencrypted volume. Choose a KMS key, or encrypt inside the OS with LUKS.',
        control: 'ebs-encryption',
        checkers: [hub('EC2.3'), prowler('ec2_ebs_volume_encryption')],
      },
    ];
  if (kind === 'aws-managed')
    return [
      {
        id: 'kms-aws-managed-key',
        severity: 'info',
        title: 'AWS managed key aws/ebs',
        explanation:
          "The launch asks for encryption without naming a key, so EBS uses the account's default EBS key: aws/ebs, unless someone changed that default (then the volume gets the key it names; verification reports the key actually used). AWS rotates aws/ebs; you cannot rotate it yourself, change its policy, or share snapshots it encrypts with other accounts. Pick a customer key if you need any of that.",
        control: 'kms-key',
        checkers: [],
      },
    ];
  return [];
}

/** Size ranges in GiB, from the EC2 API reference (CreateVolume, ModifyVolume): gp3 and io2 reach 64 TiB, gp2 16 TiB. */
const SIZE_LIMITS: Record<string, [number, number]> = {gp3: [1, 65536], gp2: [1, 16384], io2: [4, 65536]};
/** Amazon Linux root snapshots are 8 GiB; a root volume cannot be smaller than its snapshot. */
const AMAZON_LINUX_MIN_ROOT_GIB = 8;

function sizeGiB(value: unknown, spec: LaunchSpec): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `Volume size ${show(value)} must be a whole number of GiB, like 8.`;
  const [min, max] = SIZE_LIMITS[spec.storage.type] ?? SIZE_LIMITS.gp3;
  if (value < min || value > max) return `Volume size ${value} GiB is out of range for ${spec.storage.type}; expected ${min.toLocaleString('en-US')}–${max.toLocaleString('en-US')} GiB.`;
  if (spec.instance.image !== 'ami' && value < AMAZON_LINUX_MIN_ROOT_GIB) {
    const label = spec.instance.image === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2';
    return `Volume size ${value} GiB is smaller than the ${label} image's 8 GiB root snapshot; use at least 8 GiB.`;
  }
  return undefined;
}

const rules: FieldRules = {
  'storage.sizeGiB': sizeGiB,
  'storage.type': oneOf('Volume type', VOLUME_TYPES),
  'storage.encrypted': booleanRule('Encryption'),
  'storage.kmsKey': kmsKeyProblem,
  'storage.kmsAlias': kmsAliasProblem,
};

export const storageControl: ControlModule<(typeof FINDING_IDS)[number], 'ebs-encryption' | 'kms-key', 'storage'> = {
  step: 'storage',
  stepTitle: 'Storage',
  rules,
  catalog: [
    {
      id: 'ebs-encryption',
      step: 'storage',
      title: 'EBS encryption',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Encrypts volumes, their snapshots and the data moving to the host with KMS keys, and runs the key service.',
      customer: 'Switch encryption on (volumes are unencrypted unless the request or account default says so) and pick the key.',
      verify: "Every attached volume is Encrypted with the chosen key; the account's default encryption setting is reported.",
      checkerRows: ['ebs-encryption', 'ebs-default-encryption'],
      compliance: ['Encrypting inside the OS with LUKS is an alternative when you must hold the keys yourself.'],
    },
    {
      id: 'kms-key',
      step: 'storage',
      title: 'Encryption key',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Keeps key material inside KMS, where it is used but never exported, and rotates AWS managed keys itself.',
      customer: 'Choose aws/ebs or a customer key; for a customer key you own its key policy, who may use it and its rotation.',
      verify: 'A customer key has automatic rotation enabled.',
      checkerRows: ['kms-key'],
      compliance: [],
    },
  ],
  findingIds: FINDING_IDS,
  option: storageChoice,
  panel,
  findings,
  planSteps: (spec) => kmsSteps(spec),
  planOrder: 50,
  checkers,
};

/** What verification hopes of the account's EBS default (information only: the launch asks for encryption itself). */
export const EBS_DEFAULT_EXPECTATION = 'on, so every new volume in this region is encrypted';
