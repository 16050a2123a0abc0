import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/exit.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {createJournal, isLaunchId, newLaunchId} from '../../source/store/journal.js';
import {tempDir} from '../integration/provision-support.js';

const start = (journal: ReturnType<typeof createJournal>, launchId = newLaunchId()) =>
  journal.start({launchId, region: 'us-east-1', spec: defaultSpec(), status: 'launching', resources: [], resolved: {}});

describe('launch ids', () => {
  it('are unique, sortable by time and safe as file names', () => {
    const early = newLaunchId(new Date('2026-01-02T03:04:05Z'));
    const late = newLaunchId(new Date('2026-11-02T03:04:05Z'));
    expect(early).toMatch(/^l-20260102t030405-[0-9a-f]{6}$/);
    expect(early < late).toBe(true);
    expect(isLaunchId(early)).toBe(true);
    expect(newLaunchId()).not.toBe(newLaunchId());
    for (const bad of ['../etc/passwd', 'l-1', '', 'l-20260102t030405-ZZZZZZ']) expect(isLaunchId(bad)).toBe(false);
  });
});

describe('journal', () => {
  it('reads a record written before access existed as a launch with no way in but SSH', () => {
    const home = tempDir('tandem-home-');
    const journal = createJournal(home);
    const record = start(journal);
    const file = path.join(home, 'launches', `${record.launchId}.json`);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as {spec: Record<string, unknown>};
    delete raw.spec.access;
    writeFileSync(file, JSON.stringify(raw));
    expect(journal.read(record.launchId).spec.access).toEqual({sessionManager: false, instanceConnect: false});
  });

  it('writes one 0600 file per launch and rewrites it on every update', () => {
    const home = tempDir('tandem-home-');
    const journal = createJournal(home);
    const record = start(journal);
    const file = path.join(home, 'launches', `${record.launchId}.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    journal.update(record.launchId, (current) => {
      current.resources.push({kind: 'vpc', id: 'vpc-1', stepId: 'vpc', region: 'us-east-1'});
      current.status = 'launched';
    });
    const read = journal.read(record.launchId);
    expect(read.resources).toHaveLength(1);
    expect(read.status).toBe('launched');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // No temp files left behind by the atomic writes.
    expect(readdirSync(path.join(home, 'launches'))).toEqual([`${record.launchId}.json`]);
  });

  it('lists launches oldest first and skips files that are not journals', () => {
    const home = tempDir('tandem-home-');
    const journal = createJournal(home);
    const first = start(journal, newLaunchId(new Date('2026-01-01T00:00:00Z')));
    const second = start(journal, newLaunchId(new Date('2026-02-01T00:00:00Z')));
    writeFileSync(path.join(home, 'launches', 'notes.txt'), 'hello');
    writeFileSync(path.join(home, 'launches', `${newLaunchId()}.json`), '{broken');
    expect(journal.list().map((record) => record.launchId)).toEqual([first.launchId, second.launchId]);
    expect(createJournal(tempDir('tandem-empty-')).list()).toEqual([]);
  });

  it('answers unknown, malformed and unsafe ids with a UsageError', () => {
    const home = tempDir('tandem-home-');
    const journal = createJournal(home);
    expect(() => journal.read('l-20260101t000000-abcdef')).toThrow(UsageError);
    expect(() => journal.read('l-20260101t000000-abcdef')).toThrow(/no launch l-20260101t000000-abcdef/);
    expect(() => journal.read('../../etc/passwd')).toThrow(/not a launch id/);
    const id = newLaunchId();
    mkdirSync(path.join(home, 'launches'), {recursive: true});
    writeFileSync(path.join(home, 'launches', `${id}.json`), 'not json', {flag: 'w'});
    expect(() => journal.read(id)).toThrow(/not readable JSON/);
  });

  it('refuses to start a launch whose journal already exists', () => {
    const journal = createJournal(tempDir('tandem-home-'));
    const record = start(journal);
    expect(() => start(journal, record.launchId)).toThrow();
  });
});
