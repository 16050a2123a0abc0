// Crash at every step: the built CLI runs a "create everything" launch headless and is killed
// with SIGKILL (no chance to clean up) right after each step's step-done event. `tandem destroy`
// must then remove everything the launch made, and independent Describe/Get calls must find
// nothing tagged with its launch id still alive. A private key written before the kill must be
// intact and 0600 (and removed by the destroy that removes its key pair). A polite Ctrl+C (SIGINT)
// at representative steps must roll back by itself and exit 130; stops.test.ts covers the others.
// Each scenario has its own moto account and TANDEM_HOME, so they run side by side.
import {existsSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {buildPlan} from '../../source/domain/plan.js';
import {createJournal} from '../../source/store/journal.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {everythingSpec, keyFileProblems, leftoversOf, loadBalancedSpec, openWorld, pool, runCli, STACK_LINE, startCli, strayTempFiles, writeProfile} from './support.js';

const STEPS = buildPlan(everythingSpec('/keys')).steps.map((step) => step.id);
// The steps a load balancer adds (its subnet, routes, package endpoint, groups, target group, the
// load balancer, its listener and target), each killed in a load-balanced launch.
const LB_STEPS = buildPlan(loadBalancedSpec('/keys'))
  .steps.map((step) => step.id)
  .filter((id) => !STEPS.includes(id));
const SIGINT_AT = ['vpc', 'kms-key', 'key-pair', 'run-instances'];

interface Outcome {
  step: string;
  signal: 'SIGKILL' | 'SIGINT';
  launchId?: string;
  leaked: string[];
  keyProblems: string[];
  strays: string[];
  keyWritten?: boolean;
  exit: number | null;
  notes: string[];
}

async function crashAt(step: string, signal: 'SIGKILL' | 'SIGINT', specFor: (keyDir: string, name: string) => LaunchSpec = everythingSpec): Promise<Outcome> {
  const world = await openWorld();
  try {
    const spec = specFor(world.keyDir, `web-${step}`);
    const profile = writeProfile(world.home, spec);
    let killed = false;
    const run = startCli(['launch', profile, '--yes', '--output', 'json'], world.env, (event, current) => {
      if (!killed && event.type === 'step-done' && event.stepId === step) {
        killed = true;
        current.child.kill(signal);
      }
    });
    const began = Date.now();
    const {code} = await run.exited;
    const started = run.events.find((event) => event.type === 'launch-started');
    const launchId = started ? String(started.launchId) : undefined;
    const notes: string[] = [];
    if (run.hung) notes.push(`launch hung (killed by the watchdog): ${run.stderr.slice(-300)}`);
    if (!killed) notes.push(`step ${step} never reported step-done (exit ${code}): ${run.stderr.slice(-300)}`);
    if (!launchId) return {step, signal, leaked: ['no launch id'], keyProblems: [], strays: [], exit: code, notes};
    if (STACK_LINE.test(run.stderr)) notes.push(`stack trace in stderr: ${run.stderr}`);

    // Once CreateKeyPair's step-done was seen, the key must be on disk: that answer was its only copy.
    const keyDone = run.events.some((event) => event.type === 'step-done' && event.stepId === 'key-pair');
    const keyWritten = existsSync(spec.keyPair.path!);
    const keyProblems = keyFileProblems(spec.keyPair.path!);
    if (keyDone && !keyWritten && signal === 'SIGKILL') keyProblems.push('key-pair step finished but no private key file');
    if (signal === 'SIGKILL') {
      // The journal names the launch even though the process died mid-flight.
      const destroyed = await runCli(['destroy', launchId, '--yes', '--output', 'json'], world.env);
      if (destroyed.hung) notes.push(`destroy hung: ${destroyed.stderr.slice(-500)}`);
      if (destroyed.code !== 0) notes.push(`destroy exited ${destroyed.code}: ${destroyed.stderr} ${destroyed.stdout}`);
      if (STACK_LINE.test(destroyed.stderr)) notes.push(`stack trace in destroy stderr: ${destroyed.stderr}`);
    } else {
      const summary = run.events.at(-1);
      // The rollback finished, so the summary says rolled-back as the journal does, and names the signal.
      if (summary?.type !== 'summary' || summary.status !== 'rolled-back' || summary.stoppedBy !== signal) notes.push(`last event ${JSON.stringify(summary)}`);
      const record = createJournal(world.home).read(launchId);
      if (record.status !== 'rolled-back' || record.resources.length > 0) {
        notes.push(`journal after SIGINT: ${record.status}, ${record.resources.length} resources`);
      }
    }
    const leaked = await leftoversOf(world.check, launchId, spec);
    // With its key pair gone, the private key file tandem wrote is removed too (a retry can write it again).
    if (existsSync(spec.keyPair.path!)) keyProblems.push(`${spec.keyPair.path} outlived its key pair`);
    const strays = strayTempFiles(world.keyDir, `${world.home}/launches`);
    console.log(`${signal} after ${step}: ${((Date.now() - began) / 1000).toFixed(1)} s, ${leaked.length} leaked`);
    return {step, signal, launchId, leaked, keyProblems, strays, keyWritten, exit: code, notes};
  } finally {
    await world.close();
  }
}

const outcomes: Outcome[] = [];

/** Every scenario left nothing behind, and ended as its signal should: killed (no exit code), or 130 after a rollback. */
function expectClean(results: Outcome[]): void {
  outcomes.push(...results);
  for (const result of results) {
    const {step, leaked, keyProblems, strays, notes} = result;
    expect({step, leaked, keyProblems, strays, notes}).toEqual({step, leaked: [], keyProblems: [], strays: [], notes: []});
    expect(result.exit, result.step).toBe(result.signal === 'SIGKILL' ? null : 130);
  }
}

afterAll(() => {
  const killed = outcomes.filter((outcome) => outcome.signal === 'SIGKILL').length;
  const steps = STEPS.length + LB_STEPS.length;
  const interrupted = outcomes.filter((outcome) => outcome.signal === 'SIGINT').length;
  const leaked = outcomes.reduce((sum, outcome) => sum + outcome.leaked.length, 0);
  const keysLost = outcomes.reduce((sum, outcome) => sum + outcome.keyProblems.length, 0);
  const keysKept = outcomes.filter((outcome) => outcome.keyWritten).length;
  console.log(
    `crash suite: ${killed}/${steps} steps killed (${LB_STEPS.length} of them a load balancer's) (SIGKILL), ${interrupted} interrupted (SIGINT), ${leaked} resources leaked, ${keysKept} private keys written before the stop and intact, ${keysLost} damaged or lost`,
  );
});

describe('SIGKILL right after each step, then tandem destroy', () => {
  it(`leaves nothing behind at any of the ${STEPS.length} steps`, async () => {
    const results = await pool(STEPS, 3, (step) => crashAt(step, 'SIGKILL'));
    expectClean(results);
  }, 240_000);
});

describe('SIGKILL right after each step a load balancer adds, then tandem destroy', () => {
  it(`leaves nothing behind at any of the ${LB_STEPS.length} steps, the load balancer's deletion protection included`, async () => {
    expect(LB_STEPS).toEqual(expect.arrayContaining(['load-balancer', 'load-balancer-attributes', 'listener-http', 'register-target']));
    const results = await pool(LB_STEPS, 3, (step) => crashAt(step, 'SIGKILL', loadBalancedSpec));
    expectClean(results);
  }, 240_000);

  it('rolls back by itself on Ctrl+C once deletion protection is on, and exits 130', async () => {
    const results = await pool(['load-balancer-attributes', 'register-target'], 2, (step) => crashAt(step, 'SIGINT', loadBalancedSpec));
    expectClean(results);
  }, 120_000);
});

describe('SIGINT right after representative steps', () => {
  it('rolls back by itself and exits 130', async () => {
    const results = await pool(SIGINT_AT, 2, (step) => crashAt(step, 'SIGINT'));
    expectClean(results);
  }, 120_000);
});
