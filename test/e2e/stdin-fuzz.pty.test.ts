// Whatever a terminal delivers (pastes with colour codes, bracketed paste markers, cut escape
// sequences, control bytes, bytes that are not UTF-8, long runs) tandem keeps running and drawing,
// on every screen and during a launch. The runs come from a seeded generator: each test prints its
// seed, and TANDEM_FUZZ_SEED=<seed> replays it. The runs are bounded so each screen takes seconds.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {execFile, spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, test} from 'vitest';
import {motoEndpoint} from '../support/aws.js';
import {startFaultProxy} from '../support/fault-proxy.js';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {createJournal} from '../../source/store/journal.js';
import type {LaunchRecord} from '../../source/store/journal-types.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {fuzzSeed, hostileBytes, seededRandom} from '../support/hostile-bytes.js';
import {keySamples} from '../support/key-samples.js';
import {CLI, STEPS, Session, cleanEnv, exitWithin, pause, removeTempHomes, requireBuild, tempHome} from './pty-session.js';

afterEach(() => removeTempHomes());

const PRELOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 'uncaught-on-signal.mjs');
// What a crash would leave on the screen: a stack frame, or the error that used to end tandem.
const CRASHED = /^\s+at .+(\(|:\d+)|TypeError|Cannot read properties/m;
const [CTRL_C, CR, LF, Q] = [0x03, 0x0d, 0x0a, 0x71];

function watchExit(session: Session): {exited: () => boolean} {
  let exited = false;
  void session.exit.then(() => (exited = true));
  return {exited: () => exited};
}

/** Alive and drawing: tandem has not exited, and redraws itself when the terminal is resized. */
async function expectDrawing(session: Session, exited: () => boolean, what: string): Promise<void> {
  expect(exited(), `${what}: tandem exited; screen:\n${session.text.slice(-2000)}`).toBe(false);
  for (const cols of [92, 100]) {
    const before = session.raw.length;
    session.resize(cols, 40);
    const started = Date.now();
    while (session.raw.length === before && Date.now() - started < 5_000) await pause(25);
    expect(session.raw.length, `${what}: no redraw after a resize to ${cols} columns; screen:\n${session.text.slice(-2000)}`).toBeGreaterThan(before);
  }
  expect(session.text, `${what}: the screen shows a crash`).not.toMatch(CRASHED);
}

/** Random and hostile runs, one every few milliseconds, without the bytes in `without`. */
async function fuzz(session: Session, random: () => number, runs: number, without: number[]): Promise<void> {
  for (let run = 0; run < runs; run++) {
    session.writeBytes(hostileBytes(random, 1 + Math.floor(random() * 300), without));
    await pause(20 + Math.floor(random() * 30));
  }
  await pause(300);
}

describe('random and hostile input in a terminal', () => {
  // Each wizard step and the review, in a session of its own: the input may move the cursor, fill
  // a field with nonsense or go back a step, but never quit (q, Ctrl+C) or confirm (Enter).
  const screens = [...Array.from({length: STEPS}, (_, index) => index + 1), 'review'] as const;
  test.each(screens)(
    'screen %s keeps running and drawing',
    async (screen) => {
      requireBuild();
      const seed = fuzzSeed();
      console.log(`stdin fuzz on screen ${screen}: seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
      const random = seededRandom(seed);
      const session = new Session([], cleanEnv());
      const {exited} = watchExit(session);
      try {
        await session.waitFor(`step 1 of ${STEPS}`);
        const target = screen === 'review' ? STEPS + 1 : screen;
        for (let step = 2; step <= target; step++) {
          await session.press('\r');
          await session.waitFor(step > STEPS ? 'Review' : `step ${step} of ${STEPS}`);
        }
        await pause(200);
        await fuzz(session, random, 12, [CTRL_C, CR, LF, Q]);
        await expectDrawing(session, exited, `seed ${seed}, screen ${screen}`);
      } finally {
        session.kill();
      }
    },
    60_000,
  );
});

function motoEnv(home = tempHome(), endpoint = motoEndpoint()): Record<string, string> {
  return {
    ...cleanEnv(home),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    HOME: home,
  };
}

/** A launch in a VPC of its own (what moto's default VPC lacks, a route out, it makes), under names of its own. */
function profileFile(home: string, name: string): string {
  const spec = defaultSpec('us-east-1');
  const named: LaunchSpec = {
    ...spec,
    instance: {...spec.instance, name},
    network: {vpc: 'new', subnet: 'public', cidr: '10.40.0.0/16', publicIp: true},
    securityGroup: {...spec.securityGroup, name: `${name}-sg`},
  };
  // Its high risks are recorded in the profile, as an operator's would be, so Launch goes at once.
  named.acceptedRisks = unacceptedHighRisks(named).map((finding) => ({finding: finding.id, reason: 'public web server'}));
  const file = path.join(home, `${name}.yaml`);
  writeFileSync(file, serializeProfile(named));
  return file;
}

/** The one launch journal in this home, once it can be read. */
function journalOf(env: Record<string, string>): LaunchRecord | undefined {
  const records = createJournal(env.TANDEM_HOME).scan().records;
  return records.length === 1 ? records[0] : undefined;
}

/** From the review of a profile to a running launch. */
async function startLaunch(session: Session): Promise<void> {
  const EXPLAIN = 'explain mode — nothing will be created (';
  const header = await session.waitForAny(['account 123456789012 · us-east-1', EXPLAIN], 30_000);
  if (header === EXPLAIN) throw new Error(`tandem did not reach the local AWS endpoint:\n${session.text.slice(-1500)}`);
  await session.waitFor('pre-flight passed', 60_000);
  await pause(300);
  await session.press('\r');
  await session.waitFor('Launching', 30_000);
}

describe('random and hostile input during a launch', () => {
  test('the launch finishes or rolls back, and nothing crashes', async () => {
    requireBuild();
    const seed = fuzzSeed();
    console.log(`stdin fuzz during a launch: seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const random = seededRandom(seed);
    const home = tempHome();
    const env = motoEnv(home);
    const session = new Session(['launch', profileFile(home, `fuzz-${seed}`)], env);
    const {exited} = watchExit(session);
    try {
      await startLaunch(session);
      // Everything goes, Ctrl+C included: a stop rolls the launch back, which is a fine end too.
      // Enter and q are left out so the end screen stays up to be looked at.
      await fuzz(session, random, 40, [CR, LF, Q]);
      // The journal is final once the launch has finished, rolled back or been cut short.
      const started = Date.now();
      while (/^(launching|undefined)$/.test(String(journalOf(env)?.status)) && Date.now() - started < 150_000) await pause(100);
      await pause(500);
      if (!exited()) await expectDrawing(session, exited, `seed ${seed}, after the launch`);
      expect(session.text, `seed ${seed}: the screen shows a crash`).not.toMatch(CRASHED);
      expect(session.text, `seed ${seed}`).not.toContain('unexpected error');
      const record = journalOf(env);
      // Two Ctrl+C's cut the rollback short: the journal then says 'interrupted', and destroy finishes it.
      expect(record?.status, `seed ${seed}: the journal after the launch`).toMatch(/^(launched|rolled-back|interrupted)$/);
      if (record?.status === 'interrupted') expect(session.text.replace(/\s+/g, ' ')).toContain(`remove anything left with: tandem destroy ${record.launchId}`);
      if (record?.status === 'launched' || record?.status === 'interrupted') {
        const destroy = spawnSync(process.execPath, [CLI, 'destroy', record.launchId, '--yes'], {env, encoding: 'utf8', timeout: 90_000});
        expect(destroy.status, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
      }
    } finally {
      session.kill();
    }
  }, 240_000);
});

describe('a second Ctrl+C while a stopped launch rolls back', () => {
  // Two Ctrl+C's are as likely from a person as from a fuzzer: the second cuts the rollback short,
  // and tandem leaves only once the journal says 'interrupted' with what is left, so destroy finds
  // it all (leaving at once left the journal saying 'launching').
  test('leaves once the journal says interrupted, and tandem destroy removes the rest', async () => {
    requireBuild();
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      // RunInstances is held so the first stop lands during the launch, each role delete so the
      // second lands during the rollback.
      proxy.add({service: 'ec2', action: 'RunInstances', kind: 'delay', delayMs: 2500});
      proxy.add({service: 'iam', action: 'DeleteRole', kind: 'delay', delayMs: 2500});
      const home = tempHome();
      const env = motoEnv(home, proxy.endpoint);
      const session = new Session(['launch', profileFile(home, `twice-${Date.now() % 100000}`)], env);
      try {
        await startLaunch(session);
        const seen = (action: string) => proxy.requests.some((request) => request.action === action);
        for (const started = Date.now(); !seen('RunInstances') && Date.now() - started < 60_000;) await pause(25);
        session.writeBytes(Buffer.from([CTRL_C]));
        for (const started = Date.now(); !seen('DeleteRole') && Date.now() - started < 60_000;) await pause(25);
        expect(seen('DeleteRole'), 'the rollback reached the role').toBe(true);
        session.writeBytes(Buffer.from([CTRL_C]));
        expect(await exitWithin(session, 60_000)).toBe(130);
        const record = journalOf(env)!;
        expect(session.text.replace(/\s+/g, ' ')).toContain(`stopped while rolling back; remove anything left with: tandem destroy ${record.launchId}`);
        expect(record.status).toBe('interrupted');
        expect(record.resources.length).toBeGreaterThan(0);
        // Not spawnSync: the proxy answering destroy's calls lives in this process.
        const destroy = await new Promise<{code: number | null; output: string}>((resolve) => {
          execFile(process.execPath, [CLI, 'destroy', record.launchId, '--yes'], {env, timeout: 90_000}, (error, stdout, stderr) =>
            resolve({code: error ? ((error as {code?: number}).code ?? null) : 0, output: `${stdout}\n${stderr}`}),
          );
        });
        expect(destroy.code, destroy.output).toBe(0);
        expect(journalOf(env)?.status).toBe('destroyed');
      } finally {
        session.kill();
      }
    } finally {
      await proxy.close();
    }
  }, 240_000);
});

describe('an uncaught error during a launch in the terminal', () => {
  test('rolls the launch back like Ctrl+C, then exits 1 naming the error', async () => {
    requireBuild();
    const home = tempHome();
    const env = {...motoEnv(home), NODE_OPTIONS: `--import=${PRELOAD}`};
    const session = new Session(['launch', profileFile(home, `uncaught-${Date.now() % 100000}`)], env);
    try {
      await startLaunch(session);
      // Once the launch has created something, tandem meets an error nothing catches.
      const started = Date.now();
      while (!((journalOf(env)?.resources.length ?? 0) > 0) && Date.now() - started < 60_000) await pause(25);
      expect(journalOf(env)?.resources.length, 'the launch created something').toBeGreaterThan(0);
      process.kill(session.pid, 'SIGUSR2');
      const code = await exitWithin(session, 120_000);
      const launchId = journalOf(env)!.launchId;
      expect(session.text.replace(/\s+/g, ' ')).toContain(
        `tandem: an unexpected error stopped launch ${launchId} (TypeError: the disk cache went away); what it had created was rolled back`,
      );
      expect(code).toBe(1);
      expect(session.text).not.toMatch(/^\s+at .+(\(|:\d+)/m);
      expect(journalOf(env)).toMatchObject({status: 'rolled-back', resources: []});
    } finally {
      session.kill();
    }
  }, 240_000);
});

describe('a private key pasted into the public key file field', () => {
  test('is withheld: no line of it is ever written to the terminal', async () => {
    requireBuild();
    const key = keySamples().privates.pkcs8;
    const session = new Session([], cleanEnv());
    try {
      await session.waitFor(`step 1 of ${STEPS}`);
      for (let step = 2; step <= 9; step++) {
        await session.press('\r');
        await session.waitFor(`step ${step} of ${STEPS}`);
      }
      await pause(300);
      for (let guard = 0; !session.fresh.includes('› import your public key'); guard++) {
        if (guard > 4) throw new Error(`could not choose import:\n${session.text.slice(-2000)}`);
        await session.press('\u001B[A');
        await pause(300);
      }
      // Past the key name to the public key file, emptied.
      await session.press('\t');
      await pause(300);
      await session.press('\t');
      await pause(300);
      await session.press('\u0015');
      await pause(300);
      // A paste: one write, lines ending in CR as a terminal sends them.
      await session.press(key.replace(/\n/g, '\r'));
      // The notice wraps in its column, beside the panel.
      await session.waitForMatch(/that is a private key \(withheld, not[\s\S]{0,200}give the path to a public key file/);
      const lines = key
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length >= 8);
      for (const line of lines) expect(session.raw.includes(line), `the terminal shows the key line ${line.slice(0, 12)}…`).toBe(false);
      expect(session.text).not.toContain('PRIVATE KEY');
    } finally {
      session.kill();
    }
  }, 60_000);
});
