// The private key of a created pair: refused before any call when the file exists, and the pair
// is deleted (then the launch rolled back) when the key cannot be written.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DescribeKeyPairsCommand} from '@aws-sdk/client-ec2';
import {makeClients} from '../../source/aws/clients.js';
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

describe('created key pair', () => {
  it('is refused before any call when the key file already exists', async () => {
    const accountId = '8' + String(Date.now()).slice(-11);
    const {cloud} = await testCloud(testSettings({accountId, endpointUrl: proxy.endpoint}));
    const dir = tempDir('tandem-keys-');
    const spec = everythingNewSpec(dir);
    writeFileSync(spec.keyPair.path!, 'an older key');
    const before = proxy.requests.length;
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
    expect(result.status).toBe('failed');
    expect(events.find((event) => event.type === 'step-failed')).toMatchObject({stepId: 'key-pair', code: 'KeyFileExists'});
    const calls = proxy.requests.slice(before).map((request) => request.action);
    expect(calls.filter((action) => action !== 'GetCallerIdentity')).toEqual([]);
    expect(result.resources).toEqual([]);
  });

  it('is deleted when its private key cannot be written, and the launch rolls back', async () => {
    const settings = testSettings();
    const {cloud} = await testCloud(settings);
    const check = await makeClients(settings);
    const dir = tempDir('tandem-keys-');
    // The key's directory is a file: writing fails after CreateKeyPair answered.
    writeFileSync(path.join(dir, 'not-a-dir'), '');
    const spec = {...everythingNewSpec(dir), keyPair: {mode: 'create' as const, name: 'doomed', type: 'rsa' as const, path: path.join(dir, 'not-a-dir', 'k.pem')}};
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
    expect(result.status).toBe('rolled-back');
    const failure = events.find((event) => event.type === 'step-failed');
    expect(failure).toMatchObject({stepId: 'key-pair', code: 'KeyFileWriteFailed'});
    expect(JSON.stringify(events)).not.toMatch(/PRIVATE KEY/);
    await expect(check.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['doomed']}))).rejects.toMatchObject({name: 'InvalidKeyPair.NotFound'});
  });
});
