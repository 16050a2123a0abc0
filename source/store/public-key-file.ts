// Reads a key file named for import and says whether it may be sent to AWS. The judgement is the
// domain's (key-material.ts); this only reads the file and looks for the `.pub` beside it.
import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs';
import {publicKeyProblem} from '../domain/key-material.js';
import {expandHome} from './home.js';

// A public key is a few hundred bytes; reading more would only risk holding a private key longer.
const MAX_BYTES = 64 * 1024;

function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(MAX_BYTES);
    const length = readSync(fd, buffer, 0, MAX_BYTES, 0);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The public half usually kept beside a private key: `id_ed25519.pub`, or `web-key.pub` for `web-key.pem`. */
function pubBeside(file: string): string | undefined {
  const candidates = [`${file}.pub`, file.replace(/\.(pem|key|ppk)$/i, '.pub')];
  return candidates.find((candidate) => candidate !== file && existsSync(candidate));
}

/** Why the file at `typed` cannot be imported as a public key, or undefined when it can. */
export function publicKeyFileProblem(typed: string): string | undefined {
  const file = expandHome(typed);
  let text: string;
  try {
    if (statSync(file).isDirectory()) return `${file} is a directory; give the public key file, e.g. ${file}/id_ed25519.pub`;
    text = readHead(file);
  } catch (error) {
    return `cannot read the public key ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  return publicKeyProblem(file, text, pubBeside(file));
}
