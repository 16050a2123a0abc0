// EC2 Instance Connect as the way in, against moto: port 22 is opened only to the region's
// Instance Connect prefix list (PrefixListIds, no CIDR), read back with an independent
// DescribeSecurityGroups; verification checks the rule's source is that list; the summary prints
// the `aws ec2-instance-connect ssh` command; destroy removes everything. A region without the
// list is stopped by pre-flight, before anything is created.
//
// moto has no com.amazonaws.<region>.ec2-instance-connect list (it seeds only s3, dynamodb,
// cloudfront and a few others), so each test creates one with that name in its own account with
// CreateManagedPrefixList. On AWS the list is AWS-managed and a customer list cannot take a
// com.amazonaws name, so the name finds exactly AWS's list there.
import {CreateManagedPrefixListCommand, DescribeManagedPrefixListsCommand, DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {buildPlan} from '../../source/domain/plan.js';
import {newLaunchId} from '../../source/store/journal.js';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import {runHeadless} from '../../source/commands/launch-headless.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {answerDryRunLikeAws, startFaultProxy} from '../support/fault-proxy.js';
import {collect, tempDir, testCloud} from './provision-support.js';
import {PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

// 18.206.107.24/29 is the address range AWS publishes for EC2 Instance Connect in us-east-1.
async function instanceConnectList(check: AwsClients): Promise<string> {
  const created = await check.ec2.send(
    new CreateManagedPrefixListCommand({
      PrefixListName: 'com.amazonaws.us-east-1.ec2-instance-connect',
      AddressFamily: 'IPv4',
      MaxEntries: 5,
      Entries: [{Cidr: '18.206.107.24/29'}],
    }),
  );
  return created.PrefixList!.PrefixListId!;
}

// A new VPC: moto's default VPC has no internet gateway route, which subnet-routing checks.
function instanceConnectSpec(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    network: {vpc: 'new', subnet: 'public', publicIp: true},
    securityGroup: {...spec.securityGroup, name: 'eic-sg'},
    access: {...spec.access, instanceConnect: true},
    // A public web server: its public address and Session Manager role are high to the tools.
    acceptedRisks: PUBLIC_WEB_SERVER_RISKS,
  };
}

describe('EC2 Instance Connect', () => {
  it('opens port 22 to the Instance Connect prefix list only, verifies it, prints the command, and destroys it all', async () => {
    const settings = testSettings();
    const {cloud} = await testCloud(settings);
    const check = await makeClients(settings);
    const listId = await instanceConnectList(check);
    const spec = instanceConnectSpec();

    const preflight = await cloud.preflight(spec);
    expect(preflight.results.find((result) => result.check === 'instance-connect-list')).toMatchObject({status: 'ok', detail: expect.stringContaining(listId)});

    const launchId = newLaunchId();
    const {events, onEvent} = collect();
    const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
    expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
    expect(result.status).toBe('launched');

    const groupId = cloud.journal.read(launchId).resolved.securityGroupId;
    const group = (await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId!]}))).SecurityGroups?.[0];
    const port22 = group?.IpPermissions?.filter((rule) => rule.FromPort === 22) ?? [];
    expect(port22).toHaveLength(1);
    expect(port22[0].PrefixListIds?.map((entry) => entry.PrefixListId)).toEqual([listId]);
    expect(port22[0].IpRanges ?? []).toEqual([]);
    expect(port22[0].Ipv6Ranges ?? []).toEqual([]);

    const rules = result.verification?.find((row) => row.control === 'security-group-rules');
    expect(rules, JSON.stringify(result.verification)).toMatchObject({status: 'pass', actual: expect.stringContaining(`tcp/22 from ${listId}`)});
    expect(cloud.journal.read(launchId).resolved.instanceConnectPrefixListId).toBe(listId);

    const summary = events.find((event) => event.type === 'summary');
    expect(summary).toMatchObject({login: expect.stringMatching(new RegExp(`^aws ec2-instance-connect ssh --instance-id ${result.instanceId} --region us-east-1 `))});

    // A rule whose source is some other list is not Instance Connect: moto seeds an S3 list to stand in.
    const s3 = (await check.ec2.send(new DescribeManagedPrefixListsCommand({Filters: [{Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3']}]}))).PrefixLists?.[0]?.PrefixListId;
    expect(s3).toMatch(/^pl-/);
    cloud.journal.update(launchId, (record) => {
      record.resolved.instanceConnectPrefixListId = s3;
    });
    const wrong = (await cloud.verify(launchId)).find((row) => row.control === 'security-group-rules');
    expect(wrong).toMatchObject({status: 'fail', actual: expect.stringContaining(`${s3} is com.amazonaws.us-east-1.s3, not com.amazonaws.us-east-1.ec2-instance-connect`)});

    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(destroyed.leftovers).toEqual([]);
    expect(destroyed.deleted).toHaveLength(result.resources.length);
  });

  it('a region without the Instance Connect list is stopped by pre-flight with what to change', async () => {
    const settings = testSettings();
    const {cloud} = await testCloud(settings);
    const problem = (await cloud.preflight(instanceConnectSpec())).results.find((result) => result.check === 'instance-connect-list');
    expect(problem).toMatchObject({
      status: 'fail',
      field: 'access.instanceConnect',
      detail: expect.stringContaining('no managed prefix list com.amazonaws.us-east-1.ec2-instance-connect'),
      fix: expect.stringContaining('access.instanceConnect to false'),
    });
  });
});

describe('tandem launch --yes with access.instanceConnect', () => {
  // The SDK's credential chain reads process.env and the files it names, as for a user.
  function withProfileFiles(): {env: NodeJS.ProcessEnv; restore: () => void} {
    const dir = tempDir('tandem-aws-config-');
    const credentials = path.join(dir, 'credentials');
    writeFileSync(credentials, '[eic-ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    writeFileSync(path.join(dir, 'config'), '[profile eic-ops]\nregion = us-east-1\n');
    const saved = {...process.env};
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[key];
    Object.assign(process.env, {AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_REGION: 'us-east-1'});
    return {
      env: {TANDEM_HOME: tempDir('tandem-home-')},
      restore: () => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      },
    };
  }

  it('prints the Instance Connect command with --profile in the JSON summary', async () => {
    const accountId = freshAccountId();
    const proxy = await startFaultProxy(motoEndpoint(), {accountId});
    const files = withProfileFiles();
    try {
      await instanceConnectList(await makeClients(testSettings({accountId})));
      const launched = await runCommand((ctx) => runHeadless(ctx, instanceConnectSpec()), [], {
        flags: {yes: true, output: 'json', profile: 'eic-ops', endpointUrl: proxy.endpoint},
        env: files.env,
      });
      expect(launched.code, launched.stderr).toBe(0);
      const summary = launched.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .at(-1)!;
      expect(summary).toMatchObject({type: 'summary', status: 'launched'});
      expect(String(summary.login)).toMatch(/^aws ec2-instance-connect ssh --instance-id i-\w+ --region us-east-1 --profile eic-ops /);
      const destroyed = await runCommand(destroyCommand, [String(summary.launchId)], {flags: {yes: true, profile: 'eic-ops', endpointUrl: proxy.endpoint}, env: files.env});
      expect(destroyed.code, destroyed.stderr).toBe(0);
    } finally {
      files.restore();
      await proxy.close();
    }
  });

  it('a region without the list: exit 2 from pre-flight, and nothing is created', async () => {
    const accountId = freshAccountId();
    const proxy = await startFaultProxy(motoEndpoint(), {accountId});
    const files = withProfileFiles();
    try {
      const {code, stderr} = await runCommand((ctx) => runHeadless(ctx, instanceConnectSpec()), [], {flags: {yes: true, profile: 'eic-ops', endpointUrl: proxy.endpoint}, env: files.env});
      expect(code).toBe(2);
      expect(stderr).toContain('access.instanceConnect: region us-east-1 has no managed prefix list com.amazonaws.us-east-1.ec2-instance-connect');
      expect(stderr).toContain('nothing was created');
      expect(proxy.requests.filter((request) => /^(Create|Run|Authorize|Allocate|Import|Put|Add)/.test(request.action))).toEqual([]);
    } finally {
      files.restore();
      await proxy.close();
    }
  });

  // moto has no Instance Connect list in any region: it answers DescribeManagedPrefixLists with an
  // empty list, exactly as AWS does in a region where EC2 Instance Connect does not run.
  it('a dry run in a region without the list says what is missing and what to do, with no internal error', async () => {
    const accountId = freshAccountId();
    const proxy = await startFaultProxy(motoEndpoint(), {accountId});
    answerDryRunLikeAws(proxy);
    const files = withProfileFiles();
    try {
      const {code, stdout} = await runCommand((ctx) => runHeadless(ctx, instanceConnectSpec()), [], {flags: {dryRun: true, profile: 'eic-ops', endpointUrl: proxy.endpoint}, env: files.env});
      expect(code).toBe(1);
      expect(stdout).not.toMatch(/UnresolvedRef|PrefixLists\.0|ERROR/);
      const rows = stdout.split('\n');
      const ingress = rows.find((row) => row.startsWith('security-group-ingress '));
      expect(ingress).toMatch(
        / would fail +pre-flight: region us-east-1 has no EC2 Instance Connect prefix list \(com\.amazonaws\.us-east-1\.ec2-instance-connect\); set access\.instanceConnect to false \(SSH from your address, or Session Manager\), or launch in a region where EC2 Instance Connect runs$/,
      );
      // The pre-flight row above says it too, as for a real launch.
      expect(rows.find((row) => row.startsWith('pre-flight '))).toContain('access.instanceConnect: region us-east-1 has no managed prefix list com.amazonaws.us-east-1.ec2-instance-connect');
      expect(stdout).toMatch(/, 0 failed, /);
      expect(proxy.requests.filter((request) => /^(Create|Run|Authorize|Allocate|Import|Put|Add)/.test(request.action) && !request.body.includes('DryRun=true'))).toEqual([]);
    } finally {
      files.restore();
      await proxy.close();
    }
  });
});
