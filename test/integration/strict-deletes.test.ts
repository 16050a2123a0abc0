// AWS refuses deletes that would leave something dangling; moto does not. The fault proxy's strict
// mode (on by default, test/support/strict-aws.ts) refuses them the way AWS does, and every
// rollback and destroy test runs through it. Here: each rule refuses a delete made in the wrong
// order, with AWS's error code; tandem's destroy of the same launch then meets no refusal at all;
// and a DependencyViolation during rollback is waited out visibly and within bounds, while any
// other refusal (DeleteConflict) is not retried.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {send} from '../../source/aws/actions.js';
import {findTagged} from '../../source/aws/teardown.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {STRICT_ACTIONS} from '../support/strict-aws.js';
import {collect, everythingNewSpec, tempDir, testCloud} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

async function launched(label: string) {
  const accountId = `6${String(Date.now()).slice(-9)}${label.length.toString().padStart(2, '0')}`;
  const settings = testSettings({accountId, endpointUrl: proxy.endpoint});
  const {cloud} = await testCloud(settings);
  const spec = everythingNewSpec(tempDir('tandem-keys-'), {name: `web-${label}`});
  const launchId = newLaunchId();
  return {cloud, spec, launchId, accountId, via: await makeClients(settings), check: await makeClients(testSettings({accountId}))};
}

async function refusal(clients: AwsClients, service: 'ec2' | 'iam' | 'kms', action: string, input: Record<string, unknown>): Promise<string> {
  try {
    await send(clients, service, action, input);
    return 'accepted';
  } catch (error) {
    return (error as {name?: string}).name ?? 'Error';
  }
}

describe('strict mode', () => {
  it('refuses every out-of-order delete with AWS’s code, and destroy meets none of them', async () => {
    const {cloud, spec, launchId, via, check} = await launched('strict');
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => undefined});
    expect(result.status).toBe('launched');
    const id = (kind: string) => result.resources.find((resource) => resource.kind === kind)!.id;
    const vpcId = id('vpc');
    const before = proxy.refusals.length;
    // The SDK names IAM's DeleteConflict DeleteConflictException.
    const attempts: Array<[string, string, string]> = [
      ['DeleteVpc', await refusal(via, 'ec2', 'DeleteVpc', {VpcId: vpcId}), 'DependencyViolation'],
      ['DeleteSubnet', await refusal(via, 'ec2', 'DeleteSubnet', {SubnetId: result.resources.find((r) => r.stepId === 'subnet-public')!.id}), 'DependencyViolation'],
      ['DeleteSecurityGroup', await refusal(via, 'ec2', 'DeleteSecurityGroup', {GroupId: id('security-group')}), 'DependencyViolation'],
      ['DetachInternetGateway', await refusal(via, 'ec2', 'DetachInternetGateway', {InternetGatewayId: id('internet-gateway'), VpcId: vpcId}), 'DependencyViolation'],
      ['DeleteInternetGateway', await refusal(via, 'ec2', 'DeleteInternetGateway', {InternetGatewayId: id('internet-gateway')}), 'DependencyViolation'],
      ['DeleteRouteTable', await refusal(via, 'ec2', 'DeleteRouteTable', {RouteTableId: id('route-table')}), 'DependencyViolation'],
      ['DeleteRole', await refusal(via, 'iam', 'DeleteRole', {RoleName: id('iam-role')}), 'DeleteConflictException'],
      ['DeleteInstanceProfile', await refusal(via, 'iam', 'DeleteInstanceProfile', {InstanceProfileName: id('iam-instance-profile')}), 'DeleteConflictException'],
      ['ScheduleKeyDeletion', await refusal(via, 'kms', 'ScheduleKeyDeletion', {KeyId: id('kms-key'), PendingWindowInDays: 1}), 'ValidationException'],
    ];
    expect(attempts.map(([action, got]) => [action, got])).toEqual(attempts.map(([action, , expected]) => [action, expected]));
    // The endpoint rule (CreateVpcEndpoint) has its own test below; the load balancer's deletion
    // protection has its own in test/integration/load-balancer.test.ts, and a certificate a
    // listener holds in test/integration/load-balancer-certificate.test.ts.
    const elsewhere = ['ec2:CreateVpcEndpoint', 'elasticloadbalancing:DeleteLoadBalancer', 'acm:DeleteCertificate'];
    expect(new Set(proxy.refusals.slice(before).map((item) => item.split(' ')[0]))).toEqual(new Set(STRICT_ACTIONS.filter((action) => !elsewhere.includes(action))));

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(proxy.refusals.length).toBe(before + attempts.length);
    expect(await findTagged(check, launchId)).toEqual([]);
    console.log(`strict mode: ${attempts.length} out-of-order deletes refused as AWS would; destroy of ${destroyed.deleted.length} resources met 0 refusals`);
  });

  it('Session Manager endpoints: the group, subnet and VPC they use cannot go first, private DNS needs DNS hostnames, destroy meets none of it', async () => {
    const {cloud, spec, launchId, via, check} = await launched('endpoints');
    spec.network = {vpc: 'new', subnet: 'private', cidr: '10.71.0.0/16', publicIp: false};
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: () => undefined});
    expect(result.status).toBe('launched');
    const endpoint = result.resources.find((resource) => resource.kind === 'vpc-endpoint')!;
    const endpointGroup = result.resources.find((resource) => resource.stepId === 'ssm-endpoint-group')!.id;
    const privateSubnet = result.resources.find((resource) => resource.stepId === 'subnet-private')!.id;
    const vpcId = result.resources.find((resource) => resource.kind === 'vpc')!.id;
    const before = proxy.refusals.length;
    expect(await refusal(via, 'ec2', 'DeleteSecurityGroup', {GroupId: endpointGroup})).toBe('DependencyViolation');
    expect(await refusal(via, 'ec2', 'DeleteSubnet', {SubnetId: privateSubnet})).toBe('DependencyViolation');
    // A VPC without DNS hostnames refuses private DNS on a new endpoint.
    const bare = (await send(via, 'ec2', 'CreateVpc', {CidrBlock: '10.72.0.0/16'})) as {Vpc: {VpcId: string}};
    const bareSubnet = (await send(via, 'ec2', 'CreateSubnet', {VpcId: bare.Vpc.VpcId, CidrBlock: '10.72.1.0/24'})) as {Subnet: {SubnetId: string}};
    const privateDns = {VpcEndpointType: 'Interface', VpcId: bare.Vpc.VpcId, ServiceName: 'com.amazonaws.us-east-1.ssm', SubnetIds: [bareSubnet.Subnet.SubnetId], PrivateDnsEnabled: true};
    expect(await refusal(via, 'ec2', 'CreateVpcEndpoint', privateDns)).toBe('InvalidParameter');
    await send(via, 'ec2', 'DeleteSubnet', {SubnetId: bareSubnet.Subnet.SubnetId});
    await send(via, 'ec2', 'DeleteVpc', {VpcId: bare.Vpc.VpcId});
    expect(proxy.refusals.slice(before).map((item) => item.split(' ')[0])).toEqual(['ec2:DeleteSecurityGroup', 'ec2:DeleteSubnet', 'ec2:CreateVpcEndpoint']);
    expect(endpoint.extra?.vpcId).toBe(vpcId);

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(proxy.refusals.length).toBe(before + 3);
    expect(await findTagged(check, launchId)).toEqual([]);
  });

  it('rollback waits out DependencyViolation visibly and within bounds, and retries nothing else', async () => {
    const {cloud, spec, launchId, check} = await launched('waits');
    proxy.add({action: 'RunInstances', kind: 'error', code: 'InsufficientInstanceCapacity', message: 'no capacity', times: 1});
    proxy.add({action: 'DeleteSecurityGroup', kind: 'error', code: 'DependencyViolation', message: 'resource sg has a dependent object', times: 2});
    proxy.add({action: 'DeleteRole', kind: 'error', code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove roles from instance profile first.', times: 1});
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    proxy.clear();
    const waits = events.filter((event) => event.type === 'resource-waiting');
    expect(waits.map((event) => event.type === 'resource-waiting' && [event.resource.kind, event.code, event.attempt])).toEqual([
      ['security-group', 'DependencyViolation', 1],
      ['security-group', 'DependencyViolation', 2],
    ]);
    expect(events).toContainEqual(expect.objectContaining({type: 'resource-deleted', resource: expect.objectContaining({kind: 'security-group'})}));
    // DeleteConflict is final: one attempt, reported, and left for destroy.
    expect(events).toContainEqual(expect.objectContaining({type: 'resource-delete-failed', code: 'DeleteConflict'}));
    expect(result.status).toBe('failed');
    expect(cloud.journal.read(launchId).resources.map((resource) => resource.kind)).toEqual(['iam-role']);
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
    expect(await findTagged(check, launchId)).toEqual([]);
  });
});
