// A fresh moto account behind the fault proxy (so every call can be counted), its default VPC
// routed to an internet gateway as AWS's is, and `tandem launch` run in process the way cli.tsx
// runs it, with credentials from the standard chain.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateRouteCommand, DescribeRouteTablesCommand, DescribeVpcsCommand} from '@aws-sdk/client-ec2';
import {afterEach, beforeEach, vi} from 'vitest';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {run as launchCommand} from '../../source/commands/launch.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {freshAccountId, motoEndpoint} from '../support/aws.js';
import {runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {tempDir} from './provision-support.js';

/** Calls that change something in the account. */
const CREATES = /^(Create|Run|Allocate|Import|Put|Add|Attach|Associate|Authorize|Enable|Modify|Tag)/;

export interface Account {
  proxy: FaultProxy;
  clients: AwsClients;
  home: string;
  env: NodeJS.ProcessEnv;
  /** Calls that create or change something (a DryRun call does not), since the account was set up (or `since`). */
  creates(since?: number): string[];
  launch(args: string[], flags?: Partial<GlobalFlags>): Promise<{code: number; stdout: string; stderr: string}>;
  profile(yaml: string): string;
}

export async function freshAccount(): Promise<Account> {
  const accountId = freshAccountId();
  const proxy = await startFaultProxy(motoEndpoint(), {accountId});
  const clients = await makeClients({
    region: 'us-east-1',
    endpointUrl: motoEndpoint(),
    maxAttempts: 1,
    headers: {'x-moto-account-id': accountId},
    credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
  });
  await defaultVpcLikeAws(clients);
  const home = tempDir('tandem-home-');
  const env: NodeJS.ProcessEnv = {TANDEM_HOME: home};
  const dir = tempDir('tandem-profiles-');
  let files = 0;
  return {
    proxy,
    clients,
    home,
    env,
    creates: (since = 0) =>
      proxy.requests
        .slice(since)
        .filter((request) => CREATES.test(request.action) && !request.body.includes('DryRun=true'))
        .map((request) => request.action),
    launch: (args, flags = {}) => runCommand(launchCommand, args, {flags: {endpointUrl: proxy.endpoint, ...flags}, env}),
    profile(yaml) {
      files += 1;
      const file = path.join(dir, `p${files}.yaml`);
      writeFileSync(file, yaml);
      return file;
    },
  };
}

/** AWS's default VPC sends 0.0.0.0/0 to an internet gateway; moto's has no gateway. */
export async function defaultVpcLikeAws(clients: AwsClients): Promise<string> {
  const vpc = (await clients.ec2.send(new DescribeVpcsCommand({Filters: [{Name: 'isDefault', Values: ['true']}]}))).Vpcs![0];
  const tables = (await clients.ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpc.VpcId!]}]}))).RouteTables ?? [];
  const main = tables.find((table) => table.Associations?.some((association) => association.Main))!;
  if (!main.Routes?.some((route) => route.DestinationCidrBlock === '0.0.0.0/0')) {
    const gateway = (await clients.ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await clients.ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: gateway, VpcId: vpc.VpcId}));
    await clients.ec2.send(new CreateRouteCommand({RouteTableId: main.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway}));
  }
  return vpc.VpcId!;
}

/**
 * Registers the hooks of a file whose tests each open fresh accounts: credentials in the
 * environment as a user's shell holds them, proxies closed afterwards. Returns the opener.
 */
export function freshAccounts(): () => Promise<Account> {
  const opened: Account[] = [];
  beforeEach(() => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(opened.splice(0).map((account) => account.proxy.close()));
  });
  return async () => {
    const created = await freshAccount();
    opened.push(created);
    return created;
  };
}
