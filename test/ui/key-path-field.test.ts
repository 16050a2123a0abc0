// The wizard's "Public key file" field reads the file it is given: a private key is refused on
// the key pair screen, with the .pub beside it suggested, before the review can be reached.
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {focusedField, initialWizard, screenId, wizardReducer, type WizardState} from '../../source/ui/wizard-state.js';
import {tempDir} from '../integration/provision-support.js';
import {writeKeyPairFiles} from '../support/key-samples.js';
import {goTo} from './wizard-walk.js';

/** The key pair screen with "import" chosen and `file` typed into the path field. */
function importing(file: string): WizardState {
  let state = goTo(initialWizard({spec: defaultSpec()}), 'key-pair');
  while (state.spec.keyPair.mode !== 'import') state = wizardReducer(state, {type: 'up'});
  for (let guard = 0; focusedField(state)?.id !== 'keyPair.path.import'; guard++) {
    if (guard > 10) throw new Error('no public key path field');
    state = wizardReducer(state, {type: 'nextField'});
  }
  for (const _ of '~/.ssh/id_ed25519.pub') state = wizardReducer(state, {type: 'erase', count: 1});
  for (const char of file) state = wizardReducer(state, {type: 'input', text: char});
  return wizardReducer(state, {type: 'next'});
}

describe('public key file field', () => {
  const dir = tempDir('tandem-keys-');
  const {privatePath, publicPath} = writeKeyPairFiles(dir);

  test('refuses the private key and points at the .pub beside it', () => {
    const state = importing(privatePath);
    expect(screenId(state)).toBe('key-pair');
    const message = Object.values(state.errors).join(' ');
    expect(message).toContain(`${privatePath} is the private key`);
    expect(message).toContain(`import ${publicPath} instead`);
  });

  test('accepts the public key and moves on', () => {
    const state = importing(publicPath);
    expect(state.errors).toEqual({});
    expect(screenId(state)).not.toBe('key-pair');
    expect(state.spec.keyPair).toMatchObject({mode: 'import', path: publicPath});
  });

  test('a missing file is named', () => {
    const state = importing(path.join(dir, 'nope.pub'));
    expect(Object.values(state.errors).join(' ')).toMatch(/cannot read the public key .*nope\.pub \(ENOENT\)/);
  });
});
