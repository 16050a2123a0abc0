// `tandem fleet` with a load-balanced profile, one member account in two regions, in process
// through the real SDK against moto's StackSets: deploy, each target's load balancer described back
// independently, `fleet verify` with the load balancer's rows, and `fleet destroy` lifting deletion
// protection before it deletes, leaving nothing. moto's gaps in StackSets are made up in the proxy
// (test/support/moto-stacksets.ts); moto deletes a protected load balancer where AWS refuses, so
// the proxy lists every load balancer still protected when a delete is sent.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {ListStacksCommand} from '@aws-sdk/client-cloudformation';
import {DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {CreateTargetGroupCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {makeClients, makeCloudFormationClient} from '../../source/aws/clients.js';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization, type Org} from '../support/fleet-org.js';
import {withHighRisksRecorded} from '../support/launch-specs.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {tempDir} from './provision-support.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const CERTIFICATE = 'arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & {type: string});

async function describeIn(account: string, region: string) {
  const settings = {...testSettings({accountId: account}), region};
  return {...(await makeClients(settings)), cfn: await makeCloudFormationClient(settings)};
}

/** The fleet profile behind a load balancer: the instance in the private subnet, HTTP only, deletion protection on. */
function layeredSpec(certificate = 'none'): LaunchSpec {
  const spec = fleetSpec();
  return withHighRisksRecorded({
    ...spec,
    network: {vpc: 'new', subnet: 'private', publicIp: false},
    storage: {...spec.storage, kmsKey: 'aws/ebs'},
    loadBalancer: {certificate, deletionProtection: true, accessLogs: false, ...(certificate === 'request' ? {domain: 'www.example.com'} : {})},
  });
}

function useCredentials(org: Org) {
  vi.stubEnv('AWS_ACCESS_KEY_ID', org.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', org.credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', org.credentials.sessionToken);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('tandem fleet: a load-balanced profile in one account and two regions', () => {
  let proxy: FaultProxy;
  let stackSets: ReturnType<typeof motoStackSets>;
  let org: Org;
  let env: Record<string, string>;
  let file: string;

  beforeAll(async () => {
    stackSets = motoStackSets(motoEndpoint());
    proxy = await startFaultProxy(motoEndpoint(), {intercept: stackSets});
    org = await organization(motoEndpoint(), {members: 1});
    const dir = tempDir('tandem-fleet-lb-');
    file = path.join(dir, 'web.yaml');
    writeFileSync(file, serializeProfile(layeredSpec()));
    env = {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'};
  }, 120_000);
  afterAll(async () => {
    await proxy.close();
  });

  it('deploys it; in every target the load balancer spans two zones and the instance has no public address, admitting only its group', async () => {
    useCredentials(org);
    const result = await runCommand(fleetCommand, ['deploy', file], {env, flags: {yes: true, output: 'json', regions: REGIONS.join(','), accounts: org.members.join(',')}});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({type: 'summary', fleet: 'web', status: 'deployed'});
    for (const region of REGIONS) {
      const target = await describeIn(org.members[0], region);
      const [lb] = (await target.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
      expect(lb, region).toMatchObject({Scheme: 'internet-facing', LoadBalancerName: 'tandem-web-1'});
      expect(new Set((lb.AvailabilityZones ?? []).map((zone) => zone.ZoneName)).size, region).toBe(2);
      const instance = ((await target.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])[0];
      expect(instance.PublicIpAddress, region).toBeUndefined();
      const groups = (await target.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: (instance.SecurityGroups ?? []).map((group) => group.GroupId!)}))).SecurityGroups ?? [];
      const web = groups.flatMap((group) => group.IpPermissions ?? []).filter((rule) => rule.FromPort === 80);
      expect(
        web.flatMap((rule) => rule.IpRanges ?? []),
        region,
      ).toEqual([]);
      expect(
        web.flatMap((rule) => rule.UserIdGroupPairs ?? []).map((pair) => pair.GroupId),
        region,
      ).toEqual(lb.SecurityGroups);
    }
  }, 180_000);

  it("fleet verify passes each target's load balancer, certificate and chained-groups rows", async () => {
    useCredentials(org);
    const result = await runCommand(fleetCommand, ['verify', 'web'], {env, flags: {output: 'json'}});
    const rows = jsonLines(result.stdout).filter((line) => line.type === 'verification');
    for (const region of REGIONS) {
      for (const control of ['load-balancer', 'lb-certificate', 'chained-groups', 'security-group-rules']) {
        const row = rows.find((item) => item.region === region && item.control === control);
        expect(row, `${region} ${control}`).toBeDefined();
        expect(['pass', 'info'], `${region} ${control}: ${String(row?.actual)}`).toContain(row?.status);
      }
    }
  }, 120_000);

  it('fleet destroy turns deletion protection off through the StackSet first, then removes everything', async () => {
    useCredentials(org);
    const before = proxy.requests.length;
    const result = await runCommand(fleetCommand, ['destroy', 'web'], {env, flags: {yes: true}});
    expect(result.stderr).not.toContain('could not');
    expect(result.code).toBe(0);
    // AWS refuses to delete a stack whose load balancer is still protected.
    expect(stackSets.protectedAtDelete).toEqual([]);
    const calls = proxy.requests.slice(before).map((request) => request.action);
    expect(calls.indexOf('UpdateStackSet')).toBeGreaterThan(-1);
    expect(calls.indexOf('UpdateStackSet')).toBeLessThan(calls.indexOf('DeleteStackInstances'));
    for (const region of REGIONS) {
      const target = await describeIn(org.members[0], region);
      expect((await target.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers, region).toEqual([]);
      expect((await target.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups, region).toEqual([]);
      expect(((await target.cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((stack) => stack.StackStatus !== 'DELETE_COMPLETE')).toEqual([]);
      expect(((await target.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((vpc) => !vpc.IsDefault)).toEqual([]);
      expect(((await target.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((group) => group.GroupName)).toEqual(['default']);
    }
  }, 180_000);
});

describe('tandem fleet deploy: a load balancer name taken in a target', () => {
  it('is refused by pre-flight, naming the account and region, before anything is created (exit 2)', async () => {
    const stackSets = motoStackSets(motoEndpoint());
    const proxy = await startFaultProxy(motoEndpoint(), {intercept: stackSets});
    try {
      const org = await organization(motoEndpoint(), {members: 1});
      const [account] = org.members;
      const target = await describeIn(account, 'eu-west-1');
      const vpcId = (await target.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'isDefault', Values: ['true']}]}))).Vpcs![0].VpcId!;
      await target.elbv2.send(new CreateTargetGroupCommand({Name: 'tandem-web-1-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId}));
      const dir = tempDir('tandem-fleet-lb-');
      const profile = path.join(dir, 'web.yaml');
      writeFileSync(profile, serializeProfile(layeredSpec()));
      useCredentials(org);
      const env = {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: proxy.endpoint, TANDEM_FLEET_POLL_MS: '20'};
      const result = await runCommand(fleetCommand, ['deploy', profile], {env, flags: {yes: true, regions: REGIONS.join(','), accounts: account}});
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`account ${account}, region eu-west-1: instance.name: a target group named tandem-web-1-tg already exists in this region`);
      expect(result.stderr).not.toContain('region us-east-1: instance.name');
      expect(proxy.requests.map((request) => request.action)).not.toContain('CreateStackSet');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('tandem fleet deploy: a certificate the fleet cannot use in every target', () => {
  it.each([
    ['certificate: request', 'request', /certificate: request asks ACM/],
    ['a certificate of another region', CERTIFICATE, /cannot use it/],
  ])('refuses %s before any AWS call (exit 2)', async (_name, certificate, message) => {
    const dir = tempDir('tandem-fleet-lb-');
    const profile = path.join(dir, 'web.yaml');
    writeFileSync(profile, serializeProfile(layeredSpec(certificate)));
    // No endpoint answers here: a call to AWS would fail, not refuse.
    const env = {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: 'http://127.0.0.1:9'};
    const result = await runCommand(fleetCommand, ['deploy', profile], {env, flags: {yes: true, regions: 'eu-west-1', accounts: '111122223333'}});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/ at .*\.ts:\d+/);
  });
});
