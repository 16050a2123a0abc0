// Secrets: the private key and the AWS credentials must never show up in any output channel
// (stdout, stderr, JSON events, TANDEM_DEBUG output, journals, the profile store, anything else
// under TANDEM_HOME or HOME), and every file holding something sensitive is 0600 from the moment
// it exists: created with that mode, not chmod-ed afterwards (checked under umask 000 and in the
// source of the writers).
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {scanRequestBody} from '../support/request-scan.js';
import {keySamples, writeKeyPairFiles} from '../support/key-samples.js';
import {everythingSpec, openWorld, runCli, SECRET_ACCESS_KEY, SESSION_TOKEN, tempDir, writeProfile, type Run, type World} from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}

/** Every piece of text a secret could leak into, labelled by where it came from. */
function channels(world: World, runs: Array<[string, Run]>, keyFile: string): Array<[string, string]> {
  const texts: Array<[string, string]> = runs.flatMap(([label, run]): Array<[string, string]> => [
    [`${label} stdout`, run.stdout],
    [`${label} stderr`, run.stderr],
  ]);
  for (const dir of [world.home, world.env.HOME!, world.keyDir]) {
    // Key files are where private keys belong; everything else is searched.
    for (const file of filesUnder(dir)) if (file !== keyFile && !file.endsWith('.pem')) texts.push([file, readFileSync(file, 'utf8')]);
  }
  return texts;
}

describe('secrets never leave their place', () => {
  it('no key material or credentials in any output, journal, profile store or log', async () => {
    // TANDEM_DEBUG widens what tandem prints on errors: the debug channel must be clean too.
    const world = await openWorld({TANDEM_DEBUG: '1'});
    try {
      const spec = everythingSpec(world.keyDir, 'web-secret');
      const keyFile = spec.keyPair.path!;
      const profile = writeProfile(world.home, spec);
      const runs: Array<[string, Run]> = [];
      const launched = await runCli(['launch', profile, '--yes', '--output', 'json'], world.env);
      expect(launched.code, launched.stderr).toBe(0);
      runs.push(['launch json', launched]);
      const launchId = String(launched.events.at(-1)!.launchId);
      // Read now: destroy removes the key file tandem wrote for the key pair it deletes.
      const key = readFileSync(keyFile, 'utf8');
      runs.push(['launches', await runCli(['launches'], world.env)]);
      runs.push(['verify', await runCli(['verify', launchId], world.env)]);
      runs.push(['verify json', await runCli(['verify', launchId, '--output', 'json'], world.env)]);
      runs.push(['profiles import', await runCli(['profiles', 'import', profile, '--name', 'secret-web'], world.env)]);
      runs.push(['profiles show', await runCli(['profiles', 'show', 'secret-web'], world.env)]);
      runs.push(['destroy', await runCli(['destroy', launchId, '--yes'], world.env)]);

      // A failing text-mode launch, where error details are printed: RunInstances is denied.
      const failingSpec = everythingSpec(world.keyDir, 'web-secret-2');
      failingSpec.keyPair = {...failingSpec.keyPair, name: 'web-key-2', path: path.join(world.keyDir, 'web-key-2.pem')};
      world.proxy.add({action: 'RunInstances', kind: 'error', status: 403, code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.'});
      const failed = await runCli(['launch', writeProfile(world.home, failingSpec, 'failing.yaml'), '--yes'], world.env);
      expect(failed.code).toBe(1);
      runs.push(['failed launch', failed]);
      // And a crash in the middle of a call: the SDK error path with TANDEM_DEBUG.
      world.proxy.clear();
      world.proxy.add({action: 'CreateVpc', kind: 'cut-body'});
      const cut = await runCli(['launch', writeProfile(world.home, {...failingSpec, keyPair: {mode: 'none'}}, 'cut.yaml'), '--yes'], world.env);
      runs.push(['cut launch', cut]);

      // An imported public key travels to AWS (that is the point); the scan must tell it apart.
      const {publicPath} = writeKeyPairFiles(tempDir('tandem-import-keys-'));
      const importing = {...failingSpec, keyPair: {mode: 'import' as const, name: 'imported-secret', path: publicPath}, instance: {...failingSpec.instance, name: 'web-secret-3'}};
      world.proxy.clear();
      const imported = await runCli(['launch', writeProfile(world.home, importing, 'import.yaml'), '--yes', '--output', 'json'], world.env);
      expect(imported.code, imported.stderr).toBe(0);
      runs.push(['import launch', imported]);
      runs.push(['destroy import', await runCli(['destroy', String(imported.events.at(-1)!.launchId), '--yes'], world.env)]);

      // Every request body that reached the endpoint was scanned: no key material, no credential.
      expect(world.proxy.count('ImportKeyPair')).toBe(1);
      expect(world.proxy.scan.bodies).toBe(world.proxy.requests.length);
      expect(world.proxy.scan.leaks).toEqual([]);
      console.log(`secrets suite: ${world.proxy.scan.bodies} request bodies scanned, ${world.proxy.scan.leaks.length} carrying secrets`);

      // The first base64 line of an OpenSSH key is the same fixed header in every key: not secret.
      const keyLines = key
        .split('\n')
        .filter((line) => line.length >= 16 && !line.startsWith('-----'))
        .slice(1);
      expect(keyLines.length).toBeGreaterThan(0);
      const needles: Array<[string, string]> = [
        ['PRIVATE KEY', 'PRIVATE KEY'],
        ['the secret access key', SECRET_ACCESS_KEY],
        ['the session token', SESSION_TOKEN],
        ...keyLines.map((line, index): [string, string] => [`private key line ${index + 1}`, line]),
      ];
      const found: string[] = [];
      const searched = channels(world, runs, keyFile);
      for (const [where, text] of searched) {
        // Node's compile cache (Node 22 and later) holds tandem's own code, whose key detection
        // spells out "PRIVATE KEY": there only the secrets themselves are looked for.
        const code = where.includes(`${path.sep}tandem${path.sep}node${path.sep}`);
        for (const [what, needle] of needles) if (!(code && what === 'PRIVATE KEY') && text.includes(needle)) found.push(`${what} in ${where}`);
      }
      console.log(`secrets suite: ${needles.length} secrets searched for in ${searched.length} channels and files, ${found.length} found`);
      expect(found).toEqual([]);
      // The key was really written (the search above is not vacuous), and went with its key pair.
      expect(key).toContain('PRIVATE KEY');
      expect(existsSync(keyFile)).toBe(false);
    } finally {
      await world.close();
    }
  }, 120_000);

  it('the request scan finds private keys in every armour, also base64-encoded, and credentials', () => {
    const {publics, privates} = keySamples();
    const asImport = (text: string) => new URLSearchParams({Action: 'ImportKeyPair', KeyName: 'k', PublicKeyMaterial: Buffer.from(text).toString('base64')}).toString();
    for (const [name, text] of Object.entries(privates)) {
      expect(scanRequestBody(asImport(text), []), name).toEqual(['base64-encoded private key material']);
      expect(scanRequestBody(JSON.stringify({Description: text}), []), name).toEqual(['private key material']);
    }
    for (const [name, text] of Object.entries(publics)) expect(scanRequestBody(asImport(text), [SECRET_ACCESS_KEY]), name).toEqual([]);
    expect(scanRequestBody(`Action=PutRolePolicy&PolicyDocument=${encodeURIComponent(SECRET_ACCESS_KEY)}`, [SECRET_ACCESS_KEY])).toEqual(['a credential']);
  });

  it('sensitive files are 0600 (folders 0700) even under umask 000', async () => {
    const world = await openWorld();
    try {
      const spec = everythingSpec(world.keyDir, 'web-modes');
      spec.keyPair.path = path.join(world.keyDir, 'new-folder', 'web-key.pem');
      const profile = writeProfile(world.keyDir, spec);
      // umask 000 makes every file the program does not protect world-readable.
      const launched = await runCli(['launch', profile, '--yes', '--output', 'json'], world.env, undefined, ['sh', '-c', 'umask 000; exec "$0" "$@"']);
      expect(launched.code, launched.stderr).toBe(0);
      await runCli(['profiles', 'import', profile, '--name', 'modes'], world.env, undefined, ['sh', '-c', 'umask 000; exec "$0" "$@"']);
      const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
      expect(mode(spec.keyPair.path)).toBe('600');
      expect(mode(path.dirname(spec.keyPair.path))).toBe('700');
      expect(mode(path.join(world.home, 'launches'))).toBe('700');
      const stored = filesUnder(world.home);
      expect(stored.filter((file) => file.endsWith('.json')).length).toBeGreaterThanOrEqual(2); // journal + profile store
      for (const file of stored) expect([file, mode(file)]).toEqual([file, '600']);
    } finally {
      await world.close();
    }
  }, 120_000);

  it('the writers create files with the mode, never chmod afterwards', () => {
    // A chmod after creation leaves a window in which the file is readable by others; these
    // files must be born 0600. (The profile store's chmod only tightens files from older versions.)
    const journal = readFileSync(path.join(root, 'source/store/journal.ts'), 'utf8');
    const keyFile = readFileSync(path.join(root, 'source/aws/key-file.ts'), 'utf8');
    for (const [name, text] of [
      ['journal.ts', journal],
      ['key-file.ts', keyFile],
    ] as const) {
      expect(text, name).not.toMatch(/chmod(Sync)?\(/);
      expect(text, name).not.toMatch(/writeFileSync\(/);
      const opens = [...text.matchAll(/openSync\(([^)]*)\)/g)].map((match) => match[1]);
      const creating = opens.filter((args) => /'wx?'/.test(args));
      expect(creating.length, name).toBeGreaterThan(0);
      for (const args of creating) expect(args, name).toMatch(/0o600/);
    }
    expect(readFileSync(path.join(root, 'source/store/profiles.ts'), 'utf8')).toMatch(/configFileMode: 0o600/);
  });
});
