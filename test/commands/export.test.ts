import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateKeyPairCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeKeyPairsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVolumesCommand,
  DescribeVpcsCommand,
  type Filter,
} from '@aws-sdk/client-ec2';
import {CreateAccessKeyCommand, CreateUserCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesCommand, ListRolesCommand} from '@aws-sdk/client-iam';
import {DescribeKeyCommand, GetKeyRotationStatusCommand, ListAliasesCommand, ListKeysCommand} from '@aws-sdk/client-kms';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {run} from '../../source/commands/export.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {cliScript, shellQuote} from '../../source/domain/export-cli.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy} from '../support/fault-proxy.js';
import {acmValidatesByDns} from '../support/acm-double.js';
import {listRecordSets} from '../../source/aws/route53.js';
import {runCommand} from '../support/command-io.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-export-'));
});
afterEach(() => {
  rmSync(home, {recursive: true, force: true});
});

async function exportCommand(args: string[], flags: Partial<GlobalFlags> = {}, env: NodeJS.ProcessEnv = {}) {
  return runCommand(run, args, {flags, env: {TANDEM_HOME: home, ...env}});
}

const base = defaultSpec();
const hardened: LaunchSpec = {
  ...base,
  network: {vpc: 'new', subnet: 'public', publicIp: true},
  role: {mode: 'create', bucket: 'shop-assets', access: 'read'},
  storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'new'},
  securityGroup: {mode: 'create', name: 'shop-sg', http: '0.0.0.0/0', https: false, ssh: '203.0.113.7/32'},
  keyPair: {mode: 'create', name: 'shop-key', type: 'ed25519', path: '~/.ssh/shop-key.pem'},
  acceptedRisks: [{finding: 'http-open-to-internet', reason: 'public web shop'}],
  tags: {owner: 'ops'},
};

function save(name: string, spec: LaunchSpec) {
  openProfileStore({env: {TANDEM_HOME: home}}).save(name, spec);
}

describe('tandem export --format markdown', () => {
  it('writes the responsibility matrix with a header naming the profile and date', async () => {
    save('shop', hardened);
    const {code, stdout, stderr} = await exportCommand(['shop'], {format: 'markdown'});
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('# Customer responsibility matrix: launch profile shop');
    expect(lines[2]).toMatch(/^Exported \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by `tandem export shop --format markdown`/);
    // The explain document sits one heading level below the export's title.
    expect(stdout).toContain('\n### Responsibility matrix\n');
    expect(stdout).not.toMatch(/^# Shared responsibility/m);
    expect(stdout).toMatch(/\| Owner \| Kind \|/);
    expect(stdout).toContain('public web shop');
    for (const id of ['ebs-encryption', 'imds-v2', 'security-group-rules', 'iam-instance-role', 'kms-key']) expect(stdout).toContain(`(${id})`);
  });
});

/** The parts of the exported template these tests read. */
interface ExportedTemplate {
  Parameters: {ImageId: {Type: string}};
  Resources: {
    LaunchTemplate: {Properties: {LaunchTemplateData: {MetadataOptions: {HttpTokens: string}}}};
    EbsKey: {Properties: {EnableKeyRotation: boolean}};
    Instance: {Properties: {BlockDeviceMappings: Array<{Ebs: unknown}>; Tags: unknown[]}};
    SecurityGroup: {Properties: {SecurityGroupIngress: unknown[]}};
  };
}

describe('tandem export --format cloudformation', () => {
  it('writes a template for a saved profile, tagged with its name', async () => {
    save('shop', hardened);
    const {code, stdout} = await exportCommand(['shop'], {format: 'cloudformation'});
    expect(code).toBe(0);
    const template = parse(stdout) as ExportedTemplate;
    expect(template.Parameters.ImageId.Type).toBe('AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>');
    expect(template.Resources.LaunchTemplate.Properties.LaunchTemplateData.MetadataOptions.HttpTokens).toBe('required');
    expect(template.Resources.EbsKey.Properties.EnableKeyRotation).toBe(true);
    const instance = template.Resources.Instance.Properties;
    expect(instance.BlockDeviceMappings[0].Ebs).toMatchObject({Encrypted: true, KmsKeyId: {'Fn::GetAtt': ['EbsKey', 'Arn']}});
    expect(instance.Tags).toContainEqual({Key: 'tandem:profile', Value: 'shop'});
    expect(template.Resources.SecurityGroup.Properties.SecurityGroupIngress).toHaveLength(2);
  });

  it('names a profile file by its base name', async () => {
    const file = path.join(home, 'web-prod.yaml');
    writeFileSync(file, 'version: 1\n');
    const {code, stdout} = await exportCommand([file], {format: 'cloudformation'});
    expect(code).toBe(0);
    expect(stdout).toContain('Value: web-prod');
  });
});

describe('tandem export --format cli', () => {
  it('writes a bash script that parses, and the region follows --region', async () => {
    save('shop', hardened);
    const {code, stdout} = await exportCommand(['shop'], {format: 'cli', region: 'eu-west-1'});
    expect(code).toBe(0);
    expect(stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(stdout).toContain('set -euo pipefail');
    expect(stdout).toContain('REGION="${AWS_REGION:-eu-west-1}"');
    expect(stdout).toContain('umask 077');
    expect(stdout).not.toContain('PRIVATE KEY');
    const file = path.join(home, 'launch.sh');
    writeFileSync(file, stdout);
    execFileSync('bash', ['-n', file]);
  });

  it('promises no tandem destroy for a script run; prints how to find what it made instead', () => {
    const script = cliScript(hardened, {profile: 'x'});
    expect(script).not.toContain('so it can be found and removed');
    expect(script).toContain('# run, so `tandem destroy` cannot remove it');
    expect(script).toContain('echo "to find what this run makes: aws resourcegroupstaggingapi get-resources --tag-filters Key=tandem:launch-id,Values=$LAUNCH_ID" >&2');
  });

  it('quotes every profile value for the shell', () => {
    expect(shellQuote('plain-1.0/x')).toBe('plain-1.0/x');
    expect(shellQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
    const spec = {...hardened, instance: {...hardened.instance, name: 'web $(touch pwned) "1"'}};
    const script = cliScript(spec, {profile: 'x'});
    const file = path.join(home, 'quoted.sh');
    writeFileSync(file, script);
    execFileSync('bash', ['-n', file]);
    expect(script).toContain(`--description 'EBS encryption key for web $(touch pwned) "1", created by tandem'`);
  });
});

describe('tandem export: bad usage and bad profiles', () => {
  it('exits 2 with a clear line', async () => {
    save('shop', hardened);
    expect(await exportCommand([], {format: 'cli'})).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'tandem export: tandem export needs a PROFILE\nusage: tandem export PROFILE --format markdown|cloudformation|cli\n',
    });
    expect(await exportCommand(['shop'])).toMatchObject({code: 2, stderr: 'tandem export: tandem export needs --format: markdown, cloudformation, cli\n'});
    expect(await exportCommand(['shop'], {format: 'terraform'})).toMatchObject({
      code: 2,
      stderr: 'tandem export: --format "terraform" is not supported by export; use one of: markdown, cloudformation, cli\n',
    });
    expect((await exportCommand(['nope'], {format: 'cli'})).stderr).toMatch(/^tandem export: profile "nope" not found/);
    const file = path.join(home, 'bad.yaml');
    writeFileSync(file, 'version: 1\ninstance:\n  type: t3.micro\n  colour: blue\n');
    const bad = await exportCommand([file], {format: 'markdown'});
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      `tandem export: ${file}:4:3 instance.colour: unknown field; allowed here: name, image, amiId, arch, type, tenancy, imds, hopLimit, userData, detailedMonitoring\n`,
    );
    expect((await exportCommand(['shop'], {format: 'cli', region: 'mars-1'})).stderr).toMatch(/^tandem export: region: /);
  });

  it('writes the load balancer into the template and the script, and the matrix still exports', async () => {
    const file = path.join(home, 'layered.yaml');
    writeFileSync(file, 'version: 1\nloadBalancer: {}\n');
    const template = await exportCommand([file], {format: 'cloudformation'});
    expect(template.code).toBe(0);
    const resources = (parse(template.stdout) as {Resources: Record<string, {Type: string}>}).Resources;
    expect(Object.values(resources).map((resource) => resource.Type)).toEqual(
      expect.arrayContaining(['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancingV2::Listener']),
    );
    const script = await exportCommand([file], {format: 'cli'});
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('aws elbv2 create-load-balancer');
    expect((await exportCommand([file], {format: 'markdown'})).code).toBe(0);
  });

  it('exports a load balancer in an existing VPC only with its subnets named, and says how to name them', async () => {
    const file = path.join(home, 'existing.yaml');
    writeFileSync(file, 'version: 1\nnetwork:\n  vpc: vpc-0abc1234\nloadBalancer: {}\n');
    const refused = await exportCommand([file], {format: 'cloudformation'});
    expect(refused).toMatchObject({code: 2, stdout: ''});
    expect(refused.stderr).toContain('network.loadBalancerSubnets: the template of a load balancer in an existing VPC needs its subnets named');
    expect((await exportCommand([file], {format: 'markdown'})).code).toBe(0);
    const named = path.join(home, 'named.yaml');
    writeFileSync(named, 'version: 1\nnetwork:\n  vpc: vpc-0abc1234\n  subnet: subnet-0ccc3333\n  loadBalancerSubnets: [subnet-0aaa1111, subnet-0bbb2222]\nloadBalancer: {}\n');
    const template = await exportCommand([named], {format: 'cloudformation'});
    expect(template.code).toBe(0);
    const resources = (parse(template.stdout) as {Resources: Record<string, {Type: string; Properties: {Subnets?: unknown}}>}).Resources;
    expect(Object.values(resources).find((resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer')?.Properties.Subnets).toEqual(['subnet-0aaa1111', 'subnet-0bbb2222']);
    expect(Object.values(resources).map((resource) => resource.Type)).not.toContain('AWS::EC2::Subnet');
    const script = await exportCommand([named], {format: 'cli'});
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('--subnets subnet-0aaa1111 subnet-0bbb2222');
  });
});

// The exported script run for real with the AWS CLI against the local endpoint, in the test's own
// moto account (moto maps an access key to the account whose IAM user owns it).

// scripts/moto-setup.mjs (run by npm test) installs the pinned AWS CLI beside moto.
const AWS_CLI = path.resolve('.moto', 'awscli-venv', 'bin', 'aws');

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh moto account, its clients, and a way to run a script there as the AWS CLI would. */
async function scriptAccount() {
  if (!existsSync(AWS_CLI)) throw new Error(`the AWS CLI is not installed at ${AWS_CLI}; run "node scripts/moto-setup.mjs" (npm test does)`);
  const settings = testSettings();
  const clients = await makeClients(settings);
  await clients.iam.send(new CreateUserCommand({UserName: 'script-runner'}));
  const key = (await clients.iam.send(new CreateAccessKeyCommand({UserName: 'script-runner'}))).AccessKey!;
  /**
   * Runs the script; with `stopAt`, sends bash SIGTERM (as `timeout` or a CI job would) `stopAfterMs`
   * after stderr matches it.
   */
  const runScript = (script: string, endpointUrl = settings.endpointUrl!, stopAt?: RegExp, stopAfterMs = 0): Promise<ScriptRun> => {
    const file = path.join(home, 'launch.sh');
    writeFileSync(file, script);
    const env: NodeJS.ProcessEnv = {
      // The pinned CLI first on PATH, so the script's plain `aws` calls use it.
      PATH: `${path.dirname(AWS_CLI)}:${process.env.PATH}`,
      HOME: home,
      AWS_ACCESS_KEY_ID: key.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: key.SecretAccessKey,
      AWS_ENDPOINT_URL: endpointUrl,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_MAX_ATTEMPTS: '1',
    };
    return new Promise((resolve) => {
      const child = execFile('bash', [file], {env, timeout: 170_000, maxBuffer: 10 * 1024 * 1024}, (error, stdout, stderr) =>
        resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
      );
      let seen = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (stopAt?.test(seen)) {
          stopAt = undefined;
          setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
        }
      });
    });
  };
  return {clients, runScript};
}

/** Ids of the EC2 resources in the account (or those matching `filters`), by kind. */
async function ec2Inventory({ec2}: AwsClients, Filters?: Filter[]) {
  return {
    vpcs: ((await ec2.send(new DescribeVpcsCommand({Filters}))).Vpcs ?? []).map((item) => item.VpcId).sort(),
    subnets: ((await ec2.send(new DescribeSubnetsCommand({Filters}))).Subnets ?? []).map((item) => item.SubnetId).sort(),
    gateways: ((await ec2.send(new DescribeInternetGatewaysCommand({Filters}))).InternetGateways ?? []).map((item) => item.InternetGatewayId).sort(),
    routeTables: ((await ec2.send(new DescribeRouteTablesCommand({Filters}))).RouteTables ?? []).map((item) => item.RouteTableId).sort(),
    groups: ((await ec2.send(new DescribeSecurityGroupsCommand({Filters}))).SecurityGroups ?? []).map((item) => item.GroupId).sort(),
    keyPairs: ((await ec2.send(new DescribeKeyPairsCommand({Filters}))).KeyPairs ?? []).map((item) => item.KeyName).sort(),
    instances: ((await ec2.send(new DescribeInstancesCommand({Filters}))).Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .map((item) => `${item.InstanceId} ${item.State?.Name}`)
      .sort(),
  };
}

/** Everything EC2, IAM and KMS hold in the account, by kind: what a run leaked shows as a difference. */
async function inventory(clients: AwsClients) {
  const {iam, kms} = clients;
  return {
    ...(await ec2Inventory(clients)),
    roles: ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((item) => item.RoleName).sort(),
    instanceProfiles: ((await iam.send(new ListInstanceProfilesCommand({}))).InstanceProfiles ?? []).map((item) => item.InstanceProfileName).sort(),
    keys: ((await kms.send(new ListKeysCommand({}))).Keys ?? []).map((item) => item.KeyId!).sort(),
    aliases: ((await kms.send(new ListAliasesCommand({}))).Aliases ?? [])
      .map((item) => item.AliasName)
      .filter((name) => !name?.startsWith('alias/aws/'))
      .sort(),
  };
}

describe('tandem export --format cli: the script launches a load-balanced server', () => {
  it('runs to the end: the load balancer in two zones with its listener, the instance registered behind it, the chained rule', async () => {
    const {clients, runScript} = await scriptAccount();
    const layered = withDefaults({version: 1, instance: {name: 'layered'}, loadBalancer: {deletionProtection: false}});
    const result = await runScript(cliScript(layered, {profile: 'layered'}));
    expect(result.stderr.slice(-2000)).toMatch(/launched i-[0-9a-f]+ \(launch id cli-/);
    expect(result.code).toBe(0);
    const {DescribeLoadBalancersCommand, DescribeListenersCommand, DescribeTargetHealthCommand} = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const lb = (await clients.elbv2.send(new DescribeLoadBalancersCommand({Names: ['tandem-layered']}))).LoadBalancers![0];
    expect(lb.Scheme).toBe('internet-facing');
    expect(new Set(lb.AvailabilityZones?.map((zone) => zone.ZoneName)).size).toBe(2);
    const listeners = (await clients.elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb.LoadBalancerArn}))).Listeners ?? [];
    expect(listeners.map((listener) => [listener.Protocol, listener.Port])).toEqual([['HTTP', 80]]);
    const instanceId = /INSTANCE_ID=(i-[0-9a-f]+)/.exec(result.stderr)![1];
    const targetGroupArn = /TARGET_GROUP_ARN=(\S+)/.exec(result.stderr)![1];
    const health = await clients.elbv2.send(new DescribeTargetHealthCommand({TargetGroupArn: targetGroupArn}));
    expect(health.TargetHealthDescriptions?.map((target) => target.Target?.Id)).toEqual([instanceId]);
    const instance = (await clients.ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations![0].Instances![0];
    expect(instance.PublicIpAddress).toBeUndefined();
    const groupId = /\bGROUP_ID=(sg-[0-9a-f]+)/.exec(result.stderr.replace(/LB_GROUP_ID=\S+/g, ''))![1];
    const group = (await clients.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))).SecurityGroups![0];
    expect(group.IpPermissions?.find((permission) => permission.FromPort === 80)?.UserIdGroupPairs?.map((pair) => pair.GroupId)).toEqual(lb.SecurityGroups);
  }, 180_000);
});

describe('tandem export --format cli: the script requests the certificate', () => {
  it('writes the validation record into the account’s zone, waits for ISSUED and puts the certificate on 443', async () => {
    const {clients, runScript} = await scriptAccount();
    const account = clients.settings.headers!['x-moto-account-id'];
    // ACM validates by DNS as AWS documents it (test/support/acm-double.ts); moto alone issues after 60 s, record or not.
    const proxy = await startFaultProxy(motoEndpoint(), {intercept: acmValidatesByDns(motoEndpoint(), account)});
    try {
      const zone = await runScript('aws route53 create-hosted-zone --name example.com --caller-reference zone-1 --region us-east-1 --query HostedZone.Id --output text');
      expect(zone.code).toBe(0);
      const zoneId = zone.stdout.trim().replace('/hostedzone/', '');
      const spec = withDefaults({version: 1, instance: {name: 'certified'}, loadBalancer: {certificate: 'request', domain: 'www.example.com', deletionProtection: false}});
      const result = await runScript(cliScript(spec, {profile: 'certified'}), proxy.endpoint);
      expect(result.stderr.slice(-2000)).toMatch(/launched i-[0-9a-f]+ \(launch id cli-/);
      expect(result.code).toBe(0);
      const certificateArn = /CERTIFICATE_ARN=(\S+)/.exec(result.stderr)![1];
      const {DescribeCertificateCommand} = await import('@aws-sdk/client-acm');
      const record = (await clients.acm.send(new DescribeCertificateCommand({CertificateArn: certificateArn}))).Certificate!.DomainValidationOptions![0].ResourceRecord!;
      const sets = await listRecordSets(clients.settings, zoneId, record.Name!, 5);
      expect(sets.filter((set) => set.type === 'CNAME').map((set) => [set.name, set.values])).toEqual([[record.Name, [record.Value]]]);
      const {DescribeLoadBalancersCommand, DescribeListenersCommand} = await import('@aws-sdk/client-elastic-load-balancing-v2');
      const lb = (await clients.elbv2.send(new DescribeLoadBalancersCommand({Names: ['tandem-certified']}))).LoadBalancers![0];
      const listeners = (await clients.elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb.LoadBalancerArn}))).Listeners ?? [];
      expect(listeners.find((listener) => listener.Port === 443)?.Certificates?.map((item) => item.CertificateArn)).toEqual([certificateArn]);
    } finally {
      await proxy.close();
    }
  }, 180_000);
});

describe('tandem export --format cli: the script launches the server', () => {
  it('runs to the end and builds what the profile says', async () => {
    const {clients, runScript} = await scriptAccount();
    const result = await runScript(cliScript(hardened, {profile: 'shop'}));
    expect(result.stderr.slice(-2000)).toMatch(/launched i-[0-9a-f]+ \(launch id cli-/);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('PRIVATE KEY');

    const keyFile = path.join(home, '.ssh', 'shop-key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const instanceId = /INSTANCE_ID=(i-[0-9a-f]+)/.exec(result.stderr)![1];
    const instance = (await clients.ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations![0].Instances![0];
    expect(instance.MetadataOptions?.HttpTokens).toBe('required');
    expect(instance.KeyName).toBe('shop-key');
    expect(instance.IamInstanceProfile?.Arn).toMatch(/instance-profile\/EC2AccessToS3Role$/);
    expect(Object.fromEntries((instance.Tags ?? []).map((tag) => [tag.Key, tag.Value]))).toMatchObject({Name: 'web-1', 'tandem:profile': 'shop', owner: 'ops'});

    const keyArn = /KEY_ARN=(\S+)/.exec(result.stderr)![1];
    const volumes = (await clients.ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [instanceId]}]}))).Volumes!;
    expect(volumes.map((volume) => [volume.Encrypted, volume.KmsKeyId])).toEqual([[true, keyArn]]);
    expect((await clients.kms.send(new GetKeyRotationStatusCommand({KeyId: keyArn.split('/').pop()}))).KeyRotationEnabled).toBe(true);

    const groupId = /GROUP_ID=(sg-[0-9a-f]+)/.exec(result.stderr)![1];
    const group = (await clients.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]}))).SecurityGroups![0];
    const rules = (group.IpPermissions ?? []).flatMap((p) => (p.IpRanges ?? []).map((r) => `${p.FromPort} ${r.CidrIp}`)).sort();
    expect(rules).toEqual(['22 203.0.113.7/32', '80 0.0.0.0/0']);
    // Session Manager is on (the default): the script attached the managed policy and says how to get a shell.
    const attached = (await clients.iam.send(new ListAttachedRolePoliciesCommand({RoleName: 'EC2AccessToS3Role'}))).AttachedPolicies ?? [];
    expect(attached.map((policy) => policy.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(result.stderr).toContain(`shell: aws ssm start-session --target ${instanceId} --region us-east-1`);
  }, 180_000);

  it("run a second time, stops before creating anything and leaves the first run's key pair and instance alone", async () => {
    const {clients, runScript} = await scriptAccount();
    const script = cliScript(hardened, {profile: 'shop'});
    const first = await runScript(script);
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    const instanceId = /INSTANCE_ID=(i-[0-9a-f]+)/.exec(first.stderr)![1];
    const keyFile = path.join(home, '.ssh', 'shop-key.pem');
    const privateKey = readFileSync(keyFile, 'utf8');
    const before = await inventory(clients);

    const second = await runScript(script);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('stopped before creating anything: these exist already in us-east-1 or on this machine:\n');
    for (const taken of [`the private key file ${keyFile}`, 'key pair shop-key', 'IAM role EC2AccessToS3Role', 'instance profile EC2AccessToS3Role', 'KMS alias alias/tandem-web-1']) {
      expect(second.stderr).toContain(`\n  ${taken}\n`);
    }
    expect(second.stderr).toContain('nothing was created and nothing was deleted.');
    expect(second.stderr).not.toMatch(/removed|could not remove/);
    expect(await inventory(clients)).toEqual(before);
    expect(readFileSync(keyFile, 'utf8')).toBe(privateKey);
    const instance = (await clients.ec2.send(new DescribeInstancesCommand({InstanceIds: [instanceId]}))).Reservations![0].Instances![0];
    expect(instance.State?.Name).toBe('running');
    expect(instance.KeyName).toBe('shop-key');

    // Without the key file, the key pair's name alone still stops the run.
    rmSync(keyFile);
    const third = await runScript(script);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('\n  key pair shop-key\n');
    expect(third.stderr).not.toContain('the private key file');
    expect(existsSync(keyFile)).toBe(false);
    expect(await inventory(clients)).toEqual(before);
  }, 180_000);

  it('failing midway, removes what that run made, newest first, and names what it could not remove', async () => {
    const {clients, runScript} = await scriptAccount();
    // Someone else's things in the same account, one of them tagged as an earlier script run's.
    await clients.ec2.send(
      new CreateKeyPairCommand({KeyName: 'other-key', TagSpecifications: [{ResourceType: 'key-pair', Tags: [{Key: 'tandem:launch-id', Value: 'cli-20261130T010203Z'}]}]}),
    );
    const before = await inventory(clients);
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      proxy.add({
        service: 'ec2',
        action: 'RunInstances',
        kind: 'error',
        code: 'InsufficientInstanceCapacity',
        message: 'We currently do not have sufficient t3.micro capacity.',
        status: 500,
      });
      proxy.add({service: 'ec2', action: 'DeleteVpc', kind: 'error', code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', status: 403});
      const run = await runScript(cliScript(hardened, {profile: 'shop'}), proxy.endpoint);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('InsufficientInstanceCapacity');
      const launchId = /LAUNCH_ID=(cli-\S+)/.exec(run.stderr)![1];
      const vpcId = /VPC_ID=(vpc-[0-9a-f]+)/.exec(run.stderr)![1];
      const report = run.stderr.slice(run.stderr.indexOf('the run stopped (exit 1); removing what this run made, newest first:'));
      const removed = report
        .split('\n')
        .filter((line) => line.startsWith('  removed '))
        .map((line) =>
          line
            .slice('  removed '.length)
            // The key id first: a UUID whose fourth group is all letters (say "beef-…") looks like an AWS id.
            .replace(/\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/g, 'KEY')
            .replace(/\b[a-z]+-[0-9a-f]{8,17}\b/g, 'ID'),
        );
      // Newest first: the reverse of the order the script made them in.
      expect(removed).toEqual([
        'key pair shop-key',
        `the private key file ${path.join(home, '.ssh', 'shop-key.pem')}`,
        'security group ID',
        'KMS alias alias/tandem-web-1',
        'KMS key KEY (deletion scheduled in 7 days)',
        'EC2AccessToS3Role in instance profile EC2AccessToS3Role',
        'instance profile EC2AccessToS3Role',
        'AmazonSSMManagedInstanceCore on EC2AccessToS3Role',
        'inline policy tandem-s3-read of EC2AccessToS3Role',
        'IAM role EC2AccessToS3Role',
        // The new VPC's flow logs: made after the network, so removed before it.
        'flow log ID',
        'inline policy tandem-flow-log-delivery of tandem-flow-logs-web-1',
        'IAM role tandem-flow-logs-web-1',
        'log group /tandem/vpc-flow-logs/web-1 and the flow records in it',
        'route table association ID',
        'route table ID',
        'route table association ID',
        'route table ID',
        'the attachment of ID to ID',
        'internet gateway ID',
        'subnet ID',
        'subnet ID',
      ]);
      expect(report).toContain(`  could not remove VPC ${vpcId}: An error occurred (UnauthorizedOperation)`);
      expect(report).toContain(`still there from this run (remove it with the AWS CLI; it carries launch id ${launchId}):\n  VPC ${vpcId}\n`);

      // Only the faulted VPC is left of this run; everything that was there before is untouched.
      const after = await inventory(clients);
      // The VPC that stayed keeps the main route table and default group EC2 gave it.
      const inVpc = [{Name: 'vpc-id', Values: [vpcId]}];
      const own = {
        groups: ((await clients.ec2.send(new DescribeSecurityGroupsCommand({Filters: inVpc}))).SecurityGroups ?? []).map((group) => `${group.GroupId} ${group.GroupName}`),
        routeTables: ((await clients.ec2.send(new DescribeRouteTablesCommand({Filters: inVpc}))).RouteTables ?? []).map((table) => `${table.RouteTableId} ${table.Associations?.[0]?.Main}`),
      };
      expect(own.groups).toEqual([expect.stringMatching(/ default$/)]);
      expect(own.routeTables).toEqual([expect.stringMatching(/ true$/)]);
      expect(after).toEqual({
        ...before,
        vpcs: [...before.vpcs, vpcId].sort(),
        groups: [...before.groups, own.groups[0].split(' ')[0]].sort(),
        routeTables: [...before.routeTables, own.routeTables[0].split(' ')[0]].sort(),
        keys: after.keys,
      });
      const newKeys = after.keys.filter((key) => !before.keys.includes(key));
      expect(newKeys).toHaveLength(1);
      expect((await clients.kms.send(new DescribeKeyCommand({KeyId: newKeys[0]}))).KeyMetadata?.KeyState).toBe('PendingDeletion');
      await expect(clients.iam.send(new GetRoleCommand({RoleName: 'EC2AccessToS3Role'}))).rejects.toMatchObject({name: expect.stringMatching(/^NoSuchEntity/)});
      expect(await ec2Inventory(clients, [{Name: 'tag:tandem:launch-id', Values: [launchId]}])).toEqual({
        vpcs: [vpcId],
        subnets: [],
        gateways: [],
        routeTables: [],
        groups: [],
        keyPairs: [],
        instances: [],
      });
      expect(existsSync(path.join(home, '.ssh', 'shop-key.pem'))).toBe(false);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('stopped by SIGTERM midway, removes what that run made and exits 143', async () => {
    const {clients, runScript} = await scriptAccount();
    const before = await inventory(clients);
    // The stop lands while create-alias, the call after the key, runs (its request is held 3 s):
    // bash runs its trap only once that call has answered, and what the call made must still be removed.
    const proxy = await startFaultProxy(motoEndpoint());
    try {
      proxy.add({service: 'kms', action: 'CreateAlias', kind: 'delay', delayMs: 3000});
      const run = await runScript(cliScript(hardened, {profile: 'shop'}), proxy.endpoint, /KEY_ID=/, 1000);
      expect(run.code).toBe(143);
      expect(run.stderr).toContain('the run stopped (exit 143); removing what this run made, newest first:');
      expect(run.stderr).toContain('  removed KMS alias alias/');
      expect(run.stderr).toContain('nothing this run made remains');
      expect(run.stderr).not.toContain('could not remove');
      // No call starts after the stop: the alias was the last thing made.
      expect(run.stderr).not.toMatch(/enable-key-rotation|KEY_ARN=/);
    } finally {
      await proxy.close();
    }
    const after = await inventory(clients);
    // KMS keeps a key for its deletion window: the one key this run made is scheduled, nothing else is left.
    expect({...after, keys: before.keys}).toEqual(before);
    const newKeys = after.keys.filter((key) => !before.keys.includes(key));
    expect(newKeys).toHaveLength(1);
    expect((await clients.kms.send(new DescribeKeyCommand({KeyId: newKeys[0]}))).KeyMetadata?.KeyState).toBe('PendingDeletion');
  }, 180_000);
});
