// The key pair (docs/design.md section 1): created, imported, existing, or none. Its screen also
// lists Session Manager, whose control is the ways-in module's.
import type {ControlModule, FindingDraft, LaunchPart, PanelEdits} from './control.js';
import {PLAN_STEP} from '../plan-ids.js';
import {PUBLIC_KEY_MATERIAL, tagSpecifications} from '../plan-tags.js';
import type {PlanStep} from '../plan-types.js';
import {SESSION_CHOICES, sessionManagerOn, wantsInstanceConnect} from './ways-in.js';
import {ingressRules} from './security-group.js';
import type {LaunchSpec} from '../spec.js';
import {oneOf, show, type FieldRules} from '../field-rules.js';

/** How the key pair is had, and the types of a key pair tandem creates. */
export const KEY_PAIR_MODES = ['create', 'import', 'existing', 'none'] as const;
export const KEY_TYPES = ['ed25519', 'rsa'] as const;

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const kp = spec.keyPair;
  const mode = option === undefined || (SESSION_CHOICES as readonly string[]).includes(option) ? kp.mode : option;
  if (mode === 'create') {
    const where = kp.path || 'a local file';
    return {'key-pair': {customer: `The private ${kp.type ?? 'ed25519'} key is written once to ${where} (mode 0600) and exists nowhere else: guard it.`}};
  }
  // tandem never sees the private key of an imported or reused pair, so it cannot check that file.
  if (mode === 'import')
    return {
      'key-pair': {
        customer: `Only your public key (${kp.path || 'a local .pub file'}) is uploaded; the private key never leaves your machine.`,
        verify: "The key pair exists with your public key's fingerprint and the instance uses it; the private key stays with you, unchecked.",
      },
    };
  if (mode === 'existing')
    return {
      'key-pair': {
        customer: `You reuse ${kp.name || 'an existing pair'}: whoever holds its private key can log in. Know who that is.`,
        verify: 'The key pair exists and the instance uses it; tandem cannot see where its private key is kept.',
      },
    };
  return {
    'key-pair': {
      aws: 'Places no key on the instance.',
      customer: sessionManagerOn(spec)
        ? 'No key pair: nobody logs in with an SSH key, and there is no private key to guard. Session Manager gives you a shell.'
        : 'No key pair: nobody can log in with SSH keys, and Session Manager is off, so the instance has no way in.',
      verify: 'The instance reports no key name.',
    },
  };
}

/** Create or import the pair; an existing pair or none needs no step. */
function keyPairSteps(spec: LaunchSpec): PlanStep[] {
  const {mode, name = '', type = 'ed25519'} = spec.keyPair;
  const tags = tagSpecifications(spec, [{type: 'key-pair', name}]);
  if (mode === 'create') {
    return [
      {
        id: PLAN_STEP.keyPair,
        service: 'ec2',
        action: 'CreateKeyPair',
        params: {KeyName: name, KeyType: type, KeyFormat: 'pem', TagSpecifications: tags},
        creates: ['key-pair'],
        dependsOn: [],
        controls: ['key-pair'],
        dryRunnable: true,
        summary: `Create ${type} key pair ${name}; the private key is saved to ${spec.keyPair.path ?? ''} (mode 0600)`,
        keyFile: spec.keyPair.path ?? '',
      },
    ];
  }
  if (mode === 'import') {
    return [
      {
        id: PLAN_STEP.keyPair,
        service: 'ec2',
        action: 'ImportKeyPair',
        params: {KeyName: name, PublicKeyMaterial: PUBLIC_KEY_MATERIAL, TagSpecifications: tags},
        creates: ['key-pair'],
        dependsOn: [],
        controls: ['key-pair'],
        dryRunnable: true,
        summary: `Import public key ${spec.keyPair.path ?? ''} as key pair ${name}`,
        keyFile: spec.keyPair.path ?? '',
      },
    ];
  }
  return [];
}

/** The key name RunInstances places on the instance, if any. */
export function launchKey(spec: LaunchSpec): LaunchPart {
  const {keyPair} = spec;
  if (keyPair.mode === 'create' || keyPair.mode === 'import') return {params: {KeyName: {ref: PLAN_STEP.keyPair, output: 'KeyName'}}, dependsOn: [PLAN_STEP.keyPair]};
  if (keyPair.mode === 'existing' && keyPair.name) return {params: {KeyName: keyPair.name}, dependsOn: []};
  return {params: {}, dependsOn: []};
}

const FINDING_IDS = ['no-ssh-key'] as const;

function noKeyText(spec: LaunchSpec): string {
  const session = sessionManagerOn(spec);
  if (wantsInstanceConnect(spec))
    return `No key pair is attached, and none is needed for EC2 Instance Connect: it pushes a one-time public key for each session (valid for 60 seconds), so no long-lived key sits on the instance.${session ? ' Session Manager is on too.' : ''}`;
  const ssh = ingressRules(spec).some((rule) => rule.port === 22)
    ? 'No key pair is attached, so SSH logins with a key are impossible and the SSH rule serves no purpose.'
    : 'No key pair is attached, so nobody can log in with an SSH key, and there is no private key to lose.';
  return `${ssh} ${session ? 'Session Manager gives the shell instead, allowed and logged through IAM.' : 'Session Manager is off too, so the instance has no way in; turn it on if you ever need a shell.'}`;
}

function findings(spec: LaunchSpec): FindingDraft[] {
  if (spec.keyPair.mode !== 'none') return [];
  return [{id: 'no-ssh-key', severity: 'info', title: 'No key pair', explanation: noKeyText(spec), control: 'key-pair', checkers: []}];
}

function keyName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.keyPair.mode === 'none') return undefined;
  if (typeof value !== 'string' || value.length === 0) return 'The key pair name is required (1–255 ASCII characters).';
  if (value.length > 255) return `Key pair name is ${value.length} characters long; the limit is 255.`;
  if (!/^[\x20-\x7e]+$/.test(value)) return `Key pair name ${show(value)} has non-ASCII or control characters; use printable ASCII only.`;
  return undefined;
}

function keyType(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.keyPair.mode !== 'create' || value === undefined) return undefined;
  return oneOf('Key type', KEY_TYPES)(value, spec);
}

function keyPath(value: unknown, spec: LaunchSpec): string | undefined {
  const {mode} = spec.keyPair;
  if (mode !== 'create' && mode !== 'import') return undefined;
  const what = mode === 'create' ? 'where to save the private key' : 'the public key file to import';
  if (typeof value !== 'string' || value.length === 0) return `The key pair needs a path: ${what}, like ~/.ssh/web-key.${mode === 'create' ? 'pem' : 'pub'}.`;
  if (value.includes('\0')) return 'The key path contains a NUL character; use an ordinary file path.';
  if (!value.startsWith('/') && !value.startsWith('~/') && !/^[A-Za-z]:[\\/]/.test(value)) {
    return `Key path ${show(value)} is relative; give an absolute path or one starting with ~/, like ~/.ssh/web-key.pem.`;
  }
  if (value.endsWith('/') || value.endsWith('\\')) return `Key path ${show(value)} names a directory; give a file name too.`;
  return undefined;
}

const rules: FieldRules = {
  'keyPair.mode': oneOf('Key pair mode', KEY_PAIR_MODES),
  'keyPair.name': keyName,
  'keyPair.type': keyType,
  'keyPair.path': keyPath,
};

export const keyPairControl: ControlModule<(typeof FINDING_IDS)[number], 'key-pair', 'key-pair'> = {
  step: 'key-pair',
  stepTitle: 'Key pair',
  rules,
  catalog: [
    {
      id: 'key-pair',
      step: 'key-pair',
      title: 'Key pair',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Stores the public key and places it on the instance at first boot.',
      customer: 'Guard the private key: file mode 0600, never in chat, tickets or logs; replace the pair when someone leaves.',
      verify: 'The key pair exists with the expected fingerprint, the instance uses it, and the local private key file is mode 0600.',
      compliance: ['Linux logins prove identity over SSH with the private key.', 'Windows instances need the private key to decrypt the administrator password.'],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.keyPair.mode,
  panel,
  findings,
  planSteps: (spec) => keyPairSteps(spec),
  planOrder: 70,
};

/**
 * What verification expects: no key pair, or the pair (as created, imported or named) on the
 * instance with the fingerprint AWS reported, and the private key file readable by you only.
 */
export function keyPairExpectation(
  spec: LaunchSpec,
  resolved: {keyName?: string; keyFingerprint?: string; keyPath?: string},
): {name?: undefined; expected: string} | {name: string; fingerprint?: string; keyPath?: string; expected: string} {
  if (spec.keyPair.mode === 'none') return {expected: 'no key pair'};
  const name = resolved.keyName ?? spec.keyPair.name ?? '';
  const {keyFingerprint: fingerprint, keyPath} = resolved;
  const expected = [`key pair ${name}${fingerprint ? ` (${fingerprint})` : ''} on the instance`, keyPath ? `${keyPath} readable by you only (0600)` : ''].filter(Boolean).join('; ');
  return {name, fingerprint, keyPath, expected};
}
