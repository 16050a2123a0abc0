// The launch journal on disk: one JSON file per launch under <home>/launches/, mode 0600 from the
// moment it exists (journals name real resources and key paths), rewritten atomically on every
// change so a crash mid-write never leaves a half record that `tandem destroy` cannot read.
import {accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../exit.js';
import {cliLaunchNotice, isCliLaunchId} from '../domain/export-cli.js';
import {t} from '../domain/safe-text.js';
import {NO_ACCESS} from '../domain/spec.js';
import {ensureDir} from './home.js';
import type {LaunchRecord} from './journal-types.js';

const ID_PATTERN = /^l-[0-9]{8}t[0-9]{6}-[0-9a-f]{6}$/;

// The Web Crypto global rather than an import of node:crypto: the wizard imports this module for
// its first frame, and node:crypto loads some twenty internal modules that only a launch or a
// save needs. The global loads them on first use.
function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}

/** 'l-20261129t025618-3fa9c1': sortable by time, safe as a file name and as an AWS tag value. */
export function newLaunchId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase();
  return `l-${stamp}-${randomHex(3)}`;
}

export function isLaunchId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * Why launch journals cannot be kept under `home`, or undefined when they can. Creates the folder
 * (0700) one level at a time: Node's recursive mkdir never returns on some special filesystems
 * (e.g. under /proc), and a launch must not start when its journal cannot be written.
 */
export function journalDirProblem(home: string): string | undefined {
  const dir = path.join(home, 'launches');
  const missing: string[] = [];
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) {
    missing.unshift(current);
    current = path.dirname(current);
  }
  try {
    for (const folder of missing) mkdirSync(folder, {mode: 0o700});
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), {code: 'ENOTDIR'});
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return `launch journals cannot be kept in ${dir} (${code}); set TANDEM_HOME to a folder you can write`;
  }
}

export interface Journal {
  dir: string;
  start(record: Omit<LaunchRecord, 'createdAt' | 'updatedAt'> & Partial<Pick<LaunchRecord, 'createdAt' | 'updatedAt'>>): LaunchRecord;
  update(launchId: string, change: (record: LaunchRecord) => LaunchRecord | void): LaunchRecord;
  read(launchId: string): LaunchRecord;
  list(): LaunchRecord[];
  /** Every journal file: the records, and those that could not be read with the reason. */
  scan(): {records: LaunchRecord[]; unreadable: UnreadableJournal[]};
}

export interface UnreadableJournal {
  launchId: string;
  file: string;
  reason: string;
}

/** Write via a temp file in the same directory, fsync, then rename over the target. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, {force: true});
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, {force: true});
    throw error;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files a killed tandem left mid-write for this journal file (the pid in the name is gone). */
function sweepStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(path.join(dir, name), {force: true});
  }
}

function parseRecord(text: string): LaunchRecord | undefined {
  try {
    const value = JSON.parse(text) as LaunchRecord;
    if (value && typeof value === 'object' && typeof value.launchId === 'string' && Array.isArray(value.resources)) {
      // Records written before `access` existed launched with no way in but SSH.
      if (value.spec && typeof value.spec === 'object' && !value.spec.access) value.spec.access = {...NO_ACCESS};
      return value;
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function createJournal(home: string): Journal {
  const dir = path.join(home, 'launches');
  const fileOf = (launchId: string) => {
    if (isCliLaunchId(launchId)) throw new UsageError(cliLaunchNotice(launchId));
    if (!isLaunchId(launchId)) {
      throw new UsageError(t.text`"${launchId}" is not a launch id (they look like l-20260101t120000-a1b2c3); run tandem launches to list them`);
    }
    return path.join(dir, `${launchId}.json`);
  };
  const save = (record: LaunchRecord) => {
    ensureDir(dir);
    writeAtomically(fileOf(record.launchId), `${JSON.stringify(record, null, 2)}\n`);
  };

  const read = (launchId: string): LaunchRecord => {
    const file = fileOf(launchId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`no launch ${launchId} in ${dir}; run tandem launches to list them`);
    }
    const record = parseRecord(text);
    if (!record) throw new UsageError(`the journal of launch ${launchId} (${file}) is not readable JSON`);
    return record;
  };

  const scan = (): {records: LaunchRecord[]; unreadable: UnreadableJournal[]} => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return {records: [], unreadable: []};
    }
    const records: LaunchRecord[] = [];
    const unreadable: UnreadableJournal[] = [];
    for (const name of names) {
      const launchId = name.slice(0, -5);
      if (!name.endsWith('.json') || !isLaunchId(launchId)) continue;
      const file = path.join(dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // a journal removed between readdir and read is simply not listed
        if (code !== 'ENOENT') unreadable.push({launchId, file, reason: `cannot be read (${code ?? 'unknown error'})`});
        continue;
      }
      const record = parseRecord(text);
      if (record) records.push(record);
      else unreadable.push({launchId, file, reason: text.trim() === '' ? 'is empty' : 'is not a launch record (damaged or not JSON)'});
    }
    return {records: records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), unreadable: unreadable.sort((a, b) => a.launchId.localeCompare(b.launchId))};
  };

  return {
    dir,
    start(input) {
      const now = new Date().toISOString();
      const record: LaunchRecord = {createdAt: now, updatedAt: now, ...input};
      const file = fileOf(record.launchId);
      ensureDir(dir);
      // Refuse to overwrite another launch's journal: ids are unique, a clash is a bug.
      const fd = openSync(file, 'wx', 0o600);
      closeSync(fd);
      save(record);
      return record;
    },
    update(launchId, change) {
      const current = read(launchId);
      const copy = structuredClone(current);
      const next = change(copy) ?? copy;
      next.updatedAt = new Date().toISOString();
      save(next);
      // A process killed mid-write leaves a temp file; any change of status is a good moment to sweep.
      if (current.status !== next.status) sweepStaleTemps(fileOf(launchId));
      return next;
    },
    read,
    list() {
      return scan().records;
    },
    scan,
  };
}
