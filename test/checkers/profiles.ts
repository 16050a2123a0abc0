// The launches the conformance suite asks the checkers about: the defaults, a hardened launch, the
// worst case the wizard allows, a launch into existing resources, dedicated tenancy, and EC2
// Instance Connect beside SSH from one address, and the load-balanced launch over HTTP and over
// HTTPS. The existing resources are made here with the SDK, as someone else would have made them.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ImportCertificateCommand} from '@aws-sdk/client-acm';
import {AuthorizeSecurityGroupIngressCommand, CreateManagedPrefixListCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand} from '@aws-sdk/client-ec2';
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, PutRolePolicyCommand} from '@aws-sdk/client-iam';
import {CreateKeyCommand} from '@aws-sdk/client-kms';
import type {AwsClients} from '../../source/aws/clients.js';
import {trustPolicy} from '../../source/domain/plan-iam.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {everythingNewSpec, WEB_SERVER_RISKS} from '../support/launch-specs.js';

export interface Profile {
  name: string;
  spec: LaunchSpec;
}

function defaults(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {...spec, instance: {...spec.instance, name: 'defaults'}, securityGroup: {...spec.securityGroup, name: 'defaults-sg'}};
}

function hardened(keyDir: string): LaunchSpec {
  // The hardened launch also keeps a daily AWS Backup plan (off by default).
  return {...everythingNewSpec(keyDir, {name: 'hardened', cidr: '10.20.0.0/16', acceptedRisks: WEB_SERVER_RISKS}), backup: {plan: true, retentionDays: 7, firstSnapshot: true}};
}

/** SSH from anywhere, encryption off, IMDSv1, a read-write role, Amazon Linux 2, in the default VPC. */
function worst(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    instance: {...spec.instance, name: 'worst', image: 'al2', imds: 'optional'},
    role: {mode: 'create', name: 'WorstRole', bucket: 'worst-bucket', access: 'read-write'},
    storage: {...spec.storage, encrypted: false},
    securityGroup: {mode: 'create', name: 'worst-sg', http: '0.0.0.0/0', https: '::/0', ssh: '0.0.0.0/0'},
    keyPair: {mode: 'none'},
  };
}

/** Moto ignores tenancy (it always reports default); the checkers tandem cites do not read it. */
function dedicated(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    instance: {...spec.instance, name: 'dedicated', tenancy: 'dedicated'},
    network: {vpc: 'new', subnet: 'private', cidr: '10.30.0.0/16', publicIp: false},
    securityGroup: {mode: 'create', name: 'dedicated-sg', http: '10.30.0.0/16', https: false, ssh: false},
  };
}

/**
 * An existing VPC, subnet, role and key made by someone else, and an existing group that already
 * lets the world reach SSH: tandem cannot know its rules before launch, only after.
 */
async function existing(clients: AwsClients): Promise<LaunchSpec> {
  const {ec2, iam, kms} = clients;
  const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.50.0.0/16'}))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.50.1.0/24'}))).Subnet!.SubnetId!;
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({GroupName: 'legacy-sg', Description: 'legacy', VpcId: vpcId}))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '0.0.0.0/0'}]},
        {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]},
      ],
    }),
  );
  await iam.send(new CreateRoleCommand({RoleName: 'LegacyRole', AssumeRolePolicyDocument: trustPolicy()}));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'LegacyRole',
      PolicyName: 'everything',
      PolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]}),
    }),
  );
  await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'LegacyRole'}));
  await iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: 'LegacyRole', RoleName: 'LegacyRole'}));
  // A customer key without rotation: KMS.4 would fail it, which only a look after launch can tell.
  const keyArn = (await kms.send(new CreateKeyCommand({Description: 'legacy key'}))).KeyMetadata!.Arn!;
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    instance: {...spec.instance, name: 'existing'},
    network: {vpc: vpcId, subnet: subnetId, publicIp: true},
    role: {mode: 'existing', name: 'LegacyRole', instanceProfile: 'LegacyRole'},
    storage: {...spec.storage, kmsKey: keyArn},
    securityGroup: {mode: 'existing', groupId, name: 'legacy-sg', http: false, https: false, ssh: false},
    keyPair: {mode: 'none'},
  };
}

/**
 * EC2 Instance Connect and SSH from one address: port 22 from the Instance Connect prefix list
 * (no CIDR) beside a /32 rule. moto has no com.amazonaws.us-east-1.ec2-instance-connect list, so
 * one with that name is made here (on AWS the list is AWS-managed and no customer list can take a
 * com.amazonaws name).
 */
async function instanceConnect(clients: AwsClients): Promise<LaunchSpec> {
  await clients.ec2.send(
    new CreateManagedPrefixListCommand({PrefixListName: 'com.amazonaws.us-east-1.ec2-instance-connect', AddressFamily: 'IPv4', MaxEntries: 5, Entries: [{Cidr: '18.206.107.24/29'}]}),
  );
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    instance: {...spec.instance, name: 'instance-connect'},
    network: {vpc: 'new', subnet: 'public', cidr: '10.40.0.0/16', publicIp: true},
    securityGroup: {...spec.securityGroup, name: 'instance-connect-sg', ssh: '198.51.100.7/32'},
    access: {...spec.access, instanceConnect: true},
  };
}

/**
 * The load-balanced launch with HTTPS: a certificate of the account's own (a self-signed one made
 * with openssl and imported into ACM, which moto, like AWS, marks ISSUED), a 443 listener with the
 * TLS policy and 80 redirecting.
 */
async function loadBalancedHttps(clients: AwsClients): Promise<LaunchSpec> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-checkers-cert-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=www.example.com'],
    {
      encoding: 'utf8',
    },
  );
  if (made.status !== 0) throw new Error(`the HTTPS launch needs a certificate made with openssl, which failed: ${made.error?.message ?? made.stderr}`);
  const imported = await clients.acm.send(new ImportCertificateCommand({Certificate: readFileSync(cert), PrivateKey: readFileSync(key)}));
  rmSync(dir, {recursive: true, force: true});
  const certificate = imported.CertificateArn ?? '';
  return withDefaults({version: 1, instance: {name: 'load-balanced-https'}, securityGroup: {name: 'load-balanced-https-sg'}, loadBalancer: {certificate}});
}

/** The load-balanced launch as a profile asks for it: `loadBalancer: {certificate: none}`, every other choice the default. */
function loadBalanced(): LaunchSpec {
  return withDefaults({version: 1, instance: {name: 'load-balanced'}, securityGroup: {name: 'load-balanced-sg'}, loadBalancer: {certificate: 'none'}});
}

export async function conformanceProfiles(clients: AwsClients, keyDir: string): Promise<Profile[]> {
  return [
    {name: 'defaults', spec: defaults()},
    {name: 'hardened', spec: hardened(path.join(keyDir))},
    {name: 'worst', spec: worst()},
    {name: 'existing', spec: await existing(clients)},
    {name: 'dedicated', spec: dedicated()},
    {name: 'instance-connect', spec: await instanceConnect(clients)},
    {name: 'load-balanced', spec: loadBalanced()},
    {name: 'load-balanced-https', spec: await loadBalancedHttps(clients)},
  ];
}
