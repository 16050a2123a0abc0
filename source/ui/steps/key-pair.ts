import type {DiscoveredKeyPair} from '../../domain/cloud.js';
import {keyPathFor, withName} from '../../domain/preflight.js';
import {cell} from '../../domain/safe-text.js';
import {publicKeyFileProblem} from '../../store/public-key-file.js';
import type {StepScreen} from '../fields.js';
import {existingPicker, searchText} from './existing-picker.js';
import {choiceField, setAt, textField} from './factories.js';
import {sessionManagerField} from './ways-in.js';

export const keyPair: StepScreen = {
  id: 'key-pair',
  intro: 'How you reach a shell. Session Manager needs no open port and no key; for SSH, AWS places the public key on the server and guarding the private key is yours.',
  fields: [
    choiceField({
      path: 'keyPair.mode',
      label: 'Key pair',
      panel: true,
      choices: [
        ['create', 'create a key pair (private key saved here, mode 0600)'],
        ['import', 'import your public key (the private key never leaves you)'],
        ['existing', 'an existing key pair…'],
        ['none', 'no key pair (no SSH login)'],
      ],
      set: (spec, value) => {
        const name = spec.keyPair.name || 'web-key';
        if (value === 'create') return {...spec, keyPair: {mode: 'create', name, type: spec.keyPair.type ?? 'ed25519', path: keyPathFor(name)}};
        if (value === 'import') return {...spec, keyPair: {mode: 'import', name, path: '~/.ssh/id_ed25519.pub'}};
        if (value === 'existing') return {...spec, keyPair: {mode: 'existing', name: ''}};
        return {...spec, keyPair: {mode: 'none'}};
      },
    }),
    textField({
      path: 'keyPair.name',
      label: 'Key name',
      required: 'give the key pair a name, e.g. web-key',
      visible: (spec) => spec.keyPair.mode === 'create' || spec.keyPair.mode === 'import',
      // The private key's path follows the name until the path itself is edited.
      set: (spec, value) => withName(spec, 'keyPair.name', String(value).trim()),
    }),
    choiceField({
      path: 'keyPair.type',
      label: 'Key type',
      visible: (spec) => spec.keyPair.mode === 'create',
      choices: [
        ['ed25519', 'ED25519 (recommended)'],
        ['rsa', 'RSA 2048 (needed for Windows passwords)'],
      ],
      get: (spec) => spec.keyPair.type ?? 'ed25519',
    }),
    textField({
      id: 'keyPair.path.create',
      path: 'keyPair.path',
      label: 'Save private key to',
      required: 'type where to save the private key, e.g. ~/.ssh/web-key.pem',
      visible: (spec) => spec.keyPair.mode === 'create',
    }),
    textField({
      id: 'keyPair.path.import',
      path: 'keyPair.path',
      label: 'Public key file',
      required: 'type the path of your public key, e.g. ~/.ssh/id_ed25519.pub',
      // Read the file now: a private key typed here must be refused before the review.
      check: (value) => (typeof value === 'string' && value ? publicKeyFileProblem(value) : undefined),
      visible: (spec) => spec.keyPair.mode === 'import',
    }),
    ...existingPicker<DiscoveredKeyPair>({
      id: 'keyPair.existing',
      label: 'Key pair name',
      path: 'keyPair.name',
      required: 'type the key pair name',
      placeholder: 'web-key',
      shown: (spec) => spec.keyPair.mode === 'existing',
      request: () => ({key: 'key-pairs', what: 'key pairs', load: (d) => d.keyPairs()}),
      noun: 'key pairs',
      toOption: (item) => ({value: item.name, label: cell(item.name), hint: cell(item.type), search: searchText(item.id, item.tags)}),
      get: (spec) => spec.keyPair.name ?? '',
      set: (spec, value) => setAt(spec, 'keyPair.name', value),
    }),
    sessionManagerField,
  ],
};
