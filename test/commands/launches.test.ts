// `tandem launches` lists every journal it finds: one it cannot read is listed with its path and
// the reason, since that launch may still have resources in AWS.
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {run} from '../../source/commands/launches.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import {tempDir} from '../integration/provision-support.js';
import {runCommand} from '../support/command-io.js';

describe('tandem launches', () => {
  const home = tempDir('tandem-home-');
  const journal = createJournal(home);
  const good = newLaunchId(new Date('2026-01-01T00:00:00Z'));
  journal.start({launchId: good, region: 'us-east-1', spec: defaultSpec(), status: 'launched', resources: [], resolved: {}});
  const damaged = newLaunchId(new Date('2026-01-02T00:00:00Z'));
  const empty = newLaunchId(new Date('2026-01-03T00:00:00Z'));
  mkdirSync(path.join(home, 'launches'), {recursive: true});
  writeFileSync(path.join(home, 'launches', `${damaged}.json`), '{"launchId": "l-2026', {mode: 0o600});
  writeFileSync(path.join(home, 'launches', `${empty}.json`), '', {mode: 0o600});

  it('lists unreadable journals with their path and why, in text', async () => {
    const {code, stdout} = await runCommand(run, [], {env: {TANDEM_HOME: home}});
    expect(code).toBe(0);
    expect(stdout).toContain(good);
    expect(stdout).toContain('Unreadable journals');
    expect(stdout).toContain(`${damaged}  ${path.join(home, 'launches', `${damaged}.json`)} is not a launch record`);
    expect(stdout).toContain(`${empty}  ${path.join(home, 'launches', `${empty}.json`)} is empty`);
  });

  it('and in JSON, as entries with status unreadable', async () => {
    const {code, stdout} = await runCommand(run, [], {env: {TANDEM_HOME: home}, flags: {output: 'json'}});
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(listed.map((item) => [item.launchId, item.status])).toEqual([
      [good, 'launched'],
      [damaged, 'unreadable'],
      [empty, 'unreadable'],
    ]);
    expect(listed[1]).toMatchObject({journal: path.join(home, 'launches', `${damaged}.json`), problem: expect.stringContaining('not a launch record')});
  });
});
