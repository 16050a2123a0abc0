// A private key named as the key to import is refused before any call: headless (exit 2, not a
// single request reaches the endpoint, dry run included), and in the executor itself, which is
// what the wizard's launch goes through, so a spec that slipped past the field still sends nothing.
import {describe, expect, it} from 'vitest';
import {testSettings} from '../support/aws.js';
import {writeKeyPairFiles} from '../support/key-samples.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {collect, testCloud} from '../integration/provision-support.js';
import {everythingSpec, openWorld, runCli, STACK_LINE, writeProfile} from './support.js';

function importSpec(keyDir: string, keyPath: string) {
  const spec = everythingSpec(keyDir, 'web-import');
  spec.keyPair = {mode: 'import', name: 'imported', path: keyPath};
  return spec;
}

describe('importing a private key', () => {
  it('headless: exit 2 before any call, naming the private key and the .pub beside it', async () => {
    const world = await openWorld();
    try {
      const {privatePath, publicPath} = writeKeyPairFiles(world.keyDir);
      const profile = writeProfile(world.home, importSpec(world.keyDir, privatePath));
      for (const extra of [['--yes', '--output', 'json'], ['--dry-run']]) {
        const run = await runCli(['launch', profile, ...extra], world.env);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(`${privatePath} is the private key`);
        expect(run.stderr).toContain(`import ${publicPath} instead`);
        expect(run.stderr).not.toMatch(STACK_LINE);
        expect(run.stdout).toBe('');
      }
      expect(world.proxy.requests.map((request) => request.action)).toEqual([]);

      // The .pub it suggested works.
      const fixed = writeProfile(world.home, importSpec(world.keyDir, publicPath), 'fixed.yaml');
      const launched = await runCli(['launch', fixed, '--yes', '--output', 'json'], world.env);
      expect(launched.code, launched.stderr).toBe(0);
      expect(world.proxy.count('ImportKeyPair')).toBe(1);
      const launchId = String(launched.events.at(-1)!.launchId);
      expect((await runCli(['destroy', launchId, '--yes'], world.env)).code).toBe(0);
    } finally {
      await world.close();
    }
  }, 90_000);

  it('the executor refuses it too, before creating anything', async () => {
    const settings = testSettings();
    const {cloud} = await testCloud(settings);
    const {privatePath} = writeKeyPairFiles(cloud.journal.dir.replace(/launches$/, ''));
    const spec = importSpec('/unused', privatePath);
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
    expect(result.status).toBe('failed');
    expect(result.resources).toEqual([]);
    expect(events.filter((event) => event.type === 'step-started')).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({type: 'step-failed', code: 'NotAPublicKey'}));
  });
});
