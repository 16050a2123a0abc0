// source/script-cache.ts with real V8 code caches: a small bundle rewritten by the build's own
// scripts/classic-script.mjs, in a temporary folder, loaded the way the wizard's bundle is. V8
// also keeps compiled scripts in memory, by source and file name, and would answer a second load
// in this process from there without looking at the cache on disk; so every load is of a copy of
// the bundle in a folder of its own (same name, same text, hence the same cache file).
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {toClassicScript} from '../scripts/classic-script.mjs';
import {loadScript, scriptCacheDir} from '../source/script-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-script-'));
  dirs.push(dir);
  return dir;
}

/** A bundle with a chunk beside it, a built-in, a dynamic import and top-level await. */
function bundle(): {url: () => URL; cache: string} {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'chunk.mjs'), 'export const word = "chunk";\n');
  writeFileSync(path.join(dir, 'later.mjs'), 'export const word = "later";\n');
  const esm = [
    'import { word } from "./chunk.mjs";',
    'import path from "node:path";',
    'const ready = await Promise.resolve(true);',
    'async function describe() {',
    '  const later = await import("./later.mjs");',
    '  return [word, later.word, path.basename("/a/b.txt"), ready].join(" ");',
    '}',
    'export { describe };',
  ].join('\n');
  writeFileSync(path.join(dir, 'bundle.js'), toClassicScript(esm).text);
  const url = () => {
    const copy = tempDir();
    for (const file of ['chunk.mjs', 'later.mjs', 'bundle.js']) copyFileSync(path.join(dir, file), path.join(copy, file));
    return pathToFileURL(path.join(copy, 'bundle.js'));
  };
  return {url, cache: path.join(dir, 'cache')};
}

type Exports = {describe: () => Promise<string>};
const load = (url: () => URL, cache: string, env: NodeJS.ProcessEnv = {}) => loadScript<Exports>(url(), {env: {XDG_CACHE_HOME: cache, ...env}, saveAfterMs: 0});
const cacheFiles = (cache: string) => (existsSync(path.join(cache, 'tandem')) ? readdirSync(path.join(cache, 'tandem')) : []);

describe('loadScript', () => {
  it('makes the cache on the first run, in a folder of the user only, and hands it to V8 on the next', async () => {
    const {url, cache} = bundle();
    const first = await load(url, cache);
    expect(first.cache).toBe('made');
    expect(await first.exports.describe()).toBe('chunk later b.txt true');
    expect(await first.saved).toBe(true);
    const [file] = cacheFiles(cache);
    expect(file).toMatch(new RegExp(`^bundle-[0-9a-f]{16}-node${process.version.replaceAll('.', '\\.')}-${process.arch}\\.v8cache$`));
    expect(statSync(path.join(cache, 'tandem')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cache, 'tandem', file!)).mode & 0o777).toBe(0o600);

    const second = await load(url, cache);
    expect(second.cache).toBe('used');
    expect(await second.exports.describe()).toBe('chunk later b.txt true');
    expect(await second.saved).toBe(false);
  });

  it('compiles as usual when V8 refuses the cache, and writes a good one over it', async () => {
    const {url, cache} = bundle();
    await (await load(url, cache)).saved;
    const file = path.join(cache, 'tandem', cacheFiles(cache)[0]!);
    writeFileSync(file, 'not a code cache');
    const refused = await load(url, cache);
    expect(refused.cache).toBe('rejected');
    expect(await refused.exports.describe()).toBe('chunk later b.txt true');
    expect(await refused.saved).toBe(true);
    expect(readFileSync(file).length).toBeGreaterThan(100);
    expect((await load(url, cache)).cache).toBe('used');
  });

  it('keeps no cache with NODE_DISABLE_COMPILE_CACHE=1, Node’s own switch', async () => {
    const {url, cache} = bundle();
    const loaded = await load(url, cache, {NODE_DISABLE_COMPILE_CACHE: '1'});
    expect(loaded.cache).toBe('off');
    expect(await loaded.exports.describe()).toBe('chunk later b.txt true');
    expect(await loaded.saved).toBe(false);
    expect(cacheFiles(cache)).toEqual([]);
  });

  it('runs without a cache where none can be written', async () => {
    const {url, cache} = bundle();
    mkdirSync(cache);
    writeFileSync(path.join(cache, 'tandem'), 'a file where the folder would go');
    const loaded = await load(url, cache);
    expect(await loaded.exports.describe()).toBe('chunk later b.txt true');
    expect(await loaded.saved).toBe(false);
  });

  it('keeps the four newest caches of a script and removes older ones', async () => {
    const {url, cache} = bundle();
    mkdirSync(path.join(cache, 'tandem'), {recursive: true});
    for (let index = 0; index < 5; index++) {
      const old = path.join(cache, 'tandem', `bundle-${String(index).repeat(16)}-nodev0-x.v8cache`);
      writeFileSync(old, 'old');
      const time = new Date(Date.now() - (10 - index) * 60_000);
      utimesSync(old, time, time);
    }
    writeFileSync(path.join(cache, 'tandem', 'other-program.v8cache'), 'not ours');
    await (await load(url, cache)).saved;
    const left = cacheFiles(cache).sort();
    expect(left).toHaveLength(5);
    expect(left).toContain('other-program.v8cache');
    expect(left.filter((name) => name.startsWith('bundle-'))).toHaveLength(4);
    expect(left).not.toContain(`bundle-${'0'.repeat(16)}-nodev0-x.v8cache`);
  });

  it('refuses a file that is not a script bundle, saying to reinstall', async () => {
    const file = bundle().url();
    writeFileSync(file, 'export const x = 1;\n');
    await expect(loadScript(file, {env: {NODE_DISABLE_COMPILE_CACHE: '1'}})).rejects.toThrow(/not a tandem script bundle; reinstall tandem/);
  });
});

describe('scriptCacheDir', () => {
  it('follows XDG_CACHE_HOME, else the platform’s cache folder', () => {
    expect(scriptCacheDir({XDG_CACHE_HOME: '/x/cache'})).toBe(path.join('/x/cache', 'tandem'));
    if (process.platform === 'linux') expect(scriptCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'tandem'));
    expect(scriptCacheDir({NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: '/x'})).toBeUndefined();
    expect(scriptCacheDir({NODE_DISABLE_COMPILE_CACHE: '0', XDG_CACHE_HOME: '/x'})).toBe(path.join('/x', 'tandem'));
  });
});
