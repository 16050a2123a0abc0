// `tandem verify` end to end in-process: a journal record in a temporary TANDEM_HOME, credentials
// from the environment as the standard chain finds them, calls to moto through AWS_ENDPOINT_URL.
// Without an x-moto-account-id header the command lands in moto's default account, so the launch
// is set up there too, in its own new VPC.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {AuthorizeSecurityGroupIngressCommand, TerminateInstancesCommand} from '@aws-sdk/client-ec2';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {run} from '../../source/commands/verify.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {createJournal} from '../../source/store/journal.js';
import type {LaunchRecord} from '../../source/store/journal-types.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {createLaunchFixture} from '../integration/launch-fixture.js';

const MOTO_DEFAULT_ACCOUNT = '123456789012';

let home: string;
let clients: AwsClients;
let record: LaunchRecord;

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & {columns?: number; isTTY?: boolean};
  stream.columns = 120;
  return {stream, text: () => text};
}

async function verify(args: string[], flags: Partial<GlobalFlags> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await run({
    args,
    flags: {color: false, yes: false, dryRun: false, force: false, keep: false, ...flags},
    io: {
      stdin: new PassThrough(),
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: motoEndpoint()},
    },
  });
  return {code, stdout: stdout.text(), stderr: stderr.text()};
}

beforeAll(async () => {
  // The SDK's credential chain reads process.env; moto accepts any key.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-verify-cmd-'));
  clients = await makeClients(testSettings({accountId: MOTO_DEFAULT_ACCOUNT}));
  const launched = await (await createLaunchFixture(clients)).launch(`cmd-${process.pid}`);
  const {createdAt: _created, updatedAt: _updated, ...rest} = launched;
  // The record of a launch made through AWS_ENDPOINT_URL, as tandem keeps it: the endpoint with it.
  record = createJournal(home).start({...rest, endpointUrl: motoEndpoint()});
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe('tandem verify', () => {
  it('refuses bad usage with exit 2 and one line', async () => {
    for (const [args, flags, pattern] of [
      [[], {}, /LAUNCH_ID is needed/],
      [['a', 'b'], {}, /one LAUNCH_ID/],
      [['../../etc/passwd'], {}, /is not a launch id/],
      [['l-20260101t000000-000000'], {}, /no launch l-20260101t000000-000000/],
      [[record.launchId], {output: 'yaml'}, /--output "yaml"/],
    ] as const) {
      const result = await verify([...args], flags);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
  });

  it('prints the table and exits 0 when every control holds, then 3 after drift', async () => {
    const ok = await verify([record.launchId]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Verification of launch ${record.launchId}`);
    expect(ok.stdout).toMatch(/CONTROL\s+OWNER\s+EXPECTED\s+ACTUAL\s+RESULT/);
    // The public web server's address: as chosen, yet Security Hub EC2.9 would fail it.
    expect(ok.stdout).toMatch(/checkers: FAIL: EC2\.9, ec2_instance_public_ip/);
    expect(ok.stdout).toMatch(/0 failed, \d+ for information; Security Hub would fail/);
    expect(ok.stdout).toMatch(/0 failed/);
    expect(Math.max(...ok.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
    expect(createJournal(home).read(record.launchId).lastVerification?.length).toBeGreaterThan(0);

    const json = await verify([record.launchId], {output: 'json'});
    expect(json.code).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({type: 'summary', launchId: record.launchId, failed: 0, checkers: {failed: expect.any(Number)}});
    const rows = lines.filter((line) => line.type === 'verification');
    expect(rows.map((line) => line.control)).toContain('imds-v2');
    const publicIp = rows.find((line) => line.control === 'public-ip')!;
    expect(publicIp.checkerVerdicts).toContainEqual({
      tool: 'Security Hub',
      id: 'EC2.9',
      verdict: 'fail',
      resource: record.resolved.instanceId,
      accepted: null,
    });
    for (const row of rows) expect(Object.keys(row)).toContain('checkerVerdicts');

    // --strict: the same launch, whose checker failures no accepted risk covers, exits 3.
    const strict = await verify([record.launchId], {strict: true});
    expect(strict.code).toBe(3);
    expect(strict.stdout).toMatch(/0 failed/);

    await clients.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: record.resolved.securityGroupId!,
        IpPermissions: [{IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{CidrIp: '0.0.0.0/0'}]}],
      }),
    );
    const drifted = await verify([record.launchId]);
    expect(drifted.code).toBe(3);
    expect(drifted.stdout).toContain('FAIL');
    expect(drifted.stdout).toMatch(/1 failed/);
  });

  it('refuses (exit 2) to verify through another endpoint or region than the journal recorded', async () => {
    const elsewhere = await verify([record.launchId], {endpointUrl: 'http://127.0.0.1:9'});
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stdout).toBe('');
    expect(elsewhere.stderr).toContain(`launch ${record.launchId} was made through ${motoEndpoint()} (its journal says so), but --endpoint-url gives http://127.0.0.1:9`);
    const region = await verify([record.launchId], {region: 'eu-west-1'});
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/was made in region us-east-1 \(its journal says so\), but --region gives eu-west-1/);
  });

  it('says in one line that the instance is gone, and exits 3', async () => {
    await clients.ec2.send(new TerminateInstancesCommand({InstanceIds: [record.resolved.instanceId!]}));
    const gone = await verify([record.launchId]);
    expect(gone.code).toBe(3);
    expect(gone.stdout).toBe('');
    expect(gone.stderr.trim().split('\n')).toEqual([
      `tandem verify: instance ${record.resolved.instanceId} of launch ${record.launchId} is terminated: nothing left to verify; tandem destroy ${record.launchId} removes the rest`,
    ]);
    const json = await verify([record.launchId], {output: 'json'});
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({type: 'instance-gone', launchId: record.launchId, instanceId: record.resolved.instanceId, state: 'terminated'});
  });
});
