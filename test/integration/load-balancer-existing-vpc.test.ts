// A load-balanced launch into a VPC the operator built, from the command line in process against
// moto: the test makes the VPC through the SDK (two public subnets in two zones, a private one with
// an S3 gateway endpoint), `tandem launch --yes` finds the subnets, records them, builds the load
// balancer there and the instance in the private subnet, and `tandem destroy` removes what tandem
// made and nothing of the operator's. A VPC with public subnets in one zone only is refused before
// anything is created, with what was found.
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {describe, expect, it} from 'vitest';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {runHeadless} from '../../source/commands/launch-headless.js';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import {createCloud} from '../../source/aws/index.js';
import {runPreflight} from '../../source/aws/preflight.js';
import {buildPlan} from '../../source/domain/plan.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS} from '../support/command-io.js';
import {withHighRisksRecorded} from '../support/launch-specs.js';
import {startFaultProxy} from '../support/fault-proxy.js';
import {shellPerTest, tempDir} from './provision-support.js';

function context(args: string[], flags: Partial<GlobalFlags>, env: NodeJS.ProcessEnv) {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {args, flags: {...DEFAULT_FLAGS, endpointUrl: motoEndpoint(), ...flags}, io: {stdin: new PassThrough(), stdout, stderr, env}};
  return {ctx, stdout, stderr};
}

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

interface OperatorVpc {
  vpcId: string;
  publicSubnets: string[];
  privateSubnet: string;
}

/** The operator's VPC: public subnets (0.0.0.0/0 to an internet gateway) in `zones`, and a private subnet with an S3 gateway endpoint. */
async function operatorVpc(ec2: AwsClients['ec2'], zones: string[], block: number, endpoint = true): Promise<OperatorVpc> {
  const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: `10.${block}.0.0/16`}))).Vpc!.VpcId!;
  const gateway = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: gateway, VpcId: vpcId}));
  const publicTable = (await ec2.send(new CreateRouteTableCommand({VpcId: vpcId}))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({RouteTableId: publicTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway}));
  const publicSubnets: string[] = [];
  for (const [index, zone] of zones.entries()) {
    const subnet = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `10.${block}.${index}.0/24`, AvailabilityZone: zone}))).Subnet!.SubnetId!;
    await ec2.send(new AssociateRouteTableCommand({RouteTableId: publicTable, SubnetId: subnet}));
    publicSubnets.push(subnet);
  }
  const privateSubnet = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: `10.${block}.10.0/24`, AvailabilityZone: zones[0]}))).Subnet!.SubnetId!;
  const privateTable = (await ec2.send(new CreateRouteTableCommand({VpcId: vpcId}))).RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({RouteTableId: privateTable, SubnetId: privateSubnet}));
  if (endpoint) await ec2.send(new CreateVpcEndpointCommand({VpcId: vpcId, VpcEndpointType: 'Gateway', ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [privateTable]}));
  return {vpcId, publicSubnets, privateSubnet};
}

/** What the operator's VPC holds that tandem must leave alone. */
async function operatorsThings(ec2: AwsClients['ec2'], vpcId: string) {
  const inVpc = [{Name: 'vpc-id', Values: [vpcId]}];
  return {
    subnets: ((await ec2.send(new DescribeSubnetsCommand({Filters: inVpc}))).Subnets ?? []).map((subnet) => subnet.SubnetId).sort(),
    tables: ((await ec2.send(new DescribeRouteTablesCommand({Filters: inVpc}))).RouteTables ?? []).map((table) => table.RouteTableId).sort(),
    gateways: ((await ec2.send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'attachment.vpc-id', Values: [vpcId]}]}))).InternetGateways ?? []).length,
    endpoints: ((await ec2.send(new DescribeVpcEndpointsCommand({Filters: inVpc}))).VpcEndpoints ?? []).map((endpoint) => endpoint.VpcEndpointId).sort(),
  };
}

// The shell a user launches from, and a fresh TANDEM_HOME, per test.
const shell = shellPerTest();

const uniqueName = (prefix: string) => `${prefix}-${path.basename(tempDir('tandem-name-')).slice(-6).toLowerCase()}`;

describe('tandem launch with loadBalancer in an existing VPC', () => {
  it('puts the load balancer in the two public subnets and the instance in the private one, records them, and destroy leaves the VPC as it was', async () => {
    const {ec2, elbv2} = await makeClients(testSettings({accountId: '123456789012'}));
    const vpc = await operatorVpc(ec2, ['us-east-1a', 'us-east-1b'], 41);
    const before = await operatorsThings(ec2, vpc.vpcId);
    const name = uniqueName('lbvpc');
    const spec = withHighRisksRecorded(
      withDefaults({version: 1, instance: {name}, network: {vpc: vpc.vpcId}, securityGroup: {name: `${name}-sg`}, loadBalancer: {}}),
      'load-balanced web server',
    );
    const launched = context([], {yes: true, output: 'json'}, shell());
    const code = await runHeadless(launched.ctx, spec);
    const events = lines(launched.stdout.text);
    expect(code, `${launched.stderr.text}\n${launched.stdout.text.slice(-3000)}`).toBe(0);
    const preflight = events.find((event) => event.type === 'preflight') as {results: Array<{check: string; status: string; detail: string}>};
    expect(preflight.results.find((result) => result.check === 'lb-subnets')).toMatchObject({status: 'ok'});
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({type: 'summary', status: 'launched'});
    expect(launched.stderr.text).toContain(`tandem launch: the load balancer goes in ${vpc.publicSubnets.join(' and ')}, the instance in private subnet ${vpc.privateSubnet}`);
    // Verification read it all back (exit 0: no row failed), the load balancer's rows among them.
    const rows = (events.find((event) => event.type === 'verification') as {results: Array<{control: string; status: string}>}).results;
    for (const control of ['load-balancer', 'chained-groups', 'subnet-routing', 'public-ip']) expect(rows.find((row) => row.control === control)?.status, control).toBe('pass');

    // The journal's spec names the subnets the launch chose: verification and destroy read them there.
    const record = createJournal(String(shell().TANDEM_HOME)).read(String(summary.launchId));
    expect(record.spec.network).toMatchObject({vpc: vpc.vpcId, subnet: vpc.privateSubnet, publicIp: false});
    expect([...(record.spec.network.loadBalancerSubnets ?? [])].sort()).toEqual([...vpc.publicSubnets].sort());

    const instance = (await ec2.send(new DescribeInstancesCommand({InstanceIds: [String(summary.instanceId)]}))).Reservations![0].Instances![0];
    expect(instance.SubnetId).toBe(vpc.privateSubnet);
    expect(instance.PublicIpAddress).toBeUndefined();
    const lb = (await elbv2.send(new DescribeLoadBalancersCommand({Names: [`tandem-${name}`]}))).LoadBalancers![0];
    expect(lb.VpcId).toBe(vpc.vpcId);
    expect((lb.AvailabilityZones ?? []).map((zone) => zone.SubnetId).sort()).toEqual([...vpc.publicSubnets].sort());

    const destroyed = context([String(summary.launchId)], {yes: true, output: 'json'}, shell());
    expect(await destroyCommand(destroyed.ctx)).toBe(0);
    const report = JSON.parse(destroyed.stdout.text) as {failed: unknown[]; leftovers: unknown[]};
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);
    expect(await operatorsThings(ec2, vpc.vpcId)).toEqual(before);
    await expect(elbv2.send(new DescribeLoadBalancersCommand({Names: [`tandem-${name}`]}))).rejects.toMatchObject({name: 'LoadBalancerNotFoundException'});
    const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'vpc-id', Values: [vpc.vpcId]}]}))).SecurityGroups ?? []).map((group) => group.GroupName);
    expect(groups).toEqual(['default']);
  }, 120_000);

  it('a launch given the profile as written (the review passes it so) chooses the subnets itself and journals them', async () => {
    const {ec2} = await makeClients(testSettings({accountId: '123456789012'}));
    const vpc = await operatorVpc(ec2, ['us-east-1a', 'us-east-1b'], 43);
    const name = uniqueName('lbrev');
    const spec = withHighRisksRecorded(
      withDefaults({version: 1, instance: {name}, network: {vpc: vpc.vpcId}, securityGroup: {name: `${name}-sg`}, loadBalancer: {deletionProtection: false}}),
      'load-balanced web server',
    );
    const cloud = await createCloud(testSettings({accountId: '123456789012'}), String(shell().TANDEM_HOME));
    const launchId = newLaunchId();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => {}});
    expect(result.status).toBe('launched');
    const record = cloud.journal.read(launchId);
    expect(record.spec.network.subnet).toBe(vpc.privateSubnet);
    expect([...(record.spec.network.loadBalancerSubnets ?? [])].sort()).toEqual([...vpc.publicSubnets].sort());
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
  }, 120_000);

  it('a failed listener rolls back what tandem made, through the strict endpoint, and never the operator’s VPC or subnets', async () => {
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      const direct = testSettings();
      const {ec2, elbv2} = await makeClients(direct);
      const vpc = await operatorVpc(ec2, ['us-east-1a', 'us-east-1b'], 45);
      const before = await operatorsThings(ec2, vpc.vpcId);
      const cloud = await createCloud({...direct, endpointUrl: proxy.endpoint}, String(shell().TANDEM_HOME));
      proxy.add({action: 'CreateListener', kind: 'error', code: 'TooManyListeners', message: 'You have reached the maximum number of listeners', times: 1, status: 400});
      const spec = withHighRisksRecorded(withDefaults({version: 1, instance: {name: 'lbroll'}, network: {vpc: vpc.vpcId}, loadBalancer: {}}), 'load-balanced web server');
      const deleted: string[] = [];
      const result = await cloud.launch(spec, buildPlan(spec), {
        launchId: newLaunchId(),
        onEvent: (event) => {
          if (event.type === 'resource-deleted') deleted.push(event.resource.kind);
        },
      });
      expect(result.status).toBe('rolled-back');
      expect(deleted).toEqual(expect.arrayContaining(['load-balancer', 'target-group', 'security-group']));
      for (const kind of ['vpc', 'subnet', 'route-table', 'internet-gateway', 'vpc-endpoint']) expect(deleted).not.toContain(kind);
      expect(await operatorsThings(ec2, vpc.vpcId)).toEqual(before);
      expect((await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toEqual([]);
      expect(proxy.refusals).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('refuses a VPC whose public subnets are all in one zone before anything is created, naming what it found (exit 2)', async () => {
    const {ec2} = await makeClients(testSettings({accountId: '123456789012'}));
    const vpc = await operatorVpc(ec2, ['us-east-1a', 'us-east-1a'], 42);
    const before = await operatorsThings(ec2, vpc.vpcId);
    const name = uniqueName('lbone');
    const spec = withHighRisksRecorded(
      withDefaults({version: 1, instance: {name}, network: {vpc: vpc.vpcId}, securityGroup: {name: `${name}-sg`}, loadBalancer: {}}),
      'load-balanced web server',
    );
    const launched = context([], {yes: true}, shell());
    const code = await runHeadless(launched.ctx, spec);
    expect(code).toBe(2);
    expect(launched.stderr.text).toContain('network.loadBalancerSubnets: the load balancer needs public subnets (0.0.0.0/0 to an internet gateway) in two Availability Zones');
    for (const subnet of vpc.publicSubnets) expect(launched.stderr.text).toContain(`${subnet} (us-east-1a)`);
    expect(launched.stderr.text).toContain('in 1 zone');
    expect(launched.stderr.text).not.toMatch(/ at .*\.ts:\d+/);
    // Nothing was created: the VPC holds what the operator made, and no group of tandem's.
    expect(await operatorsThings(ec2, vpc.vpcId)).toEqual(before);
    const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'vpc-id', Values: [vpc.vpcId]}]}))).SecurityGroups ?? []).map((group) => group.GroupName);
    expect(groups).toEqual(['default']);
  }, 120_000);

  it('warns when the private subnet has neither an S3 gateway endpoint nor a NAT route, and adds none to the VPC', async () => {
    const clients = await makeClients(testSettings());
    const vpc = await operatorVpc(clients.ec2, ['us-east-1a', 'us-east-1b'], 44, false);
    const spec = withDefaults({version: 1, instance: {name: 'web-pkg'}, network: {vpc: vpc.vpcId}, loadBalancer: {}});
    const {results} = await runPreflight(clients, spec);
    expect(results.find((result) => result.check === 'lb-subnets')).toMatchObject({status: 'ok'});
    expect(results.find((result) => result.check === 'lb-packages-route')).toMatchObject({
      status: 'warn',
      field: 'instance.userData',
      detail: expect.stringContaining(`subnet ${vpc.privateSubnet} has neither an S3 gateway endpoint nor a NAT route`),
    });
    expect(results.filter((result) => result.status === 'fail')).toEqual([]);
  }, 60_000);

  it('refuses the default VPC, whose subnets are all public, naming them', async () => {
    const clients = await makeClients(testSettings());
    // moto's default VPC has no internet gateway; AWS's has one, routed from the main table, which
    // makes every default subnet public: the test adds them as AWS has them.
    const vpcId = (await clients.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'isDefault', Values: ['true']}]}))).Vpcs![0].VpcId!;
    const gateway = (await clients.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await clients.ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: gateway, VpcId: vpcId}));
    const main = (await clients.ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).RouteTables![0].RouteTableId!;
    await clients.ec2.send(new CreateRouteCommand({RouteTableId: main, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway}));
    const spec = withDefaults({version: 1, network: {vpc: 'default'}, loadBalancer: {}});
    const {results} = await runPreflight(clients, spec);
    const refusal = results.find((result) => result.check === 'lb-subnets');
    expect(refusal).toMatchObject({status: 'fail', field: 'network.subnet', fix: expect.stringContaining('set network.vpc: new')});
    expect(refusal?.detail).toContain(`private subnet (no route to an internet gateway); the default VPC ${vpcId} has none (its subnets: subnet-`);
    expect(refusal?.detail).toContain('(us-east-1a)');
  }, 60_000);
});
