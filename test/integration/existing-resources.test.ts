// A launch into resources that already exist (made here with direct SDK calls): tandem creates
// only the instance, uses exactly what it was given, and destroy removes only what it created.
// Also: importing a local public key instead of creating a pair.
import {generateKeyPairSync} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, GetRoleCommand} from '@aws-sdk/client-iam';
import {CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand} from '@aws-sdk/client-kms';
import {makeClients} from '../../source/aws/clients.js';
import {buildPlan, trustPolicy} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {testSettings} from '../support/aws.js';
import {collect, everythingNewSpec, tempDir, testCloud} from './provision-support.js';

describe('launch into existing resources', () => {
  it('creates only the instance and destroy leaves the existing resources alone', async () => {
    const settings = testSettings();
    const aws = await makeClients(settings);
    const vpc = await aws.ec2.send(new CreateVpcCommand({CidrBlock: '10.50.0.0/16'}));
    const vpcId = vpc.Vpc!.VpcId!;
    const subnet = await aws.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.50.1.0/24'}));
    const subnetId = subnet.Subnet!.SubnetId!;
    const group = await aws.ec2.send(new CreateSecurityGroupCommand({GroupName: 'existing-web', Description: 'existing', VpcId: vpcId}));
    await aws.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '0.0.0.0/0'}]}],
      }),
    );
    await aws.iam.send(new CreateRoleCommand({RoleName: 'ExistingWebRole', AssumeRolePolicyDocument: trustPolicy()}));
    await aws.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'ExistingWebRole'}));
    await aws.iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: 'ExistingWebRole', RoleName: 'ExistingWebRole'}));
    const key = await aws.kms.send(new CreateKeyCommand({Description: 'existing ebs key'}));
    await aws.kms.send(new CreateAliasCommand({AliasName: 'alias/existing-ebs', TargetKeyId: key.KeyMetadata!.KeyId}));
    await aws.ec2.send(new CreateKeyPairCommand({KeyName: 'existing-key'}));

    const base = everythingNewSpec(tempDir('tandem-keys-'));
    const spec = {
      ...base,
      network: {vpc: vpcId, subnet: subnetId, publicIp: false},
      role: {mode: 'existing' as const, name: 'ExistingWebRole'},
      storage: {...base.storage, kmsKey: 'alias/existing-ebs'},
      securityGroup: {...base.securityGroup, mode: 'existing' as const, groupId: group.GroupId!, ssh: false as const},
      keyPair: {mode: 'existing' as const, name: 'existing-key'},
    };
    const {cloud} = await testCloud(settings);
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');
    const record = cloud.journal.read(launchId);
    // Only the instance, and its root volume's first snapshot (taken by default; destroy deletes it).
    expect(record.resources.map((resource) => resource.kind)).toEqual(['instance', 'ebs-snapshot']);
    expect(record.resolved).toMatchObject({
      vpcId,
      subnetId,
      securityGroupId: group.GroupId,
      roleName: 'ExistingWebRole',
      instanceProfileName: 'ExistingWebRole',
      kmsKeyId: key.KeyMetadata!.Arn,
      keyName: 'existing-key',
    });

    const described = await aws.ec2.send(new DescribeInstancesCommand({InstanceIds: [record.resolved.instanceId!]}));
    const instance = described.Reservations![0].Instances![0];
    expect(instance.SubnetId).toBe(subnetId);
    // Groups given on the network interface: moto lists them there, not in Instance.SecurityGroups.
    expect(instance.NetworkInterfaces?.[0]?.Groups?.map((g) => g.GroupId)).toEqual([group.GroupId]);
    expect(instance.KeyName).toBe('existing-key');
    expect(instance.IamInstanceProfile?.Arn).toContain('instance-profile/ExistingWebRole');
    const volumes = await aws.ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [instance.InstanceId!]}]}));
    expect(volumes.Volumes?.every((volume) => volume.Encrypted)).toBe(true);

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(destroyed.deleted.map((resource) => resource.kind)).toEqual(['instance', 'ebs-snapshot']);
    // Everything the operator made beforehand is still there.
    expect((await aws.ec2.send(new DescribeVpcsCommand({VpcIds: [vpcId]}))).Vpcs).toHaveLength(1);
    expect((await aws.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [group.GroupId!]}))).SecurityGroups).toHaveLength(1);
    expect((await aws.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['existing-key']}))).KeyPairs).toHaveLength(1);
    expect((await aws.iam.send(new GetRoleCommand({RoleName: 'ExistingWebRole'}))).Role?.RoleName).toBe('ExistingWebRole');
    expect((await aws.kms.send(new DescribeKeyCommand({KeyId: 'alias/existing-ebs'}))).KeyMetadata?.KeyState).toBe('Enabled');
  });

  it('imports a local public key as the key pair', async () => {
    const settings = testSettings();
    const aws = await makeClients(settings);
    const dir = tempDir('tandem-keys-');
    const {publicKey} = generateKeyPairSync('ed25519');
    // OpenSSH form of an ed25519 public key: "ssh-ed25519 " + base64(string type, string key).
    const raw = publicKey.export({format: 'der', type: 'spki'}).subarray(-32);
    const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
    const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
    const publicPath = path.join(dir, 'id_ed25519.pub');
    writeFileSync(publicPath, `ssh-ed25519 ${blob.toString('base64')} operator@laptop\n`);

    const base = everythingNewSpec(dir);
    const spec = {
      ...base,
      network: {vpc: 'new', subnet: 'public', publicIp: true},
      role: {mode: 'none' as const},
      storage: {...base.storage, kmsKey: 'aws/ebs'},
      keyPair: {mode: 'import' as const, name: 'imported-key', path: publicPath},
    };
    const {cloud} = await testCloud(settings);
    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');
    const pairs = await aws.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['imported-key']}));
    expect(pairs.KeyPairs?.[0]?.KeyFingerprint).toBe(cloud.journal.read(launchId).resolved.keyFingerprint);
    expect((await cloud.destroy(launchId)).failed).toEqual([]);
    await expect(aws.ec2.send(new DescribeKeyPairsCommand({KeyNames: ['imported-key']}))).rejects.toMatchObject({name: 'InvalidKeyPair.NotFound'});
  });

  it('reads the chosen key before launch and stops when EBS cannot use it', async () => {
    // Discovery lists keys without their state (no call per key), so the launch checks the one chosen.
    const settings = testSettings();
    const aws = await makeClients(settings);
    const key = await aws.kms.send(new CreateKeyCommand({Description: 'switched off'}));
    await aws.kms.send(new CreateAliasCommand({AliasName: 'alias/switched-off', TargetKeyId: key.KeyMetadata!.KeyId}));
    await aws.kms.send(new DisableKeyCommand({KeyId: key.KeyMetadata!.KeyId}));
    const base = everythingNewSpec(tempDir('tandem-keys-'));
    const spec = {...base, role: {mode: 'none' as const}, keyPair: {mode: 'none' as const}, storage: {...base.storage, kmsKey: 'alias/switched-off'}};
    const {cloud} = await testCloud(settings);
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId: newLaunchId(), onEvent});
    expect(result.status).toBe('rolled-back');
    expect(events).toContainEqual(expect.objectContaining({type: 'step-failed', code: 'KeyNotUsable', message: expect.stringContaining('Disabled')}));
    expect(events.some((event) => event.type === 'step-started' && event.action === 'RunInstances')).toBe(false);
  });
});
