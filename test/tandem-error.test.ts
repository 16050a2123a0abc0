// tandem's error classes answer instanceof by brand (source/tandem-error.ts): the wizard is a
// bundle of its own, and an error made by its copy of a class must still be recognised by the
// main bundle's copy (a profile error is exit 2 wherever it was thrown).
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {beforeAll, describe, expect, test} from 'vitest';
import {UsageError} from '../source/exit.js';
import {ProfileFileError} from '../source/store/profile-file.js';
import {AwsCallError, StepError} from '../source/aws/errors.js';
import {TandemError} from '../source/tandem-error.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Copy {
  UsageError: typeof UsageError;
  ProfileFileError: typeof ProfileFileError;
}

/**
 * A second, separate copy of tandem's error classes, bundled by esbuild as the wizard's bundle
 * holds its own copy of the modules it shares with the main bundle.
 */
async function bundledCopy(): Promise<Copy> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'tandem-error-copy-'));
  const file = path.join(folder, 'copy.mjs');
  await build({
    stdin: {
      contents: "export {UsageError} from './source/exit.ts'; export {ProfileFileError} from './source/store/profile-file.ts';",
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: file,
    logLevel: 'silent',
  });
  try {
    return (await import(pathToFileURL(file).href)) as Copy;
  } finally {
    rmSync(folder, {recursive: true, force: true});
  }
}

describe('error classes and instanceof', () => {
  let copy: Copy;
  beforeAll(async () => {
    copy = await bundledCopy();
  });

  test('an error from another copy of the class is an instance of this one', () => {
    expect(copy.UsageError).not.toBe(UsageError);
    const error = new copy.UsageError('bad flag');
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(TandemError);
    expect(error).toBeInstanceOf(Error);
    expect(new UsageError('x')).toBeInstanceOf(copy.UsageError);
  });

  test('a subclass is an instance of its base, and a base is not an instance of a subclass', () => {
    expect(copy.ProfileFileError).not.toBe(ProfileFileError);
    const error = new copy.ProfileFileError(['p.yaml:1:1 region: not a region']);
    expect(error).toBeInstanceOf(ProfileFileError);
    expect(error).toBeInstanceOf(UsageError);
    expect(new UsageError('x')).not.toBeInstanceOf(ProfileFileError);
  });

  test('classes with different brands never match', () => {
    expect(new StepError('Code', 'm')).not.toBeInstanceOf(AwsCallError);
    expect(new AwsCallError('Op', 'Code', 'm')).not.toBeInstanceOf(StepError);
    expect(new Error('plain')).not.toBeInstanceOf(TandemError);
    expect(null).not.toBeInstanceOf(UsageError);
    expect('UsageError').not.toBeInstanceOf(UsageError);
  });

  test('messages, names and fields stay as Error gives them', () => {
    const error = new AwsCallError('DescribeVpcs', 'AccessDenied', 'not allowed');
    expect(error.message).toBe('not allowed');
    expect(error.name).toBe('AccessDenied');
    expect(error.operation).toBe('DescribeVpcs');
    expect(error.stack).toContain('not allowed');
  });
});
