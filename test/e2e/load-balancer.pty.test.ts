// The built binary in a pseudo-terminal against the local AWS endpoint, launching the web tier
// behind a load balancer as a person does: the network screen's Reach list, the review with its
// cost (prices from the local Price List endpoint, test/support/pricing-double.ts), one reason for
// the high risks, the end screen with every control verified, then destroy. The screens are printed
// to the log as a person saw them (a headless terminal emulator reads the rows).
//
// The binary cannot send moto's per-test account header, so it talks to moto through a proxy that
// adds one (test/support/fault-proxy.ts): an account of its own, apart from launch-moto.pty's
// default account, whose launch of the same names (the Session Manager role) may run at the same time.
import {execFile} from 'node:child_process';
import {DescribeInstancesCommand} from '@aws-sdk/client-ec2';
import {DescribeListenersCommand, DescribeLoadBalancersCommand} from '@aws-sdk/client-elastic-load-balancing-v2';
import {makeClients} from '../../source/aws/clients.js';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';
import {SizedScreen} from './pty-screen.js';
import {CLI, STEPS, motoEnv, pause, removeTempHomes, requireBuild} from './pty-session.js';

afterEach(() => removeTempHomes());

const ACCOUNT = freshAccountId();
let prices: PricingDouble;
let account: FaultProxy;
beforeAll(async () => {
  prices = await startPricingDouble();
  account = await startFaultProxy(motoEndpoint(), {accountId: ACCOUNT});
});
afterAll(async () => {
  await prices.close();
  await account.close();
});

/**
 * The built CLI, run without blocking this process: the account's proxy runs in it and must answer.
 * Resolves with the exit status and the output, whatever the status.
 */
function cli(args: string[], env: Record<string, string>): Promise<{status: number; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {env, encoding: 'utf8', timeout: 120_000}, (error, stdout, stderr) => {
      resolve({status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

const shows = (screen: SizedScreen, text: string) => screen.until((lines) => lines.join('\n').includes(text), `"${text}"`, 60_000);

describe('a load-balanced launch in a terminal', () => {
  test('Reach: through a load balancer; the review prices it; launch, verify, destroy leaves nothing', async () => {
    requireBuild();
    const env = motoEnv(account.endpoint, {AWS_ENDPOINT_URL_PRICING: prices.url});
    const screen = new SizedScreen(100, 45, [], env);
    try {
      await shows(screen, `account ${ACCOUNT} · us-east-1`);
      for (let step = 2; step <= 4; step++) {
        await screen.press('\r');
        await shows(screen, `step ${step} of ${STEPS}`);
      }
      // Network: tab to Reach, two down to the load balancer; its certificate list appears.
      await pause(300);
      await screen.press('\t');
      await pause(300);
      await screen.press('\u001B[B');
      await screen.press('\u001B[B');
      await shows(screen, 'Certificate');
      console.log(`--- the network screen, load balancer chosen (100×45) ---\n${screen.text()}`);
      for (let step = 5; step <= STEPS; step++) {
        await screen.press('\r');
        await shows(screen, `step ${step} of ${STEPS}`);
      }
      await shows(screen, 'pre-flight passed');
      await shows(screen, 'a month');
      console.log(`--- the review ---\n${screen.text()}`);
      await screen.press('c');
      await shows(screen, 'c hide cost lines');
      console.log(`--- the review's cost breakdown (c) ---\n${screen.text()}`);
      // The details scroll in their own region: PgDn until the load balancer's lines show.
      for (let page = 0; page < 4 && !screen.text().includes('Application Load Balancer:'); page++) {
        await pause(300);
        await screen.press('\u001B[6~');
        await pause(200);
      }
      await shows(screen, 'Application Load Balancer:');
      console.log(`--- the cost breakdown, one page down ---\n${screen.text()}`);
      await screen.press('\u001B[5~');
      await screen.press('c');
      await shows(screen, 'c cost lines');
      // Launch asks one reason for the high risks a load-balanced launch still carries.
      await pause(300);
      await screen.press('\r');
      await screen.until((lines) => /Why are these \d+ high risks acceptable here\?/.test(lines.join('\n')), 'the risk prompt');
      for (const char of 'web tier behind a load balancer') await screen.press(char);
      await screen.press('\r');
      await shows(screen, 'as recorded risks');
      await pause(300);
      await screen.press('\r');
      await shows(screen, 'Remove it all');
      const text = screen.text();
      console.log(`--- the end screen ---\n${text}`);
      const verification = /Verification: (\d+) passed, (\d+) failed/.exec(text);
      expect(verification?.[2], `every control passes:\n${text}`).toBe('0');
      const launchId = /tandem destroy (l-[0-9a-z-]+)/.exec(text)?.[1];
      expect(launchId).toBeTruthy();
      // The site is at the load balancer's name; the instance has no address of its own.
      expect(text).toMatch(/Open the site\s+http:\/\/tandem-web-1-[^\s]+\//);
      expect(text).toContain('the load balancer reaches it inside the VPC');
      await screen.press('\r');
      expect(await screen.exitWithin(20_000)).toBe(0);

      // What AWS reports, independently: the instance without a public address, the load balancer's listener.
      const {ec2, elbv2} = await makeClients(testSettings({accountId: ACCOUNT}));
      const instances =
        (await ec2.send(new DescribeInstancesCommand({Filters: [{Name: 'tag:tandem:launch-id', Values: [launchId!]}]}))).Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
      expect(instances).toHaveLength(1);
      expect(instances[0].PublicIpAddress).toBeUndefined();
      const lb = (await elbv2.send(new DescribeLoadBalancersCommand({Names: ['tandem-web-1']}))).LoadBalancers?.[0];
      expect(lb?.Scheme).toBe('internet-facing');
      const listeners = (await elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb?.LoadBalancerArn}))).Listeners ?? [];
      expect(listeners.map((listener) => `${listener.Protocol} ${listener.Port}`)).toEqual(['HTTP 80']);

      // Verified again from the command line, as an auditor would: every row passes, the load balancer's among them.
      const verified = await cli(['verify', launchId!], env);
      expect(verified.status, `${verified.stdout}\n${verified.stderr}`).toBe(0);
      // The table wraps the control's name: its first line carries the owner and the result.
      expect(verified.stdout).toMatch(/^Application Load\s+both .*PASS$/m);
      expect(verified.stdout).toMatch(/^Chained security\s+both .*PASS$/m);
      console.log(`--- tandem verify ---\n${verified.stdout}`);

      const destroy = await cli(['destroy', launchId!, '--yes'], env);
      expect(destroy.status, `${destroy.stdout}\n${destroy.stderr}`).toBe(0);
      console.log(`--- tandem destroy ---\n${destroy.stdout}`);
      const gone = await elbv2.send(new DescribeLoadBalancersCommand({})).then((answer) => answer.LoadBalancers?.filter((item) => item.LoadBalancerName === 'tandem-web-1') ?? []);
      expect(gone).toEqual([]);
    } finally {
      screen.kill();
    }
  }, 180_000);
});
