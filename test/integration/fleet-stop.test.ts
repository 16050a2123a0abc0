// Ctrl+C during `tandem fleet deploy`: tandem stops watching (StackSets goes on with what was
// sent), exits 130, and says what exists (the StackSet, the operation in flight and its targets)
// and the command that removes it; that command then removes everything.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import {openFleetStore} from '../../source/store/fleets.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS, runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization} from '../support/fleet-org.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {cleanEnv} from '../support/clean-env.js';
import {STACK_LINE, runCli, startCli} from '../reliability/support.js';
import {tempDir} from './provision-support.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

/** stdout that sends SIGINT to this process as soon as a JSON event of `type` is written. */
class InterruptOn extends Capture {
  constructor(private readonly type: string) {
    super();
  }
  override _write(chunk: Buffer, encoding: string, done: () => void) {
    super._write(chunk, encoding, done);
    if (chunk.toString().includes(`"type":"${this.type}"`)) process.emit('SIGINT');
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('Ctrl+C during tandem fleet deploy', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
  });
  afterAll(async () => {
    await proxy.close();
  });

  async function interruptedAt(type: string) {
    const org = await organization(motoEndpoint(), {members: 1});
    const dir = tempDir('tandem-fleet-');
    const file = path.join(dir, 'web.yaml');
    writeFileSync(file, serializeProfile(fleetSpec()));
    vi.stubEnv('AWS_ACCESS_KEY_ID', org.credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', org.credentials.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', org.credentials.sessionToken);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const env = {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'};
    const stdout = new InterruptOn(type);
    const stderr = new Capture();
    const code = await fleetCommand({
      args: ['deploy', file],
      flags: {...DEFAULT_FLAGS, yes: true, output: 'json', regions: REGIONS.join(','), accounts: org.members.join(',')},
      io: {stdin: Readable.from([]), stdout, stderr, env},
    });
    const lines = stdout.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return {org, env, code, stderr: stderr.text, lines, account: org.members[0]};
  }

  it('while stack instances are being created: exits 130 naming the StackSet, the operation and its targets, and the command that removes them', async () => {
    const {env, code, stderr, lines, account} = await interruptedAt('operation-started');
    expect(code).toBe(130);
    const operationId = String(lines.find((line) => line.type === 'operation-started')!.operationId);
    expect(stderr).toContain('stopped by SIGINT');
    expect(stderr).toContain('StackSet web exists');
    expect(stderr).toContain(`in flight: StackSets create-instances operation ${operationId} on ${account}/eu-west-1, ${account}/us-east-1`);
    expect(stderr).toContain('remove it all: tandem fleet destroy web --yes');
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      fleet: 'web',
      status: 'interrupted',
      stackSet: 'web',
      inFlight: {kind: 'create-instances', operationId},
      next: 'tandem fleet destroy web --yes',
    });
    // The record keeps the operation, so the next command waits for it instead of losing it.
    expect(openFleetStore(env.TANDEM_HOME).read('web').operation).toMatchObject({kind: 'create-instances', operationId});

    const destroyed = await runCommand(fleetCommand, ['destroy', 'web'], {env, flags: {yes: true}});
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect(destroyed.stdout).toContain('Removed fleet web');
    expect(openFleetStore(env.TANDEM_HOME).read('web').status).toBe('destroyed');
  }, 180_000);

  it('right after the StackSet was created: says the StackSet exists with no instance in flight, and how to remove it', async () => {
    const {env, code, stderr, lines} = await interruptedAt('stack-set');
    expect(code).toBe(130);
    expect(stderr).toContain('StackSet web exists');
    expect(stderr).not.toContain('in flight:');
    expect(stderr).toContain('tandem fleet destroy web --yes');
    expect(lines.some((line) => line.type === 'operation-started')).toBe(false);
    expect(lines.at(-1)).toMatchObject({type: 'summary', status: 'interrupted', stackSet: 'web', inFlight: null});
    const destroyed = await runCommand(fleetCommand, ['destroy', 'web'], {env, flags: {yes: true}});
    expect(destroyed.code, destroyed.stderr).toBe(0);
  }, 180_000);

  it('the built CLI, sent SIGINT while StackSets works, exits 130 with the same report and no stack trace', async () => {
    const org = await organization(motoEndpoint(), {members: 1});
    const dir = tempDir('tandem-fleet-');
    const file = path.join(dir, 'web.yaml');
    writeFileSync(file, serializeProfile(fleetSpec()));
    const env = cleanEnv(dir, {
      TANDEM_HOME: path.join(dir, 'home'),
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: org.credentials.sessionToken,
    });
    // moto finishes operations at once; AWS takes minutes. The first poll says RUNNING, as AWS would,
    // so the signal arrives while tandem waits for the next one (3 s apart by default).
    proxy.add({service: 'cloudformation', action: 'DescribeStackSetOperation', kind: 'rewrite-body', replace: [['<Status>SUCCEEDED</Status>', '<Status>RUNNING</Status>']], times: 1});
    const run = startCli(['fleet', 'deploy', file, '--regions', REGIONS.join(','), '--accounts', org.members.join(','), '--yes', '--output', 'json'], env, (event, started) => {
      if (event.type === 'operation-started') started.child.kill('SIGINT');
    });
    const exited = await run.exited;
    proxy.clear();
    expect(run.hung).toBe(false);
    expect(exited.code).toBe(130);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr).toContain('StackSet web exists');
    expect(run.stderr).toContain('in flight: StackSets create-instances operation');
    expect(run.stderr).toContain('remove it all: tandem fleet destroy web --yes');
    expect((await runCli(['fleet', 'destroy', 'web', '--yes'], env)).code).toBe(0);
  }, 180_000);
});
