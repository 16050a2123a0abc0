// The load-balanced web tier (docs/load-balancer.md) against moto through the real SDK: a launch
// with loadBalancer goes through tandem's executor and journal, and every claim is read back with
// independent Describe calls (EC2 and Elastic Load Balancing), never through tandem's own code.
// moto 5.2.1 implements the load balancer, target group, listener, attribute and target calls; it
// deletes a load balancer whose deletion protection is on, and makes no network interfaces for it,
// so the strict proxy (test/support/strict-aws.ts) refuses those deletes as AWS does.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import {
  DeleteLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {ACMClient, RequestCertificateCommand} from '@aws-sdk/client-acm';
import {clientConfig, makeClients, type AwsClients} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import {buildPlan} from '../../source/domain/plan.js';
import type {LaunchSpec, LoadBalancerSpec} from '../../source/domain/spec.js';
import {TLS_POLICY} from '../../source/domain/controls/load-balancer.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {runPreflight} from '../../source/aws/preflight.js';
import {adoptPending} from '../../source/aws/pending.js';
import {createJournal, newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {collect, FAST, launchCleanly, tempDir} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

/** A cloud through the strict proxy, and independent clients straight to moto, for one fresh account. */
async function account() {
  const direct = testSettings();
  const cloud = await createCloud({...direct, endpointUrl: proxy.endpoint}, tempDir('tandem-home-'), FAST);
  return {cloud, check: await makeClients(direct)};
}

function balancedSpec(lb: Partial<LoadBalancerSpec> = {}): LaunchSpec {
  return withDefaults({version: 1, instance: {name: 'layered'}, loadBalancer: lb});
}

/** Everything of the load balancer that Describe calls show. */
async function describeTier(check: AwsClients) {
  const lbs = (await check.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const groups = (await check.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
  return {lbs, groups};
}

async function nothingOfTheVpcLeft(check: AwsClients, vpcId: string) {
  const {lbs, groups} = await describeTier(check);
  expect(lbs).toEqual([]);
  expect(groups).toEqual([]);
  expect((await check.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).Vpcs).toEqual([]);
  const groupsLeft = (await check.ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).SecurityGroups ?? [];
  expect(groupsLeft.filter((group) => group.GroupName !== 'default')).toEqual([]);
}

describe('a launch killed with a load balancer create in flight', () => {
  it('destroy finds the load balancer and target group by name and launch tag, and leaves another one alone', async () => {
    const {check} = await account();
    const home = tempDir('tandem-home-');
    const launchId = newLaunchId();
    const store = createJournal(home);
    // The journal a SIGKILL leaves: intents for the creates whose answers never came back.
    store.start({
      launchId,
      region: 'us-east-1',
      account: check.settings.headers!['x-moto-account-id'],
      partition: 'aws',
      spec: balancedSpec(),
      status: 'interrupted',
      resources: [],
      resolved: {},
      pending: [
        {stepId: 'target-group', kinds: ['target-group'], names: {Name: 'tandem-layered-tg'}},
        {stepId: 'load-balancer', kinds: ['load-balancer'], names: {Name: 'tandem-layered'}},
      ],
    });
    // What AWS made of those calls anyway, tagged as tandem tags them.
    const tags = [{Key: 'tandem:launch-id', Value: launchId}];
    const subnets = (await check.ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}]}))).Subnets!.slice(0, 2);
    const {CreateLoadBalancerCommand, CreateTargetGroupCommand} = await import('@aws-sdk/client-elastic-load-balancing-v2');
    await check.elbv2.send(new CreateTargetGroupCommand({Name: 'tandem-layered-tg', Protocol: 'HTTP', Port: 80, VpcId: subnets[0].VpcId, Tags: tags}));
    await check.elbv2.send(new CreateLoadBalancerCommand({Name: 'tandem-layered', Subnets: subnets.map((subnet) => subnet.SubnetId!), Tags: tags}));
    // Another launch's load balancer of another name is never taken.
    await check.elbv2.send(new CreateLoadBalancerCommand({Name: 'someone-else', Subnets: subnets.map((subnet) => subnet.SubnetId!)}));

    const adopted = await adoptPending({clients: check, journal: store, launchId});
    expect(adopted.adopted.map((resource) => resource.kind).sort()).toEqual(['load-balancer', 'target-group']);
    expect(store.read(launchId).pending ?? []).toEqual([]);
    expect(adopted.adopted.find((resource) => resource.kind === 'load-balancer')?.id).toMatch(/loadbalancer\/app\/tandem-layered\//);
  });
});

describe('pre-flight of a launch behind a load balancer', () => {
  const results = async (check: AwsClients, spec: LaunchSpec) =>
    (await runPreflight(check, spec)).results.filter((result) => ['load-balancer-name', 'target-group-name', 'lb-certificate'].includes(result.check));

  it('finds the names free, then taken once a launch holds them; refuses a certificate that is not ISSUED or not there', async () => {
    const {cloud, check} = await account();
    const spec = balancedSpec();
    expect((await results(check, spec)).map((result) => [result.check, result.status])).toEqual([
      ['load-balancer-name', 'ok'],
      ['target-group-name', 'ok'],
    ]);
    const {launchId} = await launchCleanly(cloud, {...spec, loadBalancer: {certificate: 'none', deletionProtection: false, accessLogs: false}});
    const taken = await results(check, spec);
    expect(taken.map((result) => [result.check, result.status])).toEqual([
      ['load-balancer-name', 'fail'],
      ['target-group-name', 'fail'],
    ]);
    expect(taken[0]).toMatchObject({field: 'instance.name', detail: 'a load balancer named tandem-layered already exists in this region'});
    await cloud.destroy(launchId);

    // moto leaves a requested certificate PENDING_VALIDATION (no DNS record validates it here).
    const acm = new ACMClient(await clientConfig(check.settings));
    addTestHeaders(acm, check.settings.headers);
    const pending = (await acm.send(new RequestCertificateCommand({DomainName: 'www.example.com', ValidationMethod: 'DNS'}))).CertificateArn!;
    const withPending = await results(check, balancedSpec({certificate: pending}));
    expect(withPending.find((result) => result.check === 'lb-certificate')).toMatchObject({
      status: 'fail',
      field: 'loadBalancer.certificate',
      detail: `${pending} is PENDING_VALIDATION; a listener needs an ISSUED certificate`,
    });
    const missing = pending.replace(/certificate\/.*$/, 'certificate/00000000-0000-0000-0000-000000000000');
    const withMissing = await results(check, balancedSpec({certificate: missing}));
    expect(withMissing.find((result) => result.check === 'lb-certificate')?.detail).toBe(`${missing} is not a certificate ACM knows in this account and region`);
    const requested = await results(check, balancedSpec({certificate: 'request', domain: 'www.example.com'}));
    // No Route 53 zone in this account covers the domain: the launch will show the record to create.
    expect(requested.find((result) => result.check === 'lb-certificate')).toMatchObject({
      status: 'ok',
      field: 'loadBalancer.domain',
      detail:
        'ACM will be asked for www.example.com; no Route 53 public zone in this account covers it, so the launch shows the validation record for you to create and waits up to 10 minute(s) for ISSUED',
    });
  });
});

describe('a launch behind a load balancer', () => {
  it('puts the instance in the private subnet without a public address, its web port open only to the load balancer’s group', async () => {
    const {cloud, check} = await account();
    const {launchId} = await launchCleanly(cloud, balancedSpec());

    const instance = (await check.ec2.send(new DescribeInstancesCommand({}))).Reservations?.flatMap((r) => r.Instances ?? [])[0];
    expect(instance?.PublicIpAddress).toBeUndefined();
    const subnet = (await check.ec2.send(new DescribeSubnetsCommand({SubnetIds: [instance!.SubnetId!]}))).Subnets?.[0];
    const privateTable = (await check.ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'association.subnet-id', Values: [subnet!.SubnetId!]}]}))).RouteTables?.[0];
    expect(privateTable?.Routes?.some((route) => route.GatewayId?.startsWith('igw-'))).toBe(false);

    const {lbs, groups} = await describeTier(check);
    expect(lbs).toHaveLength(1);
    const lb = lbs[0];
    expect(lb).toMatchObject({Scheme: 'internet-facing', Type: 'application', VpcId: instance!.VpcId});
    expect(new Set(lb.AvailabilityZones?.map((zone) => zone.ZoneName)).size).toBe(2);
    expect(lb.AvailabilityZones?.map((zone) => zone.SubnetId)).not.toContain(instance!.SubnetId);

    // moto lists groups given through NetworkInterfaces on the interface only (AWS on both).
    const instanceGroupIds = instance!.NetworkInterfaces!.flatMap((nic) => nic.Groups ?? []).map((group) => group.GroupId!);
    expect(instanceGroupIds).toHaveLength(1);
    const instanceGroup = (await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: instanceGroupIds}))).SecurityGroups![0];
    const web = instanceGroup.IpPermissions?.find((permission) => permission.FromPort === 80);
    expect(web?.IpRanges ?? []).toEqual([]);
    expect(web?.UserIdGroupPairs?.map((pair) => pair.GroupId)).toEqual(lb.SecurityGroups);
    const lbGroup = (await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: lb.SecurityGroups}))).SecurityGroups![0];
    expect(lbGroup.IpPermissions?.map((permission) => [permission.FromPort, permission.IpRanges?.[0]?.CidrIp])).toEqual([[80, '0.0.0.0/0']]);

    const listeners = (await check.elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb.LoadBalancerArn}))).Listeners ?? [];
    expect(listeners.map((listener) => [listener.Protocol, listener.Port, listener.DefaultActions?.[0]?.Type])).toEqual([['HTTP', 80, 'forward']]);
    expect(groups[0]).toMatchObject({Protocol: 'HTTP', Port: 80, HealthCheckPath: '/'});
    const health = await check.elbv2.send(new DescribeTargetHealthCommand({TargetGroupArn: groups[0].TargetGroupArn}));
    expect(health.TargetHealthDescriptions?.map((target) => target.Target?.Id)).toEqual([instance!.InstanceId]);

    const attributes = Object.fromEntries(
      ((await check.elbv2.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerArn: lb.LoadBalancerArn}))).Attributes ?? []).map((a) => [a.Key, a.Value]),
    );
    expect(attributes).toMatchObject({'routing.http.drop_invalid_header_fields.enabled': 'true', 'deletion_protection.enabled': 'true'});

    const endpoints = (await check.ec2.send(new DescribeVpcEndpointsCommand({Filters: [{Name: 'vpc-id', Values: [instance!.VpcId!]}]}))).VpcEndpoints ?? [];
    const packages = endpoints.find((endpoint) => endpoint.ServiceName === 'com.amazonaws.us-east-1.s3');
    expect(packages).toMatchObject({VpcEndpointType: 'Gateway', RouteTableIds: [privateTable!.RouteTableId]});

    // tandem's own verification reads the same back with its own Describe calls.
    const rows = new Map((await cloud.verify(launchId)).map((row) => [row.control, row]));
    for (const control of ['load-balancer', 'chained-groups', 'security-group-rules', 'public-ip', 'subnet-routing'] as const) {
      expect(rows.get(control)?.status, `${control}: ${rows.get(control)?.actual}`).toBe('pass');
    }
    expect(rows.get('lb-certificate')?.status).toBe('info');
    expect(rows.get('chained-groups')?.actual).toContain(`port 80 from ${lb.SecurityGroups![0]}`);

    // Destroy turns deletion protection off first (the strict proxy refuses otherwise) and leaves nothing.
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    const kinds = destroyed.deleted.map((resource) => resource.kind);
    expect(kinds.indexOf('listener')).toBeLessThan(kinds.indexOf('load-balancer'));
    expect(kinds.indexOf('load-balancer')).toBeLessThan(kinds.indexOf('target-group'));
    expect(kinds.indexOf('target-group')).toBeLessThan(kinds.indexOf('security-group'));
    await nothingOfTheVpcLeft(check, instance!.VpcId!);
  });

  it('with a certificate: 443 under the TLS policy forwarding, 80 redirecting to it, the load balancer’s group open on both', async () => {
    const {cloud, check} = await account();
    // moto checks only that the listener's certificate exists in ACM: it accepts one still pending
    // validation, where AWS wants it ISSUED (UnsupportedCertificate); pre-flight is to check that.
    const acm = new ACMClient(await clientConfig(check.settings));
    addTestHeaders(acm, check.settings.headers);
    const requested = await acm.send(new RequestCertificateCommand({DomainName: 'www.example.com', ValidationMethod: 'DNS'}));
    const spec = balancedSpec({certificate: requested.CertificateArn!, deletionProtection: false});
    const {launchId} = await launchCleanly(cloud, spec);

    const lb = (await describeTier(check)).lbs[0];
    const listeners = (await check.elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb.LoadBalancerArn}))).Listeners ?? [];
    const byPort = new Map(listeners.map((listener) => [listener.Port, listener]));
    expect(byPort.get(443)).toMatchObject({Protocol: 'HTTPS', SslPolicy: TLS_POLICY});
    expect(byPort.get(443)?.DefaultActions?.[0]?.Type).toBe('forward');
    expect(byPort.get(80)?.DefaultActions?.[0]).toMatchObject({Type: 'redirect', RedirectConfig: {Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301'}});
    const lbGroup = (await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: lb.SecurityGroups}))).SecurityGroups![0];
    expect(lbGroup.IpPermissions?.map((permission) => permission.FromPort).sort()).toEqual([443, 80]);
    const certificateRow = (await cloud.verify(launchId)).find((row) => row.control === 'lb-certificate');
    expect(certificateRow?.status, certificateRow?.actual).toBe('pass');

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    await nothingOfTheVpcLeft(check, lb.VpcId!);
  });

  it('rolls back everything, load balancer included, when a listener cannot be created', async () => {
    const {cloud, check} = await account();
    proxy.add({action: 'CreateListener', kind: 'error', code: 'TooManyListeners', message: 'You have reached the maximum number of listeners', times: 1, status: 400});
    const spec = balancedSpec();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
    proxy.clear();
    expect(result.status).toBe('rolled-back');
    expect(events.find((event) => event.type === 'step-failed')).toMatchObject({stepId: 'listener-http', code: 'TooManyListeners'});
    expect(events.some((event) => event.type === 'resource-delete-failed')).toBe(false);
    const deleted = events.flatMap((event) => (event.type === 'resource-deleted' ? [event.resource.kind] : []));
    expect(deleted).toEqual(expect.arrayContaining(['load-balancer', 'target-group', 'security-group', 'vpc-endpoint', 'subnet', 'vpc']));
    const {lbs, groups} = await describeTier(check);
    expect(lbs).toEqual([]);
    expect(groups).toEqual([]);
  });

  it('the strict endpoint refuses to delete a load balancer while its deletion protection is on, as AWS does', async () => {
    const {cloud, check} = await account();
    await launchCleanly(cloud, balancedSpec());
    const lb = (await describeTier(check)).lbs[0];
    const viaProxy = await makeClients({...testSettings(), endpointUrl: proxy.endpoint, headers: check.settings.headers});
    await expect(viaProxy.elbv2.send(new DeleteLoadBalancerCommand({LoadBalancerArn: lb.LoadBalancerArn}))).rejects.toMatchObject({name: 'OperationNotPermittedException'});
    expect((await describeTier(check)).lbs).toHaveLength(1);
  });
});

/** The test's moto account on a client tandem does not make (ACM). */
function addTestHeaders(client: ACMClient, headers: Record<string, string> | undefined): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as {headers?: Record<string, string>};
      if (request.headers) Object.assign(request.headers, headers);
      return next(args);
    },
    {step: 'build', name: 'testAccount'},
  );
}
