// 6. A fleet: `tandem fleet deploy` to 2 accounts × 2 regions through StackSets, then `tandem
// fleet verify`, beside the same four targets done as four `tandem launch FILE --yes` one after
// another (each launch verifies what it made). The built CLI as child processes, against moto
// through the proxy that makes up moto's StackSets gaps (test/support/moto-stacksets.ts).
// moto builds every stack instance inside one CreateStackInstances call, so this measures
// tandem's side (pre-flight, calls, polling, verification), not how long AWS takes to build stacks.
import {execFile} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {startFaultProxy} from '../test/support/fault-proxy.js';
import {DescribeStacksCommand} from '@aws-sdk/client-cloudformation';
import {send} from '../source/aws/actions.js';
import {makeClients, makeCloudFormationClient} from '../source/aws/clients.js';
import {imageParameterName} from '../source/domain/plan.js';
import {fleetSpec, organization, settingsFor, type Org} from '../test/support/fleet-org.js';
import {motoStackSets} from '../test/support/moto-stacksets.js';
import {serializeProfile} from '../source/store/profile-file.js';
import {credentialsFor} from './accounts.js';
import {median, ratio, round} from './stats.js';
import {CLI, cleanEnv, tempDir} from './terminal.js';

const REGIONS = ['us-east-1', 'eu-west-1'];

export interface FleetFigures {
  runs: number;
  deployMs: number[];
  verifyMs: number[];
  launchesMs: number[];
  medianDeployMs: number;
  medianVerifyMs: number;
  medianFleetMs: number;
  medianLaunchesMs: number;
  ratioLaunchesToFleet: number;
}

function cli(args: string[], env: Record<string, string>): Promise<{code: number; ms: number; stdout: string; stderr: string}> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], {env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, ms: performance.now() - started, stdout, stderr});
    });
  });
}

const envFor = (org: Org, endpoint: string, home: string, region = 'us-east-1') =>
  cleanEnv({
    TANDEM_HOME: home,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: org.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: org.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: org.credentials.sessionToken,
  });

/** moto builds an account's state per region on first use; neither side should pay for that. */
export async function warm(motoEndpoint: string, org: Org): Promise<void> {
  for (const account of [org.admin, ...org.members]) {
    for (const region of REGIONS) {
      const settings = {...settingsFor(motoEndpoint, account), region};
      const [clients, cfn] = await Promise.all([makeClients(settings), makeCloudFormationClient(settings)]);
      await Promise.all([
        send(clients, 'ec2', 'DescribeVpcs', {}),
        send(clients, 'ec2', 'DescribeRegions', {AllRegions: true}),
        send(clients, 'iam', 'ListRoles', {}),
        send(clients, 'kms', 'ListKeys', {}),
        send(clients, 'ssm', 'GetParameter', {Name: imageParameterName('al2023', 'x86_64')}),
        cfn.send(new DescribeStacksCommand({})),
      ]);
    }
  }
}

function check(label: string, result: {code: number; stdout: string; stderr: string}, allowed: number[]): void {
  if (!allowed.includes(result.code))
    throw new Error(
      `${label} exited ${result.code}: ${`${result.stderr}${result.stdout}`
        .trim()
        .split('\n')
        .filter((line) => /fail/.test(line))
        .slice(0, 3)
        .join(' | ')}`,
    );
}

export async function measureFleet(motoEndpoint: string, runs: number, log: (line: string) => void): Promise<FleetFigures> {
  const proxy = await startFaultProxy(motoEndpoint, {intercept: motoStackSets(motoEndpoint)});
  const deployMs: number[] = [];
  const verifyMs: number[] = [];
  const launchesMs: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const dir = tempDir('tandem-bench-fleet-');
      const file = path.join(dir, 'web.yaml');
      writeFileSync(file, serializeProfile(fleetSpec()));

      const org = await organization(motoEndpoint);
      const other = await organization(motoEndpoint);
      await warm(motoEndpoint, org);
      await warm(motoEndpoint, other);
      const env = envFor(org, proxy.endpoint, path.join(dir, 'fleet-home'));
      const deploy = await cli(['fleet', 'deploy', file, '--regions', REGIONS.join(','), '--accounts', org.members.join(','), '--max-concurrent', '2', '--yes', '--output', 'json'], env);
      check('tandem fleet deploy', deploy, [0]);
      const verify = await cli(['fleet', 'verify', 'web', '--output', 'json'], env);
      check('tandem fleet verify', verify, [0, 3]);
      deployMs.push(deploy.ms);
      verifyMs.push(verify.ms);

      // The same four targets, one launch after another, each as the execution role would be:
      // credentials of the target account (moto maps an assumed role's keys to its account).
      let total = 0;
      for (const account of other.members) {
        const keys = await credentialsFor(motoEndpoint, account);
        for (const region of REGIONS) {
          const home = path.join(dir, 'launch-home');
          const launchEnv = cleanEnv({TANDEM_HOME: home, AWS_ENDPOINT_URL: motoEndpoint, AWS_REGION: region, ...keys});
          // IAM names are global: a launch names its role, and the flow logs' role after the
          // instance, so each region's launch gets its own of both (the fleet's template leaves
          // the names to CloudFormation for the same reason).
          const regional = path.join(dir, `web-${region}.yaml`);
          const spec = fleetSpec();
          const named = {...spec, instance: {...spec.instance, name: `web-${region}`}, role: {...spec.role, name: `WebRole-${region}`}};
          writeFileSync(regional, serializeProfile(named));
          const launch = await cli(['launch', regional, '--yes', '--region', region, '--output', 'json'], launchEnv);
          check(`tandem launch in ${account}/${region}`, launch, [0, 3]);
          total += launch.ms;
        }
      }
      launchesMs.push(total);
      log(`  fleet run ${run + 1}/${runs}: deploy ${round(deploy.ms)} ms, verify ${round(verify.ms)} ms; four launches ${round(total)} ms`);
    }
  } finally {
    await proxy.close();
  }
  const fleet = deployMs.map((ms, index) => ms + verifyMs[index]);
  return {
    runs,
    deployMs: deployMs.map((ms) => round(ms)),
    verifyMs: verifyMs.map((ms) => round(ms)),
    launchesMs: launchesMs.map((ms) => round(ms)),
    medianDeployMs: round(median(deployMs)),
    medianVerifyMs: round(median(verifyMs)),
    medianFleetMs: round(median(fleet)),
    medianLaunchesMs: round(median(launchesMs)),
    ratioLaunchesToFleet: ratio(median(launchesMs), median(fleet)),
  };
}
