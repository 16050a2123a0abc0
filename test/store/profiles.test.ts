import {chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/exit.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {openProfileStore, profileNameProblem, profilesDir} from '../../source/store/profiles.js';
import {loadProfileArgument} from '../../source/store/resolve.js';

let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-profiles-'));
  env = {TANDEM_HOME: home};
});
afterEach(() => {
  rmSync(home, {recursive: true, force: true});
});

const hardened = (): LaunchSpec => ({
  ...defaultSpec('eu-west-1'),
  instance: {...defaultSpec().instance, name: 'shop-1', type: 't3.small'},
  securityGroup: {mode: 'create', name: 'shop-sg', http: '0.0.0.0/0', https: '0.0.0.0/0', ssh: '203.0.113.7/32'},
  acceptedRisks: [{finding: 'http-open-to-internet', reason: 'public web shop'}],
  tags: {owner: 'ops'},
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('profile store', () => {
  it('saves, lists, gets and removes profiles', () => {
    const store = openProfileStore({env});
    expect(store.list()).toEqual([]);
    store.save('web', defaultSpec());
    store.save('shop', hardened());
    expect(store.list().map((p) => p.name)).toEqual(['shop', 'web']);
    expect(store.get('shop')?.spec).toEqual(hardened());
    expect(store.has('web')).toBe(true);
    expect(store.remove('web')?.name).toBe('web');
    expect(store.remove('web')).toBeUndefined();
    expect(
      openProfileStore({env})
        .list()
        .map((p) => p.name),
    ).toEqual(['shop']);
  });

  it('a profile stored before access existed keeps its meaning: no way in but SSH', () => {
    const store = openProfileStore({env});
    store.save('web', hardened());
    const file = path.join(profilesDir(env), 'profiles.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as {profiles: Record<string, {spec: Partial<LaunchSpec>}>};
    delete data.profiles.web.spec.access;
    writeFileSync(file, JSON.stringify(data));
    expect(openProfileStore({env}).get('web')?.spec).toEqual({...hardened(), access: {sessionManager: false, instanceConnect: false}});
  });

  it('names with dots are whole names, not paths into the store', () => {
    const store = openProfileStore({env});
    store.save('web.prod', defaultSpec());
    expect(store.get('web.prod')?.name).toBe('web.prod');
    expect(store.get('web')).toBeUndefined();
  });

  it('refuses to overwrite without force, and overwrites with it', () => {
    const store = openProfileStore({env});
    store.save('web', defaultSpec());
    expect(() => store.save('web', hardened())).toThrow(UsageError);
    expect(() => store.save('web', hardened())).toThrow(/already exists; pass --force/);
    expect(store.get('web')?.spec).toEqual(defaultSpec());
    store.save('web', hardened(), {force: true});
    expect(store.get('web')?.spec).toEqual(hardened());
  });

  it('checks names', () => {
    expect(profileNameProblem('web-1_a.b')).toBeUndefined();
    for (const bad of ['', 'a b', 'a/b', 'x'.repeat(65), 'web.yaml', '..', 'naïve']) expect(profileNameProblem(bad)).toBeDefined();
    expect(() => openProfileStore({env}).save('bad name', defaultSpec())).toThrow(/not valid/);
  });

  it('keeps the store file mode 0600 in a 0700 directory, without credentials', () => {
    const store = openProfileStore({env});
    store.save('web', hardened());
    const file = path.join(profilesDir(env), 'profiles.json');
    expect(mode(file)).toBe(0o600);
    expect(mode(profilesDir(env))).toBe(0o700);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/secret|PRIVATE KEY|AKIA/i);
    // A file loosened by hand is tightened again on the next write.
    chmodSync(file, 0o644);
    store.save('web2', defaultSpec());
    expect(mode(file)).toBe(0o600);
  });

  it('refuses to store a spec that does not fit the schema', () => {
    const broken = {...defaultSpec(), instance: {...defaultSpec().instance, type: 3}} as unknown as LaunchSpec;
    expect(() => openProfileStore({env}).save('web', broken)).toThrow(/instance\.type: expected a string/);
  });

  it('moves a store file that is not JSON aside, reports it and starts empty', () => {
    const dir = profilesDir(env);
    mkdirSync(dir, {recursive: true});
    const file = path.join(dir, 'profiles.json');
    writeFileSync(file, '{"profiles": {"web": ');
    const notices: string[] = [];
    const store = openProfileStore({env, onNotice: (message) => notices.push(message), now: () => new Date('2026-01-02T03:04:05.678Z')});
    expect(store.list()).toEqual([]);
    const aside = `${file}.corrupt-2026-01-02T03-04-05-678Z`;
    expect(notices).toEqual([`the profile store file ${file} was damaged: it is not valid JSON; it was moved to ${aside} (nothing deleted) and an empty one started`]);
    expect(store.notices()).toEqual(notices);
    expect(readFileSync(aside, 'utf8')).toBe('{"profiles": {"web": ');
    // Saving afterwards works and does not touch the kept copy.
    store.save('web', defaultSpec());
    expect(readFileSync(aside, 'utf8')).toBe('{"profiles": {"web": ');
  });

  it('moves a store file that fails the schema aside, never losing it', () => {
    const dir = profilesDir(env);
    mkdirSync(dir, {recursive: true});
    const file = path.join(dir, 'profiles.json');
    const bad = JSON.stringify({profiles: {web: {savedAt: 'x', spec: {...defaultSpec(), version: 7}}}});
    writeFileSync(file, bad);
    const notices: string[] = [];
    const store = openProfileStore({env, onNotice: (message) => notices.push(message)});
    expect(store.get('web')).toBeUndefined();
    expect(notices[0]).toMatch(/profile "web" \(profiles\.web\.spec\.version: .*\) does not match the profile schema/);
    const kept = readdirSync(dir).filter((name) => name.startsWith('profiles.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(dir, kept[0]), 'utf8')).toBe(bad);
  });

  it('one bad entry is set aside alone; the other profiles stay, and the notice names it', () => {
    const store = openProfileStore({env});
    store.save('web', defaultSpec());
    store.save('shop', hardened());
    const file = path.join(profilesDir(env), 'profiles.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as {profiles: Record<string, unknown>};
    data.profiles.broken = {savedAt: 'x', spec: {...defaultSpec(), region: 42}};
    writeFileSync(file, JSON.stringify(data));
    const notices: string[] = [];
    const reopened = openProfileStore({env, onNotice: (message) => notices.push(message)});
    expect(reopened.list().map((profile) => profile.name)).toEqual(['shop', 'web']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /profile "broken" \(profiles\.broken\.spec\.region: .*\) does not match the profile schema; moved to .*profiles\.json\.corrupt-.* \(nothing deleted\), the other profiles are kept/,
    );
    const kept = readdirSync(profilesDir(env)).filter((name) => name.startsWith('profiles.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(profilesDir(env), kept[0]), 'utf8'))).toEqual({profiles: {broken: data.profiles.broken}});
    expect(mode(path.join(profilesDir(env), kept[0]))).toBe(0o600);
    expect(mode(file)).toBe(0o600);
    // Repaired once: the next open finds nothing to report, and saving keeps everything.
    const again: string[] = [];
    openProfileStore({env, onNotice: (message) => again.push(message)}).save('more', defaultSpec());
    expect(again).toEqual([]);
    expect(
      openProfileStore({env})
        .list()
        .map((profile) => profile.name),
    ).toEqual(['more', 'shop', 'web']);
  });

  it('reading creates nothing, so a home that cannot be written still lists; writing there is a usage error', () => {
    const blocked = path.join(home, 'a-file');
    writeFileSync(blocked, '');
    const badEnv = {TANDEM_HOME: path.join(blocked, 'tandem')};
    const store = openProfileStore({env: badEnv});
    expect(store.list()).toEqual([]);
    expect(store.get('web')).toBeUndefined();
    expect(store.loadDraft()).toBeUndefined();
    expect(() => store.save('web', defaultSpec())).toThrow(UsageError);
    expect(() => store.save('web', defaultSpec())).toThrow(/profiles cannot be kept in .*a-file\/tandem\/profiles \(ENOTDIR\); set TANDEM_HOME to a folder you can write/);
    // A fresh home is not created by a read either.
    const fresh = path.join(home, 'fresh');
    openProfileStore({env: {TANDEM_HOME: fresh}}).list();
    expect(readdirSync(home)).not.toContain('fresh');
  });

  it('keeps one draft: save, load, clear', () => {
    const store = openProfileStore({env});
    expect(store.loadDraft()).toBeUndefined();
    expect(store.saveDraft(hardened(), 6)).toBe(true);
    const draft = openProfileStore({env}).loadDraft();
    expect(draft?.spec).toEqual(hardened());
    expect(draft?.stepIndex).toBe(6);
    expect(mode(path.join(profilesDir(env), 'draft.json'))).toBe(0o600);
    store.saveDraft(defaultSpec(), 2);
    expect(store.loadDraft()?.stepIndex).toBe(2);
    store.clearDraft();
    expect(store.loadDraft()).toBeUndefined();
    // The draft never shows up as a profile.
    expect(store.list()).toEqual([]);
  });

  it('a corrupt draft is moved aside too', () => {
    const dir = profilesDir(env);
    mkdirSync(dir, {recursive: true});
    writeFileSync(path.join(dir, 'draft.json'), 'not json');
    const store = openProfileStore({env});
    expect(store.loadDraft()).toBeUndefined();
    expect(store.notices()[0]).toMatch(/draft\.json was damaged: it is not valid JSON/);
  });
});

describe('loadProfileArgument', () => {
  it('reads a saved profile by name', async () => {
    openProfileStore({env}).save('shop', hardened());
    expect(await loadProfileArgument('shop', env)).toEqual({spec: hardened(), source: 'shop', kind: 'saved', written: 'all'});
  });

  it('reads a YAML file by path, and by a bare name when no profile has it', async () => {
    const file = path.join(home, 'shop.yaml');
    writeFileSync(file, serializeProfile(hardened()));
    expect((await loadProfileArgument(file, env)).spec).toEqual(hardened());
    const bare = path.join(home, 'shopfile');
    writeFileSync(bare, serializeProfile(hardened()));
    const cwd = process.cwd();
    process.chdir(home);
    try {
      expect(await loadProfileArgument('shopfile', env)).toMatchObject({spec: hardened(), source: 'shopfile', kind: 'file'});
    } finally {
      process.chdir(cwd);
    }
  });

  it('names file, line and field on a bad file', async () => {
    const file = path.join(home, 'bad.yaml');
    writeFileSync(file, 'version: 1\ninstance:\n  tenancy: shared\n');
    await expect(loadProfileArgument(file, env)).rejects.toThrow(`${file}:3:12 instance.tenancy: must be one of default, dedicated, host, not string "shared"`);
  });

  it('says what it looked for when nothing matches', async () => {
    await expect(loadProfileArgument('nope', env)).rejects.toThrow(/profile "nope" not found: no saved profile by that name .* and no such file/);
    await expect(loadProfileArgument('./nope.yaml', env)).rejects.toThrow('./nope.yaml: no such file');
  });

  it('rechecks a saved profile against the current rules', async () => {
    const stale = {...defaultSpec(), region: 'moon-1'};
    openProfileStore({env}).save('stale', stale);
    await expect(loadProfileArgument('stale', env)).rejects.toThrow(/^profile stale: region: /);
  });
});
