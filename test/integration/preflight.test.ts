// Pre-flight against the local endpoint: `tandem launch PROFILE --yes` refuses with exit 2 and
// nothing created (the fault proxy counts every call that would create or change something) for
// each check's case; the default launch runs twice; --dry-run lists a taken name as would fail.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import {AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, ListAttachedRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand} from '@aws-sdk/client-iam';
import {CreateAliasCommand, CreateKeyCommand, DisableKeyCommand} from '@aws-sdk/client-kms';
import {describe, expect, it} from 'vitest';
import {createCloud} from '../../source/aws/index.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {freshAccounts, type Account} from './preflight-support.js';
import {tempDir} from './provision-support.js';
import {PUBLIC_WEB_SERVER_FLAGS} from '../support/launch-specs.js';

const account = freshAccounts();

/** Launches `yaml` with --yes and expects pre-flight to refuse with exit 2 before any create call. */
async function refused(acct: Account, yaml: string, field: string, flags = {}) {
  const since = acct.proxy.requests.length;
  const run = await acct.launch([acct.profile(yaml)], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS, ...flags});
  expect(run.code, run.stderr).toBe(2);
  expect(acct.creates(since)).toEqual([]);
  expect(run.stderr).toContain(`tandem launch: ${field}: `);
  expect(run.stderr).toContain('nothing was created');
  return run;
}

describe('the default launch, run twice', () => {
  it('both succeed: the second proposes free names instead of clashing', async () => {
    const acct = await account();
    const file = acct.profile('version: 1\n');
    const first = await acct.launch([file], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
    expect(first.code, first.stderr).toBe(0);
    // Medium and low findings are said on stderr and the launch goes on.
    expect(first.stderr).toContain('warning: low risk http-open-to-internet');
    const second = await acct.launch([file], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('securityGroup.name web-sg is taken; using web-sg-2');
  });

  it('new names for every created resource: role and its instance profile, alias, key pair (its path follows)', async () => {
    const acct = await account();
    const yaml = 'version: 1\nrole: {mode: create, bucket: my-site-assets}\nstorage: {kmsKey: new}\n';
    const first = await acct.launch([acct.profile(yaml)], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
    expect(first.code, first.stderr).toBe(0);
    const second = await acct.launch([acct.profile(yaml)], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('role.name EC2AccessToS3Role is taken; using EC2AccessToS3Role-2');
    expect(second.stderr).toContain('storage.kmsAlias alias/tandem-web-1 is taken; using alias/tandem-web-1-2');

    // A profile names its key pair itself; the wizard proposes one, and the key file follows it.
    await acct.clients.ec2.send(new CreateKeyPairCommand({KeyName: 'web-key'}));
    const cloud = await createCloud({region: 'us-east-1', endpointUrl: acct.proxy.endpoint, maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}}, acct.home);
    const base = defaultSpec('us-east-1');
    const spec = {...base, keyPair: {mode: 'create' as const, name: 'web-key', type: 'ed25519' as const, path: '~/.ssh/web-key.pem'}};
    const proposed = await cloud.proposeNames(spec, ['keyPair.name', 'securityGroup.name']);
    expect(proposed.keyPair).toMatchObject({name: 'web-2-key', path: '~/.ssh/web-2-key.pem'});
    expect(proposed.securityGroup.name).toBe('web-sg-3');
  });
});

describe('two launches started together', () => {
  it('both succeed, with different security group and role names, when both proposed the same free ones', async () => {
    const acct = await account();
    await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'web-sg', Description: 'x'}));
    await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'web-sg-2', Description: 'x'}));
    // Each create is held a little, so both launches have proposed web-sg-3 before either lands.
    acct.proxy.add({action: 'CreateSecurityGroup', kind: 'delay', delayMs: 1500});
    // The default profile: both also propose the same Session Manager role and instance profile.
    const file = acct.profile('version: 1\n');
    try {
      const [first, second] = await Promise.all([
        acct.launch([file], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS}),
        acct.launch([file], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS}),
      ]);
      expect(first.code, first.stderr).toBe(0);
      expect(second.code, second.stderr).toBe(0);
      expect(first.stderr).toContain('securityGroup.name web-sg is taken; using web-sg-3');
      expect(second.stderr).toContain('securityGroup.name web-sg is taken; using web-sg-3');
      expect(`${first.stderr}${second.stderr}`).toContain('security group name web-sg-3 was taken meanwhile; trying web-sg-4');
    } finally {
      acct.proxy.clear();
    }
    const groups = (await acct.clients.ec2.send(new DescribeSecurityGroupsCommand({Filters: [{Name: 'group-name', Values: ['web-sg-*']}]}))).SecurityGroups!;
    expect(groups.map((group) => group.GroupName).sort()).toEqual(['web-sg-2', 'web-sg-3', 'web-sg-4']);
    const roles = (await acct.clients.iam.send(new ListRolesCommand({}))).Roles!.map((role) => role.RoleName).filter((name) => name?.startsWith('tandem-ssm-'));
    expect(roles.sort()).toEqual(['tandem-ssm-web-1', 'tandem-ssm-web-1-2']);
  });
});

describe('pre-flight reads the endpoint does not answer', () => {
  it('a reused key pair that cannot be looked up (HTTP 500) is an error before any create (exit 1), not a warning', async () => {
    const acct = await account();
    await acct.clients.ec2.send(new CreateKeyPairCommand({KeyName: 'kept-key'}));
    acct.proxy.add({action: 'DescribeKeyPairs', kind: 'server-error'});
    const since = acct.proxy.requests.length;
    try {
      const run = await acct.launch([acct.profile('version: 1\nkeyPair: {mode: existing, name: kept-key}\n')], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('keyPair.name: not checked: kept-key: InternalError');
      expect(run.stderr).not.toMatch(/warning: keyPair\.name/);
      expect(run.stderr).toContain('nothing was created');
    } finally {
      acct.proxy.clear();
    }
    expect(acct.creates(since)).toEqual([]);
  });
});

describe('pre-flight refuses before anything is created', () => {
  it('a taken security group, role, instance profile, key pair, alias and key file, each named by its field', async () => {
    const acct = await account();
    const {ec2, iam, kms} = acct.clients;
    await ec2.send(new CreateSecurityGroupCommand({GroupName: 'taken-sg', Description: 'x'}));
    await iam.send(new CreateRoleCommand({RoleName: 'TakenRole', AssumeRolePolicyDocument: '{}'}));
    await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'TakenProfile'}));
    await ec2.send(new CreateKeyPairCommand({KeyName: 'taken-key'}));
    const key = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({AliasName: 'alias/taken', TargetKeyId: key.KeyMetadata!.KeyId}));
    const keyFile = path.join(tempDir('tandem-keys-'), 'there.pem');
    writeFileSync(keyFile, 'not a key');

    await refused(acct, 'version: 1\nsecurityGroup: {name: taken-sg}\n', 'securityGroup.name');
    const role = await refused(acct, 'version: 1\nrole: {mode: create, name: TakenRole, bucket: my-site-assets}\n', 'role.name');
    expect(role.stderr).toContain('role TakenRole already exists');
    await refused(acct, 'version: 1\nrole: {mode: create, name: TakenProfile, bucket: my-site-assets}\n', 'role.name');
    await refused(acct, `version: 1\nkeyPair: {mode: create, name: taken-key, path: ${path.join(path.dirname(keyFile), 'new.pem')}}\n`, 'keyPair.name');
    await refused(acct, 'version: 1\nstorage: {kmsKey: new, kmsAlias: alias/taken}\n', 'storage.kmsAlias');
    const file = await refused(acct, `version: 1\nkeyPair: {mode: create, name: fresh-key, path: ${keyFile}}\n`, 'keyPair.path');
    expect(file.stderr).toContain('already exists');
  });

  it("an instance type the subnet's zone does not offer, and one that does not match the image", async () => {
    const acct = await account();
    const subnets = (await acct.clients.ec2.send(new DescribeSubnetsCommand({Filters: [{Name: 'default-for-az', Values: ['true']}]}))).Subnets!;
    // moto, like AWS, does not offer t3.micro in us-east-1e.
    const zoneE = subnets.find((subnet) => subnet.AvailabilityZone === 'us-east-1e')!;
    const offered = await refused(acct, `version: 1\nnetwork: {subnet: ${zoneE.SubnetId}}\n`, 'instance.type');
    expect(offered.stderr).toContain('t3.micro is not offered in us-east-1e');

    const images = (await acct.clients.ec2.send(new DescribeImagesCommand({Filters: [{Name: 'architecture', Values: ['arm64']}]}))).Images!;
    const arm = images[0].ImageId!;
    const arch = await refused(acct, `version: 1\ninstance: {image: ami, amiId: ${arm}, type: t3.micro}\n`, 'instance.type');
    expect(arch.stderr).toContain('but the image is arm64');
  });

  it('an instance type that does not exist is said to not exist, not to be "not offered" somewhere', async () => {
    const acct = await account();
    // moto, like AWS, answers DescribeInstanceTypes for an unknown type with InvalidInstanceType.
    const run = await refused(acct, 'version: 1\ninstance: {type: t3.mega}\n', 'instance.type');
    expect(run.stderr).toContain('instance.type: t3.mega is not an EC2 instance type');
    expect(run.stderr).not.toMatch(/t3\.mega is not offered/);
  });

  it('a disabled KMS key, a role EC2 may not assume, a subnet of another VPC', async () => {
    const acct = await account();
    const {ec2, iam, kms} = acct.clients;
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new DisableKeyCommand({KeyId: key}));
    const kmsRun = await refused(acct, `version: 1\nstorage: {kmsKey: ${key}}\n`, 'storage.kmsKey');
    expect(kmsRun.stderr).toContain('is Disabled');

    const lambdaTrust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
    await iam.send(new CreateRoleCommand({RoleName: 'LambdaOnly', AssumeRolePolicyDocument: lambdaTrust}));
    await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'LambdaOnly'}));
    const trust = await refused(acct, 'version: 1\nrole: {mode: existing, name: LambdaOnly}\n', 'role.name');
    expect(trust.stderr).toContain('does not let EC2');

    const vpcA = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.70.0.0/16'}))).Vpc!.VpcId!;
    const vpcB = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.71.0.0/16'}))).Vpc!.VpcId!;
    const subnetB = (await ec2.send(new CreateSubnetCommand({VpcId: vpcB, CidrBlock: '10.71.1.0/24'}))).Subnet!.SubnetId!;
    const other = await refused(acct, `version: 1\nnetwork: {vpc: ${vpcA}, subnet: ${subnetB}}\n`, 'network.subnet');
    expect(other.stderr).toContain(`subnet ${subnetB} is in ${vpcB}, not in ${vpcA}`);
    expect(other.stderr).not.toContain('UnresolvedRef');
  });

  it('Session Manager with an existing role: says what the role lacks, never changes it, and accepts the same actions granted inline', async () => {
    const acct = await account();
    const {iam} = acct.clients;
    const ec2Trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
    for (const name of ['BareRole', 'ManagedRole', 'InlineRole']) {
      await iam.send(new CreateRoleCommand({RoleName: name, AssumeRolePolicyDocument: ec2Trust}));
      await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: name}));
    }
    const bare = await refused(acct, 'version: 1\nrole: {mode: existing, name: BareRole}\n', 'role.name');
    expect(bare.stderr).toContain('role BareRole does not let Session Manager in: it lacks AmazonSSMManagedInstanceCore');
    expect(bare.stderr).toContain('ssm:UpdateInstanceInformation');
    expect(bare.stderr).toContain('tandem never changes a role it did not create');
    // Pre-flight only read the role: nothing was attached to it.
    expect((await iam.send(new ListAttachedRolePoliciesCommand({RoleName: 'BareRole'}))).AttachedPolicies).toEqual([]);

    await iam.send(new AttachRolePolicyCommand({RoleName: 'ManagedRole', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'}));
    const sessionActions = {
      Version: '2012-10-17',
      Statement: [
        {Effect: 'Allow', Action: ['ssm:UpdateInstanceInformation'], Resource: '*'},
        {Effect: 'Allow', Action: 'ssmmessages:*', Resource: '*'},
      ],
    };
    await iam.send(new PutRolePolicyCommand({RoleName: 'InlineRole', PolicyName: 'session', PolicyDocument: JSON.stringify(sessionActions)}));
    const cloud = await createCloud({region: 'us-east-1', endpointUrl: acct.proxy.endpoint, maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}}, acct.home);
    for (const [name, detail] of [
      ['ManagedRole', 'role ManagedRole carries AmazonSSMManagedInstanceCore'],
      ['InlineRole', 'role InlineRole grants what Session Manager needs'],
    ] as const) {
      const report = await cloud.preflight({...defaultSpec('us-east-1'), role: {mode: 'existing', name}});
      const row = report.results.find((result) => result.check === 'role-session-manager');
      expect(row, name).toMatchObject({status: 'ok'});
      expect(row!.detail).toContain(detail);
    }
  });

  it('a public IP or the httpd install in a subnet with no route out', async () => {
    const acct = await account();
    const {ec2} = acct.clients;
    const vpc = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.72.0.0/16'}))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({VpcId: vpc, CidrBlock: '10.72.1.0/24', AvailabilityZone: 'us-east-1a'}))).Subnet!.SubnetId!;
    const publicIp = await refused(acct, `version: 1\nnetwork: {vpc: ${vpc}, subnet: ${subnet}, publicIp: true}\n`, 'network.publicIp');
    expect(publicIp.stderr).toContain('no route to an internet gateway');
    const httpd = await refused(acct, `version: 1\nnetwork: {vpc: ${vpc}, subnet: ${subnet}, publicIp: false}\n`, 'instance.userData');
    expect(httpd.stderr).toContain('package repositories');
  });

  it('a subnet with no free addresses, and a type Dedicated Hosts do not take', async () => {
    const acct = await account();
    acct.proxy.add({
      action: 'DescribeSubnets',
      kind: 'rewrite-body',
      replace: [['<availableIpAddressCount>4091</availableIpAddressCount>', '<availableIpAddressCount>0</availableIpAddressCount>']],
    });
    const full = await refused(acct, 'version: 1\n', 'network.subnet');
    expect(full.stderr).toContain('no free IP addresses');
    acct.proxy.clear();
    acct.proxy.add({
      action: 'DescribeInstanceTypes',
      kind: 'rewrite-body',
      replace: [['<dedicatedHostsSupported>true</dedicatedHostsSupported>', '<dedicatedHostsSupported>false</dedicatedHostsSupported>']],
    });
    const host = await refused(acct, 'version: 1\ninstance: {tenancy: host}\nacceptedRisks: [{finding: dedicated-tenancy-cost, reason: test}]\n', 'instance.tenancy');
    expect(host.stderr).toContain('cannot be placed on a Dedicated Host');
  });

  it('a check the caller may not make says "not checked: denied" and does not guess', async () => {
    const acct = await account();
    acct.proxy.add({action: 'DescribeInstanceTypeOfferings', kind: 'unauthorized'});
    const run = await acct.launch([acct.profile('version: 1\n')], {dryRun: true});
    expect(run.stderr).toContain('warning: instance.type: not checked: denied (ec2:DescribeInstanceTypeOfferings)');
  });
});

describe('tandem launch --dry-run', () => {
  it('lists a taken name as would fail and exits non-zero', async () => {
    const acct = await account();
    await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'web-sg', Description: 'already here'}));
    const since = acct.proxy.requests.length;
    const run = await acct.launch([acct.profile('version: 1\nsecurityGroup: {name: web-sg}\n')], {dryRun: true});
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/pre-flight\s+security-group-name\s+would fail\s+securityGroup\.name: web-sg: security group sg-\S+ in vpc-\S+ is already named web-sg/);
    expect(acct.creates(since)).toEqual([]);
  });
});
