// The plan's promise to the executor: every step is a real SDK command (or waiter) and its params,
// once refs are filled in, are an input the service accepts. Checked with a deliberately tiny
// generic runner (not tandem's executor) against the local moto endpoint, through the real SDK.
import {generateKeyPairSync} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import * as ec2 from '@aws-sdk/client-ec2';
import * as iam from '@aws-sdk/client-iam';
import * as kms from '@aws-sdk/client-kms';
import * as ssm from '@aws-sdk/client-ssm';
import * as sts from '@aws-sdk/client-sts';
import * as backup from '@aws-sdk/client-backup';
import * as logs from '@aws-sdk/client-cloudwatch-logs';
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import * as acm from '@aws-sdk/client-acm';
import {makeClients} from '../../source/aws/clients.js';
import {buildPlan, orderedSteps} from '../../source/domain/plan.js';
import type {ParamValue, Plan, PlanStep, StepRef} from '../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {testSettings} from '../support/aws.js';
import {allCreateSpec, existingSpec} from './plan-fixtures.js';

// Route 53 has no SDK client in tandem (source/aws/route53.ts signs its three calls); no spec here uses it.
type SdkService = Exclude<PlanStep['service'], 'route53'>;
const SDK: Record<SdkService, Record<string, unknown>> = {ec2, iam, kms, ssm, sts, backup, logs, elbv2, acm};

function isRef(value: unknown): value is StepRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 2 && 'ref' in value && 'output' in value;
}

/** An OpenSSH ed25519 public key line, built by hand so the test needs no ssh-keygen. */
function sshPublicKey(): Uint8Array {
  const der = generateKeyPairSync('ed25519').publicKey.export({format: 'der', type: 'spki'});
  const raw = der.subarray(der.length - 32);
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  return new Uint8Array(Buffer.from(`ssh-ed25519 ${blob.toString('base64')} plan-test\n`));
}

async function runPlan(plan: Plan, clients?: Awaited<ReturnType<typeof makeClients>>): Promise<Map<string, unknown>> {
  clients ??= await makeClients(testSettings());
  const outputs = new Map<string, unknown>();
  const launch: Record<string, unknown> = {id: 'launch-plan-test', clientToken: `token-${Date.now()}`};
  const local: Record<string, unknown> = {publicKeyMaterial: sshPublicKey()};
  const resolve = (value: ParamValue): unknown => {
    if (isRef(value)) {
      const source = value.ref === '$launch' ? launch : value.ref === '$local' ? local : outputs.get(value.ref);
      let current: unknown = source;
      for (const part of value.output.split('.')) current = (current as Record<string, unknown> | undefined)?.[part];
      if (current === undefined) throw new Error(`${value.ref} has no ${value.output}`);
      return current;
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
    return value;
  };
  for (const step of orderedSteps(plan)) {
    const input = resolve(step.params);
    const service = step.service as SdkService;
    const sdk = SDK[service];
    if (step.action.startsWith('WaitUntil')) {
      const waiter = sdk[`waitUntil${step.action.slice('WaitUntil'.length)}`] as (config: object, input: unknown) => Promise<{state: string}>;
      const result = await waiter({client: clients[service], maxWaitTime: 60}, input);
      outputs.set(step.id, result);
      continue;
    }
    const Command = sdk[`${step.action}Command`] as new (input: unknown) => never;
    try {
      outputs.set(step.id, await (clients[service] as unknown as {send: (c: unknown) => Promise<unknown>}).send(new Command(input)));
    } catch (error) {
      throw new Error(`step ${step.id} (${step.service}:${step.action}) failed: ${(error as Error).name}: ${(error as Error).message}`);
    }
  }
  return outputs;
}

const specs: Array<[string, LaunchSpec]> = [
  ['default', defaultSpec()],
  ['all-create', allCreateSpec()],
  ['existing', existingSpec()],
];

describe('plan steps are SDK commands', () => {
  it.each(specs)('%s plan names only commands and waiters the SDK has', (_name, spec) => {
    for (const step of buildPlan(spec).steps) {
      const name = step.action.startsWith('WaitUntil') ? `waitUntil${step.action.slice(9)}` : `${step.action}Command`;
      expect(typeof SDK[step.service as SdkService][name], `${step.service}:${name}`).toBe('function');
    }
  });
});

describe('plans run against the local endpoint', () => {
  it('the default plan launches a running instance with IMDSv2 required and an encrypted root volume', async () => {
    const clients = await makeClients(testSettings());
    const outputs = await runPlan(buildPlan(defaultSpec()), clients);
    const run = outputs.get('run-instances') as ec2.RunInstancesCommandOutput;
    const instanceId = run.Instances?.[0]?.InstanceId;
    expect(instanceId).toMatch(/^i-/);
    expect(outputs.get('wait-running')).toMatchObject({state: 'SUCCESS'});
    const described = await clients.ec2.send(new ec2.DescribeInstancesCommand({InstanceIds: [instanceId!]}));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    expect(instance?.MetadataOptions?.HttpTokens).toBe('required');
    const volumeId = instance?.BlockDeviceMappings?.[0]?.Ebs?.VolumeId;
    const volumes = await clients.ec2.send(new ec2.DescribeVolumesCommand({VolumeIds: [volumeId!]}));
    expect(volumes.Volumes?.[0]).toMatchObject({Encrypted: true, Size: 8, VolumeType: 'gp3'});
    const groups = await clients.ec2.send(new ec2.DescribeSecurityGroupsCommand({GroupIds: [(outputs.get('security-group') as {GroupId: string}).GroupId]}));
    expect(groups.SecurityGroups?.[0]?.IpPermissions?.map((p) => [p.FromPort, p.IpRanges?.map((r) => r.CidrIp)])).toEqual([[80, ['0.0.0.0/0']]]);
  });

  it('the all-create plan (dedicated host, role, new key, key pair) runs step by step', async () => {
    const outputs = await runPlan(buildPlan(allCreateSpec()));
    expect((outputs.get('dedicated-host') as ec2.AllocateHostsCommandOutput).HostIds?.[0]).toMatch(/^h-/);
    expect((outputs.get('key-pair') as ec2.CreateKeyPairCommandOutput).KeyName).toBe('web-key');
    expect((outputs.get('run-instances') as ec2.RunInstancesCommandOutput).Instances?.[0]?.InstanceId).toMatch(/^i-/);
  });

  it('an imported key pair and an arm64 image also run', async () => {
    const spec = defaultSpec();
    const outputs = await runPlan(
      buildPlan({
        ...spec,
        instance: {...spec.instance, arch: 'arm64', type: 't4g.micro'},
        keyPair: {mode: 'import', name: 'imported', path: '~/.ssh/id_ed25519.pub'},
        securityGroup: {...spec.securityGroup, http: '::/0', https: '0.0.0.0/0'},
      }),
    );
    expect((outputs.get('key-pair') as ec2.ImportKeyPairCommandOutput).KeyName).toBe('imported');
  });
});
