// A real pseudo-terminal session with the built binary, read the way a person reads a screen:
// strip the escape codes from everything written so far and look for text.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {spawn, type IPty} from '@lydell/node-pty';
import {stripAnsi} from '../support/ansi.js';
import {cleanEnv as cleanProcessEnv} from '../support/clean-env.js';

/** The built binary; TANDEM_E2E_CLI points elsewhere (e.g. a private build while others rebuild dist/). */
export const CLI = path.resolve(process.env.TANDEM_E2E_CLI ?? 'dist/cli.js');
export const STEPS = 12;

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds before running vitest)`);
}

const homes: string[] = [];
/** Processes of the sessions started since the last removeTempHomes. */
const started: number[] = [];

/** Whether process `pid` still runs (signal 0 only asks). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes the temporary homes made by cleanEnv (call from afterEach). It first waits (up to 5 s)
 * for every session's tandem to end: a killed tandem keeps the wizard's answers in its home as it
 * exits, and removing the folder while it writes fails with ENOTEMPTY.
 */
export async function removeTempHomes(): Promise<void> {
  const until = Date.now() + 5000;
  for (const pid of started.splice(0)) while (running(pid) && Date.now() < until) await pause(25);
  // Retries: the pty reports exit when the terminal closes, which can be a moment before the
  // process has finished writing its draft into the home.
  for (const home of homes.splice(0)) rmSync(home, {recursive: true, force: true, maxRetries: 10, retryDelay: 100});
}

/** A temporary directory removed by removeTempHomes. */
export function tempHome(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-'));
  homes.push(home);
  return home;
}

/** An environment in which the AWS credential chain finds nothing, and state goes to a temp dir. */
export function cleanEnv(home = tempHome()): Record<string, string> {
  return cleanProcessEnv(home);
}

/**
 * An environment pointed at the local AWS endpoint with test credentials (moto's default account:
 * the binary cannot send the per-test account header), state in a temp dir; `extra` adds to it.
 */
export function motoEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  const home = tempHome();
  return {...cleanEnv(home), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint, HOME: home, ...extra};
}

/** A terminal session: everything written so far (raw and without escape codes), and its exit. */
export class Session {
  raw = '';
  exit: Promise<number>;
  private seen = 0;
  private readonly pty: IPty;

  constructor(args: string[], env: Record<string, string> = cleanEnv()) {
    this.pty = spawn(process.execPath, [CLI, ...args], {name: 'xterm-256color', cols: 100, rows: 40, cwd: process.cwd(), env});
    started.push(this.pty.pid);
    this.pty.onData((data) => {
      this.raw += data;
    });
    this.exit = new Promise((resolve) => this.pty.onExit(({exitCode}) => resolve(exitCode)));
  }

  get text(): string {
    return stripAnsi(this.raw);
  }

  /** The text written since the previous wait matched. */
  get fresh(): string {
    return this.text.slice(this.seen);
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

  /**
   * Waits for `pattern` in output written after the previous wait matched. For text the layout may
   * wrap (a long review line breaks wherever the columns fall), so `\s+` can span the break.
   */
  async waitForMatch(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    const started = Date.now();
    while (!pattern.test(this.fresh)) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(`waited ${timeoutMs} ms for ${pattern} on the terminal; it shows:\n${this.text.slice(-3000)}`);
      }
      await pause(25);
    }
  }

  /** Waits for whichever of `texts` appears first (after the previous match) and returns it. */
  async waitForAny(texts: string[], timeoutMs = 15_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const found = texts
        .map((text) => ({text, index: this.text.indexOf(text, this.seen)}))
        .filter((hit) => hit.index !== -1)
        .sort((a, b) => a.index - b.index)[0];
      if (found) {
        this.seen = found.index + found.text.length;
        return found.text;
      }
      if (Date.now() - started > timeoutMs) {
        throw new Error(`waited ${timeoutMs} ms for any of ${JSON.stringify(texts)} on the terminal; it shows:\n${this.text.slice(-3000)}`);
      }
      await pause(25);
    }
  }

  /** Presses a key after a short human pause. */
  async press(key: string): Promise<void> {
    await pause(60);
    this.pty.write(key);
  }

  /** The process id of tandem in the terminal. */
  get pid(): number {
    return this.pty.pid;
  }

  /** Resizes the terminal; a live screen redraws itself for the new size. */
  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
  }

  /** Writes bytes as they are, invalid UTF-8 included (node-pty's typing says string; the Unix side writes a Buffer as is). */
  writeBytes(bytes: Buffer): void {
    this.pty.write(bytes as unknown as string);
  }

  kill(): void {
    try {
      this.pty.kill();
    } catch {
      // already gone
    }
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function exitWithin(session: Session, ms = 10_000): Promise<number> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`tandem did not exit within ${ms} ms; screen:\n${session.text.slice(-2000)}`)), ms));
  try {
    return await Promise.race([session.exit, timeout]);
  } finally {
    session.kill();
  }
}
