// `securityGroup.ssh: me` in a profile, launched without prompts against moto: the address comes
// from a local stand-in for checkip (TANDEM_CHECKIP_URL), the group allows exactly that /32 on
// port 22 (read back with an independent DescribeSecurityGroups), and the journal records the
// address and where it was found. A lookup that finds nothing stops before any AWS call.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {DescribeSecurityGroupsCommand} from '@aws-sdk/client-ec2';
import {afterEach, describe, expect, it} from 'vitest';
import {run as destroyCommand} from '../../source/commands/destroy.js';
import {runCommand} from '../support/command-io.js';
import {closedUrl, startCheckip, type CheckipServer} from '../support/checkip-server.js';
import {freshAccounts, type Account} from './preflight-support.js';
import {PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

const openAccount = freshAccounts();

// A new VPC: the profile should not depend on the default VPC's routes.
const PROFILE_WITH_ME = [
  'version: 1',
  'region: us-east-1',
  'network: {vpc: new, subnet: public, publicIp: true}',
  'securityGroup: {name: me-sg, ssh: me}',
  // A public web server: what the tools rate high about it is accepted, as its operator would.
  `acceptedRisks: [${PUBLIC_WEB_SERVER_RISKS.map((risk) => `{finding: ${risk.finding}, reason: public web server}`).join(', ')}]`,
  '',
].join('\n');

const servers: CheckipServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function checkip(body: string): Promise<CheckipServer> {
  const server = await startCheckip(body);
  servers.push(server);
  return server;
}

/** A fresh account whose launches ask `url` for "my address". */
async function accountAsking(url: string): Promise<Account> {
  const account = await openAccount();
  account.env.TANDEM_CHECKIP_URL = url;
  return account;
}

describe('ssh: me in a profile', () => {
  it('opens port 22 to exactly the address checkip found, and the journal says so', async () => {
    const server = await checkip('52.95.110.77\n');
    const account = await accountAsking(server.url);
    const {code, stdout, stderr} = await account.launch([account.profile(PROFILE_WITH_ME)], {yes: true, output: 'json'});
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('securityGroup.ssh: me is 52.95.110.77/32');
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({type: 'summary', status: 'launched'});
    const launchId = String(summary.launchId);

    const record = JSON.parse(readFileSync(path.join(account.home, 'launches', `${launchId}.json`), 'utf8')) as {
      spec: {securityGroup: {ssh: unknown}};
      myAddress?: unknown;
      resolved: {securityGroupId?: string};
    };
    expect(record.spec.securityGroup.ssh).toBe('52.95.110.77/32');
    expect(record.myAddress).toEqual({cidr: '52.95.110.77/32', url: server.url});

    const described = await account.clients.ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [record.resolved.securityGroupId!]}));
    const ssh = described.SecurityGroups?.[0]?.IpPermissions?.filter((rule) => rule.FromPort === 22) ?? [];
    expect(ssh).toHaveLength(1);
    expect(ssh[0].IpRanges?.map((range) => range.CidrIp)).toEqual(['52.95.110.77/32']);
    expect(ssh[0].Ipv6Ranges ?? []).toEqual([]);

    const destroyed = await runCommand(destroyCommand, [launchId], {flags: {yes: true, endpointUrl: account.proxy.endpoint}, env: account.env});
    expect(destroyed.code, destroyed.stderr).toBe(0);
  });

  it.each([
    ['offline', async () => closedUrl(), 'could not be reached'],
    ['a garbage answer', async () => (await checkip('<html>sign in</html>')).url, 'unusable answer'],
  ])('%s: exit 2 with a clear message, before any AWS call and without a journal', async (_what, url, said) => {
    const account = await accountAsking(await url());
    const {code, stderr} = await account.launch([account.profile(PROFILE_WITH_ME)], {yes: true});
    expect(code).toBe(2);
    expect(stderr).toContain('securityGroup.ssh is "me"');
    expect(stderr).toContain(said);
    expect(stderr).toContain('nothing was created');
    expect(stderr).not.toContain('0.0.0.0/0');
    expect(account.proxy.requests).toEqual([]);
    const launches = path.join(account.home, 'launches');
    expect(existsSync(launches) ? readdirSync(launches) : []).toEqual([]);
  });
});
