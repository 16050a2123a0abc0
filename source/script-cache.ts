// Runs a bundle built as a classic script (scripts/classic-script.mjs) with V8's code cache. The
// first run compiles it as usual and, a second later, saves the bytecode V8 has made by then (the
// script's top level and every function the first frame ran); later runs hand that back to V8 and
// skip most parsing and compiling before their first frame. Node 20 keeps no such cache for ES
// modules, and Node 22's own saves less than this, so the interactive wizard's bundle is loaded
// this way on every Node.
//
// The cache lives in the user's cache folder (XDG_CACHE_HOME/tandem, or the platform's), created
// 0700: code read from a folder another user could write to would be theirs to choose. V8 refuses
// data made by another V8, other flags or other source, and tandem then compiles as usual and
// writes the cache anew. NODE_DISABLE_COMPILE_CACHE=1, Node's own switch, turns it off.
import {mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';

/** The first line's start, as scripts/classic-script.mjs writes it. */
const HEADER = '// tandem-script ';
/** Cache files of one script kept at most (two Node versions, an upgrade in between…). */
const KEEP = 4;

export type CacheUse = 'off' | 'made' | 'used' | 'rejected';

export interface LoadedScript<T> {
  exports: T;
  /** What happened to the cache: none wanted, none there (made now), handed to V8, or refused by it. */
  cache: CacheUse;
  /** Settles once a new cache is written (true) or could not be (false); never, if the process ends first. */
  saved: Promise<boolean>;
}

export interface ScriptCacheOptions {
  env?: NodeJS.ProcessEnv;
  /** Wait before saving, so the cache holds what the first frame compiled; tests pass 0. */
  saveAfterMs?: number;
}

/** Where the code cache goes; undefined when it is turned off. */
export function scriptCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const off = env.NODE_DISABLE_COMPILE_CACHE;
  if (off && off !== '0') return undefined;
  const home = os.homedir();
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === 'darwin'
      ? path.join(home, 'Library', 'Caches')
      : process.platform === 'win32'
        ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
        : path.join(home, '.cache'));
  return path.join(base, 'tandem');
}

function readHeader(text: string, file: string): {hash: string; imports: string[]} {
  const end = text.indexOf('\n');
  if (!text.startsWith(HEADER) || end < 0) throw new Error(`${file} is not a tandem script bundle; reinstall tandem`);
  return JSON.parse(text.slice(HEADER.length, end)) as {hash: string; imports: string[]};
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes beside, then renames: a tandem starting meanwhile reads the old cache or the new, never half. */
function writeCache(file: string, data: Buffer, prefix: string): boolean {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, {mode: 0o600});
    renameSync(temporary, file);
    const mine = readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && name.endsWith('.v8cache'))
      .map((name) => ({name, time: statSync(path.join(dir, name)).mtimeMs}))
      .sort((a, b) => b.time - a.time);
    for (const old of mine.slice(KEEP)) rmSync(path.join(dir, old.name), {force: true});
    return true;
  } catch {
    return false;
  }
}

/** Loads the script at `url`, with its imports, and resolves to what it exports. */
export async function loadScript<T>(url: URL, options: ScriptCacheOptions = {}): Promise<LoadedScript<T>> {
  const file = fileURLToPath(url);
  // ASCII by construction (the build checks), so Latin-1 reads it exactly and without decoding.
  const text = readFileSync(file, 'latin1');
  const {hash, imports} = readHeader(text, file);
  const resolve = (specifier: string) => (specifier.startsWith('.') ? new URL(specifier, url).href : specifier);
  const modules: Record<string, unknown> = {};
  await Promise.all(
    imports.map(async (specifier) => {
      modules[specifier] = await import(resolve(specifier));
    }),
  );

  const dir = scriptCacheDir(options.env);
  const prefix = `${path.basename(file, '.js')}-`;
  const cacheFile = dir && path.join(dir, `${prefix}${hash}-node${process.version}-${process.arch}.v8cache`);
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(text, {filename: file, cachedData});
  const cache: CacheUse = !cacheFile ? 'off' : !cachedData ? 'made' : script.cachedDataRejected ? 'rejected' : 'used';
  const run = script.runInThisContext() as (modules: Record<string, unknown>, load: (specifier: string) => Promise<unknown>, url: string) => Promise<T>;
  const exports = await run(modules, (specifier) => import(resolve(specifier)), url.href);

  const saved =
    cacheFile && (cache === 'made' || cache === 'rejected')
      ? new Promise<boolean>((settle) => {
          setTimeout(() => settle(writeCache(cacheFile, script.createCachedData(), prefix)), options.saveAfterMs ?? 1000).unref();
        })
      : Promise.resolve(false);
  return {exports, cache, saved};
}
