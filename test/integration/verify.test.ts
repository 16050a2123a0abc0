// Verification against moto through the real SDK. A launch is made with direct SDK calls that
// match a spec (launch-fixture.ts), its LaunchRecord is written by hand, and verifyLaunch must pass
// every checkable control; then the launch is changed behind tandem's back and the matching rows
// must fail.
import {chmodSync} from 'node:fs';
import {beforeAll, describe, expect, it} from 'vitest';
import {AuthorizeSecurityGroupIngressCommand, ModifyInstanceMetadataOptionsCommand, RevokeSecurityGroupIngressCommand, TerminateInstancesCommand} from '@aws-sdk/client-ec2';
import {AttachRolePolicyCommand, CreatePolicyCommand, DetachRolePolicyCommand, UpdateAssumeRolePolicyCommand} from '@aws-sdk/client-iam';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {verifyLaunch} from '../../source/aws/verifier.js';
import {InstanceGone, type VerificationResult} from '../../source/domain/cloud.js';
import {defaultSpec} from '../../source/domain/spec.js';
import type {LaunchRecord} from '../../source/store/journal-types.js';
import {testSettings} from '../support/aws.js';
import {BUCKET, createLaunchFixture, type LaunchFixture} from './launch-fixture.js';

let clients: AwsClients;
let fixture: LaunchFixture;
let imageId: string;

const byControl = (results: VerificationResult[], control: string) => results.filter((row) => row.control === control);
const row = (results: VerificationResult[], control: string) => byControl(results, control)[0];
const failing = (results: VerificationResult[]) => results.filter((r) => r.status === 'fail').map((r) => r.control);

beforeAll(async () => {
  clients = await makeClients(testSettings());
  fixture = await createLaunchFixture(clients);
  imageId = fixture.imageId;
});

const launch: LaunchFixture['launch'] = (label, change) => fixture.launch(label, change);

const CHECKABLE = [
  'ami-provenance',
  'instance-type',
  'subnet-routing',
  'public-ip',
  'iam-instance-role',
  'tenancy',
  'ebs-encryption',
  'kms-key',
  'security-group-rules',
  'key-pair',
  'imds-v2',
];

describe('verifyLaunch', () => {
  it('passes a launch that matches its spec, then catches drift behind its back', async () => {
    const record = await launch('full', (spec) => {
      spec.role = {mode: 'create', name: 'verify-web-role', bucket: BUCKET, access: 'read'};
      spec.storage.kmsKey = 'new';
      spec.keyPair = {mode: 'create', name: 'verify-key', type: 'ed25519'};
    });
    const results = await verifyLaunch(clients, record);

    expect(failing(results)).toEqual([]);
    for (const control of CHECKABLE) {
      expect(byControl(results, control).length, control).toBeGreaterThan(0);
    }
    for (const control of CHECKABLE.filter((id) => id !== 'ebs-encryption')) {
      expect(row(results, control).status, control).toBe('pass');
    }
    // The volume row passes; the account-default setting (EC2.7) is a row of its own, for information.
    expect(byControl(results, 'ebs-encryption').map((r) => r.status)).toEqual(['pass']);
    expect(byControl(results, 'ebs-default-encryption')).toHaveLength(1);
    expect(row(results, 'ebs-default-encryption')).toMatchObject({status: 'info', title: 'EBS encryption by default (account)'});
    expect(row(results, 'ebs-default-encryption').checkers).toEqual(['Security Hub EC2.7', 'Prowler ec2_ebs_default_encryption']);
    // moto's account default is off, so both checkers would fail the account setting, which no finding covers.
    expect(row(results, 'ebs-default-encryption').checkerVerdicts.map((v) => [v.id, v.verdict, v.accepted])).toEqual([
      ['EC2.7', 'fail', null],
      ['ec2_ebs_default_encryption', 'fail', null],
    ]);
    // Each checker judges the very resource: the instance, its volume, its group, the new key.
    const verdictOf = (control: string, id: string) => row(results, control).checkerVerdicts.find((v) => v.id === id);
    expect(verdictOf('public-ip', 'EC2.9')).toEqual({tool: 'Security Hub', id: 'EC2.9', verdict: 'fail', resource: record.resolved.instanceId, accepted: null});
    expect(verdictOf('ebs-encryption', 'EC2.3')).toMatchObject({verdict: 'pass', resource: expect.stringMatching(/^vol-/)});
    expect(verdictOf('security-group-rules', 'EC2.13')).toMatchObject({verdict: 'pass', resource: record.resolved.securityGroupId});
    expect(verdictOf('kms-key', 'KMS.4')).toMatchObject({verdict: 'pass'});
    expect(verdictOf('iam-instance-role', 'iam_inline_policy_no_administrative_privileges')).toMatchObject({verdict: 'pass'});
    expect(verdictOf('iam-instance-role', 'ec2_instance_internet_facing_with_instance_profile')).toMatchObject({verdict: 'fail'});
    expect(verdictOf('imds-v2', 'CKV_AWS_79')).toMatchObject({verdict: 'pass', resource: 'AWS::EC2::LaunchTemplate.LaunchTemplate'});
    for (const control of ['hypervisor-isolation', 'media-sanitization', 'vpc-isolation', 'os-patching']) {
      expect(row(results, control)).toMatchObject({status: 'info', actual: expect.stringContaining('not checkable by API')});
    }
    expect(row(results, 'hypervisor-isolation').owner).toBe('AWS');
    expect(row(results, 'instance-type').owner).toBe('Customer');
    expect(row(results, 'imds-v2')).toMatchObject({owner: 'AWS/Customer', checkers: ['Security Hub EC2.8', 'Prowler ec2_instance_imdsv2_enabled', 'Checkov CKV_AWS_79']});
    expect(row(results, 'ami-provenance').actual).toContain('amazon');
    expect(row(results, 'key-pair').actual).toContain('mode 0600');
    // Tenancy passes only because the spec asked for default: moto ignores tenancy and always
    // reports 'default', so nothing is claimed here about dedicated hardware.
    expect(row(results, 'tenancy').actual).toBe('default');

    // Someone opens MySQL to the world.
    const groupId = record.resolved.securityGroupId!;
    const mysql = [{IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, IpRanges: [{CidrIp: '0.0.0.0/0'}]}];
    await clients.ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: groupId, IpPermissions: mysql}));
    let drifted = await verifyLaunch(clients, record);
    expect(failing(drifted)).toEqual(['security-group-rules']);
    expect(row(drifted, 'security-group-rules').actual).toContain('extra: tcp/3306 from 0.0.0.0/0');
    expect(row(drifted, 'security-group-rules').actual).toContain('port 3306 open to the internet (EC2.19)');
    await clients.ec2.send(new RevokeSecurityGroupIngressCommand({GroupId: groupId, IpPermissions: mysql}));

    // IMDSv1 switched back on.
    await clients.ec2.send(new ModifyInstanceMetadataOptionsCommand({InstanceId: record.resolved.instanceId!, HttpTokens: 'optional'}));
    drifted = await verifyLaunch(clients, record);
    expect(failing(drifted)).toEqual(['imds-v2']);
    expect(row(drifted, 'imds-v2').actual).toContain('HttpTokens optional');

    // A customer policy with a service wildcard (IAM.21) attached to the role.
    const policy = await clients.iam.send(
      new CreatePolicyCommand({
        PolicyName: 'too-broad',
        PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]}),
      }),
    );
    await clients.iam.send(new AttachRolePolicyCommand({RoleName: 'verify-web-role', PolicyArn: policy.Policy!.Arn!}));
    drifted = await verifyLaunch(clients, record);
    expect(failing(drifted)).toEqual(['iam-instance-role', 'imds-v2']);
    expect(row(drifted, 'iam-instance-role').actual).toContain('managed:too-broad grants Action "s3:*"');
    await clients.iam.send(new DetachRolePolicyCommand({RoleName: 'verify-web-role', PolicyArn: policy.Policy!.Arn!}));

    // Someone rewrites the role's trust policy: EC2 can no longer assume it, so the instance gets
    // no credentials although the profile is still attached.
    const roleTrust = (service: string) => JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}]});
    await clients.iam.send(new UpdateAssumeRolePolicyCommand({RoleName: 'verify-web-role', PolicyDocument: roleTrust('lambda.amazonaws.com')}));
    drifted = await verifyLaunch(clients, record);
    expect(failing(drifted)).toEqual(['iam-instance-role', 'imds-v2']);
    expect(row(drifted, 'iam-instance-role').actual).toContain('its trust policy does NOT let EC2 (ec2.amazonaws.com) assume it');
    await clients.iam.send(new UpdateAssumeRolePolicyCommand({RoleName: 'verify-web-role', PolicyDocument: roleTrust('ec2.amazonaws.com')}));
    expect(row(await verifyLaunch(clients, record), 'iam-instance-role').actual).toContain('EC2 may assume it');

    // The private key file becomes readable by others.
    chmodSync(record.resolved.keyPath!, 0o644);
    drifted = await verifyLaunch(clients, record);
    expect(failing(drifted)).toEqual(['key-pair', 'imds-v2']);
    expect(row(drifted, 'key-pair').actual).toContain('mode 0644');

    // The instance is terminated: verification stops with one clear reason instead of a failing
    // row per control that would each say the same.
    await clients.ec2.send(new TerminateInstancesCommand({InstanceIds: [record.resolved.instanceId!]}));
    const gone = await verifyLaunch(clients, record).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(InstanceGone);
    expect((gone as InstanceGone).message).toMatch(/^instance i-\S+ is (terminated|shutting-down)$/);
  });

  it('checks the AWS managed key and a launch without role or key pair', async () => {
    const record = await launch('plain', (spec) => {
      spec.securityGroup.ssh = false;
    });
    const results = await verifyLaunch(clients, record);
    expect(failing(results)).toEqual([]);
    expect(row(results, 'iam-instance-role')).toMatchObject({status: 'pass', actual: 'no instance profile'});
    expect(row(results, 'key-pair')).toMatchObject({status: 'pass', actual: 'no key pair'});
    expect(row(results, 'kms-key').status).toBe('info');
    expect(row(results, 'ebs-encryption').expected).toContain('aws/ebs');
    expect(row(results, 'security-group-rules').actual).toBe('tcp/80 from 0.0.0.0/0');
  });

  it('checks alias/aws/ebs as the AWS managed key: no rotation is expected of it', async () => {
    const record = await launch('alias-ebs', (spec) => {
      spec.securityGroup.ssh = false;
      spec.storage.kmsKey = 'alias/aws/ebs';
    });
    const results = await verifyLaunch(clients, record);
    expect(failing(results)).toEqual([]);
    expect(row(results, 'kms-key')).toMatchObject({status: 'info', expected: expect.stringContaining('AWS managed key aws/ebs')});
    expect(row(results, 'ebs-encryption').expected).toContain('every volume encrypted with aws/ebs');
  });

  it('fails world-open SSH unless the risk was accepted', async () => {
    const record = await launch('world', (spec) => {
      spec.securityGroup.ssh = '0.0.0.0/0';
    });
    let results = await verifyLaunch(clients, record);
    expect(failing(results)).toEqual(['security-group-rules']);
    expect(row(results, 'security-group-rules').actual).toContain('port 22 open to the internet (EC2.13)');

    record.spec.acceptedRisks = [{finding: 'ssh-open-to-internet', reason: 'lab box, torn down tonight'}];
    results = await verifyLaunch(clients, record);
    expect(failing(results)).toEqual([]);
  });

  it('names world-open SSH and its accepted risk instead of saying nothing risky is open', async () => {
    const record = await launch('accepted', (spec) => {
      spec.securityGroup.ssh = '0.0.0.0/0';
      spec.acceptedRisks = [{finding: 'ssh-open-to-internet', reason: 'lab box, torn down tonight'}];
    });
    const rules = row(await verifyLaunch(clients, record), 'security-group-rules');
    expect(rules.status).toBe('pass');
    expect(rules.expected).not.toContain('nothing risky');
    expect(rules.expected).toContain('port 22 open to the internet (EC2.13), accepted risk ssh-open-to-internet');
    expect(rules.actual).toContain('tcp/22 from 0.0.0.0/0');
    expect(rules.actual).toContain('port 22 open to the internet (EC2.13), accepted risk ssh-open-to-internet');
  });

  it('stops with InstanceGone when the recorded instance does not exist', async () => {
    const spec = defaultSpec();
    const record: LaunchRecord = {
      launchId: 'l-20260101t000000-abcdef',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      region: 'us-east-1',
      spec,
      status: 'launched',
      resources: [],
      resolved: {instanceId: 'i-0123456789abcdef0', imageId, securityGroupId: 'sg-0123456789abcdef0'},
    };
    await expect(verifyLaunch(clients, record)).rejects.toThrow(new InstanceGone('i-0123456789abcdef0', 'not found'));
  });
});
