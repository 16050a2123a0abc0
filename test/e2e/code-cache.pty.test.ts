// Node's compile cache (source/compile-cache.ts) with the built binary in a terminal: on a Node that
// has one (22.1 and later) the first run leaves the compiled chunks in the user's cache folder,
// made 0700, and the next runs start from them; Node 20 has none and writes nothing there. The
// wizard works throughout.
import {readdirSync, statSync} from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {STEPS, Session, cleanEnv, exitWithin, removeTempHomes, requireBuild, tempHome} from './pty-session.js';

afterEach(() => removeTempHomes());

const nodeHasCompileCache = typeof (module as {enableCompileCache?: unknown}).enableCompileCache === 'function';

/** Runs the wizard to step 2 and out with q (Node writes its compile cache as the process exits). */
async function walk(env: Record<string, string>): Promise<void> {
  const session = new Session([], env);
  try {
    await session.waitFor(`step 1 of ${STEPS}`);
    await session.waitFor('q quit');
    await session.press('\r');
    await session.waitFor(`step 2 of ${STEPS}`);
    await session.press('q');
    expect(await exitWithin(session)).toBe(0);
  } finally {
    session.kill();
  }
}

/** Every file under `folder`, relative to it. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

describe('the compile cache (built binary)', () => {
  test(`${nodeHasCompileCache ? 'made 0700 in the user cache folder by the first run, kept by the next' : 'Node 20 has none: nothing is written'}`, async () => {
    requireBuild();
    const cacheHome = tempHome();
    // Each run in a home of its own, one cache between them: the first run's quit keeps a draft,
    // which would turn the second run's first screen into the resume offer.
    const env = () => ({...cleanEnv(), XDG_CACHE_HOME: cacheHome});
    const folder = path.join(cacheHome, 'tandem', 'node');

    await walk(env());
    if (!nodeHasCompileCache) {
      expect(readdirSync(cacheHome)).toEqual([]);
      return;
    }
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const files = filesUnder(folder);
    // The wizard's bundle is the largest chunk the first frame loads.
    expect(files.length).toBeGreaterThan(1);
    const sizes = files.map((file) => statSync(path.join(folder, file)).size);
    expect(Math.max(...sizes)).toBeGreaterThan(100_000);

    await walk(env());
    expect(filesUnder(folder).sort()).toEqual([...files].sort());
  }, 120_000);

  test('NODE_DISABLE_COMPILE_CACHE=1 keeps none', async () => {
    requireBuild();
    const cacheHome = tempHome();
    await walk({...cleanEnv(), XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1'});
    expect(readdirSync(cacheHome)).toEqual([]);
  }, 60_000);
});
