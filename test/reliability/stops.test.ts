// Every other way a launch is stopped: SIGTERM (CI time-outs, `timeout`, `docker stop`) and SIGHUP
// (a dropped SSH session) right after representative steps must roll back by themselves, exactly
// like Ctrl+C: nothing left in AWS without running destroy, the journal `rolled-back`, the private
// key file removed, exit 143/129. A second signal cuts the rollback short: the journal stays
// `interrupted` and stderr names the destroy command. A closed stdout/stderr (EPIPE, as with
// `| head -1`) never stops a launch or a destroy half-way.
import {existsSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {createJournal} from '../../source/store/journal.js';
import {everythingSpec, leftoversOf, openWorld, pool, runCli, STACK_LINE, startCli, type Run, type World, writeProfile} from './support.js';

type Stop = 'SIGTERM' | 'SIGHUP' | 'EPIPE';
const EXIT: Record<Exclude<Stop, 'EPIPE'>, number> = {SIGTERM: 143, SIGHUP: 129};

interface Outcome {
  stop: Stop;
  step: string;
  leaked: string[];
  notes: string[];
}
const outcomes: Outcome[] = [];

afterAll(() => {
  const leaked = outcomes.reduce((sum, outcome) => sum + outcome.leaked.length, 0);
  const by = (stop: Stop) => outcomes.filter((outcome) => outcome.stop === stop).length;
  console.log(`stops suite: ${by('SIGTERM')} SIGTERM, ${by('SIGHUP')} SIGHUP, ${by('EPIPE')} EPIPE scenarios, ${leaked} resources leaked`);
});

/** Closes the reading end of the child's stdout and stderr: its next write meets EPIPE. */
function closePipes(run: Run): void {
  run.child.stdout!.destroy();
  run.child.stderr!.destroy();
}

async function launchAndStop(world: World, stop: Stop, step: string, options: {failRun?: boolean} = {}) {
  const spec = everythingSpec(world.keyDir, `web-${stop.toLowerCase()}-${step}`);
  const profile = writeProfile(world.home, spec);
  if (options.failRun) {
    world.proxy.add({action: 'RunInstances', kind: 'error', status: 400, code: 'InsufficientInstanceCapacity', message: 'no capacity'});
  }
  let stopped = false;
  let launchId: string | undefined;
  const run = startCli(['launch', profile, '--yes', '--output', 'json'], world.env, (event, current) => {
    if (event.type === 'launch-started') launchId = String(event.launchId);
    if (stopped || event.type !== 'step-done' || event.stepId !== step) return;
    stopped = true;
    if (stop === 'EPIPE') closePipes(current);
    else current.child.kill(stop);
  });
  const {code, signal} = await run.exited;
  return {spec, run, code, signal, stopped, launchId};
}

async function stopAt(stop: Stop, step: string): Promise<Outcome> {
  const world = await openWorld();
  const notes: string[] = [];
  try {
    // A closed pipe alone lets the launch finish; a failing RunInstances makes it roll back blind.
    const {spec, run, code, signal, stopped, launchId} = await launchAndStop(world, stop, step, {failRun: stop === 'EPIPE'});
    if (!stopped) notes.push(`step ${step} never reported step-done (exit ${code}): ${run.stderr.slice(-300)}`);
    if (run.hung) notes.push('launch hung (killed by the watchdog)');
    if (!launchId) return {stop, step, leaked: ['no launch id'], notes};
    if (signal) notes.push(`killed by ${signal} instead of exiting`);
    const expected = stop === 'EPIPE' ? 1 : EXIT[stop];
    if (code !== expected) notes.push(`exit ${code}, expected ${expected}: ${run.stderr.slice(-400)}`);
    if (STACK_LINE.test(run.stderr)) notes.push(`stack trace: ${run.stderr}`);
    const record = createJournal(world.home).read(launchId);
    if (record.status !== 'rolled-back' || record.resources.length > 0) notes.push(`journal: ${record.status}, ${record.resources.length} resources`);
    if (existsSync(spec.keyPair.path!)) notes.push(`private key file ${spec.keyPair.path} outlived its key pair`);
    // No destroy: what is left is what the stop itself left.
    const leaked = await leftoversOf(world.check, launchId, spec);
    return {stop, step, leaked, notes};
  } finally {
    await world.close();
  }
}

const SCENARIOS: Array<[Stop, string]> = [
  ['SIGTERM', 'vpc'],
  ['SIGTERM', 'instance-profile-role'],
  ['SIGTERM', 'key-pair'],
  ['SIGTERM', 'run-instances'],
  ['SIGHUP', 'attach-internet-gateway'],
  ['SIGHUP', 'security-group-ingress'],
  ['SIGHUP', 'kms-rotation'],
  ['EPIPE', 'vpc'],
  ['EPIPE', 'key-pair'],
  ['EPIPE', 'security-group'],
];

describe('SIGTERM, SIGHUP and a closed pipe roll back like Ctrl+C', () => {
  it(`leaves nothing behind without destroy at ${SCENARIOS.length} stops`, async () => {
    const results = await pool(SCENARIOS, 3, ([stop, step]) => stopAt(stop, step));
    outcomes.push(...results);
    for (const {stop, step, leaked, notes} of results) expect({stop, step, leaked, notes}).toEqual({stop, step, leaked: [], notes: []});
  }, 300_000);
});

describe('a second signal and closed pipes', () => {
  it('a second SIGTERM cuts the rollback short, names tandem destroy, and destroy finishes the job', async () => {
    const world = await openWorld();
    try {
      const spec = everythingSpec(world.keyDir, 'web-twice');
      let launchId = '';
      let signals = 0;
      const run = startCli(['launch', writeProfile(world.home, spec), '--yes', '--output', 'json'], world.env, (event, current) => {
        if (event.type === 'launch-started') launchId = String(event.launchId);
        if ((event.type === 'step-done' && event.stepId === 'run-instances' && signals === 0) || (event.type === 'rollback-started' && signals === 1)) {
          signals += 1;
          current.child.kill('SIGTERM');
        }
      });
      const {code} = await run.exited;
      expect(code, run.stderr).toBe(143);
      expect(run.stderr).toContain(`tandem destroy ${launchId}`);
      const record = createJournal(world.home).read(launchId);
      expect(record.status).toBe('interrupted');
      expect(record.resources.length).toBeGreaterThan(0);
      const destroyed = await runCli(['destroy', launchId, '--yes'], world.env);
      expect(destroyed.code, destroyed.stderr).toBe(0);
      expect(await leftoversOf(world.check, launchId, spec)).toEqual([]);
      outcomes.push({stop: 'SIGTERM', step: 'rollback', leaked: [], notes: []});
    } finally {
      await world.close();
    }
  }, 120_000);

  it('a launch whose stdout closes finishes, and so does `destroy | head -1`', async () => {
    const world = await openWorld();
    try {
      const {spec, run, code, launchId} = await launchAndStop(world, 'EPIPE', 'vpc');
      expect(code, run.stderr).toBe(0);
      expect(createJournal(world.home).read(launchId!).status).toBe('launched');
      expect(existsSync(spec.keyPair.path!)).toBe(true);
      // destroy writes its progress to stderr and its report to stdout: both closed at once.
      const destroy = startCli(['destroy', launchId!, '--yes'], world.env);
      closePipes(destroy);
      const {code: destroyCode, signal} = await destroy.exited;
      expect({destroyCode, signal}).toEqual({destroyCode: 0, signal: null});
      expect(createJournal(world.home).read(launchId!)).toMatchObject({status: 'destroyed', resources: []});
      expect(await leftoversOf(world.check, launchId!, spec)).toEqual([]);
      expect(existsSync(spec.keyPair.path!)).toBe(false);
      outcomes.push({stop: 'EPIPE', step: 'whole launch + destroy', leaked: [], notes: []});
    } finally {
      await world.close();
    }
  }, 120_000);
});
