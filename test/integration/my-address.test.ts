// `securityGroup.ssh: me` in a profile, launched without prompts against moto: the address comes
// from a local stand-in for checkip (TANDEM_CHECKIP_URL), the group allows exactly that /32 on
// port 22 (read back with an independent DescribeSecurityGroups), and the journal records the
// address and where it was found. A lookup that finds nothing stops before any AWS call.
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {makeClients} from '../../source/aws/clients.js';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import {run as launchCommand} from '../../source/commands/launch.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {closedUrl, startCheckip, type CheckipServer} from '../support/checkip-server.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {tempDir} from './provision-support.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.text += chunk.toString();
    callback();
  }
}

function context(args: string[], flags: Partial<GlobalFlags>, env: NodeJS.ProcessEnv) {
  const stdout = new Capture();
  const stderr = new Capture();
  const ctx: CommandContext = {args, flags: {color: false, yes: false, dryRun: false, force: false, keep: false, ...flags}, io: {stdin: new PassThrough(), stdout, stderr, env}};
  return {ctx, stdout, stderr};
}

// A new VPC: moto's default VPC has no internet gateway route, which subnet-routing checks.
function profileWithMe(dir: string): string {
  const file = path.join(dir, 'web.yaml');
  writeFileSync(
    file,
    ['version: 1', 'region: us-east-1', 'network: {vpc: new, subnet: public, publicIp: true}', `securityGroup: {name: me-sg, ssh: me}`, ''].join('\n'),
  );
  return file;
}

const cleanups: Array<() => Promise<void>> = [];
let proxy: FaultProxy;
let accountId: string;
beforeEach(async () => {
  accountId = freshAccountId();
  proxy = await startFaultProxy(motoEndpoint(), {accountId});
  cleanups.push(() => proxy.close());
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function checkip(body: string): Promise<CheckipServer> {
  const server = await startCheckip(body);
  cleanups.push(() => server.close());
  return server;
}

describe('ssh: me in a profile', () => {
  it('opens port 22 to exactly the address checkip found, and the journal says so', async () => {
    const server = await checkip('198.51.100.77\n');
    const home = tempDir('tandem-home-');
    const env = {TANDEM_HOME: home, TANDEM_CHECKIP_URL: server.url};
    const {ctx, stdout, stderr} = context([profileWithMe(tempDir('tandem-profile-'))], {yes: true, output: 'json', endpointUrl: proxy.endpoint}, env);
    const code = await launchCommand(ctx);
    expect(code, stderr.text).toBe(0);
    expect(stderr.text).toContain('securityGroup.ssh: me is 198.51.100.77/32');
    const events = stdout.text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({type: 'summary', status: 'launched'});
    const launchId = String(summary.launchId);

    const record = JSON.parse(readFileSync(path.join(home, 'launches', `${launchId}.json`), 'utf8')) as {spec: {securityGroup: {ssh: unknown}}; myAddress?: unknown; resolved: {securityGroupId?: string}};
    expect(record.spec.securityGroup.ssh).toBe('198.51.100.77/32');
    expect(record.myAddress).toEqual({cidr: '198.51.100.77/32', url: server.url});

    const check = await makeClients(testSettings({accountId}));
    const described = await check.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [record.resolved.securityGroupId!]}));
    const ssh = described.SecurityGroups?.[0]?.IpPermissions?.filter((rule) => rule.FromPort === 22) ?? [];
    expect(ssh).toHaveLength(1);
    expect(ssh[0]!.IpRanges?.map((range) => range.CidrIp)).toEqual(['198.51.100.77/32']);
    expect(ssh[0]!.Ipv6Ranges ?? []).toEqual([]);

    const destroyed = context([launchId], {yes: true, endpointUrl: proxy.endpoint}, env);
    expect(await destroyCommand(destroyed.ctx), destroyed.stderr.text).toBe(0);
  });

  it.each([
    ['offline', async () => closedUrl(), 'could not be reached'],
    ['a garbage answer', async () => (await checkip('<html>sign in</html>')).url, 'unusable answer'],
  ])('%s: exit 2 with a clear message, before any AWS call and without a journal', async (_what, url, said) => {
    const home = tempDir('tandem-home-');
    const env = {TANDEM_HOME: home, TANDEM_CHECKIP_URL: await url()};
    const {ctx, stderr} = context([profileWithMe(tempDir('tandem-profile-'))], {yes: true, endpointUrl: proxy.endpoint}, env);
    expect(await launchCommand(ctx)).toBe(2);
    expect(stderr.text).toContain('securityGroup.ssh is "me"');
    expect(stderr.text).toContain(said);
    expect(stderr.text).toContain('nothing was created');
    expect(stderr.text).not.toContain('0.0.0.0/0');
    expect(proxy.requests).toEqual([]);
    const launches = path.join(home, 'launches');
    expect(existsSync(launches) ? readdirSync(launches) : []).toEqual([]);
  });
});
