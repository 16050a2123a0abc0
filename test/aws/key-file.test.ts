import {mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, chmodSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {assertKeyPathFree, expandHome, KeyFileError, writePrivateKey} from '../../source/aws/key-file.js';
import {tempDir} from '../integration/provision-support.js';

const FAKE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LW1hdGVyaWFs\n-----END OPENSSH PRIVATE KEY-----';

describe('private key file', () => {
  it('is written 0600 with a trailing newline, creating the directory 0700, leaving no temp file', () => {
    const dir = path.join(tempDir('tandem-keys-'), 'ssh');
    const file = writePrivateKey(path.join(dir, 'web.pem'), FAKE_KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).toBe(`${FAKE_KEY}\n`);
    expect(readdirSync(dir)).toEqual(['web.pem']);
  });

  it('never overwrites an existing file', () => {
    const dir = tempDir('tandem-keys-');
    const file = path.join(dir, 'web.pem');
    writeFileSync(file, 'mine');
    expect(() => assertKeyPathFree(file)).toThrow(KeyFileError);
    expect(() => writePrivateKey(file, FAKE_KEY)).toThrow(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('reports a write failure with the path and reason but never the key', () => {
    const dir = tempDir('tandem-keys-');
    const locked = path.join(dir, 'locked');
    mkdirSync(locked, {mode: 0o500});
    chmodSync(locked, 0o500);
    let message = '';
    try {
      writePrivateKey(path.join(locked, 'web.pem'), FAKE_KEY);
    } catch (error) {
      message = (error as Error).message;
      expect((error as KeyFileError).code).toBe(process.getuid?.() === 0 ? 'KeyFileExists' : 'KeyFileWriteFailed');
    }
    // root can write anywhere; then the file simply exists and the second write is refused.
    if (process.getuid?.() === 0) expect(() => writePrivateKey(path.join(locked, 'web.pem'), FAKE_KEY)).toThrow(/already exists/);
    else expect(message).toContain(path.join(locked, 'web.pem'));
    expect(message).not.toContain('c2VjcmV0');
  });

  it('expands ~ to the home directory', () => {
    expect(expandHome('~/.ssh/k.pem', '/home/op')).toBe('/home/op/.ssh/k.pem');
    expect(expandHome('/abs/k.pem', '/home/op')).toBe('/abs/k.pem');
  });
});
