// The wizard's code cache (source/script-cache.ts) with the built binary in a terminal: the first
// run makes it a second after starting, the next runs start from it and leave it as it is, and a
// cache V8 refuses (here: garbage) is written anew, the wizard working throughout.
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {STEPS, Session, cleanEnv, exitWithin, pause, removeTempHomes, requireBuild, tempHome} from './pty-session.js';

afterEach(() => removeTempHomes());

/** Runs the wizard to step 2 and out with q; the cache is saved 1 s after start, so it stays 2 s. */
async function walk(env: Record<string, string>): Promise<void> {
  const session = new Session([], env);
  try {
    await session.waitFor(`step 1 of ${STEPS}`);
    // The second frame: the responsibility panel and, below it, the help line.
    await session.waitFor('Image provenance');
    await session.waitFor('q quit');
    await session.press('\r');
    await session.waitFor(`step 2 of ${STEPS}`);
    await pause(2000);
    await session.press('q');
    expect(await exitWithin(session)).toBe(0);
  } finally {
    session.kill();
  }
}

describe('the wizard’s code cache (built binary)', () => {
  test('made by the first run, used as it is by the next, made anew when V8 refuses it', async () => {
    requireBuild();
    const cacheHome = tempHome();
    const env = {...cleanEnv(), XDG_CACHE_HOME: cacheHome};
    const folder = path.join(cacheHome, 'tandem');

    await walk(env);
    const files = readdirSync(folder);
    expect(files).toEqual([expect.stringMatching(/^interactive-[0-9a-f]{16}-nodev[\d.]+-\w+\.v8cache$/)]);
    const file = path.join(folder, files[0]!);
    const made = statSync(file);
    expect(made.size).toBeGreaterThan(100_000);

    await walk(env);
    expect(statSync(file).mtimeMs).toBe(made.mtimeMs);

    writeFileSync(file, 'garbage');
    await walk(env);
    expect(readFileSync(file).length).toBeGreaterThan(100_000);
    expect(readdirSync(folder)).toEqual(files);
  }, 120_000);

  test('NODE_DISABLE_COMPILE_CACHE=1 keeps none', async () => {
    requireBuild();
    const cacheHome = tempHome();
    await walk({...cleanEnv(), XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: '1'});
    expect(readdirSync(cacheHome)).toEqual([]);
  }, 60_000);
});
