// The built binary in a pseudo-terminal against the local AWS endpoint (moto): Enter through the
// defaults with an SSH address typed in, launch, read the verification table, then destroy.
// moto's default account (123456789012) is used because the binary has no way to send the
// per-test account header; no other suite uses that account.
import {spawnSync} from 'node:child_process';
import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {afterEach, beforeAll, describe, expect, test} from 'vitest';
import {motoEndpoint} from '../support/aws.js';
import {CLI, STEPS, Session, exitWithin, motoEnv, pause, removeTempHomes, requireBuild} from './pty-session.js';

afterEach(() => removeTempHomes());

function ec2(): EC2Client {
  return new EC2Client({region: 'us-east-1', endpoint: motoEndpoint(), credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}, maxAttempts: 1});
}

/**
 * moto gap (5.2.x): the default VPC's main route table has only the local route, while on AWS it
 * sends 0.0.0.0/0 to the default VPC's internet gateway. Give moto's default VPC what AWS has,
 * so verification of a default-VPC launch checks tandem, not moto.
 */
async function defaultVpcLikeAws(): Promise<void> {
  const client = ec2();
  const vpc = (await client.send(new DescribeVpcsCommand({Filters: [{Name: 'is-default', Values: ['true']}]}))).Vpcs?.[0];
  if (!vpc?.VpcId) throw new Error('moto has no default VPC in us-east-1');
  const tables = (await client.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpc.VpcId]}]}))).RouteTables ?? [];
  const main = tables.find((table) => table.Associations?.some((association) => association.Main));
  if (!main?.RouteTableId) throw new Error('moto default VPC has no main route table');
  if (main.Routes?.some((route) => route.DestinationCidrBlock === '0.0.0.0/0')) return;
  const gateway = (await client.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId;
  await client.send(new AttachInternetGatewayCommand({InternetGatewayId: gateway, VpcId: vpc.VpcId}));
  await client.send(new CreateRouteCommand({RouteTableId: main.RouteTableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway}));
}

beforeAll(async () => {
  await defaultVpcLikeAws();
});

describe('tandem in a terminal against the local AWS endpoint', () => {
  test('launch with SSH from one address, verify, destroy', async () => {
    requireBuild();
    const env = motoEnv(motoEndpoint());
    const session = new Session([], env);
    try {
      const EXPLAIN = 'explain mode — nothing will be created (';
      const header = await session.waitForAny(['account 123456789012 · us-east-1', EXPLAIN]);
      if (header === EXPLAIN) {
        const reason = session.text.slice(session.text.indexOf(EXPLAIN) + EXPLAIN.length).split(') · launch')[0];
        throw new Error(`the built binary did not reach the local AWS endpoint and fell back to explain mode: ${reason.replace(/\s+/g, ' ')}`);
      }
      for (let step = 2; step <= 8; step++) {
        await session.press('\r');
        await session.waitFor(`step ${step} of ${STEPS}`);
      }
      // Security group: tab to the SSH list, choose "only from your address", tab to the address.
      await session.press('\t');
      await session.waitFor('› no SSH at all');
      // As a person would: look at the list before moving in it (a list takes its keys once drawn).
      await pause(300);
      await session.press('\u001B[B');
      await session.waitFor('Your address');
      await pause(300);
      await session.press('\t');
      // The address field has the cursor once the help line offers to leave it.
      await session.waitFor('esc leave field');
      for (const char of '203.0.113.7/32') await session.press(char);
      await session.waitFor('203.0.113.7/32');
      for (let step = 9; step <= STEPS; step++) {
        await session.press('\r');
        await session.waitFor(`step ${step} of ${STEPS}`);
      }
      // The review names the SSH rule (the firewall line wraps wherever the column ends).
      await session.waitForMatch(/SSH\s+(from\s+)?203\.0\.113\.7\/32/);
      // Launch waits for pre-flight, whose verdict heads the review's details.
      await session.waitFor('pre-flight passed', 60_000);
      // The details scroll in their own region: PgDn down to the findings.
      for (let page = 0; page < 6 && !/Findings \(\d+\)/.test(session.text); page++) {
        await session.press('\u001B[6~');
        await pause(150);
      }
      const findings = Number(/Findings \((\d+)\)/.exec(session.text)?.[1] ?? NaN);
      expect(findings, 'the review counts its findings').toBeGreaterThan(0);
      // The cursor arrives on Launch. A public web server carries high risks (the tools rate its
      // public address, default subnet and open web port high), so Launch first asks one reason
      // for all of them; typed, it is recorded with each, and the next Enter launches.
      await pause(300);
      await session.press('\r');
      await session.waitForMatch(/Why are these \d+ high risks acceptable here\?/);
      await pause(300);
      for (const char of 'public web server') await session.press(char);
      await session.waitFor('public web server');
      await session.press('\r');
      await session.waitFor('as recorded risks');
      await pause(300);
      await session.press('\r');
      await session.waitFor('Verification:', 60_000);
      await session.waitFor('Remove it all');
      const launchId = /tandem destroy (l-[0-9a-z-]+)/.exec(session.text)?.[1];
      expect(launchId, 'the end screen names the destroy command').toBeTruthy();
      const verification = /Verification: (\d+) passed, (\d+) failed/.exec(session.text);
      const screen = session.text.slice(session.text.lastIndexOf('Verification:'));
      expect(verification?.[2], `every control passes:\n${screen}`).toBe('0');
      expect(screen).toMatch(/http:\/\/\d+\.\d+\.\d+\.\d+/);
      await session.press('\r');
      expect(await exitWithin(session, 20_000)).toBe(0);

      const destroy = spawnSync(process.execPath, [CLI, 'destroy', launchId!, '--yes'], {env, encoding: 'utf8', timeout: 60_000});
      expect(destroy.status, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
      const left = await ec2().send(new DescribeInstancesCommand({Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId!]}]}));
      const states = (left.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.State?.Name);
      expect(states.length, 'the launch created one instance').toBe(1);
      expect(
        states.every((state) => state === 'terminated' || state === 'shutting-down'),
        `instance states after destroy: ${states.join(', ')}`,
      ).toBe(true);
    } finally {
      session.kill();
    }
  }, 120_000);
});
