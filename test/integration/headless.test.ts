// The non-interactive commands end to end, in process, through the real SDK against moto:
// `launch --yes --output json` (stdout is only JSON lines), --dry-run, SIGINT, `destroy` and
// `launches`. Credentials come from the standard chain (env here), as for a real user; these
// tests use moto's default account and tell their launches apart by launch id.
import {Writable, PassThrough} from 'node:stream';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {runHeadless} from '../../source/commands/launch-headless.js';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import {run as launchesCommand} from '../../source/commands/launches.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {checkerVerdicts} from '../../source/domain/checker-run.js';
import {failureCount, failureLine, predictedFailures} from '../../source/domain/predicted-failures.js';
import {motoEndpoint} from '../support/aws.js';
import {answerDryRunLikeAws, startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {tempDir} from './provision-support.js';
import {PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  onChunk?: (chunk: string) => void;
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    const text = chunk.toString();
    this.text += text;
    this.onChunk?.(text);
    callback();
  }
}

function context(args: string[], flags: Partial<GlobalFlags>, env: NodeJS.ProcessEnv, stdin = new PassThrough()) {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {
    args,
    flags: {color: false, yes: false, dryRun: false, force: false, keep: false, endpointUrl: motoEndpoint(), ...flags},
    io: {stdin, stdout, stderr, env},
  };
  return {ctx, stdout, stderr};
}

// A new VPC rather than the default one: moto's default VPC has no internet gateway or
// 0.0.0.0/0 route (AWS's has both), so a default-VPC launch would fail subnet-routing here.
function webSpec(keyDir: string): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    // The instance name names the Session Manager role (tandem-ssm-<name>): unique, like the others.
    instance: {...spec.instance, name: `web-${path.basename(keyDir)}`},
    network: {vpc: 'new', subnet: 'public', publicIp: true},
    securityGroup: {...spec.securityGroup, name: `web-sg-${path.basename(keyDir)}`, ssh: '198.51.100.20/32'},
    keyPair: {mode: 'create', name: `key-${path.basename(keyDir)}`, type: 'ed25519', path: path.join(keyDir, 'id.pem')},
    // A public web server: its public address and Session Manager role are high to the tools.
    acceptedRisks: PUBLIC_WEB_SERVER_RISKS,
  };
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let env: NodeJS.ProcessEnv;
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});
beforeEach(() => {
  env = {TANDEM_HOME: tempDir('tandem-home-')};
  // The SDK's credential chain reads process.env; this is what a user's shell would hold.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tandem launch --yes --output json', () => {
  it('writes only JSON lines to stdout, then destroy and launches work on the record', async () => {
    const {ctx, stdout} = context([], {yes: true, output: 'json'}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    const events = jsonLines(stdout.text);
    expect(code, stdout.text).toBe(0);
    const types = new Set(events.map((event) => event.type));
    for (const type of ['launch-started', 'step-started', 'step-done', 'verification', 'summary']) expect(types).toContain(type);
    const summary = events[events.length - 1];
    expect(summary).toMatchObject({type: 'summary', status: 'launched', login: expect.stringMatching(/^ssh -i \S+\/id\.pem ec2-user@\S+$/)});
    // Session Manager is on by default: the summary carries the exact command too.
    expect(summary.session).toBe(`aws ssm start-session --target ${String(summary.instanceId)} --region us-east-1`);
    const launchId = String(summary.launchId);
    const runDone = events.find((event) => event.type === 'step-done' && event.stepId === 'run-instances') as {resources: Array<{id: string}>};
    expect(runDone.resources[0]?.id).toMatch(/^i-/);

    const listed = context([], {output: 'json'}, env);
    expect(await launchesCommand(listed.ctx)).toBe(0);
    expect(JSON.parse(listed.stdout.text)).toEqual([
      // VPC, two subnets, gateway, route table, group, key pair, instance, the Session Manager role with its
      // profile, the new VPC's flow log with its log group and delivery role, and the root volume's first snapshot.
      expect.objectContaining({launchId, status: 'launched', instanceId: runDone.resources[0]?.id, resources: 14}),
    ]);

    // No --yes and no terminal: refuse, remove nothing.
    const refused = context([launchId], {}, env);
    expect(await destroyCommand(refused.ctx)).toBe(2);
    expect(refused.stderr.text).toContain('--yes');

    // A terminal and the answer "n": nothing removed.
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const declined = context([launchId], {}, env, stdin);
    declined.stdout.isTTY = true;
    const pending = destroyCommand(declined.ctx);
    stdin.write('n\n');
    expect(await pending).toBe(0);
    expect(declined.stderr.text).toContain('[y/N]');
    expect(declined.stderr.text).toContain('Nothing removed');

    const destroyed = context([launchId], {yes: true, output: 'json'}, env);
    expect(await destroyCommand(destroyed.ctx)).toBe(0);
    const report = JSON.parse(destroyed.stdout.text) as {deleted: unknown[]; failed: unknown[]; leftovers: unknown[]};
    expect(report.deleted).toHaveLength(14);
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);

    const again = context([launchId], {yes: true}, env);
    expect(await destroyCommand(again.ctx)).toBe(0);
    expect(again.stdout.text).toContain('had nothing left to remove');

    const table = context([], {}, env);
    expect(await launchesCommand(table.ctx)).toBe(0);
    expect(table.stdout.text).toMatch(new RegExp(`${launchId}\\s+\\S+ \\S+\\s+us-east-1\\s+destroyed`));
  });

  it('rolls back and exits 130 on SIGINT', async () => {
    const {ctx, stdout} = context([], {yes: true, output: 'json'}, env);
    stdout.onChunk = (chunk) => {
      if (chunk.includes('"step-started"') && chunk.includes('"security-group"')) process.emit('SIGINT');
    };
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    const events = jsonLines(stdout.text);
    expect(code).toBe(130);
    // The rollback finished: the summary says what the journal says, and what stopped it.
    expect(events[events.length - 1]).toMatchObject({type: 'summary', status: 'rolled-back', stoppedBy: 'SIGINT'});
    expect(events[events.length - 1]).not.toHaveProperty('remaining');
    expect(events.some((event) => event.type === 'step-started' && event.stepId === 'run-instances')).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('on SIGINT with a rollback that leaves resources, says interrupted, what is left and the destroy command', async () => {
    proxy.add({action: 'DeleteVpc', kind: 'error', code: 'InternalError', message: 'injected failure', status: 400});
    const {ctx, stdout} = context([], {yes: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    stdout.onChunk = (chunk) => {
      if (chunk.includes('"step-started"') && chunk.includes('"security-group"')) process.emit('SIGINT');
    };
    let launchId = '';
    try {
      const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
      expect(code).toBe(130);
      const summary = jsonLines(stdout.text).at(-1)!;
      launchId = String(summary.launchId);
      expect(summary).toMatchObject({type: 'summary', status: 'interrupted', stoppedBy: 'SIGINT', destroy: `tandem destroy ${launchId}`});
      expect(summary.remaining).toEqual([expect.objectContaining({kind: 'vpc', id: expect.stringMatching(/^vpc-/)})]);
    } finally {
      proxy.clear();
    }
    const destroyed = context([launchId], {yes: true, endpointUrl: proxy.endpoint}, env);
    expect(await destroyCommand(destroyed.ctx)).toBe(0);
  });
});

describe('a failed launch with a new KMS key', () => {
  it('says the key is only scheduled for deletion, with its date and how to cancel', async () => {
    proxy.add({action: 'RunInstances', kind: 'error', code: 'InsufficientInstanceCapacity', message: 'no capacity', status: 500});
    const spec = webSpec(tempDir('tandem-keys-'));
    const {ctx, stdout, stderr} = context([], {yes: true, endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, {...spec, storage: {...spec.storage, kmsKey: 'new'}});
    proxy.clear();
    expect(code, stderr.text).toBe(1);
    const date = /scheduled kms-key (\S+) for deletion on (\d{4}-\d\d-\d\d)/.exec(stderr.text);
    expect(date, stderr.text).not.toBeNull();
    expect(stdout.text).not.toContain('everything it created was removed');
    expect(stdout.text).toMatch(/Removed \d+ resources it created and scheduled the deletion of its KMS key/);
    expect(stdout.text).toContain(`AWS deletes it on ${date![2]}`);
    expect(stdout.text).toContain(`aws kms cancel-key-deletion --key-id ${date![1]}`);
  });
});

describe('tandem launch --output json, failing', () => {
  it('keeps stdout pure JSON lines and still tells a person on stderr what failed and what was removed', async () => {
    proxy.add({action: 'RunInstances', kind: 'error', code: 'InsufficientInstanceCapacity', message: 'no capacity in this zone'});
    const {ctx, stdout, stderr} = context([], {yes: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    proxy.clear();
    expect(code).toBe(1);
    const events = jsonLines(stdout.text);
    expect(events[events.length - 1]).toMatchObject({type: 'summary', status: 'rolled-back'});
    expect(stderr.text).toContain('✗ run-instances (RunInstances) failed: InsufficientInstanceCapacity: no capacity in this zone');
    expect(stderr.text).toContain('rolling back');
    expect(stderr.text).toMatch(/removed vpc vpc-/);
    expect(stderr.text).toContain('failed; everything it created was removed');
  });

  it('a step AWS refused carries its code and what the operator can do next in its JSON event', async () => {
    proxy.add({action: 'RunInstances', kind: 'unauthorized'});
    const {ctx, stdout} = context([], {yes: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    proxy.clear();
    expect(code).toBe(1);
    const failed = jsonLines(stdout.text).filter((event) => event.type === 'step-failed');
    expect(failed).toEqual([expect.objectContaining({stepId: 'run-instances', code: 'UnauthorizedOperation', next: [expect.stringMatching(/permission this call needs/)]})]);
  });
});

describe('tandem launch --dry-run', () => {
  it('exits 0 when every checkable call would succeed', async () => {
    answerDryRunLikeAws(proxy);
    const {ctx, stdout} = context([], {dryRun: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    proxy.clear();
    const lines = jsonLines(stdout.text);
    expect(code, stdout.text).toBe(0);
    expect(lines[lines.length - 1]).toMatchObject({type: 'dry-run-summary', passed: true, denied: 0});
    expect(lines.find((line) => line.stepId === 'run-instances')).toMatchObject({outcome: 'would-succeed'});
  });

  it('names every check the launch will fail, with the tool, its id and severity, in text and JSON', async () => {
    answerDryRunLikeAws(proxy);
    const spec = webSpec(tempDir('tandem-keys-'));
    const expected = predictedFailures(checkerVerdicts(spec));
    const json = context([], {dryRun: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    expect(await runHeadless(json.ctx, spec)).toBe(0);
    const failures = jsonLines(json.stdout.text).filter((line) => line.type === 'predicted-failure');
    expect(failures).toEqual(expected.map((failure) => ({type: 'predicted-failure', ...failure})));
    expect(failures).toContainEqual(expect.objectContaining({tool: 'Prowler', id: 'ec2_securitygroup_allow_ingress_from_internet_to_any_port', severity: 'high'}));
    const text = context([], {dryRun: true, endpointUrl: proxy.endpoint}, env);
    expect(await runHeadless(text.ctx, spec)).toBe(0);
    proxy.clear();
    expect(text.stdout.text).toContain(`After this launch, ${failureCount(expected)}:`);
    for (const failure of expected) expect(text.stdout.text).toContain(failureLine(failure));
  });

  it('exits 1 and names the action when a call is denied', async () => {
    answerDryRunLikeAws(proxy);
    proxy.add({action: 'CreateSecurityGroup', kind: 'unauthorized', bodyIncludes: 'DryRun=true'});
    const {ctx, stdout} = context([], {dryRun: true, endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    proxy.clear();
    expect(code).toBe(1);
    expect(stdout.text).toMatch(/security-group\s+CreateSecurityGroup\s+DENIED\s+ec2:CreateSecurityGroup/);
  });
});

describe('bad input', () => {
  it('refuses to launch without --yes', async () => {
    const {ctx, stderr} = context([], {output: 'json'}, env);
    expect(await runHeadless(ctx, webSpec(tempDir('tandem-keys-')))).toBe(2);
    expect(stderr.text).toContain('--yes');
  });

  it('rejects an invalid spec with exit 2 naming the field', async () => {
    const spec = webSpec(tempDir('tandem-keys-'));
    const {ctx, stderr, stdout} = context([], {yes: true}, env);
    expect(await runHeadless(ctx, {...spec, storage: {...spec.storage, sizeGiB: 0}})).toBe(2);
    expect(stderr.text).toContain('storage.sizeGiB');
    expect(stdout.text).toBe('');
  });

  it('exits 2 with a clear message when no credentials are found', async () => {
    const empty = tempDir('tandem-aws-');
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(empty, 'credentials'));
    vi.stubEnv('AWS_CONFIG_FILE', path.join(empty, 'config'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', undefined);
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', undefined);
    vi.stubEnv('AWS_WEB_IDENTITY_TOKEN_FILE', undefined);
    const {ctx, stderr, stdout} = context([], {yes: true, output: 'json'}, env);
    expect(await runHeadless(ctx, webSpec(tempDir('tandem-keys-')))).toBe(2);
    expect(stderr.text).toContain('aws configure');
    expect(stderr.text).toContain('AWS_PROFILE');
    expect(stdout.text).toBe('');
  });
});

describe('tandem launch stops before creating anything when it cannot know the launch would work', () => {
  it('refuses a well-formed region AWS does not have (exit 2) before any call, also with a custom endpoint', async () => {
    const seen = proxy.requests.length;
    const {ctx, stdout, stderr} = context([], {yes: true, region: 'us-east-9', endpointUrl: proxy.endpoint}, env);
    const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
    expect(code, stderr.text).toBe(2);
    expect(stderr.text).toContain("tandem launch: region: Region 'us-east-9' is not a region AWS has");
    expect(stdout.text).toBe('');
    expect(proxy.requests.slice(seen)).toEqual([]);
  });

  it('a pre-flight read the endpoint does not answer is an error (exit 1) before any create, not a warning', async () => {
    const seen = proxy.requests.length;
    proxy.add({action: 'DescribeInstanceTypeOfferings', kind: 'server-error'});
    try {
      const {ctx, stderr} = context([], {yes: true, endpointUrl: proxy.endpoint}, env);
      const code = await runHeadless(ctx, webSpec(tempDir('tandem-keys-')));
      expect(code, stderr.text).toBe(1);
      expect(stderr.text).toContain('instance.type: not checked: ec2:DescribeInstanceTypeOfferings failed: InternalError');
      expect(stderr.text).not.toMatch(/warning: instance\.type/);
      expect(stderr.text).toContain('pre-flight could not read the account (the endpoint did not answer as AWS does); nothing was created');
    } finally {
      proxy.clear();
    }
    expect(proxy.requests.slice(seen).filter((request) => /^(Create|Run|Allocate|Import|Put|Add|Attach)/.test(request.action))).toEqual([]);
  });
});
