// Writing a created key pair's private key: the only copy exists in the CreateKeyPair response,
// so it goes to disk before anything else happens, readable by the owner only from the first
// byte (mode at open, never chmod afterwards), and never over an existing file.
import {createHash, randomBytes} from 'node:crypto';
import {accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {expandHome} from '../store/home.js';
import {TandemError, brandFor} from '../tandem-error.js';

export {expandHome} from '../store/home.js';

export class KeyFileError extends TandemError {
  static override readonly brand = brandFor('KeyFileError');
  constructor(
    readonly code: 'KeyFileExists' | 'KeyFileWriteFailed',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** Fails early (before CreateKeyPair) when the private key could not be written later. */
export function assertKeyPathFree(file: string): string {
  const target = expandHome(file);
  if (existsSync(target)) {
    throw new KeyFileError('KeyFileExists', `${target} already exists; tandem never overwrites a key file, choose another path`);
  }
  return target;
}

/**
 * Why the private key could not be written to `file` later, or undefined when it can: checked
 * before anything is created, so a bad path costs the operator nothing. The nearest existing
 * folder on the way must be a writable directory (missing folders below it are created).
 */
export function keyPathProblem(file: string): string | undefined {
  const target = expandHome(file);
  if (existsSync(target)) {
    return statSync(target).isDirectory()
      ? `${target} is a directory; give a file name for the private key, e.g. ${path.join(target, 'web-key.pem')}`
      : `${target} already exists; tandem never overwrites a key file, choose another path`;
  }
  let dir = path.dirname(target);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) return `cannot create ${target}: ${dir} is a file, not a folder`;
    accessSync(dir, constants.W_OK);
  } catch (error) {
    return `cannot create ${target}: ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  return undefined;
}

const fileText = (material: string) => (material.endsWith('\n') ? material : `${material}\n`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** SHA-256 of the file writePrivateKey makes from `material`: how tandem knows its own file later. */
export function keyFileDigest(material: string): string {
  return sha256(fileText(material));
}

/**
 * Removes the private key file a launch wrote, once its key pair is gone, but only when the file
 * still holds exactly what tandem wrote (`digest`). Undefined when there is no file; otherwise
 * whether it was removed and, when not, why.
 */
export function removeOwnKeyFile(file: string, digest: string | undefined): {removed: boolean; reason?: string} | undefined {
  const target = expandHome(file);
  if (!existsSync(target)) return undefined;
  if (!digest) return {removed: false, reason: `tandem has no record of writing ${target}; if it was this launch's key, remove it yourself`};
  try {
    if (sha256(readFileSync(target)) !== digest) {
      return {removed: false, reason: `${target} changed since this launch wrote it, so tandem leaves it; remove it yourself if it is no longer needed`};
    }
    rmSync(target);
    return {removed: true};
  } catch (error) {
    return {removed: false, reason: `could not remove ${target} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); remove it yourself`};
  }
}

/**
 * Writes `material` to `file` with mode 0600: temp file in the same directory, fsync, then a hard
 * link to the target (which fails if the target appeared meanwhile, unlike rename), then the temp
 * name is removed. Error messages name the path and the reason, never the content.
 */
export function writePrivateKey(file: string, material: string): string {
  const target = assertKeyPathFree(file);
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, fileText(material));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, target);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (reason === 'EEXIST' && existsSync(target)) {
      throw new KeyFileError('KeyFileExists', `${target} already exists; tandem never overwrites a key file, choose another path`);
    }
    throw new KeyFileError('KeyFileWriteFailed', `could not write the private key to ${target} (${reason})`);
  } finally {
    try {
      rmSync(temp, {force: true});
    } catch {
      // nothing was created there (e.g. the directory could not be made)
    }
  }
  try {
    // Make the new directory entry durable too.
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // some filesystems do not allow fsync on directories; the file itself is already synced
  }
  return target;
}
