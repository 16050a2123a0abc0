// A load-balanced launch from the command line, as an operator runs it: `tandem launch PROFILE
// --yes --output json` in process against moto, then the AWS CLI (the pinned one beside moto) reads
// back what it built, and `tandem destroy` asks (naming the deletion protection it lifts) and removes it. moto's default account, as the other
// headless tests use it, so the AWS CLI needs no account mapping; the launch is told apart by its
// instance name.
import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import {runHeadless} from '../../source/commands/launch-headless.js';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {withDefaults} from '../../source/store/profile-schema.js';
import {motoEndpoint} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS} from '../support/command-io.js';
import {shellPerTest, tempDir} from './provision-support.js';
import {withHighRisksRecorded} from '../support/launch-specs.js';

const AWS_CLI = path.resolve('.moto', 'awscli-venv', 'bin', 'aws');
const run = promisify(execFile);

function context(args: string[], flags: Partial<GlobalFlags>, env: NodeJS.ProcessEnv, stdin = new PassThrough()) {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {
    args,
    flags: {...DEFAULT_FLAGS, endpointUrl: motoEndpoint(), ...flags},
    io: {stdin, stdout, stderr, env},
  };
  return {ctx, stdout, stderr};
}

/** The AWS CLI against moto, JSON out. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const env = {...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: ''};
  const {stdout} = await run(AWS_CLI, [...args, '--endpoint-url', motoEndpoint(), '--output', 'json'], {env});
  return JSON.parse(stdout) as Record<string, unknown>;
}

// The shell a user launches from, and a fresh TANDEM_HOME, per test.
const shell = shellPerTest();

describe('tandem launch with loadBalancer, confirmed by the AWS CLI', () => {
  it('an instance without a public address, the chained rule, the load balancer in two subnets, the listener; destroy leaves nothing', async () => {
    if (!existsSync(AWS_CLI)) throw new Error(`the AWS CLI is not installed at ${AWS_CLI}; run "node scripts/moto-setup.mjs" (npm test does)`);
    const name = `lb-${path.basename(tempDir('tandem-name-')).slice(-6).toLowerCase()}`;
    // Its high risks (the endpoints' open policies, the role's trust) are recorded, as an operator must.
    const spec = withHighRisksRecorded(withDefaults({version: 1, instance: {name}, securityGroup: {name: `${name}-sg`}, loadBalancer: {}}), 'load-balanced web server');
    const launched = context([], {yes: true, output: 'json'}, shell());
    const code = await runHeadless(launched.ctx, spec);
    const events = launched.stdout.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = events[events.length - 1];
    expect(code, launched.stdout.text.slice(-2000)).toBe(0);
    expect(summary).toMatchObject({type: 'summary', status: 'launched'});
    const instanceId = String(summary.instanceId);

    type Instance = {PublicIpAddress?: string; SubnetId: string; VpcId: string; NetworkInterfaces: Array<{Groups: Array<{GroupId: string}>}>};
    const reservations = (await aws('ec2', 'describe-instances', '--instance-ids', instanceId)).Reservations as Array<{Instances: Instance[]}>;
    const instance = reservations[0].Instances[0];
    expect(instance.PublicIpAddress).toBeUndefined();

    type LoadBalancer = {LoadBalancerArn: string; Scheme: string; SecurityGroups: string[]; AvailabilityZones: Array<{SubnetId: string; ZoneName: string}>};
    const lb = ((await aws('elbv2', 'describe-load-balancers', '--names', `tandem-${name}`)).LoadBalancers as LoadBalancer[])[0];
    expect(lb.Scheme).toBe('internet-facing');
    // The summary says where the site is: the load balancer's DNS name, since the instance has no address.
    const dns = ((await aws('elbv2', 'describe-load-balancers', '--names', `tandem-${name}`)).LoadBalancers as Array<{DNSName: string}>)[0].DNSName;
    expect(summary.loadBalancerDns).toBe(dns);
    expect(summary).not.toHaveProperty('publicIp');
    expect(new Set(lb.AvailabilityZones.map((zone) => zone.ZoneName)).size).toBe(2);
    expect(new Set(lb.AvailabilityZones.map((zone) => zone.SubnetId)).size).toBe(2);
    expect(lb.AvailabilityZones.map((zone) => zone.SubnetId)).not.toContain(instance.SubnetId);

    const groupId = instance.NetworkInterfaces[0].Groups[0].GroupId;
    type Permission = {FromPort?: number; IpRanges?: unknown[]; UserIdGroupPairs?: Array<{GroupId: string}>};
    const group = ((await aws('ec2', 'describe-security-groups', '--group-ids', groupId)).SecurityGroups as Array<{IpPermissions: Permission[]}>)[0];
    const web = group.IpPermissions.find((permission) => permission.FromPort === 80);
    expect(web?.IpRanges ?? []).toEqual([]);
    expect(web?.UserIdGroupPairs?.map((pair) => pair.GroupId)).toEqual(lb.SecurityGroups);

    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn)).Listeners as Array<{Protocol: string; Port: number}>;
    expect(listeners.map((listener) => [listener.Protocol, listener.Port])).toEqual([['HTTP', 80]]);

    // Asked in a terminal, destroy says the load balancer's deletion protection goes too; "n" keeps everything.
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const declined = context([String(summary.launchId)], {}, shell(), stdin);
    declined.stdout.isTTY = true;
    const asking = destroyCommand(declined.ctx);
    stdin.write('n\n');
    expect(await asking).toBe(0);
    expect(declined.stderr.text).toContain(`Load balancer tandem-${name} has deletion protection on: removing it turns the protection off first.`);
    expect(declined.stderr.text).toContain('Nothing removed');

    const destroyed = context([String(summary.launchId)], {yes: true, output: 'json'}, shell());
    expect(await destroyCommand(destroyed.ctx)).toBe(0);
    const report = JSON.parse(destroyed.stdout.text) as {failed: unknown[]; leftovers: unknown[]};
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);
    const after = await run(AWS_CLI, ['elbv2', 'describe-load-balancers', '--names', `tandem-${name}`, '--endpoint-url', motoEndpoint()], {
      env: {...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1'},
    }).then(
      () => 'found',
      (error: {stderr?: string}) => error.stderr ?? '',
    );
    expect(after).toContain('LoadBalancerNotFound');
  }, 120_000);
});

describe('tandem launch with certificate: request and no zone for the domain', () => {
  it('shows the record to create, stops with a non-zero exit when the wait runs out, and leaves no certificate', async () => {
    const name = `lbc-${path.basename(tempDir('tandem-name-')).slice(-6).toLowerCase()}`;
    const domain = `www.${name}.example`;
    // moto issues any requested certificate after 60 s; the 3 s bound runs out long before.
    const loadBalancer = {certificate: 'request', domain, validationWaitMinutes: 0.05, deletionProtection: false};
    const spec = withHighRisksRecorded(withDefaults({version: 1, instance: {name}, securityGroup: {name: `${name}-sg`}, loadBalancer}), 'load-balanced web server');
    const launched = context([], {yes: true, output: 'text'}, shell());
    const code = await runHeadless(launched.ctx, spec);
    const said = `${launched.stdout.text}\n${launched.stderr.text}`;
    expect(code, said.slice(-3000)).not.toBe(0);
    expect(said).toMatch(new RegExp(`no Route 53 public hosted zone in this account covers ${domain.replace(/\./g, '\\.')}: create this DNS record .*: _\\S+ CNAME \\S+`));
    expect(said).toContain(`CertificateNotIssued: ACM did not issue the certificate for ${domain} within 3 s: it waits for the DNS record`);
    expect(said).not.toMatch(/\n\s+at /);
    const left = (await aws('acm', 'list-certificates', '--certificate-statuses', 'PENDING_VALIDATION', 'ISSUED')).CertificateSummaryList as Array<{DomainName: string}>;
    expect(left.filter((item) => item.DomainName === domain)).toEqual([]);
    expect((await aws('elbv2', 'describe-load-balancers')).LoadBalancers as Array<{LoadBalancerName: string}>).not.toContainEqual(
      expect.objectContaining({LoadBalancerName: `tandem-${name}`}),
    );
  }, 120_000);
});
