// Failure paths through the fault proxy: a failure injected mid-way rolls back everything the
// launch created; the instance-profile race is retried with backoff until it clears; throttling,
// 5xx and connection resets are retried by the SDK itself. moto never shows the race or
// throttles (docs/design.md section 5), so the proxy plays AWS's part here.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DescribeImagesCommand, DescribeTagsCommand, DescribeInstancesCommand} from '@aws-sdk/client-ec2';
import {GetRoleCommand} from '@aws-sdk/client-iam';
import {DescribeKeyCommand} from '@aws-sdk/client-kms';
import {existsSync} from 'node:fs';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {findTagged} from '../../source/aws/teardown.js';
import {PROFILE_WAIT_REASON} from '../../source/aws/executor.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {collect, everythingNewSpec, tempDir, testCloud} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

async function nothingLeft(check: AwsClients, launchId: string) {
  expect(await findTagged(check, launchId)).toEqual([]);
  const instances = await check.ec2.send(
    new DescribeTagsCommand({
      Filters: [
        {Name: 'resource-type', Values: ['instance']},
        {Name: 'value', Values: [launchId]},
      ],
    }),
  );
  for (const tag of instances.Tags ?? []) {
    const described = await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [tag.ResourceId!]}));
    expect(described.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
  }
}

describe('rollback', () => {
  it('removes everything, in dependency order, when RunInstances fails', async () => {
    const accountId = '3' + String(Date.now()).slice(-11);
    const settings = testSettings({accountId, endpointUrl: proxy.endpoint});
    const check = await makeClients(testSettings({accountId}));
    const {cloud} = await testCloud(settings);
    proxy.add({action: 'RunInstances', kind: 'error', code: 'InsufficientInstanceCapacity', message: 'no capacity in this zone', times: 1, status: 500});
    const keyDir = tempDir('tandem-keys-');
    const spec = everythingNewSpec(keyDir);
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    proxy.clear();

    expect(result.status).toBe('rolled-back');
    const failed = events.find((event) => event.type === 'step-failed');
    expect(failed).toMatchObject({stepId: 'run-instances', code: 'InsufficientInstanceCapacity'});
    expect(events.some((event) => event.type === 'rollback-started')).toBe(true);
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource] : []));
    // Dependency order: what uses a resource goes before it, the VPC and the KMS key last.
    expect(deleted.length).toBeGreaterThanOrEqual(10);
    expect(deleted.slice(-2).map((resource) => resource.kind)).toEqual(['kms-alias', 'kms-key']);
    expect(events.some((event) => event.type === 'resource-delete-failed')).toBe(false);
    const record = cloud.journal.read(launchId);
    expect(record.status).toBe('rolled-back');
    expect(record.resources).toEqual([]);
    await nothingLeft(check, launchId);
    await expect(check.iam.send(new GetRoleCommand({RoleName: 'EC2AccessToS3Role'}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
    const keyId = deleted.find((resource) => resource.kind === 'kms-key')!.id;
    expect((await check.kms.send(new DescribeKeyCommand({KeyId: keyId}))).KeyMetadata?.KeyState).toBe('PendingDeletion');
    // The private key file was written before the failure; its key pair is gone, so it goes too.
    expect(existsSync(`${keyDir}/web-key.pem`)).toBe(false);
    expect(events).toContainEqual({type: 'key-file', path: `${keyDir}/web-key.pem`, removed: true});
  });

  it('keeps what was created when asked to, and destroy cleans up later', async () => {
    const accountId = '4' + String(Date.now()).slice(-11);
    const settings = testSettings({accountId, endpointUrl: proxy.endpoint});
    const check = await makeClients(testSettings({accountId}));
    const {cloud} = await testCloud(settings);
    proxy.add({action: 'CreateSecurityGroup', kind: 'error', code: 'InvalidGroup.Duplicate', message: 'group exists', times: 1});
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const launchId = newLaunchId();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => undefined, keepOnFailure: true});
    proxy.clear();
    expect(result.status).toBe('kept');
    const record = cloud.journal.read(launchId);
    expect(record.status).toBe('kept');
    expect(record.resources.some((resource) => resource.kind === 'vpc')).toBe(true);
    // RunInstances never started: it depends on the failed step.
    expect(record.resources.some((resource) => resource.kind === 'instance')).toBe(false);
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    await nothingLeft(check, launchId);
  });

  it('stops starting steps on abort, lets running ones finish, and rolls back', async () => {
    const accountId = '5' + String(Date.now()).slice(-11);
    const settings = testSettings({accountId, endpointUrl: proxy.endpoint});
    const check = await makeClients(testSettings({accountId}));
    const {cloud} = await testCloud(settings);
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const launchId = newLaunchId();
    const controller = new AbortController();
    const {events, onEvent} = collect();
    const run = cloud.launch(spec, buildPlan(spec), {
      launchId,
      signal: controller.signal,
      onEvent: (event) => {
        onEvent(event);
        // Ctrl+C the moment the VPC call goes out: it is in flight and must still be recorded.
        if (event.type === 'step-started' && event.stepId === 'vpc') controller.abort();
      },
    });
    const result = await run;
    expect(result.status).toBe('interrupted');
    const started = events.flatMap((event) => (event.type === 'step-started' ? [event.stepId] : []));
    expect(started).not.toContain('run-instances');
    // The VPC call was in flight: it finished, was recorded, and was rolled back.
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource.kind] : []));
    expect(deleted).toContain('vpc');
    // Interrupted, but everything was removed: the record says rolled-back.
    expect(cloud.journal.read(launchId).status).toBe('rolled-back');
    await nothingLeft(check, launchId);
  });

  it('a stop after the last step, before the launch is reported, rolls back too', async () => {
    // CI found it: SIGHUP sent on the last step-done reached tandem while it verified the
    // finished plan; it said it would remove everything, then reported the launch and exited 0.
    const accountId = '5' + String(Date.now() + 1).slice(-11);
    const settings = testSettings({accountId, endpointUrl: proxy.endpoint});
    const check = await makeClients(testSettings({accountId}));
    const {cloud} = await testCloud(settings);
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const plan = buildPlan(spec);
    const launchId = newLaunchId();
    const controller = new AbortController();
    const {events, onEvent} = collect();
    let done = 0;
    const result = await cloud.launch(spec, plan, {
      launchId,
      signal: controller.signal,
      onEvent: (event) => {
        onEvent(event);
        // The stop arrives a turn of the event loop after the last step: the plan has finished,
        // and tandem is on the network, looking up the instance to report and verify it.
        if (event.type === 'step-done' && ++done === plan.steps.length) setImmediate(() => controller.abort());
      },
    });
    expect(done).toBe(plan.steps.length);
    expect(result.status).toBe('interrupted');
    expect(result.instanceId).toBeUndefined();
    expect(events.some((event) => event.type === 'verification')).toBe(false);
    expect(events.at(-1)).toMatchObject({type: 'summary', status: 'interrupted'});
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource.kind] : []));
    expect(deleted).toEqual(expect.arrayContaining(['instance', 'vpc', 'key-pair']));
    expect(cloud.journal.read(launchId).status).toBe('rolled-back');
    expect(existsSync(spec.keyPair.path!)).toBe(false);
    await nothingLeft(check, launchId);
  });
});

describe('retries', () => {
  it('retries RunInstances while EC2 cannot see the new instance profile yet', async () => {
    const settings = testSettings({endpointUrl: proxy.endpoint});
    const {cloud} = await testCloud(settings);
    proxy.add({action: 'RunInstances', kind: 'invalid-instance-profile', times: 2});
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    proxy.clear();
    expect(result.status).toBe('launched');
    const waits = events.filter((event) => event.type === 'step-waiting');
    expect(waits).toEqual([
      {type: 'step-waiting', stepId: 'run-instances', reason: PROFILE_WAIT_REASON, attempt: 1},
      {type: 'step-waiting', stepId: 'run-instances', reason: PROFILE_WAIT_REASON, attempt: 2},
    ]);
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
  });

  it('gives up on the instance-profile race after the bounded wait and rolls back', async () => {
    const settings = testSettings({endpointUrl: proxy.endpoint});
    const {cloud} = await testCloud(settings);
    proxy.add({action: 'RunInstances', kind: 'invalid-instance-profile'});
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    proxy.clear();
    expect(result.status).toBe('rolled-back');
    expect(events.filter((event) => event.type === 'step-waiting').length).toBeGreaterThan(1);
    expect(events.find((event) => event.type === 'step-failed')).toMatchObject({code: 'InvalidParameterValue'});
  });

  it('lets the SDK retry throttling, 5xx and connection resets', async () => {
    const settings = testSettings({endpointUrl: proxy.endpoint, maxAttempts: 4});
    const {cloud} = await testCloud(settings);
    const before = proxy.requests.length;
    proxy.add({action: 'CreateVpc', kind: 'throttle', times: 1});
    proxy.add({action: 'CreateRole', kind: 'throttle', times: 1});
    proxy.add({action: 'CreateKey', kind: 'server-error', times: 1});
    proxy.add({action: 'CreateSecurityGroup', kind: 'server-error', times: 1});
    proxy.add({action: 'CreateSubnet', kind: 'reset', times: 1});
    proxy.add({action: 'GetParameter', kind: 'throttle', times: 1});
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    const faulted = proxy.requests
      .slice(before)
      .filter((request) => request.faulted)
      .map((request) => request.action)
      .sort();
    proxy.clear();
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');
    expect(faulted).toEqual(['CreateKey', 'CreateRole', 'CreateSecurityGroup', 'CreateSubnet', 'CreateVpc', 'GetParameter']);
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
  });

  it('finds the latest Amazon Linux with DescribeImages when the SSM parameter is missing', async () => {
    const settings = testSettings({endpointUrl: proxy.endpoint});
    const {cloud} = await testCloud(settings);
    proxy.add({action: 'GetParameter', kind: 'error', code: 'ParameterNotFound', message: 'no such parameter'});
    const base = everythingNewSpec(tempDir('tandem-keys-'));
    const spec = {...base, role: {mode: 'none' as const}, keyPair: {mode: 'none' as const}, storage: {...base.storage, kmsKey: 'aws/ebs'}};
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    proxy.clear();
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');
    const check = await makeClients(settings);
    const imageId = cloud.journal.read(launchId).resolved.imageId!;
    const images = await check.ec2.send(new DescribeImagesCommand({ImageIds: [imageId]}));
    expect(images.Images?.[0]?.Name).toMatch(/^al2023-ami-2023\..*-x86_64$/);
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
  });
});
