// A clean clone's `npm install` must leave the working tree as it found it: a committed lock that
// is not what npm writes (an optional platform entry missing, say) shows up as a change nobody made.
// npm rewrites the lock from package.json and the lock alone, in a scratch directory, and the result
// must be the committed file byte for byte.
import {execFile} from 'node:child_process';
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';

const FLAGS = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'];

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, {recursive: true, force: true});
  scratch = undefined;
});

function npm(args: string[], cwd: string): Promise<{code: number; output: string}> {
  return new Promise((resolve) => {
    execFile('npm', args, {cwd, timeout: 150_000, maxBuffer: 10 * 1024 * 1024}, (error, stdout, stderr) =>
      resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, output: stdout + stderr}),
    );
  });
}

/** The lock npm writes for this package.json and lock, from the warm cache when it can. */
async function lockAfterInstall(directory: string): Promise<string> {
  let run = await npm([...FLAGS, '--offline'], directory);
  // A cold cache (a fresh CI machine) misses offline; the registry is reachable there.
  if (run.code !== 0 && /ENOTCACHED|offline/i.test(run.output)) run = await npm(FLAGS, directory);
  if (run.code !== 0) throw new Error(`npm install --package-lock-only failed:\n${run.output}`);
  return readFileSync(path.join(directory, 'package-lock.json'), 'utf8');
}

describe('package-lock.json', () => {
  it('is exactly what npm install writes for package.json, so a clean clone stays clean', async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'tandem-lock-'));
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(file, path.join(scratch, file));
    const committed = readFileSync('package-lock.json', 'utf8');
    const written = await lockAfterInstall(scratch);
    expect(written === committed, 'npm install changes package-lock.json: run npm install and commit the package-lock.json it writes').toBe(true);
  }, 180_000);
});
