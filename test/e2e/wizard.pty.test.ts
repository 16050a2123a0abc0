// The built binary in a real pseudo-terminal, used the way a person would: wait for a screen,
// press a key, read what changed. No AWS credentials are visible, so tandem must fall back to
// explain mode on its own and still walk the whole wizard.
import {spawnSync} from 'node:child_process';
import {afterEach, describe, expect, test} from 'vitest';
import {CLI, STEPS, Session, cleanEnv, exitWithin, pause, removeTempHomes, requireBuild} from './pty-session.js';

afterEach(() => removeTempHomes());

describe('tandem in a terminal (built binary)', () => {
  test('Enter through every default reaches the review offline; q exits 0', async () => {
    requireBuild();
    const session = new Session([]);
    try {
      await session.waitFor(`step 1 of ${STEPS}`);
      await session.waitFor('explain mode — nothing will be created (');
      for (let step = 2; step <= STEPS; step++) {
        await session.press('\r');
        await session.waitFor(`step ${step} of ${STEPS}`);
      }
      await session.waitFor('Launch — explain mode, nothing will be created');
      // The details scroll in their own region above the actions: PgDn pages through them.
      for (let page = 0; page < 10 && !session.text.includes('ec2:RunInstances'); page++) {
        await session.press('\u001B[6~');
        await pause(150);
      }
      expect(session.text).toContain('Findings (');
      expect(session.text).toContain('API calls, in order');
      expect(session.text).toContain('ec2:RunInstances');
      await session.press('q');
      expect(await exitWithin(session)).toBe(0);
      expect(session.raw).toContain('\u001B[?25h');
    } finally {
      session.kill();
    }
  }, 90_000);

  test('Ctrl+C in the middle of the wizard exits 130 and gives the cursor back', async () => {
    requireBuild();
    const session = new Session(['launch']);
    try {
      await session.waitFor(`step 1 of ${STEPS}`);
      await session.press('\r');
      await session.waitFor(`step 2 of ${STEPS}`);
      await session.press('\r');
      await session.waitFor(`step 3 of ${STEPS}`);
      await session.press('\u0003');
      expect(await exitWithin(session)).toBe(130);
      expect(session.raw).toContain('\u001B[?25h');
    } finally {
      session.kill();
    }
  }, 120_000);

  test('without a terminal, tandem launch names the non-interactive way and exits 2', () => {
    requireBuild();
    const result = spawnSync(process.execPath, [CLI, 'launch'], {input: '', env: cleanEnv(), encoding: 'utf8', timeout: 20_000});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('tandem launch needs a terminal; for scripts use `tandem launch PROFILE --yes` or `tandem explain --format json`');
    expect(result.stdout).toBe('');
  });
});
