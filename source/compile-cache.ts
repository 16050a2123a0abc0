// Node's compile cache (Node 22.1 and later): the bytecode of every ES module chunk tandem loads
// after this call (the wizard, the command chunks, the AWS SDK's for the commands that need it) is
// kept on disk and reused by the next start, so later starts skip most compiling. Node 20 has no
// such cache; there this does nothing. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node
// program.
//
// The cache lives in the user's cache folder (XDG_CACHE_HOME/tandem/node, or the platform's),
// created 0700, rather than Node's default under the shared temp folder: compiled code read from a
// folder another user could write to would be theirs to choose. It holds compiled code only, never
// data the program handled.
import {mkdirSync} from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** Where the compile cache goes; undefined when it is turned off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const off = env.NODE_DISABLE_COMPILE_CACHE;
  if (off && off !== '0') return undefined;
  const home = os.homedir();
  const base =
    env.XDG_CACHE_HOME ||
    (platform === 'darwin' ? path.join(home, 'Library', 'Caches') : platform === 'win32' ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local')) : path.join(home, '.cache'));
  return path.join(base, 'tandem', 'node');
}

type EnableCompileCache = (directory?: string) => unknown;

/** Turns Node's compile cache on where Node has one; never fails a start over a cache. */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  const enable = (module as {enableCompileCache?: EnableCompileCache}).enableCompileCache;
  const directory = compileCacheDir(env);
  if (!enable || !directory) return;
  try {
    mkdirSync(directory, {recursive: true, mode: 0o700});
    enable(directory);
  } catch {
    // An unwritable cache folder costs a slower start, nothing more.
  }
}
