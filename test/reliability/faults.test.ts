// Faults on the wire, through the fault proxy, against a full "create everything" launch: every
// scenario must end in a verified launch or a clean rollback with a clear message, never a hang
// (each test has a timeout, and the socket timeout is set low so stalls are cut short) and never
// a second instance. test/integration/rollback-faults.test.ts already covers one throttle, one
// 5xx and one reset on a few calls and the basic instance-profile race; this file goes wider.
import {afterAll, describe, expect, it} from 'vitest';
import {createCloud} from '../../source/aws/index.js';
import type {LaunchEvent, LaunchResult} from '../../source/domain/cloud.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {FAST} from '../integration/provision-support.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {signedAt, startFaultProxy, type Fault, type FaultProxy} from '../support/fault-proxy.js';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {CreateKeyPairCommand, DescribeKeyPairsCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {CreateRoleCommand, GetRoleCommand, ListRolesCommand} from '@aws-sdk/client-iam';
import {ListKeysCommand} from '@aws-sdk/client-kms';
import {everythingSpec, leftoversOf, tempDir, uniqueAccount} from './support.js';

let injected = 0;
const scenarios: string[] = [];

afterAll(() => {
  console.log(`fault suite: ${scenarios.length} scenarios, ${injected} faults injected`);
});

interface Outcome {
  result: LaunchResult;
  events: LaunchEvent[];
  proxy: FaultProxy;
  leftovers: string[];
  launchId: string;
}

/**
 * Launches everything through a proxy that injects `faults`, then checks the end state: launched
 * and verified (then destroyed), or rolled back. Either way nothing tagged with the launch may
 * remain afterwards.
 */
async function launchThrough(
  name: string,
  faults: Fault[],
  options: {
    maxAttempts?: number;
    socketTimeoutMs?: number;
    runningWaitSeconds?: number;
    skew?: number;
    /** Runs after the launch and before destroy (e.g. wait for a delayed request to land). */
    settle?: (check: AwsClients, launchId: string) => Promise<void>;
  } = {},
): Promise<Outcome> {
  const accountId = uniqueAccount();
  const proxy = await startFaultProxy(motoEndpoint());
  const check = await makeClients(testSettings({accountId}));
  // moto builds a new account's EC2 world (images, default VPC) on first use, which can take
  // longer than the short socket timeouts below; a slow first answer would then be retried and
  // the create made twice. Warm the account up outside the proxy first.
  await check.ec2.send(new DescribeVpcsCommand({}));
  await check.iam.send(new ListRolesCommand({}));
  await check.kms.send(new ListKeysCommand({}));
  try {
    for (const fault of faults) proxy.add(fault);
    if (options.skew) proxy.setClockSkew(options.skew);
    const settings = {
      ...testSettings({accountId, endpointUrl: proxy.endpoint, maxAttempts: options.maxAttempts ?? 4}),
      socketTimeoutMs: options.socketTimeoutMs ?? 10_000,
    };
    const tuning = options.runningWaitSeconds ? {...FAST, runningWaitSeconds: options.runningWaitSeconds} : FAST;
    const cloud = await createCloud(settings, tempDir('tandem-rel-home-'), tuning);
    const spec = everythingSpec(tempDir('tandem-rel-keys-'), name);
    const launchId = newLaunchId();
    const events: LaunchEvent[] = [];
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: (event) => events.push(event)});
    injected += proxy.requests.filter((request) => request.faulted).length;
    scenarios.push(name);
    proxy.clear();
    proxy.setClockSkew(0);
    await options.settle?.(check, launchId);
    if (result.status === 'launched') {
      expect(result.verification?.filter((item) => item.status === 'fail')).toEqual([]);
      expect((await cloud.destroy(launchId)).failed).toEqual([]);
    }
    const leftovers = await leftoversOf(check, launchId, spec);
    return {result, events, proxy, leftovers, launchId};
  } finally {
    await proxy.close();
  }
}

function failures(events: LaunchEvent[]) {
  return events.flatMap((event) => (event.type === 'step-failed' ? [`${event.stepId}: ${event.code}: ${event.message}`] : []));
}

function runInstancesTokens(proxy: FaultProxy): string[] {
  return proxy.requests
    .filter((request) => request.action === 'RunInstances' && !request.body.includes('DryRun=true'))
    .map((request) => new URLSearchParams(request.body).get('ClientToken') ?? '(none)');
}

describe('throttling on every service', () => {
  it('is retried by the SDK until the launch is verified', async () => {
    const {result, events, proxy, leftovers} = await launchThrough('throttled', [
      {service: 'ec2', action: 'CreateVpc', kind: 'throttle', times: 2}, // RequestLimitExceeded
      {service: 'iam', action: 'CreateRole', kind: 'throttle', times: 2}, // Throttling
      {service: 'kms', action: 'CreateKey', kind: 'throttle', times: 2}, // ThrottlingException
      {service: 'ssm', action: 'GetParameter', kind: 'throttle', times: 1},
      {service: 'ec2', action: 'CreateSecurityGroup', kind: 'too-many-requests', times: 1},
      {service: 'iam', action: 'CreateInstanceProfile', kind: 'too-many-requests', times: 1},
      {service: 'kms', action: 'CreateAlias', kind: 'too-many-requests', times: 1},
      {service: 'ec2', action: 'RunInstances', kind: 'throttle', times: 1},
    ]);
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    expect(proxy.requests.filter((request) => request.faulted).length).toBe(11);
    // The retried RunInstances carried the same ClientToken both times (see the ClientToken test).
    const tokens = runInstancesTokens(proxy);
    expect(tokens.length).toBe(2);
    expect(new Set(tokens).size).toBe(1);
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('gives up after the configured attempts, rolls back and names the call', async () => {
    // Only the instance role's policy is throttled: the flow logs' role has a PutRolePolicy of its own.
    const {result, events, leftovers} = await launchThrough('throttled-forever', [{service: 'iam', action: 'PutRolePolicy', kind: 'throttle', bodyIncludes: 'PolicyName=tandem-s3'}], {
      maxAttempts: 2,
    });
    expect(result.status).toBe('rolled-back');
    expect(failures(events)).toEqual([expect.stringMatching(/^iam-role-policy: Throttling: Rate exceeded/)]);
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('5xx bursts and connection resets', () => {
  it('survive bursts of 500, 503 and resets on creates in every branch', async () => {
    const {result, events, proxy, leftovers} = await launchThrough('bursts', [
      {action: 'CreateSubnet', kind: 'server-error', times: 2},
      {action: 'CreateInternetGateway', kind: 'unavailable', times: 2},
      {action: 'PutRolePolicy', kind: 'server-error', times: 2},
      {action: 'EnableKeyRotation', kind: 'unavailable', times: 2},
      {action: 'AuthorizeSecurityGroupIngress', kind: 'reset', times: 2},
      {action: 'CreateRoute', kind: 'reset', times: 1},
      {action: 'RunInstances', kind: 'unavailable', times: 2},
    ]);
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    expect(new Set(runInstancesTokens(proxy)).size).toBe(1);
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('a 503 that never ends fails the step with the service message and rolls back', async () => {
    const {result, events, leftovers} = await launchThrough('down', [{action: 'CreateSecurityGroup', kind: 'unavailable'}], {maxAttempts: 2});
    expect(result.status).toBe('rolled-back');
    expect(failures(events)).toEqual([expect.stringMatching(/^security-group: ServiceUnavailable: The service is unavailable/)]);
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('stalls', () => {
  it('an 8-second stall is cut short by the socket timeout and retried', async () => {
    const {result, events, proxy, leftovers} = await launchThrough(
      'stalled',
      [
        {action: 'CreateInternetGateway', kind: 'stall', delayMs: 8000, times: 1},
        {action: 'CreateKey', kind: 'stall', delayMs: 8000, times: 1},
      ],
      // Well above what an unfaulted call takes on a loaded 2-core CI machine, well below the stall.
      {socketTimeoutMs: 3000},
    );
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    expect(proxy.count('CreateInternetGateway', {faulted: true})).toBe(1);
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('a call that stalls every time fails with a timeout and rolls back', async () => {
    const {result, events, leftovers} = await launchThrough('stalled-forever', [{action: 'CreateRouteTable', kind: 'stall', delayMs: 8000}], {
      socketTimeoutMs: 3000,
      maxAttempts: 2,
    });
    expect(result.status).toBe('rolled-back');
    expect(failures(events)).toEqual([expect.stringMatching(/^route-table-public: TimeoutError: .*timed out/)]);
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('the default socket timeout is bounded (the SDK alone would wait forever)', async () => {
    const {DEFAULT_SOCKET_TIMEOUT_MS} = await import('../../source/aws/clients.js');
    expect(DEFAULT_SOCKET_TIMEOUT_MS).toBeGreaterThan(0);
    const clients = await makeClients(testSettings());
    const handler = (await (clients.ec2.config.requestHandler as {configProvider?: Promise<Record<string, unknown>>}).configProvider) ?? {};
    expect(handler.socketTimeout).toBe(DEFAULT_SOCKET_TIMEOUT_MS);
    expect(handler.connectionTimeout).toBeGreaterThan(0);
  });
});

describe('a create answered after the SDK gave up on it', () => {
  it('the unseen twin is found and removed by destroy', async () => {
    // The first CreateVpc reaches moto only after the client timed out and retried: two VPCs
    // exist, tandem saw one. The retried step's intent stays in the journal, so destroy finds
    // the other by its launch tag.
    const {result, proxy, leftovers} = await launchThrough('twin', [{action: 'CreateVpc', kind: 'delay', delayMs: 6000, times: 1}], {
      socketTimeoutMs: 3000,
      // Destroy only once the late request has landed, so the twin exists when destroy looks.
      settle: async (check, launchId) => {
        for (let tries = 0; tries < 200; tries += 1) {
          const vpcs = await check.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId]}]}));
          if ((vpcs.Vpcs ?? []).length >= 2) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('the delayed CreateVpc never reached moto');
      },
    });
    expect(result.status).toBe('launched');
    expect(proxy.count('CreateVpc')).toBe(2);
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('a response cut mid-body', () => {
  it('on a read is retried', async () => {
    const {result, events, leftovers} = await launchThrough('cut-read', [{action: 'DescribeImages', kind: 'cut-body', times: 1}]);
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('on a create ends clean: whatever the lost answer made is found and removed', async () => {
    // AWS made the security group, but tandem never read its id. Whether the SDK retries (and
    // hits a duplicate name) or gives up, the journal's intent lets rollback find the group.
    const {result, events, leftovers} = await launchThrough('cut-create', [{action: 'CreateSecurityGroup', kind: 'cut-body', times: 1}]);
    expect(['launched', 'rolled-back']).toContain(result.status);
    if (result.status === 'rolled-back') expect(failures(events)).toEqual([expect.stringMatching(/^security-group: /)]);
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('clock skew', () => {
  it('a machine clock 20 minutes off is corrected by the SDK from the Date header, on every service', async () => {
    // The proxy plays AWS seen from a machine whose clock is wrong: its Date runs 20 minutes
    // ahead and requests signed outside five minutes of it are refused (RequestTimeTooSkewed on
    // EC2, "Signature expired" on IAM/STS, InvalidSignatureException on KMS/SSM). The SDK learns
    // the offset (systemClockOffset) from the refusal and re-signs; nothing in tandem has to.
    const skewMs = 20 * 60_000;
    const {result, events, proxy, leftovers} = await launchThrough('skewed', [], {skew: skewMs});
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    const refused = proxy.requests.filter((request) => request.faulted === 'clock-skew');
    // AWS Backup too: verification reads the region's backup selections, as Prowler does; CloudWatch Logs: the new VPC's flow-log group.
    expect(new Set(refused.map((request) => request.service))).toEqual(new Set(['ec2', 'iam', 'kms', 'ssm', 'sts', 'backup', 'logs']));
    // After the correction, each service's requests were signed with the server's time and accepted.
    const corrected = proxy.requests.filter((request) => !request.faulted && request.amzDate && signedAt(request.amzDate) - Date.now() > skewMs - 5 * 60_000);
    expect(new Set(corrected.map((request) => request.service))).toEqual(new Set(['ec2', 'iam', 'kms', 'ssm', 'sts', 'backup', 'logs']));
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('RunInstances idempotency', () => {
  it('sends a ClientToken and reuses it for every retry, SDK and instance-profile race alike', async () => {
    // AWS returns the first instance again for a repeated ClientToken, so a retried RunInstances
    // whose first answer was lost can never start a second instance. moto does NOT enforce this
    // (docs/design.md section 5): it would start another one. So this test checks what tandem sends.
    const {result, events, proxy, leftovers} = await launchThrough('token', [
      {action: 'RunInstances', kind: 'invalid-instance-profile', times: 3},
      {action: 'RunInstances', kind: 'unavailable', times: 1},
    ]);
    expect(failures(events)).toEqual([]);
    expect(result.status).toBe('launched');
    expect(events.filter((event) => event.type === 'step-waiting')).toHaveLength(3);
    const tokens = runInstancesTokens(proxy);
    expect(tokens).toHaveLength(5);
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(tokens)).toEqual(new Set([tokens[0]]));
    expect(leftovers).toEqual([]);
  }, 120_000);

  it('a new launch gets a new ClientToken', async () => {
    const first = await launchThrough('token-a', []);
    const second = await launchThrough('token-b', []);
    expect(runInstancesTokens(first.proxy)[0]).not.toBe(runInstancesTokens(second.proxy)[0]);
  }, 120_000);
});

describe('an error on the very last step', () => {
  it('the instance dies while tandem waits for running: it and everything else are rolled back', async () => {
    // The first poll of the running waiter sees the instance terminated (moto's answer, edited).
    const {result, events, leftovers} = await launchThrough('last-step', [
      {
        action: 'DescribeInstances',
        kind: 'rewrite-body',
        times: 1,
        replace: [
          ['<code>16</code>', '<code>48</code>'],
          ['<name>running</name>', '<name>terminated</name>'],
        ],
      },
    ]);
    expect(result.status).toBe('rolled-back');
    expect(failures(events)).toEqual([expect.stringMatching(/^wait-running: /)]);
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource.kind] : []));
    expect(deleted[0]).toBe('instance');
    expect(leftovers).toEqual([]);
  }, 120_000);

  it("the last create failing (RunInstances, not retryable) rolls back with AWS's message", async () => {
    const {result, events, leftovers} = await launchThrough('last-create', [
      {action: 'RunInstances', kind: 'error', code: 'VcpuLimitExceeded', message: 'You have requested more vCPU capacity than your current vCPU limit allows'},
    ]);
    expect(result.status).toBe('rolled-back');
    expect(failures(events)).toEqual(['run-instances: VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit allows']);
    expect(leftovers).toEqual([]);
  }, 120_000);
});

describe('what rollback may adopt', () => {
  it("never a same-named resource that is not this launch's (no launch tag)", async () => {
    // A role and a key pair with tandem's names already exist, made by someone else. The creates
    // fail, their intents stay in the journal, and rollback looks them up: the names match but
    // the launch tag does not, so both must survive.
    const accountId = uniqueAccount();
    const check = await makeClients(testSettings({accountId}));
    await check.iam.send(
      new CreateRoleCommand({
        RoleName: 'EC2AccessToS3Role',
        AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
      }),
    );
    await check.ec2.send(new CreateKeyPairCommand({KeyName: 'web-key'}));
    const cloud = await createCloud(testSettings({accountId}), tempDir('tandem-rel-home-'), FAST);
    const spec = everythingSpec(tempDir('tandem-rel-keys-'), 'not-mine');
    const launchId = newLaunchId();
    const events: LaunchEvent[] = [];
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: (event) => events.push(event)});
    scenarios.push('not-mine');
    expect(result.status).toBe('rolled-back');
    expect(failures(events).join('\n')).toMatch(/EntityAlreadyExists|Duplicate/);
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [`${event.resource.kind} ${event.resource.id}`] : []));
    expect(deleted).not.toContain('iam-role EC2AccessToS3Role');
    expect(deleted).not.toContain('key-pair web-key');
    await expect(check.iam.send(new GetRoleCommand({RoleName: 'EC2AccessToS3Role'}))).resolves.toBeTruthy();
    expect((await check.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['web-key']}))).KeyPairs).toHaveLength(1);
    expect(await leftoversOf(check, launchId, spec)).toEqual([]);
  }, 120_000);
});
