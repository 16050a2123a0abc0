// What verification expects, as each control module says it before anything is read from AWS.
import {describe, expect, it} from 'vitest';
import {imageExpectation} from '../../../source/domain/controls/image.js';
import {instanceTypeExpectation} from '../../../source/domain/controls/instance-type.js';
import {keyPairExpectation} from '../../../source/domain/controls/key-pair.js';
import {metadataExpectation} from '../../../source/domain/controls/metadata.js';
import {publicIpExpectation, routingExpectation} from '../../../source/domain/controls/network.js';
import {roleExpectation} from '../../../source/domain/controls/role.js';
import {tenancyExpectation} from '../../../source/domain/controls/tenancy.js';
import {keyExpectation} from '../../../source/domain/controls/storage.js';
import {judgeSecurityGroup, securityGroupExpectation} from '../../../source/domain/controls/security-group.js';
import {judgeSessionManager, sessionManagerExpectation} from '../../../source/domain/controls/ways-in.js';
import {defaultSpec} from '../../../source/domain/spec.js';

describe('verification expectations', () => {
  it('the metadata control expects IMDSv2, and IMDSv1 only as an accepted risk', () => {
    expect(metadataExpectation(defaultSpec())).toEqual({expected: 'HttpTokens required, hop limit 1', httpTokens: 'required', hopLimit: 1});
    const optional = {...defaultSpec(), instance: {...defaultSpec().instance, imds: 'optional' as const}};
    expect(metadataExpectation(optional)).toMatchObject({expected: 'HttpTokens optional, hop limit 1 (accepted risk imdsv1-allowed)', needsAccepted: 'imdsv1-allowed'});
  });

  it('the network control judges MapPublicIpOnLaunch only on subnets tandem creates', () => {
    expect(publicIpExpectation(defaultSpec())).toEqual({expected: 'a public IPv4 address', publicIp: true, subnetMustNotMap: false});
    const created = {...defaultSpec(), network: {vpc: 'new', subnet: 'private', publicIp: false}};
    expect(publicIpExpectation(created)).toEqual({expected: 'no public IPv4 address; subnet MapPublicIpOnLaunch false', publicIp: false, subnetMustNotMap: true});
  });

  it('the storage control expects rotation only on a customer key', () => {
    expect(keyExpectation({encrypted: false, kmsKey: 'aws/ebs'}).kind).toBe('none');
    expect(keyExpectation({encrypted: true, kmsKey: 'alias/aws/ebs'})).toMatchObject({kind: 'aws-managed', describe: 'alias/aws/ebs', label: 'aws/ebs'});
    expect(keyExpectation({encrypted: true, kmsKey: 'new'})).toMatchObject({kind: 'customer', label: 'the new customer key (not recorded)'});
    expect(keyExpectation({encrypted: true, kmsKey: 'new'}, 'arn:aws:kms:us-east-1:111122223333:key/k')).toMatchObject({
      kind: 'customer',
      describe: 'arn:aws:kms:us-east-1:111122223333:key/k',
      expected: 'customer key, enabled, automatic rotation on',
    });
    expect(keyExpectation({encrypted: true, kmsKey: 'alias/web'})).toMatchObject({kind: 'customer', describe: 'alias/web', label: 'alias/web'});
  });

  it('the image, type, tenancy, network, key pair and role controls say what their rows expect', () => {
    const spec = defaultSpec();
    expect(imageExpectation(spec, 'ami-0123456789abcdef0')).toEqual({
      imageId: 'ami-0123456789abcdef0',
      namePrefix: 'al2023-ami-',
      expected: 'ami-0123456789abcdef0, Amazon Linux 2023 owned by Amazon',
    });
    expect(instanceTypeExpectation(spec)).toEqual({type: 't3.micro', expected: 't3.micro'});
    const host = {...spec, instance: {...spec.instance, tenancy: 'host' as const}};
    expect(tenancyExpectation(host, 'h-0123456789abcdef0')).toEqual({tenancy: 'host', hostId: 'h-0123456789abcdef0', expected: 'host (h-0123456789abcdef0)'});
    expect(tenancyExpectation(spec, 'h-0123456789abcdef0')).toEqual({tenancy: 'default', hostId: undefined, expected: 'default'});
    const newVpc = {...spec, network: {vpc: 'new', subnet: 'private', publicIp: false}};
    expect(routingExpectation(newVpc, {vpcId: 'vpc-1', subnetId: 'subnet-2'})).toEqual({wantPublic: false, expected: 'VPC vpc-1, subnet subnet-2, private (no internet gateway route)'});
    expect(keyPairExpectation(spec, {})).toEqual({expected: 'no key pair'});
    const withKey = {...spec, keyPair: {mode: 'create' as const, name: 'web-key', type: 'ed25519' as const, path: '~/.ssh/web-key.pem'}};
    expect(keyPairExpectation(withKey, {keyName: 'web-key', keyFingerprint: 'ab:cd', keyPath: '/home/me/.ssh/web-key.pem'})).toMatchObject({
      name: 'web-key',
      expected: 'key pair web-key (ab:cd) on the instance; /home/me/.ssh/web-key.pem readable by you only (0600)',
    });
    expect(roleExpectation({...spec, role: {mode: 'none'}, access: {sessionManager: false, instanceConnect: false}}, {})).toEqual({expected: 'no instance profile'});
  });
  it('the security-group control expects only its group and exactly its rules, and fails a world-open SSH rule', () => {
    const spec = defaultSpec();
    const want = securityGroupExpectation(spec, {securityGroupId: 'sg-1'});
    expect(want.expected).toBe('sg-1 only; tcp/80 from 0.0.0.0/0; nothing risky open to the internet');
    const web = {protocol: 'tcp', fromPort: 80, toPort: 80, source: '0.0.0.0/0'};
    expect(judgeSecurityGroup(spec, want, {attached: ['sg-1'], rules: [web]})).toEqual({actual: 'tcp/80 from 0.0.0.0/0', ok: true});
    const ssh = {protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0'};
    expect(judgeSecurityGroup(spec, want, {attached: ['sg-1', 'sg-2'], rules: [web, ssh]})).toEqual({
      actual: 'tcp/22 from 0.0.0.0/0, tcp/80 from 0.0.0.0/0; attached: sg-1, sg-2; extra: tcp/22 from 0.0.0.0/0; port 22 open to the internet (EC2.13)',
      ok: false,
    });
  });

  it('the ways-in control expects the Session Manager policy, port 22 closed and no key pair, and fails an open port 22', () => {
    const spec = {...defaultSpec(), role: {mode: 'none' as const}};
    const want = sessionManagerExpectation(spec, {roleName: 'tandem-ssm-web'});
    expect(want).toEqual({on: true, roleName: 'tandem-ssm-web', port22Closed: true, noKeyPair: true, endpoints: false});
    if (!want.on) throw new Error('Session Manager is on in the default spec');
    const facts = {hasProfile: true, subnetId: 'subnet-1', access: {managed: true, missing: []}, rules: []};
    expect(judgeSessionManager(spec, want, facts)).toEqual({
      expected: 'role tandem-ssm-web carries AmazonSSMManagedInstanceCore; no rule opens port 22; no key pair',
      actual: 'AmazonSSMManagedInstanceCore attached to tandem-ssm-web; port 22 closed; no key pair',
      ok: true,
    });
    const open = {...facts, rules: [{protocol: 'tcp', fromPort: 0, toPort: 1024, source: '203.0.113.9/32'}]};
    expect(judgeSessionManager(spec, want, open)).toMatchObject({
      actual: 'AmazonSSMManagedInstanceCore attached to tandem-ssm-web; port 22 open: tcp/0-1024 from 203.0.113.9/32; no key pair',
      ok: false,
    });
    expect(sessionManagerExpectation({...spec, access: {sessionManager: false, instanceConnect: false}}, {})).toEqual({on: false, expected: 'Session Manager off'});
  });
});
