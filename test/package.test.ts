// What `npm pack` ships: the built bundle, the README and the licence, nothing else (no tests,
// no sources, no benchmarks). dist/ is a self-contained esbuild bundle, so the package declares no
// runtime dependencies and a global install of the tarball needs nothing from a registry: it is
// installed here offline, and the installed `tandem` answers --version, --help and an explain
// with no AWS credentials at all. Packs the current dist/ (npm run build first; npm test does).
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cleanEnv} from './support/clean-env.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string; dependencies?: Record<string, string>};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, {cwd: options.cwd ?? ROOT, env: options.env, timeout: 120_000, maxBuffer: 20 * 1024 * 1024}, (error, stdout, stderr) =>
      resolve({code: error ? Number((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
    );
  });
}

/** npm, never running the package's own scripts: `prepare` would rebuild dist/ under other tests' feet. */
async function npm(args: string[]): Promise<Run> {
  const result = await run('npm', [...args, '--ignore-scripts', '--no-audit', '--no-fund']);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  return result;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tandem-pack-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds before running vitest)`);
});

describe('npm pack', () => {
  it('ships dist/, README.md, LICENSE and package.json, and nothing else', async () => {
    const [packed] = JSON.parse((await npm(['pack', '--dry-run', '--json'])).stdout) as Array<{files: Array<{path: string}>}>;
    const files = packed.files.map((file) => file.path);
    const stray = files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file));
    expect(stray, 'files npm pack would ship outside dist/, README.md, LICENSE and package.json').toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/cli.js', 'README.md', 'LICENSE', 'package.json']));
  });

  it('declares no runtime dependencies: the bundle in dist/ carries everything it loads', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});

describe('a global install of the packed tarball', () => {
  const prefix = path.join(scratch, 'prefix');
  const tandem = path.join(prefix, 'bin', 'tandem');
  const home = path.join(scratch, 'home');

  beforeAll(async () => {
    const [packed] = JSON.parse((await npm(['pack', '--json', '--pack-destination', scratch])).stdout) as Array<{filename: string}>;
    // Offline: with no dependencies, the tarball is all the install needs.
    await npm(['install', '--global', '--prefix', prefix, '--offline', path.join(scratch, packed.filename)]);
  }, 180_000);

  it('installs nothing beside tandem itself', () => {
    expect(existsSync(path.join(prefix, 'lib', 'node_modules', 'tandem', 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(prefix, 'lib', 'node_modules', 'tandem', 'node_modules'))).toBe(false);
  });

  it('answers --version with the version in package.json', async () => {
    const result = await run(tandem, ['--version'], {env: cleanEnv(home)});
    expect(result).toMatchObject({code: 0, stderr: ''});
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it('answers --help with the usage', async () => {
    const result = await run(tandem, ['--help'], {env: cleanEnv(home)});
    expect(result).toMatchObject({code: 0, stderr: ''});
    expect(result.stdout).toContain('$ tandem launch ');
  });

  it('explains the default launch as JSON with no AWS credentials', async () => {
    const result = await run(tandem, ['explain', '--format', 'json'], {env: cleanEnv(home)});
    expect(result).toMatchObject({code: 0, stderr: ''});
    expect(JSON.parse(result.stdout)).toMatchObject({format: 'tandem.explain/v1', spec: {region: 'us-east-1'}});
  });
});
