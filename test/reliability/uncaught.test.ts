// An error nothing caught in the middle of a headless launch (an exception thrown from a callback,
// a promise rejection nobody handled) must not end tandem half-way: the launch stops and rolls
// back exactly like Ctrl+C, the journal says `rolled-back`, and tandem exits 1 with one sentence
// naming the error and no stack trace. The error is raised inside the built binary by a module the
// test preloads (test/support/uncaught-on-signal.mjs) when it sends SIGUSR2 after a chosen step.
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {createJournal} from '../../source/store/journal.js';
import {everythingSpec, leftoversOf, openWorld, STACK_LINE, startCli, writeProfile} from './support.js';

const PRELOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'uncaught-on-signal.mjs');

describe('an uncaught error during a headless launch', () => {
  for (const kind of ['exception', 'rejection'] as const) {
    it(`(${kind}) rolls the launch back like Ctrl+C and exits 1 naming the error`, async () => {
      const world = await openWorld({NODE_OPTIONS: `--import=${PRELOAD}`, TANDEM_TEST_UNCAUGHT: kind});
      try {
        const spec = everythingSpec(world.keyDir, `web-uncaught-${kind}`);
        let launchId = '';
        let raised = false;
        const run = startCli(['launch', writeProfile(world.home, spec), '--yes', '--output', 'json'], world.env, (event, current) => {
          if (event.type === 'launch-started') launchId = String(event.launchId);
          if (!raised && event.type === 'step-done' && event.stepId === 'key-pair') {
            raised = true;
            current.child.kill('SIGUSR2');
          }
        });
        const {code, signal} = await run.exited;
        expect(raised, `the launch reached the key pair step: ${run.stderr.slice(-500)}`).toBe(true);
        expect({code, signal}, run.stderr).toEqual({code: 1, signal: null});
        expect(run.stderr).toContain('TypeError: the disk cache went away');
        expect(run.stderr).toContain(`launch ${launchId} was stopped by an unexpected error: TypeError: the disk cache went away`);
        expect(run.stderr).not.toMatch(STACK_LINE);
        expect(
          run.events.some((event) => event.type === 'rollback-started'),
          'a rollback ran',
        ).toBe(true);
        const record = createJournal(world.home).read(launchId);
        expect({status: record.status, resources: record.resources.length}).toEqual({status: 'rolled-back', resources: 0});
        expect(await leftoversOf(world.check, launchId, spec)).toEqual([]);
      } finally {
        await world.close();
      }
    }, 180_000);
  }
});
