// Processes in a real pseudo-terminal, as a person runs them, with timestamps for every chunk
// of output. Environments carry no AWS credentials unless a measurement adds them.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {spawn, type IPty} from '@lydell/node-pty';
import {stripAnsi} from '../test/support/ansi.js';
import {cleanEnv as cleanProcessEnv} from '../test/support/clean-env.js';

/** The checkout: the nearest directory above this file with tandem's package.json. */
function findRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'cli.tsx'))) return dir;
  }
  return process.cwd();
}
export const ROOT = findRoot();
export const CLI = path.join(ROOT, 'dist', 'cli.js');
/** bench/ink-hello.tsx, bundled the way dist/ is (bench/run.mjs builds it). */
export const INK_HELLO = path.join(ROOT, '.bench', 'ink-hello', 'cli.js');

/** Ink ends every frame written to a terminal with this (synchronized output off). */
export const FRAME_END = '\u001B[?2026l';

const temps: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, {recursive: true, force: true});
}

/** process.env without AWS settings or colour overrides, state in a temp TANDEM_HOME. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return cleanProcessEnv(tempDir('tandem-bench-'), extra);
}

export interface Memory {
  rssMB: number;
  hwmMB: number;
}

/** VmRSS and VmHWM (peak RSS) of a live process, from /proc. */
export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return {rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024};
}

export class Terminal {
  readonly started = performance.now();
  readonly pty: IPty;
  raw = '';
  /** performance.now() of every output chunk. */
  readonly chunks: number[] = [];
  readonly exit: Promise<number>;
  private text = '';
  private seen = 0;
  private listeners: Array<() => void> = [];

  constructor(file: string, args: string[], env: Record<string, string>) {
    this.pty = spawn(file, args, {name: 'xterm-256color', cols: 100, rows: 40, cwd: ROOT, env});
    this.pty.onData((data) => {
      this.chunks.push(performance.now());
      this.raw += data;
      this.text = '';
      for (const listener of [...this.listeners]) listener();
    });
    this.exit = new Promise((resolve) => this.pty.onExit(({exitCode}) => resolve(exitCode)));
  }

  get pid(): number {
    return this.pty.pid;
  }

  get plain(): string {
    if (!this.text) this.text = stripAnsi(this.raw);
    return this.text;
  }

  /** Resolves, inside the output handler, once `text` appears after the previous match. */
  waitFor(text: string, timeoutMs = 20_000, onMatch?: () => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.plain.indexOf(text, this.seen);
        if (index === -1) return false;
        this.seen = index + text.length;
        const at = performance.now();
        onMatch?.();
        cleanup();
        resolve(at);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waited ${timeoutMs} ms for "${text}"; the terminal shows:\n${this.plain.slice(-1500)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((item) => item !== listener);
      };
      const listener = () => void check();
      this.listeners.push(listener);
      check();
    });
  }

  /**
   * Writes `keys`; resolves with the time until the next chunk of output (the frame starting),
   * after the frame is complete: Ink wraps each frame in synchronized-output markers, so the
   * frame ends with ESC[?2026l. Undefined when nothing was drawn within `timeoutMs`.
   */
  keyToFrame(keys: string, timeoutMs = 2000): Promise<number | undefined> {
    return new Promise((resolve) => {
      const before = this.chunks.length;
      const rawBefore = this.raw.length;
      const sent = performance.now();
      const done = (value: number | undefined) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((item) => item !== listener);
        resolve(value);
      };
      const timer = setTimeout(() => done(this.chunks.length > before ? this.chunks[before] - sent : undefined), timeoutMs);
      const listener = () => {
        if (this.chunks.length > before && this.raw.indexOf(FRAME_END, rawBefore) !== -1) done(this.chunks[before] - sent);
      };
      this.listeners.push(listener);
      this.pty.write(keys);
    });
  }

  write(keys: string): void {
    this.pty.write(keys);
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
