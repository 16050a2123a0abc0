// A full launch with every "create new" option against moto, checked with independent Describe
// calls, then destroyed (twice). moto gaps that matter here (docs/design.md section 5): instances are
// running at once, IAM is never eventually consistent, tenancy is ignored; none of that is
// asserted as AWS behaviour.
import {readFileSync, statSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {makeClients} from '../../source/aws/clients.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {testSettings} from '../support/aws.js';
import {collect, everythingNewSpec, tempDir, testCloud} from './provision-support.js';
import {
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  DescribeRouteTablesCommand,
  DescribeHostsCommand,
} from '@aws-sdk/client-ec2';
import {GetInstanceProfileCommand, GetRoleCommand, GetRolePolicyCommand} from '@aws-sdk/client-iam';
import {DescribeKeyCommand, GetKeyRotationStatusCommand, ListAliasesCommand} from '@aws-sdk/client-kms';

describe('full launch with every "create new" option', () => {
  it('creates, records, tags and then destroys everything', async () => {
    const settings = testSettings();
    const {cloud, home} = await testCloud(settings);
    const check = await makeClients(settings);
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const plan = buildPlan(spec);
    const launchId = newLaunchId();
    const {events, onEvent} = collect();

    const result = await cloud.launch(spec, plan, {launchId, onEvent});
    const failed = events.filter((event) => event.type === 'step-failed');
    expect(failed).toEqual([]);
    expect(result.status).toBe('launched');
    const verification = events.find((event) => event.type === 'verification');
    expect(verification).toBeDefined();
    // Tenancy is not asserted: moto ignores it (docs/design.md section 5).
    const failing = result.verification?.filter((item) => item.status === 'fail' && item.control !== 'tenancy');
    expect(failing).toEqual([]);
    expect(cloud.journal.read(launchId).lastVerification).toEqual(result.verification);

    const record = cloud.journal.read(launchId);
    expect(record.status).toBe('launched');
    const kinds = record.resources.map((resource) => resource.kind).sort();
    expect(kinds).toEqual(
      [
        'ebs-snapshot',
        'iam-instance-profile',
        'iam-role',
        'instance',
        'internet-gateway',
        'key-pair',
        'kms-alias',
        'kms-key',
        'route-table',
        'security-group',
        'subnet',
        'subnet',
        'vpc',
        // A new VPC gets flow logs by default: the flow log, its log group and its delivery role.
        'flow-log',
        'log-group',
        'iam-role',
      ].sort(),
    );
    const {resolved} = record;
    expect(resolved.instanceId).toMatch(/^i-/);
    expect(resolved.vpcId).toMatch(/^vpc-/);
    expect(resolved.kmsKeyId).toMatch(/^arn:aws:kms:/);
    expect(resolved.instanceProfileName).toBe('EC2AccessToS3Role');

    // Independent checks, not through tandem's code.
    const instances = await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [resolved.instanceId!]}));
    const instance = instances.Reservations?.[0]?.Instances?.[0];
    expect(instance?.State?.Name).toBe('running');
    expect(instance?.SubnetId).toBe(resolved.subnetId);
    expect(instance?.VpcId).toBe(resolved.vpcId);
    expect(instance?.KeyName).toBe('web-key');
    expect(instance?.MetadataOptions?.HttpTokens).toBe('required');
    expect(instance?.IamInstanceProfile?.Arn).toContain('instance-profile/EC2AccessToS3Role');

    const subnets = await check.ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'vpc-id', Values: [resolved.vpcId!]}]}));
    expect(subnets.Subnets?.map((subnet) => subnet.CidrBlock).sort()).toEqual(['10.20.0.0/24', '10.20.1.0/24']);
    const tables = await check.ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [resolved.vpcId!]}]}));
    const publicTable = tables.RouteTables?.find((table) => table.Associations?.some((a) => a.SubnetId === resolved.subnetId));
    expect(publicTable?.Routes?.some((route) => route.DestinationCidrBlock === '0.0.0.0/0' && route.GatewayId?.startsWith('igw-'))).toBe(true);

    const groups = await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [resolved.securityGroupId!]}));
    const rules = (groups.SecurityGroups?.[0]?.IpPermissions ?? []).flatMap((permission) => (permission.IpRanges ?? []).map((range) => `${permission.FromPort}:${range.CidrIp}`));
    expect(rules.sort()).toEqual(['22:203.0.113.7/32', '80:0.0.0.0/0']);

    const key = await check.kms.send(new DescribeKeyCommand({KeyId: resolved.kmsKeyId}));
    expect(key.KeyMetadata?.KeyManager).toBe('CUSTOMER');
    const rotation = await check.kms.send(new GetKeyRotationStatusCommand({KeyId: key.KeyMetadata?.KeyId}));
    expect(rotation.KeyRotationEnabled).toBe(true);
    const aliases = await check.kms.send(new ListAliasesCommand({KeyId: key.KeyMetadata?.KeyId}));
    expect(aliases.Aliases?.map((alias) => alias.AliasName)).toContain('alias/tandem-web-1');

    const role = await check.iam.send(new GetRoleCommand({RoleName: 'EC2AccessToS3Role'}));
    expect(role.Role?.Tags).toContainEqual({Key: 'tandem:launch-id', Value: launchId});
    const policy = await check.iam.send(new GetRolePolicyCommand({RoleName: 'EC2AccessToS3Role', PolicyName: 'tandem-s3-read'}));
    expect(decodeURIComponent(policy.PolicyDocument ?? '')).toContain('arn:aws:s3:::my-site-assets');
    const profile = await check.iam.send(new GetInstanceProfileCommand({InstanceProfileName: 'EC2AccessToS3Role'}));
    expect(profile.InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual(['EC2AccessToS3Role']);

    const pairs = await check.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['web-key']}));
    expect(pairs.KeyPairs?.[0]?.KeyFingerprint).toBe(resolved.keyFingerprint);

    // The private key: 0600, complete, and nowhere else.
    const keyPath = resolved.keyPath!;
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const material = readFileSync(keyPath, 'utf8');
    expect(material).toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    const body = material.split('\n').filter((line) => line && !line.startsWith('-----'))[0];
    expect(JSON.stringify(events)).not.toContain(body);
    const journalFile = `${home}/launches/${launchId}.json`;
    expect(readFileSync(journalFile, 'utf8')).not.toContain(body);
    expect(statSync(journalFile).mode & 0o777).toBe(0o600);

    const tagged = await check.ec2.send(new DescribeTagsCommand({Filters: [{Name: 'value', Values: [launchId]}]}));
    const taggedTypes = new Set(tagged.Tags?.map((tag) => tag.ResourceType));
    for (const type of ['vpc', 'subnet', 'internet-gateway', 'route-table', 'security-group', 'key-pair', 'instance']) {
      expect(taggedTypes, type).toContain(type);
    }

    // Destroy, then destroy again: the second run finds everything already gone.
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(destroyed.deleted).toHaveLength(record.resources.length);
    expect(destroyed.leftovers).toEqual([]);
    expect(cloud.journal.read(launchId).status).toBe('destroyed');

    const again = await cloud.destroy(launchId);
    expect(again.failed).toEqual([]);

    const vpcs = await check.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId]}]}));
    expect(vpcs.Vpcs).toEqual([]);
    await expect(check.iam.send(new GetRoleCommand({RoleName: 'EC2AccessToS3Role'}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
    const keyAfter = await check.kms.send(new DescribeKeyCommand({KeyId: resolved.kmsKeyId}));
    expect(keyAfter.KeyMetadata?.KeyState).toBe('PendingDeletion');
    const after = await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [resolved.instanceId!]}));
    expect(after.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe('terminated');
  });

  it('allocates a dedicated host for host tenancy and releases it on destroy', async () => {
    const settings = testSettings();
    const {cloud} = await testCloud(settings);
    const check = await makeClients(settings);
    const base = everythingNewSpec(tempDir('tandem-keys-'));
    const spec = {
      ...base,
      instance: {...base.instance, tenancy: 'host' as const, type: 'm5.large'},
      role: {mode: 'none' as const},
      storage: {...base.storage, kmsKey: 'aws/ebs'},
      keyPair: {mode: 'none' as const},
    };
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');
    const record = cloud.journal.read(launchId);
    expect(record.resolved.hostId).toMatch(/^h-/);
    expect(record.resources.map((resource) => resource.kind)).toContain('dedicated-host');
    // moto ignores tenancy (docs/design.md section 5): Placement is not asserted here.
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    const hosts = await check.ec2.send(new DescribeHostsCommand({HostIds: [record.resolved.hostId!]}));
    expect(hosts.Hosts?.[0]?.State).toMatch(/released/);
  });
});
