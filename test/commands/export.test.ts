import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeVolumesCommand} from '@aws-sdk/client-ec2';
import {CreateAccessKeyCommand, CreateUserCommand, ListAttachedRolePoliciesCommand} from '@aws-sdk/client-iam';
import {GetKeyRotationStatusCommand} from '@aws-sdk/client-kms';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {makeClients} from '../../source/aws/clients.js';
import {run} from '../../source/commands/export.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {cliScript, shellQuote} from '../../source/domain/export-cli.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {testSettings} from '../support/aws.js';
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

describe('tandem export --format cloudformation', () => {
  it('writes a template for a saved profile, tagged with its name', async () => {
    save('shop', hardened);
    const {code, stdout} = await exportCommand(['shop'], {format: 'cloudformation'});
    expect(code).toBe(0);
    const template = parse(stdout) as {Resources: Record<string, {Type: string; Properties: Record<string, any>}>; Parameters: Record<string, any>};
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
    expect(await exportCommand([], {format: 'cli'})).toMatchObject({code: 2, stdout: '', stderr: 'tandem export: tandem export needs a PROFILE\nusage: tandem export PROFILE --format markdown|cloudformation|cli\n'});
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
    expect(bad.stderr).toBe(`tandem export: ${file}:4:3 instance.colour: unknown field; allowed here: name, image, amiId, arch, type, tenancy, imds, hopLimit, userData\n`);
    expect((await exportCommand(['shop'], {format: 'cli', region: 'mars-1'})).stderr).toMatch(/^tandem export: region: /);
  });
});

// The exported script run for real with the AWS CLI against the local endpoint, in the test's own
// moto account (moto maps an access key to the account whose IAM user owns it).
describe('tandem export --format cli: the script launches the server', () => {
  it('runs to the end and builds what the profile says', async () => {
    // scripts/moto-setup.mjs (run by npm test) installs the pinned AWS CLI beside moto.
    const aws = path.resolve('.moto', 'awscli-venv', 'bin', 'aws');
    if (!existsSync(aws)) throw new Error(`the AWS CLI is not installed at ${aws}; run "node scripts/moto-setup.mjs" (npm test does)`);
    expect(aws).not.toBe('');
    const settings = testSettings();
    const clients = await makeClients(settings);
    await clients.iam.send(new CreateUserCommand({UserName: 'script-runner'}));
    const key = (await clients.iam.send(new CreateAccessKeyCommand({UserName: 'script-runner'}))).AccessKey!;

    const script = cliScript(hardened, {profile: 'shop'});
    const file = path.join(home, 'launch.sh');
    writeFileSync(file, script);
    const env: NodeJS.ProcessEnv = {
      // The pinned CLI first on PATH, so the script's plain `aws` calls use it.
      PATH: `${path.dirname(aws)}:${process.env.PATH}`,
      HOME: home,
      AWS_ACCESS_KEY_ID: key.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: key.SecretAccessKey,
      AWS_ENDPOINT_URL: settings.endpointUrl,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_MAX_ATTEMPTS: '1',
    };
    const result = await new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => {
      execFile('bash', [file], {env, timeout: 170_000, maxBuffer: 10 * 1024 * 1024}, (error, stdout, stderr) =>
        resolve({code: error ? ((error as {code?: number}).code ?? 1) : 0, stdout, stderr}),
      );
    });
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
    // Session Manager is on (the default since issue 13): the script attached the managed policy and says how to get a shell.
    const attached = (await clients.iam.send(new ListAttachedRolePoliciesCommand({RoleName: 'EC2AccessToS3Role'}))).AttachedPolicies ?? [];
    expect(attached.map((policy) => policy.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']);
    expect(result.stderr).toContain(`shell: aws ssm start-session --target ${instanceId} --region us-east-1`);
  }, 180_000);
});
