// `tandem launches` lists every journal it finds: one it cannot read is listed with its path and
// the reason, since that launch may still have resources in AWS.
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import stringWidth from 'string-width';
import {fitColumns, NAME_COLUMNS, run} from '../../source/commands/launches.js';
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

describe('tandem launches with long and wide names', () => {
  const home = tempDir('tandem-home-');
  const journal = createJournal(home);
  const names = ['web-1', '東京のウェブサーバー', '🚀🚀-launch-🎉', 'a-name-far-longer-than-any-column-should-ever-be-on-a-terminal'];
  names.forEach((name, index) => {
    const spec = defaultSpec();
    journal.start({
      launchId: newLaunchId(new Date(Date.UTC(2026, 0, index + 1))),
      region: 'us-east-1',
      spec: {...spec, instance: {...spec.instance, name}},
      status: 'launched',
      resources: [],
      resolved: {instanceId: `i-0${index}`},
    });
  });

  it('lines the columns up in display width and cuts a long name with …', async () => {
    const {code, stdout} = await runCommand(run, [], {env: {TANDEM_HOME: home}});
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(names.length + 1);
    // The INSTANCE column starts at the same display column on every line.
    const at = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    const column = at(lines[0], 'INSTANCE');
    expect(lines.slice(1).map((line, index) => at(line, `i-0${index}`))).toEqual(names.map(() => column));
    expect(stdout).toContain('東京のウェブサーバー');
    expect(stdout).toContain('🚀🚀-launch-🎉');
    expect(stdout).not.toContain(names[3]);
    expect(lines[4]).toContain(`${names[3].slice(0, NAME_COLUMNS - 1)}…`);
    expect(Math.max(...lines.map((line) => stringWidth(line)))).toBeLessThan(130);
  });

  it('cuts by display width: wide characters count two columns', () => {
    expect(fitColumns('東京のウェブ', 7)).toBe('東京の…');
    expect(stringWidth(fitColumns('🚀🚀🚀🚀', 5))).toBeLessThanOrEqual(5);
  });
});

describe('tandem launches --output json with a name that drives a terminal', () => {
  const home = tempDir('tandem-home-');
  const journal = createJournal(home);
  const launchId = newLaunchId(new Date('2026-01-04T00:00:00Z'));
  // U+009B is a one-character CSI; U+202E reverses what follows on screen.
  const name = 'web\u009b2J\u202eevil\u001b]0;owned\u0007';
  journal.start({launchId, region: 'us-east-1', spec: {...defaultSpec(), instance: {...defaultSpec().instance, name}}, status: 'launched', resources: [], resolved: {}});

  it('prints no byte a terminal acts on, and the name parses back exactly', async () => {
    const {code, stdout} = await runCommand(run, [], {flags: {output: 'json'}, env: {TANDEM_HOME: home}});
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect((JSON.parse(stdout) as Array<{name: string}>)[0].name).toBe(name);
  });
});
