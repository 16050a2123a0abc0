// The app with a Cloud: discovery fills the lists (spinner first, the AWS error in place on
// failure), and a launch shows live progress, verification and the end screen.
import {afterEach, describe, expect, test} from 'vitest';
import type {LaunchEvent} from '../../source/domain/cloud.js';
import {App} from '../../source/ui/app.js';
import {awsError, deferred, fakeCloud, PASSING, type FakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, waitFor, waitForText, widestLine} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const LAUNCH_ID = 'l-20260101t120000-abcdef';
const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

function start(cloud: FakeCloud, columns = 100) {
  const exits: number[] = [];
  /** What the app says on its way out (e.g. the destroy command), one per exit. */
  const notes: Array<string | undefined> = [];
  const instance = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={publicWebServerSpec()} makeLaunchId={() => LAUNCH_ID} onExit={(code, note) => (exits.push(code), notes.push(note))} />,
    columns,
  );
  return {...instance, exits, notes, frame: () => instance.lastFrame() ?? ''};
}

type Running = ReturnType<typeof start>;
type Script = NonNullable<Parameters<typeof fakeCloud>[0]>['script'];

/** Starts the first step, waits for the abort, then rolls back one VPC and ends interrupted. */
const rollsBackOnAbort: Script = async (spec, plan, options) => {
  options.onEvent({type: 'step-started', stepId: plan.steps[0].id, action: plan.steps[0].action});
  await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve()));
  options.onEvent({type: 'rollback-started', launchId: options.launchId});
  options.onEvent({type: 'resource-deleted', resource: {kind: 'vpc', id: 'vpc-0gone', stepId: 'vpc', region: 'us-east-1'}});
  options.onEvent({type: 'summary', launchId: options.launchId, status: 'interrupted'});
  return {launchId: options.launchId, status: 'interrupted', resources: []};
};

/** Never settles: the rollback is still running when the operator (or a second signal) leaves. */
/** A rollback that runs until it is cut short (rollbackSignal), then settles as the executor does. */
const rollbackUntilCutShort: Script = (spec, plan, options) =>
  new Promise((resolve) => {
    options.onEvent({type: 'step-started', stepId: plan.steps[0].id, action: plan.steps[0].action});
    options.signal?.addEventListener('abort', () => options.onEvent({type: 'rollback-started', launchId: options.launchId}));
    options.rollbackSignal?.addEventListener('abort', () =>
      setTimeout(() => resolve({launchId: options.launchId, status: 'interrupted', resources: [{kind: 'vpc', id: 'vpc-0left', stepId: 'vpc', region: 'us-east-1'}]}), 50),
    );
  });

/** A rollback whose calls never answer, even once cut short. */
const rollbackNeverEnds: Script = (spec, plan, options) =>
  new Promise(() => {
    options.onEvent({type: 'step-started', stepId: plan.steps[0].id, action: plan.steps[0].action});
    options.signal?.addEventListener('abort', () => options.onEvent({type: 'rollback-started', launchId: options.launchId}));
  });

/** From the first screen to the review, then onto the Launch action, then Enter. */
async function launch(app: Running) {
  await enterUntil(app, 'What next');
  for (let guard = 0; !app.frame().includes('› Launch'); guard++) {
    if (guard > 15) throw new Error(`no Launch action; last frame:\n${app.frame()}`);
    await press(app.stdin, KEY.down);
  }
  await press(app.stdin, KEY.enter);
}

describe('discovery', () => {
  test('the header names the account and region; images load with a spinner, then show their ids', async () => {
    const images = deferred<{al2023?: string; al2?: string}>();
    const app = start(fakeCloud({discovery: {latestImages: () => images.promise}}));
    await waitForText(app, 'loading latest Amazon Linux images');
    expect(app.frame()).toContain('account 123456789012 · us-east-1');
    images.resolve({al2023: 'ami-0aaa2023', al2: 'ami-0bbb0002'});
    await waitForText(app, 'ami-0aaa2023');
    expect(app.frame()).not.toContain('loading latest');
  });

  test('existing VPC: spinner, then the list from the account, then its subnets', async () => {
    const vpcs = deferred<Awaited<ReturnType<FakeCloud['discovery']['vpcs']>>>();
    const app = start(fakeCloud({discovery: {vpcs: () => vpcs.promise}}));
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'loading VPCs');
    vpcs.resolve([
      {id: 'vpc-0default', cidr: '172.31.0.0/16', isDefault: true},
      {id: 'vpc-0shop', cidr: '10.20.0.0/16', isDefault: false, name: 'shop'},
    ]);
    await waitForText(app, 'vpc-0shop 10.20.0.0/16 shop');
    expect(app.frame()).toContain('type an id…');
    // Pick vpc-0shop: tab to the VPC list, move past "type an id…" and the default VPC.
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'subnet-0pub 10.20.1.0/24 us-east-1a public');
  });

  test('KMS keys: the list costs no call per key; details are read only for the key the cursor rests on', async () => {
    const asked: string[][] = [];
    const keys = Array.from({length: 60}, (_, n) => ({
      id: `k-${n}`,
      arn: `arn:aws:kms:us-east-1:123456789012:key/k-${n}`,
      aliases: [`alias/app-${String(n).padStart(2, '0')}`],
      managedBy: 'Customer' as const,
    }));
    const app = start(
      fakeCloud({
        discovery: {
          kmsKeys: async (onPage) => {
            onPage?.(keys.slice(0, 20));
            return keys;
          },
          kmsKeyDetails: async (ids) => {
            asked.push(ids);
            return ids.map((id) => (id === 'alias/app-03' ? {id, state: 'Disabled'} : {id, state: 'Enabled', spec: 'SYMMETRIC_DEFAULT', managedBy: 'Customer' as const, rotation: true}));
          },
        },
      }),
      // Narrow: the panel goes below the list, so each row reads on its own lines.
      80,
    );
    await enterUntil(app, 'step 7 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, '60 KMS keys');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 4);
    const flat = () => app.frame().replace(/\s+/g, ' ');
    await waitFor(() => flat().includes('› alias/app-03 customer key (the key is Disabled, not Enabled)'), 'key 3 shown as unusable', app.frame);
    await press(app.stdin, KEY.down);
    await waitFor(() => flat().includes('› alias/app-04 customer key, rotates yearly'), 'key 4 with its rotation', app.frame);
    // Keys passed on the way (app-00…app-02) were never asked about.
    expect(asked.flat()).not.toContain('alias/app-00');
    expect(asked.flat().every((id) => id === 'alias/app-03' || id === 'alias/app-04')).toBe(true);
    expect(asked.every((ids) => ids.length === 1)).toBe(true);
  });

  test('a denied call shows the AWS code and message in place, and an id can still be typed', async () => {
    const app = start(fakeCloud({discovery: {vpcs: () => Promise.reject(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'))}}), 60);
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'UnauthorizedOperation');
    const frame = app.frame().replace(/\s+/g, ' ');
    expect(frame).toContain('could not load VPCs: UnauthorizedOperation: You are not authorized');
    expect(frame).toContain('VPC id');
    expect(frame).toContain('a new VPC');
  });

  test('AWS text cannot smuggle terminal escapes into the screen', async () => {
    const app = start(fakeCloud({discovery: {keyPairs: async () => [{name: 'evil\u001B[2Jkey', id: 'key-1', type: 'rsa', fingerprint: 'x'}]}}));
    await enterUntil(app, 'step 9 of 12');
    await press(app.stdin, KEY.up);
    await waitForText(app, 'evil');
    expect(app.frame()).toContain('evil\\x1b[2Jkey');
    expect(app.frame()).not.toContain('\u001B[2J');
  });
});

describe('launch', () => {
  test('progress, verification table and end screen; Enter exits 0', async () => {
    const cloud = fakeCloud();
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'Verification: 2 passed, 0 failed');
    const frame = app.frame();
    expect(cloud.launches).toHaveLength(1);
    expect(cloud.launches[0].options.launchId).toBe(LAUNCH_ID);
    expect(frame).toContain('PASS');
    expect(frame).toContain('[BOTH]');
    expect(frame).toContain('http://198.51.100.20');
    // Enter through every screen chooses Session Manager and no key pair: the end
    // screen gives the exact start-session command, not ssh -i.
    expect(frame.replace(/\s+/g, ' ')).toContain('Shell aws ssm start-session --target i-0fake --region us-east-1');
    expect(frame).not.toContain('ssh -i');
    expect(frame).not.toContain('ssh -i');
    expect(frame).toContain(`tandem destroy ${LAUNCH_ID}`);
    expect(frame).toContain('security-group-fake0');
    await press(app.stdin, KEY.enter);
    expect(app.exits).toEqual([0]);
  });

  test('a failing control ends with exit 3', async () => {
    const cloud = fakeCloud({
      script: async (spec, plan, options) => {
        const results = [{...PASSING[0], actual: 'optional', status: 'fail' as const}];
        options.onEvent({type: 'verification', results});
        options.onEvent({type: 'summary', launchId: options.launchId, status: 'launched', publicIp: '198.51.100.20'});
        return {launchId: options.launchId, status: 'launched', resources: [], verification: results, publicIp: '198.51.100.20'};
      },
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'FAIL');
    await press(app.stdin, 'q');
    expect(app.exits).toEqual([3]);
  });

  test('waiting for IAM, then a failed step with its AWS code, rollback, exit 1', async () => {
    const proceed = deferred<void>();
    const cloud = fakeCloud({
      script: async (spec, plan, options) => {
        const step = plan.steps[plan.steps.length - 1];
        const emit = (event: LaunchEvent) => options.onEvent(event);
        emit({type: 'step-started', stepId: step.id, action: step.action});
        emit({type: 'step-waiting', stepId: step.id, reason: 'EC2 does not see the new instance profile yet', attempt: 2});
        await proceed.promise;
        emit({type: 'step-failed', stepId: step.id, code: 'InsufficientInstanceCapacity', message: 'no capacity', ms: 900});
        emit({type: 'rollback-started', launchId: options.launchId});
        emit({type: 'resource-deleted', resource: {kind: 'security-group', id: 'sg-0gone', stepId: 'security-group', region: 'us-east-1'}});
        emit({type: 'summary', launchId: options.launchId, status: 'rolled-back'});
        return {launchId: options.launchId, status: 'rolled-back', resources: []};
      },
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'waiting for IAM: EC2 does not see the new instance profile yet (attempt 2)');
    expect(app.frame()).toContain('ctrl+c stop and roll back');
    proceed.resolve();
    await waitForText(app, 'Launch failed');
    const frame = app.frame();
    expect(frame).toContain('InsufficientInstanceCapacity: no capacity');
    expect(frame).toContain('removed security-group sg-0gone');
    await press(app.stdin, KEY.enter);
    expect(app.exits).toEqual([1]);
  });

  test('ctrl+c during the launch aborts it, shows the rollback and exits 130', async () => {
    const cloud = fakeCloud({
      script: rollsBackOnAbort,
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'Launching');
    await press(app.stdin, KEY.ctrlC);
    await waitForText(app, 'Launch interrupted');
    expect(app.frame()).toContain('removed vpc vpc-0gone');
    expect(app.exits).toEqual([]);
    await press(app.stdin, KEY.enter);
    expect(app.exits).toEqual([130]);
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s during the launch rolls back like ctrl+c, then leaves by itself with %i', async (signal, code) => {
    const cloud = fakeCloud({
      script: rollsBackOnAbort,
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'Launching');
    // The signal as the process receives it; only tandem's own listener is installed meanwhile.
    process.emit(signal);
    await waitForText(app, 'Launch interrupted');
    expect(app.frame()).toContain('removed vpc vpc-0gone');
    await waitFor(() => app.exits.length > 0, 'the app to leave without a key press', app.frame);
    expect(app.exits).toEqual([code]);
  });

  // A stop from the keyboard or from a supervisor: the second cuts the rollback short, the third leaves.
  const stops = [
    ['ctrl+c', 130, (app: Running) => press(app.stdin, KEY.ctrlC)],
    ['SIGTERM', 143, async () => void process.emit('SIGTERM')],
  ] as const;

  test.each(stops)('a second %s cuts the rollback short, leaves once it has settled and names the destroy command', async (_name, code, stop) => {
    const cloud = fakeCloud({
      script: rollbackUntilCutShort,
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'Launching');
    await stop(app);
    await waitForText(app, 'Stopping: rolling back');
    await stop(app);
    expect(cloud.launches[0].options.rollbackSignal?.aborted).toBe(true);
    // The journal is written when the launch settles; tandem leaves after that, not before.
    expect(app.exits).toEqual([]);
    await waitFor(() => app.exits.length > 0, 'tandem to leave', app.frame);
    expect(app.exits).toEqual([code]);
    expect(app.notes[0]).toContain(`tandem destroy ${LAUNCH_ID}`);
  });

  test.each(stops)('a third %s leaves at once when the rollback does not settle', async (_name, code, stop) => {
    const cloud = fakeCloud({
      script: rollbackNeverEnds,
    });
    const app = start(cloud);
    await launch(app);
    await waitForText(app, 'Launching');
    await stop(app);
    await waitForText(app, 'Stopping: rolling back');
    await stop(app);
    expect(app.exits).toEqual([]);
    await stop(app);
    expect(app.exits).toEqual([code]);
    expect(app.notes[0]).toContain(`tandem destroy ${LAUNCH_ID}`);
  });

  test('the verification table stays within 40 columns', async () => {
    const app = start(fakeCloud(), 40);
    await launch(app);
    await waitForText(app, 'Verification');
    await waitFor(() => widestLine(app.frame()) <= 40, 'every line to fit 40 columns', app.frame);
  });
});
