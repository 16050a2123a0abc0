// `tandem destroy` in-process, the way a person runs it: credentials from the environment, calls
// through a fault proxy that gives this file its own moto account. Each test writes the journal a
// launch would have left and checks what destroy says about it.
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {CreateVpcCommand} from '@aws-sdk/client-ec2';
import {CreateKeyCommand, DescribeKeyCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {adoptPending, IN_FLIGHT_SETTLE_MS} from '../../source/aws/pending.js';
import {run} from '../../source/commands/destroy.js';
import type {CreatedResource} from '../../source/domain/cloud.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import type {PendingCreate} from '../../source/store/journal-types.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {tempDir} from '../integration/provision-support.js';

const ACCOUNT = '417000000017';
let proxy: FaultProxy;
let clients: AwsClients;
let home: string;

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  proxy = await startFaultProxy(motoEndpoint(), {accountId: ACCOUNT});
  clients = await makeClients(testSettings({accountId: ACCOUNT}));
  home = tempDir('tandem-destroy-cmd-');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy.close();
});

function journal(resources: CreatedResource[], pending: PendingCreate[] = []): string {
  const launchId = newLaunchId();
  createJournal(home).start({launchId, region: 'us-east-1', spec: defaultSpec(), status: 'interrupted', resources, resolved: {}, pending});
  return launchId;
}

async function taggedVpc(launchId: string): Promise<string> {
  const tags = [{ResourceType: 'vpc' as const, Tags: [{Key: 'tandem:launch-id', Value: launchId}]}];
  return (await clients.ec2.send(new CreateVpcCommand({CidrBlock: '10.77.0.0/16', TagSpecifications: tags}))).Vpc!.VpcId!;
}

const destroy = (launchId: string, output?: 'json') =>
  runCommand(run, [launchId], {flags: {yes: true, output}, env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: proxy.endpoint, AWS_REGION: 'us-east-1'}});

describe('tandem destroy says what happened', () => {
  it('after a SIGKILL mid-call, counts what it found by tag instead of saying nothing was recorded', async () => {
    // The journal a launch killed with its first create call in flight leaves: an intent, no resources.
    const launchId = journal([], [{stepId: 'vpc', kinds: ['vpc'], names: {}}]);
    await taggedVpc(launchId);
    const result = await destroy(launchId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/nothing recorded/);
    expect(result.stderr).toMatch(/1 create call never answered/);
    expect(result.stdout).toMatch(/Removed 1 resource of launch \S+ \(1 found by its tag/);
  });

  it('after a SIGKILL, waits out the settle window for a create call that lands after its first look', async () => {
    // The launch died with CreateKey on the wire; AWS makes the key only after destroy's first
    // ListKeys. The second look, after the window, must find it. The sleep is where it lands.
    const launchId = journal([], [{stepId: 'kms-key', kinds: ['kms-key'], names: {}}]);
    const store = createJournal(home);
    let slept = 0;
    const result = await adoptPending({
      clients,
      journal: store,
      launchId,
      settleMs: IN_FLIGHT_SETTLE_MS,
      sleep: async (ms) => {
        slept = ms;
        await clients.kms.send(new CreateKeyCommand({Tags: [{TagKey: 'tandem:launch-id', TagValue: launchId}]}));
      },
    });
    expect(slept).toBeGreaterThan(0);
    expect(slept).toBeLessThanOrEqual(IN_FLIGHT_SETTLE_MS);
    expect(result.adopted.map((resource) => resource.kind)).toEqual(['kms-key']);
    expect(store.read(launchId).resources.map((resource) => resource.kind)).toEqual(['kms-key']);
    expect(store.read(launchId).pending ?? []).toEqual([]);
  });

  it('does not wait when the launch stopped longer ago than the settle window', async () => {
    const launchId = journal([], [{stepId: 'kms-key', kinds: ['kms-key'], names: {}}]);
    let slept = false;
    await adoptPending({
      clients,
      journal: createJournal(home),
      launchId,
      settleMs: IN_FLIGHT_SETTLE_MS,
      now: () => Date.now() + IN_FLIGHT_SETTLE_MS + 1,
      sleep: async () => {
        slept = true;
      },
    });
    expect(slept).toBe(false);
  });

  it('does not call a journaled, removed resource "not in its journal" when its probe fails', async () => {
    const launchId = journal([]);
    const vpcId = await taggedVpc(launchId);
    createJournal(home).update(launchId, (record) => {
      record.resources = [{kind: 'vpc', id: vpcId, stepId: 'vpc', region: 'us-east-1'}];
    });
    // The existence probe after the teardown cannot answer; the journal already accounts for the VPC.
    proxy.add({action: 'DescribeVpcs', kind: 'server-error'});
    try {
      const result = await destroy(launchId);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Removed 1 resource of launch/);
      expect(result.stdout).not.toMatch(/Still tagged/);
    } finally {
      proxy.clear();
    }
  });

  it('says a KMS key is only scheduled for deletion, with the date and how to cancel', async () => {
    const keyId = (await clients.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const launchId = journal([{kind: 'kms-key', id: keyId, stepId: 'kms-key', region: 'us-east-1'}]);
    const result = await destroy(launchId);
    expect(result.code, result.stderr).toBe(0);
    const date = (await clients.kms.send(new DescribeKeyCommand({KeyId: keyId}))).KeyMetadata!.DeletionDate!.toISOString().slice(0, 10);
    expect(result.stderr).toContain(`scheduled kms-key ${keyId} for deletion on ${date}`);
    expect(result.stderr).not.toMatch(/removed kms-key/);
    expect(result.stdout).toMatch(/^Scheduled the deletion of its KMS key of launch/);
    expect(result.stdout).toContain(`AWS deletes it on ${date}`);
    expect(result.stdout).toContain(`aws kms cancel-key-deletion --key-id ${keyId} --region us-east-1`);

    // Run again: the key answers "pending deletion"; the date is still given, never "removed".
    createJournal(home).update(launchId, (record) => {
      record.resources = [{kind: 'kms-key', id: keyId, stepId: 'kms-key', region: 'us-east-1'}];
    });
    const again = await destroy(launchId, 'json');
    const report = JSON.parse(again.stdout) as {deleted: CreatedResource[]};
    expect(report.deleted[0]?.extra?.deletionDate).toBe(date);
  });

  it("a script's cli-… launch id: says why tandem cannot remove it and how to find what it made (exit 2)", async () => {
    const result = await destroy('cli-20261130T010203Z');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/is not a launch id/);
    expect(result.stderr).toMatch(/^tandem destroy: cli-20261130T010203Z was made by a script from tandem export --format cli, and tandem keeps no journal of script runs/);
    expect(result.stderr).toContain('aws resourcegroupstaggingapi get-resources --tag-filters Key=tandem:launch-id,Values=cli-20261130T010203Z');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
