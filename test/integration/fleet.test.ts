// `tandem fleet` end to end, in process, through the real SDK against moto's StackSets: a profile
// deployed to 2 accounts × 2 regions, each target described back independently, `fleet verify`
// with a row per control per target, `fleet destroy` leaving nothing, pre-flight refusals, a
// failing target within and beyond the failure tolerance, and a crashed deploy picked up.
// The accounts come from moto's Organizations (CreateAccount) and are reached through STS.
// moto's gaps in StackSets are made up in the proxy (test/support/moto-stacksets.ts), never here.
import {writeFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import path from 'node:path';
import {DescribeStacksCommand, DescribeStackSetCommand, ListStacksCommand} from '@aws-sdk/client-cloudformation';
import {DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeVolumesCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {ListInstanceProfilesCommand, ListRolesCommand} from '@aws-sdk/client-iam';
import {ListAliasesCommand} from '@aws-sdk/client-kms';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi} from 'vitest';
import {makeClients, makeCloudFormationClient} from '../../source/aws/clients.js';
import {verifyLaunch} from '../../source/aws/verifier.js';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import {EXECUTION_ROLE} from '../../source/domain/fleet.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {openFleetStore} from '../../source/store/fleets.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS, runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization, type Org} from '../support/fleet-org.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {cleanEnv} from '../support/clean-env.js';
import {STACK_LINE, runCli, startCli} from '../reliability/support.js';
import {tempDir} from './provision-support.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

/** Clients of the test's own, straight to moto in one account and region: independent of tandem. */
async function describeIn(account: string, region: string) {
  const settings = {...testSettings({accountId: account}), region};
  return {...(await makeClients(settings)), cfn: await makeCloudFormationClient(settings)};
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & {type: string});

function useOrg(org: Org, home: string, proxy: FaultProxy) {
  vi.stubEnv('AWS_ACCESS_KEY_ID', org.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', org.credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', org.credentials.sessionToken);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  return {TANDEM_HOME: home, AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'};
}

function profileFile(dir: string, spec: LaunchSpec = fleetSpec()): string {
  const file = path.join(dir, 'web.yaml');
  writeFileSync(file, serializeProfile(spec));
  return file;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tandem fleet: 2 accounts × 2 regions through StackSets', () => {
  let proxy: FaultProxy;
  let org: Org;
  let env: Record<string, string>;
  let profile: string;
  let operationId = '';

  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
    org = await organization(motoEndpoint());
    const dir = tempDir('tandem-fleet-');
    env = {TANDEM_HOME: path.join(dir, 'home')};
    profile = profileFile(dir);
  }, 120_000);
  beforeEach(() => {
    env = {...env, ...useOrg(org, env.TANDEM_HOME, proxy)};
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('deploys the profile as StackSet "web" with a stack instance in every account and region', async () => {
    const result = await runCommand(fleetCommand, ['deploy', profile], {
      env,
      flags: {yes: true, output: 'json', regions: REGIONS.join(','), accounts: org.members.join(','), maxConcurrent: '2', failureTolerance: '0'},
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.find((event) => event.type === 'preflight')).toMatchObject({ok: true, problems: []});
    expect(events.find((event) => event.type === 'stack-set')).toMatchObject({action: 'created', name: 'web'});
    const started = events.find((event) => event.type === 'operation-started')!;
    operationId = started.operationId as string;
    const targets = events.filter((event) => event.type === 'target' && event.status === 'succeeded').map((event) => `${String(event.account)}/${String(event.region)}`);
    expect(targets.sort()).toEqual(REGIONS.flatMap((region) => org.members.map((account) => `${account}/${region}`)).sort());
    expect(events.at(-1)).toMatchObject({type: 'summary', fleet: 'web', status: 'deployed'});
    // tandem's request carried the preferences the flags asked for.
    const create = proxy.requests.find((request) => request.action === 'CreateStackInstances')!;
    const params = new URLSearchParams(create.body);
    expect(params.get('OperationPreferences.MaxConcurrentCount')).toBe('2');
    expect(params.get('OperationPreferences.FailureToleranceCount')).toBe('0');
    expect(new URLSearchParams(proxy.requests.find((request) => request.action === 'CreateStackSet')!.body).get('PermissionModel')).toBe('SELF_MANAGED');
  }, 120_000);

  it('built a stack in every target, where independent Describe calls find IMDSv2 required and an encrypted volume', async () => {
    for (const account of org.members) {
      for (const region of REGIONS) {
        const target = await describeIn(account, region);
        const stacks = (await target.cfn.send(new DescribeStacksCommand({}))).Stacks ?? [];
        expect(
          stacks.map((stack) => stack.StackStatus),
          `${account}/${region}`,
        ).toEqual(['CREATE_COMPLETE']);
        const instances = ((await target.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
        expect(instances, `${account}/${region}`).toHaveLength(1);
        expect(instances[0].State?.Name).toBe('running');
        expect(instances[0].Placement?.AvailabilityZone, `${account}/${region}`).toMatch(new RegExp(`^${region}[a-z]$`));
        expect(instances[0].MetadataOptions).toMatchObject({HttpTokens: 'required', HttpPutResponseHopLimit: 1});
        const volumes = (await target.ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [instances[0].InstanceId!]}]}))).Volumes ?? [];
        expect(volumes).toHaveLength(1);
        expect(volumes[0].Encrypted).toBe(true);
        expect(volumes[0].KmsKeyId).toMatch(new RegExp(`^arn:aws:kms:${region}:${account}:key/`));
      }
    }
  });

  it('a deploy killed while StackSets worked is picked up by the next deploy, not started again', async () => {
    // As a killed tandem leaves it: the operation id written, its outcome not yet.
    openFleetStore(env.TANDEM_HOME).update('web', (record) => {
      record.status = 'deploying';
      record.operation = {kind: 'create-instances', operationId, startedAt: new Date().toISOString(), targets: []};
    });
    const creates = proxy.count('CreateStackInstances');
    const result = await runCommand(fleetCommand, ['deploy', profile], {
      env,
      flags: {yes: true, output: 'json', regions: REGIONS.join(','), accounts: org.members.join(',')},
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = jsonLines(result.stdout);
    expect(events.find((event) => event.type === 'recovered')).toMatchObject({kind: 'create-instances', operationId, status: 'SUCCEEDED'});
    expect(events.findIndex((event) => event.type === 'recovered')).toBeLessThan(events.findIndex((event) => event.type === 'preflight'));
    expect(events.find((event) => event.type === 'stack-set')).toMatchObject({action: 'unchanged'});
    expect(proxy.count('CreateStackInstances')).toBe(creates);
    expect(proxy.count('CreateStackSet')).toBe(1);
    expect(openFleetStore(env.TANDEM_HOME).read('web')).toMatchObject({status: 'deployed'});
  }, 120_000);

  it('fleet verify gives one row per control per target, the same rows as tandem verify', async () => {
    const result = await runCommand(fleetCommand, ['verify', 'web'], {env, flags: {output: 'json'}});
    const lines = jsonLines(result.stdout);
    const rows = lines.filter((line) => line.type === 'verification');
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({type: 'summary', fleet: 'web', targets: 4, unverified: 0});
    expect(result.code).toBe((summary.failed as number) > 0 ? 3 : 0);

    // The rows a single launch gets, from the same verifier.
    const single = await verifyLaunch(await makeClients(testSettings()), {
      launchId: 'l-20260101t000000-000000',
      createdAt: '',
      updatedAt: '',
      region: 'us-east-1',
      spec: fleetSpec(),
      status: 'launched',
      resources: [],
      resolved: {},
    });
    const controls = single.map((row) => row.control);
    for (const account of org.members) {
      for (const region of REGIONS) {
        const mine = rows.filter((row) => row.account === account && row.region === region);
        expect(
          mine.map((row) => row.control),
          `${account}/${region}`,
        ).toEqual(controls);
        const status = (control: string) => mine.filter((row) => row.control === control).map((row) => `${String(row.status)}: ${String(row.actual)}`);
        // Controls whose evidence moto builds faithfully through StackSets (with the proxy's
        // stand-ins for what AWS's CloudFormation does with launch templates and route-table
        // associations). Not among them: public-ip, since moto ignores AssociatePublicIpAddress on
        // a template's network interface.
        for (const control of ['ami-provenance', 'instance-type', 'subnet-routing', 'iam-instance-role', 'tenancy', 'kms-key', 'security-group-rules', 'key-pair', 'imds-v2']) {
          expect(
            status(control).every((line) => line.startsWith('pass')),
            `${account}/${region} ${control}: ${status(control).join('; ')}`,
          ).toBe(true);
        }
        expect(status('ebs-encryption')[0], `${account}/${region}`).toMatch(/^pass/);
      }
    }
    expect(rows).toHaveLength(controls.length * 4);
    // Each row carries the checkers' verdicts on that target's resources, as tandem verify's rows do.
    expect(rows.every((row) => Array.isArray(row.checkerVerdicts))).toBe(true);
    expect(rows.some((row) => (row.checkerVerdicts as unknown[]).length > 0)).toBe(true);
    expect(summary).toHaveProperty('checkerUnaccepted');

    const text = await runCommand(fleetCommand, ['verify', 'web'], {env, columns: 160});
    expect(text.stdout).toContain('Verification of fleet web');
    expect(text.stdout).toMatch(/^checkers: /m);
    const [accounts, regions] = text.stdout.split('\n').filter((line) => line.startsWith('account') || line.startsWith('control / region'));
    for (const account of org.members) expect(accounts).toContain(account);
    for (const region of REGIONS) expect(regions).toContain(region);
  }, 120_000);

  it('fleet list shows the fleet, its targets and state', async () => {
    const result = await runCommand(fleetCommand, ['list'], {env, flags: {output: 'json'}});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({name: 'web', status: 'deployed', permissionModel: 'SELF_MANAGED', succeeded: 4, failed: 0, regions: REGIONS, accounts: org.members, operationInFlight: null}),
    ]);
  });

  it('fleet destroy refuses without --yes in a script, then removes every stack instance and the StackSet, leaving nothing', async () => {
    const refused = await runCommand(fleetCommand, ['destroy', 'web'], {env});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');

    const result = await runCommand(fleetCommand, ['destroy', 'web'], {env, flags: {yes: true}});
    expect(result.stderr).not.toContain('could not');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Removed fleet web');
    const cfn = await makeCloudFormationClient(testSettings({accountId: org.admin}));
    await expect(cfn.send(new DescribeStackSetCommand({StackSetName: 'web'}))).rejects.toMatchObject({name: 'StackSetNotFoundException'});
    for (const account of org.members) {
      for (const region of REGIONS) {
        const target = await describeIn(account, region);
        const where = `${account}/${region}`;
        const stacks = ((await target.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE');
        expect(stacks, where).toEqual([]);
        const instances = ((await target.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
        expect(
          instances.map((instance) => instance.State?.Name),
          where,
        ).toEqual(['terminated']);
        expect((await target.ec2.send(new DescribeVolumesCommand({}))).Volumes, where).toEqual([]);
        expect(
          ((await target.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((vpc) => !vpc.IsDefault),
          where,
        ).toEqual([]);
        expect(
          ((await target.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((group) => group.GroupName),
          where,
        ).toEqual(['default']);
        expect(
          ((await target.kms.send(new ListAliasesCommand({}))).Aliases ?? []).filter((alias) => !alias.AliasName?.startsWith('alias/aws/')),
          where,
        ).toEqual([]);
        // Organizations makes OrganizationAccountAccessRole in a new member account, as AWS does.
        const roles = ((await target.iam.send(new ListRolesCommand({}))).Roles ?? []).map((role) => role.RoleName);
        expect(roles.sort(), where).toEqual([EXECUTION_ROLE, 'OrganizationAccountAccessRole']);
        expect((await target.iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles, where).toEqual([]);
      }
    }
    expect(openFleetStore(env.TANDEM_HOME).read('web').status).toBe('destroyed');
  }, 120_000);
});

describe('tandem fleet deploy: pre-flight refuses before anything is created', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
  });
  afterAll(async () => {
    await proxy.close();
  });

  async function refused(org: Org, flags: {regions: string; accounts: string}) {
    const dir = tempDir('tandem-fleet-');
    const env = useOrg(org, path.join(dir, 'home'), proxy);
    const before = proxy.requests.length;
    const result = await runCommand(fleetCommand, ['deploy', profileFile(dir)], {env, flags: {yes: true, ...flags}});
    const calls = proxy.requests.slice(before).map((request) => request.action);
    return {...result, calls};
  }

  it('names the account whose execution role is missing, and creates nothing', async () => {
    const org = await organization(motoEndpoint(), {noExecutionRoleIn: 1});
    const [, missing] = org.members;
    const result = await refused(org, {regions: REGIONS.join(','), accounts: org.members.join(',')});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`account ${missing}, region us-east-1, eu-west-1: ${EXECUTION_ROLE} is missing`);
    expect(result.stderr).not.toContain(`account ${org.members[0]}`);
    expect(result.calls.filter((action) => /^(Create|Update)Stack/.test(action))).toEqual([]);
  }, 120_000);

  it('on a terminal, draws the fleet and the refusal with its account and region', async () => {
    const org = await organization(motoEndpoint(), {noExecutionRoleIn: 0});
    const dir = tempDir('tandem-fleet-');
    const env = useOrg(org, path.join(dir, 'home'), proxy);
    const stdout = new Capture();
    stdout.isTTY = true;
    stdout.columns = 120;
    const stderr = new Capture();
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const code = await fleetCommand({
      args: ['deploy', profileFile(dir)],
      flags: {...DEFAULT_FLAGS, yes: true, regions: 'us-east-1', accounts: org.members.join(',')},
      io: {stdin, stdout, stderr, env},
    });
    expect(code).toBe(2);
    expect(stdout.text).toContain('Fleet web · 0 of 2 targets deployed');
    expect(stdout.text).toContain(`account ${org.members[0]}, region us-east-1: ${EXECUTION_ROLE} is missing`);
  }, 120_000);

  it('names a region that is not enabled in an account', async () => {
    const org = await organization(motoEndpoint());
    // ap-east-1 is an opt-in region, not enabled in a new account (moto models the opt-in status).
    const result = await refused(org, {regions: 'us-east-1,ap-east-1', accounts: org.members[0]});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`account ${org.members[0]}, region ap-east-1: region is not enabled`);
    expect(result.calls.filter((action) => /^(Create|Update)Stack/.test(action))).toEqual([]);
  }, 120_000);

  it('refuses a profile with an unaccepted high finding before any AWS call', async () => {
    const dir = tempDir('tandem-fleet-');
    const spec = fleetSpec();
    const file = profileFile(dir, {...spec, securityGroup: {...spec.securityGroup, ssh: '0.0.0.0/0'}});
    const before = proxy.requests.length;
    const result = await runCommand(fleetCommand, ['deploy', file], {
      env: {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint},
      flags: {yes: true, regions: 'us-east-1', accounts: '111111111111'},
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ssh-open-to-internet');
    expect(proxy.requests.length).toBe(before);
    // Accepted on the command line, the finding no longer blocks: the deploy goes on towards AWS
    // (and stops there, as this test gives it no way in).
    const accepted = await runCommand(fleetCommand, ['deploy', file], {
      env: {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint},
      flags: {yes: true, regions: 'us-east-1', accounts: '111111111111', acceptRisk: ['ssh-open-to-internet=bastion behind a VPN']},
    });
    expect(accepted.stderr).not.toContain('high findings');
  });
});

describe('tandem fleet deploy: a target that fails', () => {
  // The failing target's reason, in AWS's words for a stack that could not be created there.
  const REASON = 'ResourceLogicalId:Vpc, ResourceType:AWS::EC2::VPC, ResourceStatusReason:The maximum number of VPCs has been reached.';

  async function deployWithFailure(failureTolerance: string) {
    const org = await organization(motoEndpoint());
    const failing = {account: org.members[1], region: 'eu-west-1', reason: REASON};
    const proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint(), {failing})});
    const dir = tempDir('tandem-fleet-');
    const env = useOrg(org, path.join(dir, 'home'), proxy);
    const result = await runCommand(fleetCommand, ['deploy', profileFile(dir)], {
      env,
      flags: {yes: true, output: 'json', regions: REGIONS.join(','), accounts: org.members.join(','), failureTolerance},
    });
    return {org, failing, proxy, env, result, events: jsonLines(result.stdout)};
  }

  it('within the failure tolerance: reported by account and region, the others stay deployed (exit 1)', async () => {
    const {org, failing, proxy, env, result, events} = await deployWithFailure('1');
    try {
      expect(result.code).toBe(1);
      expect(events.find((event) => event.type === 'target' && event.status === 'failed')).toMatchObject({account: failing.account, region: failing.region, reason: REASON});
      expect(events.filter((event) => event.type === 'target' && event.status === 'succeeded')).toHaveLength(3);
      expect(events.find((event) => event.type === 'operation-done')).toMatchObject({status: 'SUCCEEDED'});
      expect(events.some((event) => event.type === 'rollback-started')).toBe(false);
      expect(events.at(-1)).toMatchObject({type: 'summary', status: 'partial', failed: [{account: failing.account, region: failing.region, status: 'failed', reason: REASON}]});
      const text = await runCommand(fleetCommand, ['list'], {env});
      expect(text.stdout).toMatch(/web\s+partial\s+3 ok, 1 failed/);
      // The fleet's verification says which target has nothing to verify.
      const verify = await runCommand(fleetCommand, ['verify', 'web'], {env, flags: {output: 'json'}});
      expect(verify.code).toBe(3);
      expect(jsonLines(verify.stdout).find((line) => line.type === 'target-unverified')).toMatchObject({account: failing.account, region: failing.region});
      const destroyed = await runCommand(fleetCommand, ['destroy', 'web'], {env, flags: {yes: true}});
      expect(destroyed.code).toBe(0);
      for (const account of org.members) {
        for (const region of REGIONS) {
          const target = await describeIn(account, region);
          expect(((await target.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE')).toEqual([]);
        }
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('beyond the failure tolerance: the operation fails, and what the deploy created is removed (exit 1)', async () => {
    const {org, proxy, env, result, events} = await deployWithFailure('0');
    try {
      expect(result.code).toBe(1);
      expect(events.find((event) => event.type === 'operation-done')).toMatchObject({status: 'FAILED'});
      expect(events.some((event) => event.type === 'rollback-started')).toBe(true);
      expect(events.filter((event) => event.type === 'stack-set').map((event) => event.action)).toEqual(['created', 'deleted']);
      expect(events.at(-1)).toMatchObject({type: 'summary', status: 'rolled-back'});
      const cfn = await makeCloudFormationClient(testSettings({accountId: org.admin}));
      await expect(cfn.send(new DescribeStackSetCommand({StackSetName: 'web'}))).rejects.toMatchObject({name: 'StackSetNotFoundException'});
      for (const account of org.members) {
        for (const region of REGIONS) {
          const target = await describeIn(account, region);
          expect(
            ((await target.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE'),
            `${account}/${region}`,
          ).toEqual([]);
          expect(
            ((await target.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((vpc) => !vpc.IsDefault),
            `${account}/${region}`,
          ).toEqual([]);
        }
      }
      expect(openFleetStore(env.TANDEM_HOME).read('web').status).toBe('rolled-back');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('tandem fleet deploy killed mid-operation', () => {
  it('leaves the operation id in the record; the next deploy waits for that operation and starts nothing again', async () => {
    const proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
    try {
      const org = await organization(motoEndpoint());
      const dir = tempDir('tandem-fleet-');
      const home = path.join(dir, 'home');
      const file = profileFile(dir);
      const flags = ['--regions', REGIONS.join(','), '--accounts', org.members.join(','), '--yes', '--output', 'json'];
      const env = cleanEnv(dir, {
        TANDEM_HOME: home,
        AWS_ENDPOINT_URL: proxy.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
        AWS_SESSION_TOKEN: org.credentials.sessionToken,
      });
      // SIGKILL the built CLI as soon as StackSets has taken the operation, before any answer is polled.
      let operationId = '';
      const killed = startCli(['fleet', 'deploy', file, ...flags], env, (event, run) => {
        if (event.type !== 'operation-started') return;
        operationId = String(event.operationId);
        run.child.kill('SIGKILL');
      });
      expect((await killed.exited).signal).toBe('SIGKILL');
      const left = openFleetStore(home).read('web');
      expect(left).toMatchObject({status: 'deploying', operation: {kind: 'create-instances', operationId}});
      const creates = proxy.count('CreateStackInstances');
      expect(creates).toBe(1);

      const again = await runCli(['fleet', 'deploy', file, ...flags], env);
      expect(again.stderr).not.toMatch(STACK_LINE);
      expect(again.code).toBe(0);
      expect(again.events.find((event) => event.type === 'recovered')).toMatchObject({kind: 'create-instances', operationId, status: 'SUCCEEDED'});
      expect(proxy.count('CreateStackInstances')).toBe(creates);
      expect(proxy.count('CreateStackSet')).toBe(1);
      const record = openFleetStore(home).read('web');
      expect(record.status).toBe('deployed');
      expect(record.operation).toBeUndefined();
      expect(record.targets.filter((target) => target.status === 'succeeded')).toHaveLength(4);

      const list = await runCli(['fleet', 'list', '--output', 'json'], env);
      expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({name: 'web', status: 'deployed', operationInFlight: null})]);
      expect((await runCli(['fleet', 'destroy', 'web', '--yes'], env)).code).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
