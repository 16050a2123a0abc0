// The VPC's own filters, launched for real against moto through the strict proxy and read back
// with Describe calls of the test's own: in a VPC tandem creates, the default security group keeps
// no rule and the VPC's network ACL holds exactly tandem's entries, every other packet denied; the
// verification rows and the checkers' verdicts say so; destroy leaves nothing. In a VPC tandem
// only uses, nothing of the VPC's own is changed.
import {describe, expect, it} from 'vitest';
import {CreateVpcCommand, CreateSubnetCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {makeClients} from '../../source/aws/clients.js';
import {findTagged} from '../../source/aws/teardown.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {freshAccountId, testSettings} from '../support/aws.js';
import {launchCleanly, testCloud} from './provision-support.js';

async function launch(spec: LaunchSpec) {
  const settings = testSettings({accountId: freshAccountId()});
  const {cloud} = await testCloud(settings);
  const check = await makeClients(settings);
  const {launchId, result} = await launchCleanly(cloud, spec);
  return {cloud, check, launchId, result};
}

const entryText = (entry: {RuleNumber?: number; Egress?: boolean; Protocol?: string; RuleAction?: string; CidrBlock?: string; PortRange?: {From?: number; To?: number}}) =>
  `${entry.Egress ? 'out' : 'in'} ${entry.RuleNumber} ${entry.RuleAction} ${entry.Protocol} ${entry.PortRange ? `${entry.PortRange.From}-${entry.PortRange.To}` : 'all'} ${entry.CidrBlock}`;

describe('a VPC tandem creates: its default security group and network ACL', () => {
  it('empties the default group, writes only the entries the launch needs, verifies both by Describe, and destroy removes it all', async () => {
    const spec = defaultSpec('us-east-1');
    // moto's default VPC has no internet gateway; a new VPC is the case under test anyway.
    spec.network = {vpc: 'new', subnet: 'public', cidr: '10.71.0.0/16', publicIp: true};
    spec.securityGroup = {...spec.securityGroup, http: '0.0.0.0/0', https: '0.0.0.0/0', ssh: '203.0.113.7/32'};
    const {cloud, check, launchId, result} = await launch(spec);
    const vpcId = cloud.journal.read(launchId).resolved.vpcId!;

    const group = (
      await check.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            {Name: 'vpc-id', Values: [vpcId]},
            {Name: 'group-name', Values: ['default']},
          ],
        }),
      )
    ).SecurityGroups![0];
    expect(group.IpPermissions ?? []).toEqual([]);
    expect(group.IpPermissionsEgress ?? []).toEqual([]);

    const acls = (await check.ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).NetworkAcls!;
    // One list, the VPC's own, serves both subnets: no unused list is left behind (EC2.16).
    expect(acls).toHaveLength(1);
    const entries = (acls[0].Entries ?? [])
      .filter((entry) => (entry.RuleNumber ?? 0) < 32767)
      .map(entryText)
      .sort();
    expect(entries).toEqual(
      [
        'in 10 allow 6 80-80 0.0.0.0/0',
        'in 20 allow 6 443-443 0.0.0.0/0',
        'in 30 allow 6 22-22 203.0.113.7/32',
        'in 50 allow 6 32768-65535 0.0.0.0/0',
        'in 100 deny -1 all 0.0.0.0/0',
        'out 10 allow 6 80-80 0.0.0.0/0',
        'out 20 allow 6 443-443 0.0.0.0/0',
        'out 30 allow 6 1024-65535 0.0.0.0/0',
        'out 100 deny -1 all 0.0.0.0/0',
      ].sort(),
    );

    const rows = new Map(result.verification?.map((row) => [row.control, row]));
    expect(rows.get('default-security-group')?.status).toBe('pass');
    expect(rows.get('network-acl')?.status).toBe('pass');
    const verdicts = [...(rows.get('default-security-group')?.checkerVerdicts ?? []), ...(rows.get('network-acl')?.checkerVerdicts ?? [])];
    expect(verdicts.length).toBeGreaterThanOrEqual(6);
    expect(verdicts.filter((verdict) => verdict.verdict !== 'pass')).toEqual([]);

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect((await check.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).Vpcs).toEqual([]);
    expect(await findTagged(check, launchId)).toEqual([]);
  });
});

describe('a VPC tandem only uses', () => {
  it("changes neither the VPC's default group nor its network ACL, and reports them for information", async () => {
    const settings = testSettings({accountId: freshAccountId()});
    const clients = await makeClients(settings);
    // Someone else's VPC and subnet, as AWS makes them: a default group and list that admit everything.
    const vpcId = (await clients.ec2.send(new CreateVpcCommand({CidrBlock: '10.72.0.0/16'}))).Vpc!.VpcId!;
    const subnetId = (await clients.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.72.1.0/24'}))).Subnet!.SubnetId!;
    const before = (await clients.ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).NetworkAcls![0].Entries!.map(entryText).sort();
    const spec = defaultSpec('us-east-1');
    spec.network = {vpc: vpcId, subnet: subnetId, publicIp: false};
    expect(buildPlan(spec).steps.filter((step) => step.controls.includes('network-acl') || step.controls.includes('default-security-group'))).toEqual([]);
    const {cloud} = await testCloud(settings);
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent: () => undefined});
    expect(result.status).toBe('launched');
    const after = (await clients.ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]}))).NetworkAcls![0].Entries!.map(entryText).sort();
    expect(after).toEqual(before);
    const group = (
      await clients.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            {Name: 'vpc-id', Values: [vpcId]},
            {Name: 'group-name', Values: ['default']},
          ],
        }),
      )
    ).SecurityGroups![0];
    expect(group.IpPermissionsEgress?.length).toBeGreaterThan(0);
    const rows = new Map(result.verification?.map((row) => [row.control, row]));
    expect(rows.get('default-security-group')?.status).toBe('info');
    expect(rows.get('network-acl')?.status).toBe('info');
    expect(rows.get('network-acl')?.actual).toContain('every port open to the internet');
    // The checkers' verdicts are the truth about that VPC: it fails them, as the findings predicted.
    expect(rows.get('default-security-group')?.checkerVerdicts?.map((verdict) => verdict.verdict)).toContain('fail');
  });
});
