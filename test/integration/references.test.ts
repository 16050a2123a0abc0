// checkReferences against moto through the real SDK: a profile reusing a VPC, subnet, security
// group, role and instance profile, KMS key, key pair and image finds them all; deleted ones are
// missing, a key scheduled for deletion has changed, and a denied call is unknown, never a crash.
// Then the headless launch of a saved profile: missing stops it with exit 2, changed warns.
import {PassThrough, Writable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {CreateKeyPairCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DeleteKeyPairCommand, DeleteSubnetCommand, DescribeImagesCommand} from '@aws-sdk/client-ec2';
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteInstanceProfileCommand, RemoveRoleFromInstanceProfileCommand} from '@aws-sdk/client-iam';
import {CreateKeyCommand, ScheduleKeyDeletionCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import {checkReferences} from '../../source/aws/references.js';
import {run as launchCommand} from '../../source/commands/launch.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {trustPolicy} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startDenyEndpoint} from './deny-endpoint.js';
import {tempDir} from './provision-support.js';
import {PUBLIC_WEB_SERVER_FLAGS} from '../support/launch-specs.js';

/** Everything a profile can reuse, created directly with the SDK. */
async function existingResources(aws: AwsClients) {
  const images = await aws.ec2.send(new DescribeImagesCommand({Owners: ['amazon']}));
  const imageId = images.Images?.find((image) => image.State === 'available')?.ImageId;
  if (!imageId) throw new Error('moto lists no available Amazon image to reference');
  const vpc = await aws.ec2.send(new CreateVpcCommand({CidrBlock: '10.60.0.0/16'}));
  const vpcId = vpc.Vpc!.VpcId!;
  const subnet = await aws.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.60.1.0/24'}));
  const group = await aws.ec2.send(new CreateSecurityGroupCommand({GroupName: 'kept-web', Description: 'kept', VpcId: vpcId}));
  await aws.iam.send(new CreateRoleCommand({RoleName: 'KeptRole', AssumeRolePolicyDocument: trustPolicy()}));
  await aws.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'KeptRole'}));
  await aws.iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: 'KeptRole', RoleName: 'KeptRole'}));
  const key = await aws.kms.send(new CreateKeyCommand({Description: 'kept ebs key'}));
  await aws.ec2.send(new CreateKeyPairCommand({KeyName: 'kept-key'}));
  return {imageId, vpcId, subnetId: subnet.Subnet!.SubnetId!, groupId: group.GroupId!, keyId: key.KeyMetadata!.KeyId!};
}

function reusingSpec(ids: Awaited<ReturnType<typeof existingResources>>): LaunchSpec {
  const base = defaultSpec('us-east-1');
  return {
    ...base,
    instance: {...base.instance, image: 'ami', amiId: ids.imageId},
    network: {vpc: ids.vpcId, subnet: ids.subnetId, publicIp: false},
    role: {mode: 'existing', name: 'KeptRole'},
    storage: {...base.storage, kmsKey: ids.keyId},
    securityGroup: {...base.securityGroup, mode: 'existing', groupId: ids.groupId},
    keyPair: {mode: 'existing', name: 'kept-key'},
  };
}

const byField = (results: Awaited<ReturnType<typeof checkReferences>>) => Object.fromEntries(results.map((result) => [`${result.kind} ${result.field}`, result.status]));

describe('checkReferences', () => {
  it('finds everything a profile reuses, then reports deletions as missing and a doomed key as changed', async () => {
    const aws = await makeClients(testSettings());
    const ids = await existingResources(aws);
    const spec = reusingSpec(ids);

    const fresh = await checkReferences(aws, spec);
    expect(fresh.map((result) => [result.kind, result.status, result.detail])).toEqual(fresh.map((result): unknown[] => [result.kind, 'ok', expect.any(String)]));
    expect(byField(fresh)).toEqual({
      'image instance.amiId': 'ok',
      'vpc network.vpc': 'ok',
      'subnet network.subnet': 'ok',
      'iam-role role.name': 'ok',
      'iam-instance-profile role.name': 'ok',
      'kms-key storage.kmsKey': 'ok',
      'security-group securityGroup.groupId': 'ok',
      'key-pair keyPair.name': 'ok',
    });

    await aws.ec2.send(new DeleteSubnetCommand({SubnetId: ids.subnetId}));
    await aws.ec2.send(new DeleteKeyPairCommand({KeyName: 'kept-key'}));
    await aws.iam.send(new RemoveRoleFromInstanceProfileCommand({InstanceProfileName: 'KeptRole', RoleName: 'KeptRole'}));
    await aws.iam.send(new DeleteInstanceProfileCommand({InstanceProfileName: 'KeptRole'}));
    // moto schedules deletion only by bare key id (a key ARN fails there, not on AWS).
    await aws.kms.send(new ScheduleKeyDeletionCommand({KeyId: ids.keyId, PendingWindowInDays: 7}));

    const later = await checkReferences(aws, spec);
    expect(byField(later)).toEqual({
      'image instance.amiId': 'ok',
      'vpc network.vpc': 'ok',
      'subnet network.subnet': 'missing',
      'iam-role role.name': 'ok',
      'iam-instance-profile role.name': 'missing',
      'kms-key storage.kmsKey': 'changed',
      'security-group securityGroup.groupId': 'ok',
      'key-pair keyPair.name': 'missing',
    });
    const detail = (kind: string) => later.find((result) => result.kind === kind)!.detail;
    expect(detail('subnet')).toContain(ids.subnetId);
    expect(detail('kms-key')).toMatch(/scheduled for deletion/);
    expect(detail('key-pair')).toContain('kept-key');
  });

  it('notices a subnet that is not in the VPC the profile names', async () => {
    const aws = await makeClients(testSettings());
    const ids = await existingResources(aws);
    const other = await aws.ec2.send(new CreateVpcCommand({CidrBlock: '10.61.0.0/16'}));
    const spec = reusingSpec({...ids, vpcId: other.Vpc!.VpcId!});
    const subnet = (await checkReferences(aws, spec)).find((result) => result.kind === 'subnet')!;
    expect(subnet.status).toBe('changed');
    expect(subnet.detail).toContain(ids.vpcId);
  });

  it('an existing role without an instance profile: says it has none, and what to run, never "no longer exists"', async () => {
    const aws = await makeClients(testSettings());
    const ids = await existingResources(aws);
    await aws.iam.send(new CreateRoleCommand({RoleName: 'BareRole', AssumeRolePolicyDocument: trustPolicy()}));
    const spec = {...reusingSpec(ids), role: {mode: 'existing' as const, name: 'BareRole'}};
    const profile = (await checkReferences(aws, spec)).find((result) => result.kind === 'iam-instance-profile')!;
    expect(profile.status).toBe('missing');
    expect(profile.detail).not.toMatch(/no longer exists/);
    expect(profile.detail).toMatch(/^role BareRole has no instance profile, so EC2 cannot use it; tandem creates one only for a role it creates/);
    expect(profile.detail).toContain(
      'aws iam create-instance-profile --instance-profile-name BareRole && aws iam add-role-to-instance-profile --instance-profile-name BareRole --role-name BareRole',
    );

    // A role whose profile has another name: point at it.
    await aws.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'bare-profile'}));
    await aws.iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: 'bare-profile', RoleName: 'BareRole'}));
    const named = (await checkReferences(aws, spec)).find((result) => result.kind === 'iam-instance-profile')!;
    expect(named.detail).toBe(
      'role BareRole has no instance profile named BareRole; it is in bare-profile. tandem uses the profile named after the role, so set role.instanceProfile: bare-profile',
    );
  });

  it('a KMS key ARN from another region is refused with the region named, not "no longer exists"', async () => {
    const aws = await makeClients(testSettings());
    const ids = await existingResources(aws);
    const arn = `arn:aws:kms:eu-west-1:123456789012:key/${ids.keyId}`;
    const spec = {...reusingSpec(ids), storage: {...reusingSpec(ids).storage, kmsKey: arn}};
    const key = (await checkReferences(aws, spec)).find((result) => result.kind === 'kms-key')!;
    expect(key.status).toBe('missing');
    expect(key.detail).toMatch(/is in eu-west-1, but this launch is in us-east-1; EBS only encrypts with a key in the volume's own region/);
  });

  it('a spec that reuses nothing needs no calls', async () => {
    const aws = await makeClients(testSettings());
    expect(await checkReferences(aws, defaultSpec('us-east-1'))).toEqual([]);
  });

  it('denied calls are unknown with the reason, never a crash', async () => {
    const deny = await startDenyEndpoint();
    try {
      const aws = await makeClients(testSettings({endpointUrl: deny.url}));
      const spec = reusingSpec({imageId: 'ami-12345678', vpcId: 'vpc-1', subnetId: 'subnet-1', groupId: 'sg-1', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab'});
      const results = await checkReferences(aws, spec);
      expect(results).toHaveLength(8);
      for (const result of results) {
        expect(result.status, `${result.kind}: ${result.detail}`).toBe('unknown');
        expect(result.detail).toMatch(/denied \((UnauthorizedOperation|AccessDenied|AccessDeniedException)\)/);
      }
      expect(results.find((result) => result.kind === 'subnet')!.detail).toContain('ec2:DescribeSubnets');
    } finally {
      await deny.close();
    }
  });

  it('is on the Cloud port of the real adapter', async () => {
    const cloud = await createCloud(testSettings(), tempDir('tandem-home-'));
    const spec = {...defaultSpec('us-east-1'), keyPair: {mode: 'existing' as const, name: 'never-made'}};
    expect(await cloud.checkReferences?.(spec)).toEqual([expect.objectContaining({kind: 'key-pair', id: 'never-made', field: 'keyPair.name', status: 'missing'})]);
  });
});

// `tandem launch PROFILE --yes` through the launch command, credentials from the standard chain
// (env) and moto's default account, as headless.test.ts runs it.
describe('tandem launch PROFILE --yes checks the references first', () => {
  class Capture extends Writable {
    text = '';
    override _write(chunk: Buffer, _encoding: string, callback: () => void) {
      this.text += chunk.toString();
      callback();
    }
  }

  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });
  afterEach(() => vi.unstubAllEnvs());

  async function launchProfile(spec: LaunchSpec, flags: Partial<GlobalFlags>) {
    const env = {TANDEM_HOME: tempDir('tandem-home-')};
    openProfileStore({env}).save('replay', spec);
    const stdout = new Capture();
    const stderr = new Capture();
    const context: CommandContext = {
      args: ['replay'],
      // The public web server's high risks, accepted as its operator would; these tests are about references.
      flags: {color: false, yes: true, dryRun: false, force: false, keep: false, endpointUrl: motoEndpoint(), acceptRisk: PUBLIC_WEB_SERVER_FLAGS, ...flags},
      io: {stdin: new PassThrough(), stdout, stderr, env},
    };
    const code = await launchCommand(context);
    const events = stdout.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as {type: string; results?: Array<{field: string; status: string}>});
    return {code, events, stderr: stderr.text};
  }

  const defaultAccount = () => makeClients({region: 'us-east-1', endpointUrl: motoEndpoint(), maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}});

  it('a profile whose subnet was deleted exits 2 naming network.subnet, before creating anything', async () => {
    const aws = await defaultAccount();
    const vpc = await aws.ec2.send(new CreateVpcCommand({CidrBlock: '10.62.0.0/16'}));
    const vpcId = vpc.Vpc!.VpcId!;
    const subnet = await aws.ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.62.1.0/24'}));
    const subnetId = subnet.Subnet!.SubnetId!;
    await aws.ec2.send(new DeleteSubnetCommand({SubnetId: subnetId}));
    const spec: LaunchSpec = {...defaultSpec('us-east-1'), network: {vpc: vpcId, subnet: subnetId, publicIp: true}};

    const run = await launchProfile(spec, {output: 'json'});
    expect(run.code, run.stderr).toBe(2);
    // The references, then the whole pre-flight pass, and nothing else: no launch started.
    expect(run.events.map((event) => event.type)).toEqual(['references', 'preflight']);
    expect(run.events[0].results!.map((result) => [result.field, result.status])).toEqual([
      ['network.vpc', 'ok'],
      ['network.subnet', 'missing'],
    ]);
    const problems = run.stderr.split('\n').filter((line) => line.startsWith('tandem launch: network.'));
    expect(problems).toEqual([expect.stringContaining(`network.subnet: ${subnetId}:`)]);

    const text = await launchProfile(spec, {});
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`tandem launch: network.subnet: ${subnetId}: subnet ${subnetId} no longer exists`);
  });

  it('a reused key scheduled for deletion stops the launch: the dry run lists it as would fail', async () => {
    const aws = await defaultAccount();
    const key = await aws.kms.send(new CreateKeyCommand({Description: 'soon gone'}));
    const keyId = key.KeyMetadata!.KeyId!;
    await aws.kms.send(new ScheduleKeyDeletionCommand({KeyId: keyId, PendingWindowInDays: 7}));
    const base = defaultSpec('us-east-1');
    const spec: LaunchSpec = {...base, storage: {...base.storage, kmsKey: keyId}};

    const run = await launchProfile(spec, {dryRun: true, yes: false, output: 'json'});
    expect(run.code).toBe(1);
    expect(run.events[0]).toMatchObject({type: 'references', results: [{field: 'storage.kmsKey', status: 'changed'}]});
    expect(run.events).toContainEqual(
      expect.objectContaining({type: 'dry-run', stepId: 'pre-flight', action: 'kms-key-usable', outcome: 'would-fail', detail: expect.stringContaining('PendingDeletion')}),
    );
    expect(run.events.map((event) => event.type)).toContain('dry-run-summary');

    const launched = await launchProfile(spec, {});
    expect(launched.code).toBe(2);
    expect(launched.stderr).toContain(`tandem launch: storage.kmsKey: KMS key ${keyId} is PendingDeletion`);
  });
});
