// Where tandem keeps state: TANDEM_HOME, or ~/.tandem. Created 0700 because launch journals
// name real resources and key paths.
import {mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tandemHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.TANDEM_HOME || path.join(os.homedir(), '.tandem'));
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, {recursive: true, mode: 0o700});
  return dir;
}

/** A path as typed: `~` and `~/…` are the user's home, anything else is resolved. */
export function expandHome(file: string, home: string = os.homedir()): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return path.resolve(file);
}
