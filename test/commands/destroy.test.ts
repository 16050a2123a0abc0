// `tandem destroy` in-process, the way a person runs it: credentials from the environment, calls
// through a fault proxy that gives this file its own moto account. Each test writes the journal a
// launch would have left and checks what destroy says about it.
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {CreateKeyCommand, DescribeKeyCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {adoptPending, IN_FLIGHT_SETTLE_MS} from '../../source/aws/pending.js';
import {run} from '../../source/commands/destroy.js';
import type {CreatedResource} from '../../source/domain/cloud.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import type {LaunchRecord, PendingCreate} from '../../source/store/journal-types.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS, runCommand} from '../support/command-io.js';
import {Readable} from 'node:stream';
import type {GlobalFlags} from '../../source/commands/types.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {startMoto, type MotoServer} from '../support/moto-server.js';
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

/** The journal a launch through this file's proxy, in its account, would have left. */
function journal(resources: CreatedResource[], pending: PendingCreate[] = [], where: Partial<LaunchRecord> = {}): string {
  const launchId = newLaunchId();
  createJournal(home).start({
    launchId,
    region: 'us-east-1',
    endpointUrl: proxy.endpoint,
    account: ACCOUNT,
    partition: 'aws',
    spec: defaultSpec(),
    status: 'interrupted',
    resources,
    resolved: {},
    pending,
    ...where,
  });
  return launchId;
}

async function taggedVpc(launchId: string): Promise<string> {
  const tags = [{ResourceType: 'vpc' as const, Tags: [{Key: 'tandem:launch-id', Value: launchId}]}];
  return (await clients.ec2.send(new CreateVpcCommand({CidrBlock: '10.77.0.0/16', TagSpecifications: tags}))).Vpc!.VpcId!;
}

const destroy = (launchId: string, output?: 'json', flags: Partial<GlobalFlags> = {}, endpoint = proxy.endpoint) =>
  runCommand(run, [launchId], {flags: {yes: true, output, ...flags}, env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1'}});

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

/** A VPC with a security group in this file's account, as a launch would have journaled them. */
async function vpcWithGroup(): Promise<CreatedResource[]> {
  const vpcId = (await clients.ec2.send(new CreateVpcCommand({CidrBlock: '10.78.0.0/16'}))).Vpc!.VpcId!;
  const groupId = (await clients.ec2.send(new CreateSecurityGroupCommand({GroupName: `web-${vpcId}`, Description: 'web', VpcId: vpcId}))).GroupId!;
  return [
    {kind: 'vpc', id: vpcId, stepId: 'vpc', region: 'us-east-1'},
    {kind: 'security-group', id: groupId, stepId: 'security-group', region: 'us-east-1'},
  ];
}

async function stillThere(resources: CreatedResource[]): Promise<void> {
  const [vpc, group] = resources;
  expect((await clients.ec2.send(new DescribeVpcsCommand({VpcIds: [vpc.id]}))).Vpcs).toHaveLength(1);
  expect((await clients.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [group.id]}))).SecurityGroups).toHaveLength(1);
}

describe('tandem destroy acts only where the launch was made', () => {
  let other: MotoServer;
  let otherProxy: FaultProxy;

  beforeAll(async () => {
    // A second moto is another endpoint of the same account: the launch's resources are not there.
    other = await startMoto();
    otherProxy = await startFaultProxy(other.endpoint, {accountId: ACCOUNT});
  }, 60_000);

  afterAll(async () => {
    await otherProxy.close();
    await other.stop();
  });

  it('refuses (exit 2) another endpoint than the journal recorded, calls nothing there and changes nothing', async () => {
    const resources = await vpcWithGroup();
    const launchId = journal(resources);
    const before = createJournal(home).read(launchId);
    for (const told of [
      {env: otherProxy.endpoint, flags: {}},
      {env: proxy.endpoint, flags: {endpointUrl: otherProxy.endpoint}},
    ]) {
      const result = await destroy(launchId, undefined, told.flags, told.env);
      expect(result.code, result.stdout).toBe(2);
      expect(result.stderr).toContain(`launch ${launchId} was made through ${proxy.endpoint} (its journal says so), but`);
      expect(result.stderr).toContain(`gives ${otherProxy.endpoint}`);
      expect(result.stdout).not.toMatch(/Removed/);
    }
    // Without --yes, on a terminal: refused before the question, so no answer can change anything.
    const stdin = Object.assign(Readable.from(['y\n']), {isTTY: true});
    const stderr = new Capture();
    const asked = await run({
      args: [launchId],
      flags: {...DEFAULT_FLAGS},
      io: {stdin, stdout: Object.assign(new Capture(), {isTTY: true}), stderr, env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: otherProxy.endpoint}},
    });
    expect(asked).toBe(2);
    expect(stderr.text).not.toContain('[y/N]');
    expect(otherProxy.requests).toEqual([]);
    expect(createJournal(home).read(launchId)).toEqual(before);
    await stillThere(resources);
  });

  it('refuses (exit 2) another region, account or partition than the journal recorded, and changes nothing', async () => {
    const resources = await vpcWithGroup();
    const seen = proxy.requests.length;
    const cases: Array<[Partial<LaunchRecord>, Partial<GlobalFlags>, RegExp]> = [
      [{}, {region: 'eu-west-1'}, /was made in region us-east-1 \(its journal says so\), but --region gives eu-west-1/],
      [{account: '417000000099'}, {}, /was made in account 417000000099 \(its journal says so\), but these credentials are for account 417000000017/],
      [{partition: 'aws-cn'}, {}, /was made in the aws-cn partition \(its journal says so\), but these credentials are for the aws partition/],
    ];
    for (const [where, flags, message] of cases) {
      const launchId = journal(resources, [], where);
      const before = createJournal(home).read(launchId);
      const result = await destroy(launchId, undefined, flags);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(createJournal(home).read(launchId)).toEqual(before);
    }
    expect(proxy.requests.slice(seen).filter((request) => /^(Delete|Terminate)/.test(request.action))).toEqual([]);
    await stillThere(resources);
  });
});

describe('tandem destroy says removed only for what it removed', () => {
  it('counts resources deleted out of band as already gone, apart from those it removed', async () => {
    const resources = await vpcWithGroup();
    const subnetId = (await clients.ec2.send(new CreateSubnetCommand({VpcId: resources[0].id, CidrBlock: '10.78.1.0/24'}))).Subnet!.SubnetId!;
    await clients.ec2.send(new DeleteSubnetCommand({SubnetId: subnetId}));
    const launchId = journal([...resources, {kind: 'subnet', id: subnetId, stepId: 'subnet', region: 'us-east-1'}]);
    const result = await destroy(launchId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Removed 2 resources of launch ${launchId}; 1 already gone`));
    expect(result.stderr).toContain(`already gone: subnet ${subnetId}`);
    expect(createJournal(home).read(launchId)).toMatchObject({status: 'destroyed', resources: []});
  });

  it('in JSON, lists what was already gone apart from what was deleted', async () => {
    const resources = await vpcWithGroup();
    await clients.ec2.send(new DeleteSecurityGroupCommand({GroupId: resources[1].id}));
    const launchId = journal(resources);
    const result = await destroy(launchId, 'json');
    const report = JSON.parse(result.stdout) as {deleted: CreatedResource[]; alreadyGone: CreatedResource[]; status: string};
    expect(report.deleted.map((resource) => resource.id)).toEqual([resources[0].id]);
    expect(report.alreadyGone.map((resource) => resource.id)).toEqual([resources[1].id]);
    expect(report.status).toBe('destroyed');
  });

  it('a delete answered "done" that left the resource: not destroyed, exit 1, names what is left and how to retry', async () => {
    const resources = await vpcWithGroup();
    const group = resources[1];
    const launchId = journal([group]);
    // The delete never reaches moto; the answer is the one AWS gives for a deleted group.
    proxy.add({
      action: 'DeleteSecurityGroup',
      kind: 'answer',
      times: 1,
      body: `<DeleteSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><return>true</return><groupId>${group.id}</groupId></DeleteSecurityGroupResponse>`,
    });
    try {
      const result = await destroy(launchId);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toMatch(/^Removed 1 resource/);
      expect(result.stdout).toContain(`1 could not be removed (security-group ${group.id})`);
      expect(result.stdout).toContain(`run tandem destroy ${launchId} again`);
      expect(result.stderr).toContain(`could not remove security-group ${group.id}: StillPresent`);
      const record = createJournal(home).read(launchId);
      expect(record.status).not.toBe('destroyed');
      expect(record.resources.map((resource) => resource.id)).toEqual([group.id]);
    } finally {
      proxy.clear();
    }
    // Run again: the delete now happens, and the launch is destroyed.
    const again = await destroy(launchId);
    expect(again.code, again.stderr).toBe(0);
    expect(createJournal(home).read(launchId).status).toBe('destroyed');
  });

  it('in JSON, a delete AWS refused carries its code and what the operator can do next', async () => {
    const resources = await vpcWithGroup();
    const group = resources[1];
    const launchId = journal([group]);
    proxy.add({action: 'DeleteSecurityGroup', kind: 'unauthorized'});
    try {
      const result = await destroy(launchId, 'json');
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as {failed: unknown[]};
      expect(report.failed).toEqual([
        expect.objectContaining({resource: expect.objectContaining({id: group.id}), code: 'UnauthorizedOperation', next: [expect.stringMatching(/permission this call needs/)]}),
      ]);
    } finally {
      proxy.clear();
    }
    expect((await destroy(launchId)).code).toBe(0);
  });
});
