// Key files in every armour an operator may point tandem at, made with Node's crypto (no
// ssh-keygen needed): the public forms AWS accepts for ImportKeyPair and the private ones that
// must never be sent.
import {generateKeyPairSync, randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import path from 'node:path';

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

const wrap = (base64: string) => base64.match(/.{1,70}/g)!.join('\n');

export interface KeySamples {
  /** Public forms: each must be accepted. */
  publics: Record<'openssh' | 'pem' | 'rsaPem' | 'ssh2', string>;
  /** Private forms: each must be refused. */
  privates: Record<'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted' | 'openssh' | 'putty', string>;
}

export function keySamples(): KeySamples {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', {modulusLength: 1024});
  const ec = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
  const raw = ed.publicKey.export({format: 'der', type: 'spki'}).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]).toString('base64');
  const opensshPrivate = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString(Buffer.from('none')), randomBytes(120)]).toString('base64');
  return {
    publics: {
      openssh: `ssh-ed25519 ${blob} operator@laptop\n`,
      pem: String(ed.publicKey.export({format: 'pem', type: 'spki'})),
      rsaPem: String(rsa.publicKey.export({format: 'pem', type: 'pkcs1'})),
      ssh2: `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "operator"\n${wrap(blob)}\n---- END SSH2 PUBLIC KEY ----\n`,
    },
    privates: {
      pkcs8: String(ed.privateKey.export({format: 'pem', type: 'pkcs8'})),
      pkcs1: String(rsa.privateKey.export({format: 'pem', type: 'pkcs1'})),
      sec1: String(ec.privateKey.export({format: 'pem', type: 'sec1'})),
      encrypted: String(rsa.privateKey.export({format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret'})),
      openssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(opensshPrivate)}\n-----END OPENSSH PRIVATE KEY-----\n`,
      putty: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: operator\nPublic-Lines: 2\n${wrap(blob)}\nPrivate-Lines: 1\n${randomBytes(48).toString('base64')}\nPrivate-MAC: ${randomBytes(32).toString('hex')}\n`,
    },
  };
}

/** Writes an ed25519 pair as ssh-keygen would name it: `id_ed25519` (private) beside `id_ed25519.pub`. */
export function writeKeyPairFiles(dir: string, name = 'id_ed25519'): {privatePath: string; publicPath: string; samples: KeySamples} {
  const samples = keySamples();
  const privatePath = path.join(dir, name);
  const publicPath = `${privatePath}.pub`;
  writeFileSync(privatePath, samples.privates.openssh, {mode: 0o600});
  writeFileSync(publicPath, samples.publics.openssh);
  return {privatePath, publicPath, samples};
}
