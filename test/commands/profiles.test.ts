import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {run} from '../../source/commands/profiles.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {PROFILE_HEADER, parseProfileText} from '../../source/store/profile-file.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {loadProfileArgument} from '../../source/store/resolve.js';
import {runCommand} from '../support/command-io.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-profiles-cmd-'));
});
afterEach(() => {
  rmSync(home, {recursive: true, force: true});
});

async function profiles(args: string[], flags: Partial<GlobalFlags> = {}) {
  return runCommand(run, args, {flags, env: {TANDEM_HOME: home}});
}

const SHOP = `version: 1
region: eu-west-1
instance: {name: shop-1, type: t3.small}
securityGroup: {name: shop-sg, https: 0.0.0.0/0, ssh: 203.0.113.7/32}
acceptedRisks: [{finding: http-open-to-internet, reason: public web shop}]
tags: {owner: ops}
`;

function writeProfile(name: string, text: string): string {
  const file = path.join(home, name);
  writeFileSync(file, text);
  return file;
}

describe('tandem profiles', () => {
  it('round trip: import, list, show, export, import the export, launch from the exported file', async () => {
    const file = writeProfile('shop.yaml', SHOP);
    const imported = await profiles(['import', file]);
    expect(imported).toMatchObject({code: 0, stdout: ''});
    expect(imported.stderr).toBe(`imported profile shop from ${file}; launch it with: tandem launch shop\n`);

    const list = await profiles(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+REGION\s+INSTANCE\s+TYPE\s+IMAGE\s+SAVED$/);
    expect(list.stdout.split('\n')[1]).toMatch(/^shop\s+eu-west-1\s+shop-1\s+t3\.small\s+al2023\s+\d{4}-\d\d-\d\dT/);

    const json = await profiles(['list'], {output: 'json'});
    const parsed = JSON.parse(json.stdout) as {profiles: Array<{name: string; region: string; acceptedRisks: number}>};
    expect(parsed.profiles).toEqual([expect.objectContaining({name: 'shop', region: 'eu-west-1', acceptedRisks: 1})]);

    const show = await profiles(['show', 'shop']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`# ${PROFILE_HEADER}`);
    const expected = parseProfileText(SHOP, 'shop.yaml');
    expect(parseProfileText(show.stdout, 'show')).toEqual(expected);

    const exported = await profiles(['export', 'shop']);
    expect(exported.code).toBe(0);
    const exportFile = writeProfile('exported.yaml', exported.stdout);
    expect(await profiles(['import', exportFile], {name: 'shop-copy'})).toMatchObject({code: 0});
    expect(openProfileStore({env: {TANDEM_HOME: home}}).get('shop-copy')?.spec).toEqual(expected);

    // `tandem launch ./exported.yaml` resolves the same spec as `tandem launch shop`.
    expect((await loadProfileArgument(exportFile, {TANDEM_HOME: home})).spec).toEqual(expected);
    expect((await loadProfileArgument('shop', {TANDEM_HOME: home})).spec).toEqual(expected);
  });

  it('import refuses to overwrite without --force', async () => {
    const file = writeProfile('web.yaml', 'version: 1\n');
    expect((await profiles(['import', file])).code).toBe(0);
    const other = writeProfile('other.yaml', SHOP);
    const refused = await profiles(['import', other], {name: 'web'});
    expect(refused).toMatchObject({code: 2, stdout: ''});
    expect(refused.stderr).toBe('tandem profiles: profile "web" already exists; pass --force to replace it, or choose another name\n');
    expect(openProfileStore({env: {TANDEM_HOME: home}}).get('web')?.spec).toEqual(defaultSpec());
    const forced = await profiles(['import', other], {name: 'web', force: true});
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^replaced profile web/);
    expect(openProfileStore({env: {TANDEM_HOME: home}}).get('web')?.spec.region).toBe('eu-west-1');
  });

  it('import of a bad file exits 2 with file, line and field, and saves nothing', async () => {
    const file = writeProfile('bad.yaml', 'version: 1\nstorage:\n  encrypted: yes please\n');
    const result = await profiles(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`tandem profiles: ${file}:3:14 storage.encrypted: expected a boolean, got string "yes please"\n`);
    expect((await profiles(['list'], {output: 'json'})).stdout).toBe('{"profiles":[]}\n');
  });

  it('import names a file whose base name is not a valid profile name', async () => {
    const file = writeProfile('my shop.yaml', 'version: 1\n');
    const result = await profiles(['import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/profile name "my shop" is not valid.*choose one with --name/);
  });

  it('rm removes and says what it removed; unknown names exit 2', async () => {
    openProfileStore({env: {TANDEM_HOME: home}}).save('web', defaultSpec());
    const removed = await profiles(['rm', 'web']);
    expect(removed).toMatchObject({code: 0, stdout: ''});
    expect(removed.stderr).toBe('removed profile web (us-east-1, web-1 t3.micro)\n');
    expect(await profiles(['rm', 'web'])).toMatchObject({code: 2, stderr: 'tandem profiles: no saved profile named "web"; see tandem profiles list\n'});
    expect((await profiles(['show', 'web'])).code).toBe(2);
    expect((await profiles(['export', 'web'])).code).toBe(2);
  });

  it('a home that cannot be written: list still answers, import is exit 2 with a sentence', async () => {
    const blocked = writeProfile('a-file', '');
    const env = {TANDEM_HOME: path.join(blocked, 'tandem')};
    const listed = await runCommand(run, ['list'], {env});
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toContain('no saved profiles yet');
    expect(listed.stderr).not.toMatch(/mkdir/);
    const imported = await runCommand(run, ['import', writeProfile('shop.yaml', SHOP)], {env});
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/^tandem profiles: profiles cannot be kept in \S+ \(ENOTDIR\); set TANDEM_HOME to a folder you can write\n$/);
  });

  it('an empty store lists nothing on stdout', async () => {
    const result = await profiles(['list']);
    expect(result).toMatchObject({code: 0, stdout: ''});
    expect(result.stderr).toMatch(/no saved profiles yet/);
  });

  it('bad usage exits 2 with the usage line', async () => {
    for (const args of [[], ['frobnicate'], ['show'], ['show', 'a', 'b'], ['import'], ['list', 'extra']]) {
      const result = await profiles(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
    }
    expect((await profiles(['frobnicate'])).stderr).toBe(
      'tandem profiles: unknown profiles subcommand "frobnicate"\nusage: tandem profiles list | show NAME | rm NAME | export NAME | import FILE [--name N] [--force]\n',
    );
    expect((await profiles(['list'], {output: 'yaml'})).stderr).toBe('tandem profiles: --output must be json or text, not "yaml"\n');
  });

  it('reports a corrupted store and keeps going', async () => {
    const {mkdirSync} = await import('node:fs');
    mkdirSync(path.join(home, 'profiles'), {recursive: true});
    writeFileSync(path.join(home, 'profiles', 'profiles.json'), '][');
    const result = await profiles(['list'], {output: 'json'});
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"profiles":[]}\n');
    expect(result.stderr).toMatch(/^tandem profiles: warning: the profile store file .*profiles\.json was damaged: it is not valid JSON; it was moved to .*profiles\.json\.corrupt-/);
  });
});

describe('tandem profiles import from a file whose name drives a terminal', () => {
  it('says what it imported with the file name inert', async () => {
    const file = writeProfile('shop\u001b[2J\u001b]0;owned\u0007.yaml', SHOP);
    const result = await profiles(['import', file], {name: 'shop'});
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stderr).toContain('shop\\x1b[2J\\x1b]0;owned\\x07.yaml');
  });
});
