// Destroy's report of what still carries a launch's id reads Elastic Load Balancing as well as EC2:
// a load balancer or target group tagged with the launch but missing from its journal (a crash
// between AWS's answer and the journal's write) is named, so the operator can remove it. Nothing is
// deleted because of a tag alone. An operator who may not list load balancers still gets the EC2
// part, and is told the rest was not read. Through the real SDK against moto.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand} from '@aws-sdk/client-ec2';
import {CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import {LAUNCH_TAG} from '../../source/aws/teardown.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {FAST, tempDir} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

/** A VPC with two subnets in two zones, a group, and a load balancer and target group tagged with `launchId` (and one of another launch). */
async function strayTier(check: AwsClients, launchId: string) {
  const tags = (id: string) => [{Key: LAUNCH_TAG, Value: id}];
  const vpc = (await check.ec2.send(new CreateVpcCommand({CidrBlock: '10.9.0.0/16'}))).Vpc?.VpcId;
  const subnets = await Promise.all(
    ['a', 'b'].map(
      async (zone, index) => (await check.ec2.send(new CreateSubnetCommand({VpcId: vpc, CidrBlock: `10.9.${index}.0/24`, AvailabilityZone: `us-east-1${zone}`}))).Subnet?.SubnetId ?? '',
    ),
  );
  const group = await check.ec2.send(
    new CreateSecurityGroupCommand({GroupName: 'stray', Description: 'stray', VpcId: vpc, TagSpecifications: [{ResourceType: 'security-group', Tags: tags(launchId)}]}),
  );
  const lb = await check.elbv2.send(new CreateLoadBalancerCommand({Name: 'stray-lb', Subnets: subnets, Tags: tags(launchId)}));
  const tg = await check.elbv2.send(new CreateTargetGroupCommand({Name: 'stray-tg', Protocol: 'HTTP', Port: 80, VpcId: vpc, Tags: tags(launchId)}));
  await check.elbv2.send(new CreateTargetGroupCommand({Name: 'other-tg', Protocol: 'HTTP', Port: 80, VpcId: vpc, Tags: tags(newLaunchId())}));
  return {groupId: group.GroupId ?? '', lbArn: lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '', tgArn: tg.TargetGroups?.[0]?.TargetGroupArn ?? ''};
}

async function account() {
  const direct = testSettings();
  const cloud = await createCloud({...direct, endpointUrl: proxy.endpoint}, tempDir('tandem-home-'), FAST);
  return {cloud, check: await makeClients(direct)};
}

describe("destroy's report of resources still tagged with the launch", () => {
  it('names a load balancer and a target group the journal never recorded, and deletes neither', async () => {
    const {cloud, check} = await account();
    const launchId = newLaunchId();
    const stray = await strayTier(check, launchId);
    cloud.journal.start({launchId, region: 'us-east-1', spec: defaultSpec(), status: 'interrupted', resources: [], resolved: {}});
    const result = await cloud.destroy(launchId);
    expect(result.leftovers).toEqual(
      expect.arrayContaining([
        {resourceType: 'security-group', id: stray.groupId},
        {resourceType: 'load-balancer', id: stray.lbArn},
        {resourceType: 'target-group', id: stray.tgArn},
      ]),
    );
    expect(result.leftovers).toHaveLength(3);
    expect(result.leftoversUnread).toBeUndefined();
    // A tag alone is never a reason to delete.
    expect((await check.elbv2.send(new DescribeLoadBalancersCommand({LoadBalancerArns: [stray.lbArn]}))).LoadBalancers).toHaveLength(1);
  });

  it('says the load balancers were not read when listing them is denied, and still reports the EC2 part', async () => {
    const {cloud, check} = await account();
    const launchId = newLaunchId();
    const stray = await strayTier(check, launchId);
    cloud.journal.start({launchId, region: 'us-east-1', spec: defaultSpec(), status: 'interrupted', resources: [], resolved: {}});
    proxy.add({service: 'elasticloadbalancing', action: 'DescribeLoadBalancers', kind: 'error', code: 'AccessDenied', message: 'not authorized', status: 403});
    try {
      const result = await cloud.destroy(launchId);
      expect(result.failed).toEqual([]);
      expect(result.leftovers).toEqual([{resourceType: 'security-group', id: stray.groupId}]);
      expect(result.leftoversUnread).toBe('load balancers and target groups could not be listed (AccessDenied), so any still tagged with this launch are not shown');
    } finally {
      proxy.clear();
    }
  });
});
