// Session Manager as the way in, launched for real against moto through the strict
// proxy and checked with independent IAM and EC2 Describe calls: the role carries
// AmazonSSMManagedInstanceCore, no rule opens port 22, the instance has no key pair, and a private
// subnet has its three interface endpoints; destroy then removes every one of them.
//
// Where moto differs from AWS: AWS managed policies exist in moto only with
// MOTO_IAM_LOAD_MANAGED_POLICIES (the test server sets it); endpoints are 'available' at once and
// moto registers no private DNS zone, so only the endpoint's PrivateDnsEnabled flag is checked, not
// name resolution; deleted endpoints stay listed with State 'deleted'. moto accepts deleting a
// subnet or group an endpoint still uses; the strict proxy refuses that as AWS does.
import {describe, expect, it} from 'vitest';
import {DescribeInstancesCommand, DescribeSecurityGroupRulesCommand, DescribeVpcEndpointsCommand, DescribeVpcAttributeCommand} from '@aws-sdk/client-ec2';
import {GetRoleCommand, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {makeClients} from '../../source/aws/clients.js';
import {findTagged} from '../../source/aws/teardown.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {freshAccountId, testSettings} from '../support/aws.js';
import {collect, testCloud} from './provision-support.js';

const POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

async function launchAndCheck(spec: LaunchSpec) {
  const settings = testSettings({accountId: freshAccountId()});
  const {cloud} = await testCloud(settings);
  const check = await makeClients(settings);
  const launchId = newLaunchId();
  const {events, onEvent} = collect();
  const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
  expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
  expect(result.status).toBe('launched');
  // Tenancy is not asserted: moto ignores it (docs/design.md section 5).
  expect(result.verification?.filter((row) => row.status === 'fail' && row.control !== 'tenancy')).toEqual([]);
  expect(result.verification?.find((row) => row.control === 'session-manager')?.status).toBe('pass');

  const instanceId = result.instanceId!;
  const instance = (await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations![0].Instances![0];
  // No key pair on the instance.
  expect(instance.KeyName).toBeUndefined();
  // No rule, in any attached group, reaches port 22.
  const groupIds = [...(instance.SecurityGroups ?? []), ...(instance.NetworkInterfaces ?? []).flatMap((nic) => nic.Groups ?? [])].map((group) => group.GroupId!);
  const rules = (await check.ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [...new Set(groupIds)]}]}))).SecurityGroupRules ?? [];
  const inbound = rules.filter((rule) => !rule.IsEgress);
  expect(inbound.length).toBeGreaterThan(0);
  expect(inbound.filter((rule) => rule.IpProtocol === '-1' || ((rule.FromPort ?? 0) <= 22 && 22 <= (rule.ToPort ?? 0)))).toEqual([]);
  // The role behind the instance profile carries the managed policy and trusts EC2.
  const roleName = cloud.journal.read(launchId).resolved.roleName!;
  expect(instance.IamInstanceProfile?.Arn).toMatch(/instance-profile\//);
  const attached = (await check.iam.send(new ListAttachedRolePoliciesCommand({RoleName: roleName}))).AttachedPolicies ?? [];
  expect(attached.map((policy) => policy.PolicyArn)).toContain(POLICY_ARN);
  const role = (await check.iam.send(new GetRoleCommand({RoleName: roleName}))).Role!;
  expect(decodeURIComponent(role.AssumeRolePolicyDocument!)).toContain('ec2.amazonaws.com');
  return {cloud, check, launchId, result, instance, roleName};
}

describe('Session Manager, the default way in', () => {
  it('the default spec: a role made only for Session Manager, no key, no port 22, exact command; destroy removes it all', async () => {
    const spec = defaultSpec('us-east-1');
    // moto's default VPC has no internet gateway; a new public subnet keeps verification honest.
    spec.network = {vpc: 'new', subnet: 'public', cidr: '10.61.0.0/16', publicIp: true};
    const {cloud, check, launchId, result, roleName} = await launchAndCheck(spec);
    expect(roleName).toBe('tandem-ssm-web-1');
    const attached = (await check.iam.send(new ListAttachedRolePoliciesCommand({RoleName: roleName}))).AttachedPolicies ?? [];
    expect(attached.map((policy) => policy.PolicyName)).toEqual(['AmazonSSMManagedInstanceCore']);
    expect(result.session).toBe(`aws ssm start-session --target ${result.instanceId} --region us-east-1`);
    expect(result.login).toBe(result.session);

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    await expect(check.iam.send(new GetRoleCommand({RoleName: roleName}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
    expect(await findTagged(check, launchId)).toEqual([]);
  });

  it('a private subnet of a new VPC: three interface endpoints with private DNS behind HTTPS from the VPC; destroy removes them before their group and subnet', async () => {
    const spec = defaultSpec('us-east-1');
    spec.instance.name = 'private-1';
    spec.network = {vpc: 'new', subnet: 'private', cidr: '10.62.0.0/16', publicIp: false};
    const {cloud, check, launchId, instance} = await launchAndCheck(spec);
    const vpcId = instance.VpcId!;
    const hostnames = await check.ec2.send(new DescribeVpcAttributeCommand({VpcId: vpcId, Attribute: 'enableDnsHostnames'}));
    expect(hostnames.EnableDnsHostnames?.Value).toBe(true);
    const endpoints = (await check.ec2.send(new DescribeVpcEndpointsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).VpcEndpoints ?? [];
    expect(endpoints.map((endpoint) => endpoint.ServiceName).sort()).toEqual(['com.amazonaws.us-east-1.ec2messages', 'com.amazonaws.us-east-1.ssm', 'com.amazonaws.us-east-1.ssmmessages']);
    const groupIds = new Set<string>();
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SubnetIds: [instance.SubnetId]});
      expect(endpoint.Tags).toContainEqual({Key: 'tandem:launch-id', Value: launchId});
      for (const group of endpoint.Groups ?? []) groupIds.add(group.GroupId!);
    }
    expect(groupIds.size).toBe(1);
    const endpointRules = (await check.ec2.send(new DescribeSecurityGroupRulesCommand({Filters: [{Name: 'group-id', Values: [...groupIds]}]}))).SecurityGroupRules ?? [];
    expect(endpointRules.filter((rule) => !rule.IsEgress).map((rule) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.CidrIpv4])).toEqual([['tcp', 443, 443, '10.62.0.0/16']]);
    expect(cloud.journal.read(launchId).resources.filter((resource) => resource.kind === 'vpc-endpoint')).toHaveLength(3);

    // Through the strict proxy: deleting the group or subnet first would be refused, so this
    // passing means the endpoints were deleted and gone first.
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    const left = (await check.ec2.send(new DescribeVpcEndpointsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).VpcEndpoints ?? [];
    expect(left.filter((endpoint) => String(endpoint.State).toLowerCase() !== 'deleted')).toEqual([]);
    expect(await findTagged(check, launchId)).toEqual([]);
  });

  it('the S3 role tandem creates carries the managed policy beside its bucket policy', async () => {
    const spec = defaultSpec('us-east-1');
    spec.instance.name = 's3-1';
    spec.network = {vpc: 'new', subnet: 'public', cidr: '10.63.0.0/16', publicIp: true};
    spec.role = {mode: 'create', name: 'S3AndSessionRole', bucket: 'my-site-assets', access: 'read'};
    const {cloud, check, launchId, roleName} = await launchAndCheck(spec);
    expect(roleName).toBe('S3AndSessionRole');
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
    await expect(check.iam.send(new GetRoleCommand({RoleName: roleName}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
  });
});
