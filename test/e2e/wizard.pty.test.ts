// The built binary in a real pseudo-terminal, used the way a person would: wait for a screen,
// press a key, read what changed. No AWS credentials are visible, so tandem must fall back to
// explain mode on its own and still walk the whole wizard.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {spawn, type IPty} from '@lydell/node-pty';

const CLI = path.resolve('dist/cli.js');
const STEPS = 12;

function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds before running vitest)`);
}

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, {recursive: true, force: true});
});

/** An environment in which the AWS credential chain finds nothing, and state goes to a temp dir. */
function cleanEnv(): Record<string, string> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  homes.push(home);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return {
    ...env,
    TERM: 'xterm-256color',
    TANDEM_HOME: path.join(home, 'tandem'),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: path.join(home, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-such-credentials'),
    // Keep the credential chain from probing an instance metadata endpoint that is not there.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g;

/** A terminal session: everything written so far (raw and without escape codes), and its exit. */
class Session {
  raw = '';
  exit: Promise<number>;
  private seen = 0;
  private readonly pty: IPty;

  constructor(args: string[]) {
    this.pty = spawn(process.execPath, [CLI, ...args], {name: 'xterm-256color', cols: 100, rows: 40, cwd: process.cwd(), env: cleanEnv()});
    this.pty.onData((data) => {
      this.raw += data;
    });
    this.exit = new Promise((resolve) => this.pty.onExit(({exitCode}) => resolve(exitCode)));
  }

  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  /** Waits for `text` to appear in output written after the previous wait matched. */
  async waitFor(text: string, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      const index = this.text.indexOf(text, this.seen);
      if (index !== -1) {
        this.seen = index + text.length;
        return;
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`waited ${timeoutMs} ms for "${text}" on the terminal; it shows:\n${this.text.slice(-3000)}`);
      }
      await pause(25);
    }
  }

  /** Presses a key after a short human pause. */
  async press(key: string): Promise<void> {
    await pause(60);
    this.pty.write(key);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exitWithin(session: Session, ms = 10_000): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`tandem did not exit within ${ms} ms; screen:\n${session.text.slice(-2000)}`)), ms));
  try {
    return await Promise.race([session.exit, timeout]);
  } finally {
    session.kill();
  }
}

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
      await session.waitFor('Findings');
      await session.waitFor('API calls, in order');
      await session.waitFor('ec2:RunInstances');
      await session.waitFor('Launch — explain mode, nothing will be created');
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
  }, 60_000);

  test('without a terminal, tandem launch names the non-interactive way and exits 2', () => {
    requireBuild();
    const result = spawnSync(process.execPath, [CLI, 'launch'], {input: '', env: cleanEnv(), encoding: 'utf8', timeout: 20_000});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('tandem launch needs a terminal; for scripts use `tandem launch PROFILE --yes` or `tandem explain --format json`');
    expect(result.stdout).toBe('');
  });
});
