// `tandem fleet` with one member account in two regions, as a new user first tries it: deploy,
// verify and destroy end to end, the tags AWS gets, and `fleet destroy` after a partial failure.
// moto's gaps in StackSets are made up in the proxy (test/support/moto-stacksets.ts): run against
// moto directly, ListStackInstances names stacks that do not exist (so verify finds none) and
// deleting a stack stops on the VPC's route tables and gateway (DependencyViolation), where AWS
// deletes a stack's resources in dependency order.
import {writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DescribeStackSetCommand, ListStacksCommand} from '@aws-sdk/client-cloudformation';
import {DescribeInstancesCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {makeClients, makeCloudFormationClient} from '../../source/aws/clients.js';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import {openFleetStore} from '../../source/store/fleets.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization, type Org} from '../support/fleet-org.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {STACK_LINE} from '../reliability/support.js';
import {tempDir} from './provision-support.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & {type: string});

async function describeIn(account: string, region: string) {
  const settings = {...testSettings({accountId: account}), region};
  return {...(await makeClients(settings)), cfn: await makeCloudFormationClient(settings)};
}

interface Fleet {
  org: Org;
  dir: string;
  file: string;
  env: Record<string, string>;
}

/** A fresh organization with one member account, and the profile the user had: a new VPC, a role for one bucket, aws/ebs. */
async function oneMemberFleet(proxy: FaultProxy): Promise<Fleet> {
  const org = await organization(motoEndpoint(), {members: 1});
  const dir = tempDir('tandem-fleet-');
  const spec = fleetSpec();
  const file = path.join(dir, 'web.yaml');
  writeFileSync(file, serializeProfile({...spec, storage: {...spec.storage, kmsKey: 'aws/ebs'}}));
  return {org, dir, file, env: {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'}};
}

function useCredentials(org: Org) {
  vi.stubEnv('AWS_ACCESS_KEY_ID', org.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', org.credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', org.credentials.sessionToken);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

async function deploy(fleet: Fleet) {
  useCredentials(fleet.org);
  const result = await runCommand(fleetCommand, ['deploy', fleet.file], {env: fleet.env, flags: {yes: true, regions: REGIONS.join(','), accounts: fleet.org.members.join(',')}});
  expect(result.code, result.stderr).toBe(0);
}

/** Nothing of the fleet left in any target, the StackSet gone, and the record saying so. */
async function expectAllGone(fleet: Fleet) {
  const cfn = await makeCloudFormationClient(testSettings({accountId: fleet.org.admin}));
  await expect(cfn.send(new DescribeStackSetCommand({StackSetName: 'web'}))).rejects.toMatchObject({name: 'StackSetNotFoundException'});
  for (const account of fleet.org.members) {
    for (const region of REGIONS) {
      const target = await describeIn(account, region);
      const where = `${account}/${region}`;
      expect(
        ((await target.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE'),
        where,
      ).toEqual([]);
      const instances = ((await target.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
      expect(
        instances.map((instance) => instance.State?.Name),
        where,
      ).toEqual(['terminated']);
      expect(
        ((await target.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((vpc) => !vpc.IsDefault),
        where,
      ).toEqual([]);
    }
  }
  const record = openFleetStore(fleet.env.TANDEM_HOME).read('web');
  expect(record.status).toBe('destroyed');
  expect(record.operation).toBeUndefined();
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a fleet of one member account in two regions, end to end', () => {
  let proxy: FaultProxy;
  let fleet: Fleet;
  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
    fleet = await oneMemberFleet(proxy);
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
  });

  it('deploys to both regions, and fleet verify reads the stack of each target', async () => {
    await deploy(fleet);
    const verify = await runCommand(fleetCommand, ['verify', 'web'], {env: fleet.env, flags: {output: 'json'}});
    expect(verify.stderr).toBe('');
    const lines = jsonLines(verify.stdout);
    expect(lines.filter((line) => line.type === 'target-unverified')).toEqual([]);
    expect(lines.at(-1)).toMatchObject({type: 'summary', targets: 2, unverified: 0});
    for (const region of REGIONS) {
      const rows = lines.filter((line) => line.type === 'verification' && line.region === region);
      expect(
        rows.find((row) => row.control === 'ebs-encryption'),
        region,
      ).toMatchObject({status: 'pass'});
      expect(
        rows.find((row) => row.control === 'iam-instance-role'),
        region,
      ).toMatchObject({status: 'pass'});
    }
  }, 120_000);

  it("tags the profile's name in AWS, never the local path of its file", async () => {
    useCredentials(fleet.org);
    const home = os.homedir();
    const cfn = await makeCloudFormationClient(testSettings({accountId: fleet.org.admin}));
    const set = (await cfn.send(new DescribeStackSetCommand({StackSetName: 'web'}))).StackSet!;
    const values = (set.Tags ?? []).map((tag) => `${tag.Key}=${tag.Value}`);
    expect(values).toContain('tandem:profile=web');
    expect(set.Description).not.toContain(fleet.dir);
    for (const account of fleet.org.members) {
      for (const region of REGIONS) {
        const target = await describeIn(account, region);
        const vpc = ((await target.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).find((item) => !item.IsDefault)!;
        const instance = ((await target.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])[0];
        for (const tags of [vpc.Tags, instance.Tags]) {
          // AWS's own tags (aws:cloudformation:stack-id) hold ARNs; tandem's and the operator's are checked.
          const own = (tags ?? []).filter((tag) => !tag.Key?.startsWith('aws:'));
          expect(
            own.map((tag) => `${tag.Key}=${tag.Value}`),
            `${account}/${region}`,
          ).toContain('tandem:profile=web');
          for (const tag of own) {
            expect(tag.Value, `${tag.Key} in ${account}/${region}`).not.toMatch(/[\\/]/);
            expect(tag.Value).not.toContain(home);
          }
        }
      }
    }
    // Nothing tandem sent (template, description, tags) carries the folder the profile lives in.
    const sent = proxy.requests.filter((request) => request.service === 'cloudformation').map((request) => decodeURIComponent(request.body.replace(/\+/g, ' ')));
    expect(sent.filter((body) => body.includes(fleet.dir))).toEqual([]);
  });

  it('fleet verify names a target whose stack is gone as such, with what to run next', async () => {
    useCredentials(fleet.org);
    const [account] = fleet.org.members;
    // How AWS answers for a stack deleted outside the StackSet: described by its id it is
    // DELETE_COMPLETE; described when that id is no longer known, ValidationError. Only us-east-1's.
    const answers = [
      {kind: 'rewrite-body' as const, replace: [['<StackStatus>CREATE_COMPLETE</StackStatus>', '<StackStatus>DELETE_COMPLETE</StackStatus>']] as Array<[string, string]>},
      {kind: 'error' as const, code: 'ValidationError', message: `Stack with id arn:aws:cloudformation:us-east-1:${account}:stack/StackSet-web does not exist`},
    ];
    for (const answer of answers) {
      proxy.add({service: 'cloudformation', action: 'DescribeStacks', bodyIncludes: 'us-east-1', times: 1, ...answer});
      const verify = await runCommand(fleetCommand, ['verify', 'web'], {env: fleet.env, flags: {output: 'json'}});
      proxy.clear();
      expect(verify.code).toBe(3);
      const unverified = jsonLines(verify.stdout).filter((line) => line.type === 'target-unverified');
      expect(unverified, answer.kind).toHaveLength(1);
      expect(unverified[0]).toMatchObject({account, region: 'us-east-1'});
      expect(unverified[0].problem).toMatch(
        /^stack arn:aws:cloudformation:us-east-1:\d+:stack\/\S+ no longer exists \(its stack instance is still listed\); run tandem fleet deploy again to rebuild it, or tandem fleet destroy web to remove the fleet$/,
      );
    }
  }, 120_000);

  it('destroys every target and the StackSet; the fleet record says destroyed', async () => {
    useCredentials(fleet.org);
    const result = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(result.stderr).not.toContain('could not');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Removed fleet web');
    await expectAllGone(fleet);
  }, 120_000);
});

describe('fleet destroy after a partial failure', () => {
  let proxy: FaultProxy;
  const stackSets = motoStackSets(motoEndpoint());
  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: stackSets});
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('a delete StackSets refuses names each target and the next command; the second destroy finishes', async () => {
    const fleet = await oneMemberFleet(proxy);
    await deploy(fleet);
    const [account] = fleet.org.members;
    // As AWS answers while another operation (someone else's, or the console's) runs on the StackSet.
    proxy.add({
      service: 'cloudformation',
      action: 'DeleteStackInstances',
      kind: 'error',
      code: 'OperationInProgressException',
      message: 'Another Operation on StackSet web is in progress',
      times: 1,
    });
    const first = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(first.code).toBe(1);
    expect(first.stderr).not.toMatch(STACK_LINE);
    for (const region of REGIONS)
      expect(first.stdout).toContain(`account ${account}, region ${region}: StackSets refused the delete: OperationInProgressException: Another Operation on StackSet web is in progress`);
    expect(first.stdout).toContain('tandem fleet destroy web --yes');
    // StackSets refused the call, so nothing is in flight: the record must not say otherwise.
    const left = openFleetStore(fleet.env.TANDEM_HOME).read('web');
    expect(left.operation).toBeUndefined();
    expect(left.status).toBe('partial');
    const list = await runCommand(fleetCommand, ['list'], {env: fleet.env});
    expect(list.stdout).not.toContain('in flight');

    const second = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true, output: 'json'}});
    expect(second.code, second.stderr).toBe(0);
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({type: 'summary', status: 'destroyed', remaining: []});
    await expectAllGone(fleet);
  }, 180_000);

  it("a target whose stack cannot be deleted yet is named with AWS's reason and the next command; the second destroy finishes", async () => {
    const fleet = await oneMemberFleet(proxy);
    await deploy(fleet);
    const [account] = fleet.org.members;
    // AWS's words for a VPC that still has an network interface in it (one a service is releasing);
    // the operation fails for that target and the stack instance stays (see moto-stacksets.ts).
    const reason = "ResourceLogicalId:Vpc, ResourceType:AWS::EC2::VPC, ResourceStatusReason:The vpc 'vpc-0a1b2c3d' has dependencies and cannot be deleted.";
    stackSets.failNextDelete({account: account, region: 'us-east-1', reason});
    const first = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(first.code).toBe(1);
    expect(first.stderr).not.toMatch(STACK_LINE);
    expect(first.stdout).toContain(`account ${account}, region us-east-1: ${reason}`);
    expect(first.stdout).not.toContain('region eu-west-1');
    expect(first.stdout).toContain('tandem fleet destroy web --yes');
    const left = openFleetStore(fleet.env.TANDEM_HOME).read('web');
    expect(left).toMatchObject({status: 'partial'});
    expect(left.operation).toBeUndefined();
    // The record says which target is left and why, and that the other one is gone.
    expect(left.targets.map(({account: id, region, status, reason: why}) => ({account: id, region, status, reason: why})).sort((a, b) => a.region.localeCompare(b.region))).toEqual([
      {account, region: 'eu-west-1', status: 'cancelled', reason: 'destroyed'},
      {account, region: 'us-east-1', status: 'failed', reason},
    ]);
    // The other region is gone already; the StackSet stays until its last instance goes.
    const eu = await describeIn(account, 'eu-west-1');
    expect(((await eu.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE')).toEqual([]);

    const second = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).toContain('Removed fleet web');
    await expectAllGone(fleet);
  }, 180_000);

  it('any other error stops the destroy with the targets that may be left and the next command; the second destroy finishes', async () => {
    const fleet = await oneMemberFleet(proxy);
    await deploy(fleet);
    const [account] = fleet.org.members;
    proxy.add({
      service: 'cloudformation',
      action: 'DescribeStackSet',
      kind: 'error',
      code: 'AccessDenied',
      status: 403,
      message: 'User is not authorized to perform: cloudformation:DescribeStackSet',
      times: 1,
    });
    const first = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(first.code).toBe(1);
    expect(first.stderr).not.toMatch(STACK_LINE);
    expect(first.stderr).toContain('tandem fleet destroy: AccessDenied: User is not authorized to perform: cloudformation:DescribeStackSet');
    const where = /fleet web may still have stack instances in (.*)/.exec(first.stderr)?.[1] ?? '';
    expect(where.split(', ').sort()).toEqual(REGIONS.map((region) => `${account}/${region}`).sort());
    expect(first.stderr).toContain('finish removing it: tandem fleet destroy web --yes');
    const second = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true}});
    expect(second.code, second.stderr).toBe(0);
    await expectAllGone(fleet);
  }, 180_000);

  it('a destroy killed before its delete went out is finished by the next destroy', async () => {
    const fleet = await oneMemberFleet(proxy);
    await deploy(fleet);
    // As a tandem killed between writing the operation id and sending the call leaves it. StackSets
    // never heard of the id: AWS answers OperationNotFoundException (the proxy makes moto say so).
    openFleetStore(fleet.env.TANDEM_HOME).update('web', (record) => {
      record.status = 'destroying';
      record.operation = {
        kind: 'delete-instances',
        operationId: '5b4a8d0e-0d6f-4c8e-9a31-6f2f1d0c7e11',
        startedAt: new Date().toISOString(),
        targets: REGIONS.map((region) => ({account: fleet.org.members[0], region})),
      };
    });
    const result = await runCommand(fleetCommand, ['destroy', 'web'], {env: fleet.env, flags: {yes: true, output: 'json'}});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.find((event) => event.type === 'recovered')).toMatchObject({kind: 'delete-instances', status: 'NOT_FOUND'});
    expect(events.at(-1)).toMatchObject({type: 'summary', status: 'destroyed'});
    await expectAllGone(fleet);
  }, 180_000);
});
