import {describe, expect, it} from 'vitest';
import {classifyKeyMaterial, publicKeyProblem} from '../../source/domain/key-material.js';
import {keySamples} from '../support/key-samples.js';

const samples = keySamples();

describe('key material', () => {
  it.each(Object.entries(samples.publics))('accepts a %s public key', (_name, text) => {
    expect(classifyKeyMaterial(text).kind).toMatch(/public$/);
    expect(publicKeyProblem('/k', text)).toBeUndefined();
  });

  it.each(Object.entries(samples.privates))('refuses a %s private key, saying so', (_name, text) => {
    expect(classifyKeyMaterial(text).kind).toBe('private');
    const problem = publicKeyProblem('/home/me/.ssh/id_ed25519', text, '/home/me/.ssh/id_ed25519.pub');
    expect(problem).toMatch(/id_ed25519 is the private key/);
    expect(problem).toMatch(/import \/home\/me\/\.ssh\/id_ed25519\.pub instead/);
  });

  it('finds a private key hidden after a public line, and without its armour', () => {
    expect(classifyKeyMaterial(`${samples.publics.openssh}${samples.privates.pkcs8}`).kind).toBe('private');
    const body = samples.privates.openssh.split('\n').slice(1, -2).join('');
    expect(classifyKeyMaterial(body).kind).toBe('private');
  });

  it('without a .pub beside it, says how to make one', () => {
    expect(publicKeyProblem('/k/web.pem', samples.privates.pkcs1)).toMatch(/ssh-keygen -y -f/);
  });

  it('names what it wanted for anything else', () => {
    for (const text of ['', 'hello', 'ssh-ed25519', 'ssh-ed25519 !!!', `${samples.publics.openssh}${samples.publics.openssh}`]) {
      expect(classifyKeyMaterial(text).kind, text).toBe('unknown');
      expect(publicKeyProblem('/k', text), text).toMatch(/does not hold a public key/);
    }
  });
});
