// `tandem fleet verify`, `fleet destroy` and a deploy of a recorded fleet act only where the fleet
// record says its StackSet lives: the endpoint, region, administration account and partition. A
// run told another endpoint or region, or holding credentials for another account, is refused
// (exit 2) before any request; a second moto stands for "another endpoint" and must see nothing.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {Readable} from 'node:stream';
import {DescribeStackSetCommand, ListStackInstancesCommand} from '@aws-sdk/client-cloudformation';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {makeCloudFormationClient} from '../../source/aws/clients.js';
import {run as fleetCommand} from '../../source/commands/fleet.js';
import type {GlobalFlags} from '../../source/commands/types.js';
import {openFleetStore, type FleetRecord} from '../../source/store/fleets.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {Capture, DEFAULT_FLAGS, runCommand} from '../support/command-io.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {fleetSpec, organization, type Org} from '../support/fleet-org.js';
import {startMoto, type MotoServer} from '../support/moto-server.js';
import {motoStackSets} from '../support/moto-stacksets.js';
import {tempDir} from './provision-support.js';

let proxy: FaultProxy;
let other: MotoServer;
let otherProxy: FaultProxy;
let org: Org;
let home: string;
let file: string;

function useCredentials(credentials: {accessKeyId: string; secretAccessKey: string; sessionToken?: string}) {
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', credentials.sessionToken);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_REGION', 'us-east-1');
}

/** `tandem fleet SUB…` with the org's credentials; AWS_ENDPOINT_URL is the fleet's own unless told. */
function fleet(args: string[], flags: Partial<GlobalFlags> = {}, endpoint = proxy.endpoint) {
  return runCommand(fleetCommand, args, {env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: endpoint, TANDEM_FLEET_POLL_MS: '20'}, flags});
}

const store = () => openFleetStore(home);

/** The StackSet and its one stack instance, still where the fleet was made. */
async function stillDeployed(): Promise<void> {
  const cfn = await makeCloudFormationClient(testSettings({accountId: org.admin}));
  expect((await cfn.send(new DescribeStackSetCommand({StackSetName: 'web'}))).StackSet?.Status).toBe('ACTIVE');
  const instances = (await cfn.send(new ListStackInstancesCommand({StackSetName: 'web'}))).Summaries ?? [];
  expect(instances.map((instance) => `${instance.Account}/${instance.Region}`)).toEqual([`${org.members[0]}/us-east-1`]);
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint(), {intercept: motoStackSets(motoEndpoint())});
  // A second moto is another endpoint with the same accounts: the fleet's StackSet is not there.
  other = await startMoto();
  otherProxy = await startFaultProxy(other.endpoint);
  org = await organization(motoEndpoint(), {members: 1});
  const dir = tempDir('tandem-fleet-target-');
  home = path.join(dir, 'home');
  const spec = fleetSpec();
  file = path.join(dir, 'web.yaml');
  writeFileSync(file, serializeProfile({...spec, storage: {...spec.storage, kmsKey: 'aws/ebs'}}));
  useCredentials(org.credentials);
  const deployed = await fleet(['deploy', file], {yes: true, regions: 'us-east-1', accounts: org.members.join(',')});
  expect(deployed.code, deployed.stderr).toBe(0);
  vi.unstubAllEnvs();
}, 180_000);

afterAll(async () => {
  await otherProxy?.close();
  await other?.stop();
  await proxy?.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a fleet acts only where its record says it was made', () => {
  it('records the administration account, its partition, region and endpoint at deploy', () => {
    expect(store().read('web')).toMatchObject({account: org.admin, partition: 'aws', region: 'us-east-1', endpointUrl: proxy.endpoint});
  });

  it('refuses (exit 2) another endpoint for verify, destroy and deploy: no request anywhere, record and stacks unchanged', async () => {
    useCredentials(org.credentials);
    const before = store().read('web');
    const seen = proxy.requests.length;
    const told: Array<{flags: Partial<GlobalFlags>; env: string; from: string}> = [
      {flags: {}, env: otherProxy.endpoint, from: 'AWS_ENDPOINT_URL'},
      {flags: {endpointUrl: otherProxy.endpoint}, env: proxy.endpoint, from: '--endpoint-url'},
    ];
    const runs: Array<[string[], Partial<GlobalFlags>]> = [
      [['verify', 'web'], {}],
      [['destroy', 'web'], {yes: true}],
      [['deploy', file], {yes: true, regions: 'us-east-1', accounts: org.members.join(',')}],
    ];
    for (const {flags, env, from} of told) {
      for (const [args, extra] of runs) {
        const result = await fleet(args, {...extra, ...flags}, env);
        expect(result.code, `${args[0]} ${from}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toBe(
          `tandem fleet ${args[0]}: fleet web was made through ${proxy.endpoint} (its fleet record says so), but ${from} gives ${otherProxy.endpoint}; ` +
            `tandem fleet ${args[0]} acts only where the fleet was made, so nothing was changed. Run it again without ${from}.\n`,
        );
        expect(result.stdout).not.toMatch(/Removed|Deployed/);
      }
    }
    // Without --yes, on a terminal: refused before the question, so no answer can change anything.
    const stdin = Object.assign(Readable.from(['y\n']), {isTTY: true});
    const stderr = new Capture();
    const asked = await fleetCommand({
      args: ['destroy', 'web'],
      flags: {...DEFAULT_FLAGS},
      io: {stdin, stdout: Object.assign(new Capture(), {isTTY: true}), stderr, env: {TANDEM_HOME: home, AWS_ENDPOINT_URL: otherProxy.endpoint}},
    });
    expect(asked).toBe(2);
    expect(stderr.text).not.toContain('[y/N]');
    expect(otherProxy.requests).toEqual([]);
    expect(proxy.requests.slice(seen)).toEqual([]);
    expect(store().read('web')).toEqual(before);
    await stillDeployed();
  }, 60_000);

  it('refuses (exit 2) another region for verify and destroy, before any request', async () => {
    useCredentials(org.credentials);
    const before = store().read('web');
    const seen = proxy.requests.length;
    for (const [args, flags] of [
      [['verify', 'web'], {region: 'eu-west-1'}],
      [['destroy', 'web'], {region: 'eu-west-1', yes: true}],
    ] as Array<[string[], Partial<GlobalFlags>]>) {
      const result = await fleet(args, flags);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(
        `fleet web was made in region us-east-1 (its fleet record says so), but --region gives eu-west-1; tandem fleet ${args[0]} acts only where the fleet was made`,
      );
    }
    expect(proxy.requests.slice(seen)).toEqual([]);
    expect(store().read('web')).toEqual(before);
    await stillDeployed();
  }, 60_000);

  it("refuses (exit 2) credentials for another account or partition than the record's, asking only who they are", async () => {
    const before = store().read('web');
    const cases: Array<[Partial<FleetRecord>, {accessKeyId: string; secretAccessKey: string; sessionToken?: string}, RegExp]> = [
      // moto's own test keys are account 123456789012, not the fleet's administration account.
      [
        {},
        {accessKeyId: 'testing', secretAccessKey: 'testing'},
        new RegExp(
          `fleet web was made in account ${org.admin} \\(its fleet record says so\\), but these credentials are for account 123456789012; tandem fleet (verify|destroy) changed nothing`,
        ),
      ],
      [
        {partition: 'aws-cn'},
        org.credentials,
        /fleet web was made in the aws-cn partition \(its fleet record says so\), but these credentials are for the aws partition; tandem fleet (verify|destroy) changed nothing/,
      ],
    ];
    for (const [where, credentials, message] of cases) {
      const recorded = store().write({...before, ...where});
      useCredentials(credentials);
      const seen = proxy.requests.length;
      for (const [args, flags] of [
        [['verify', 'web'], {}],
        [['destroy', 'web'], {yes: true}],
      ] as Array<[string[], Partial<GlobalFlags>]>) {
        const result = await fleet(args, flags);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
      expect(proxy.requests.slice(seen).map((request) => request.action)).toEqual(['GetCallerIdentity', 'GetCallerIdentity']);
      expect(store().read('web')).toEqual(recorded);
    }
    store().write(before);
    await stillDeployed();
  }, 60_000);

  it('works with the recorded endpoint given explicitly, and a deploy completes a record kept before the partition was', async () => {
    useCredentials(org.credentials);
    const verify = await fleet(['verify', 'web'], {output: 'json', endpointUrl: proxy.endpoint, region: 'us-east-1'}, otherProxy.endpoint);
    expect(verify.stderr).toBe('');
    // Every target read (this profile's public IP fails two controls in moto, so exit 3, not 2).
    expect(verify.code, verify.stdout).toBe(3);
    const summary = JSON.parse(verify.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({type: 'summary', fleet: 'web', targets: 1, unverified: 0});
    expect(summary.passed).toBeGreaterThan(0);
    // Written by an older tandem: neither the account nor the partition. A deploy of it, told its
    // endpoint, resumes it there and records both.
    const {account: _account, partition: _partition, ...older} = store().read('web');
    store().write(older);
    const again = await fleet(['deploy', file], {yes: true, regions: 'us-east-1', accounts: org.members.join(','), endpointUrl: proxy.endpoint}, otherProxy.endpoint);
    expect(again.code, again.stderr).toBe(0);
    expect(store().read('web')).toMatchObject({account: org.admin, partition: 'aws', endpointUrl: proxy.endpoint});
    await stillDeployed();
    const destroy = await fleet(['destroy', 'web'], {yes: true, endpointUrl: `${proxy.endpoint}/`});
    expect(destroy.stderr).not.toContain('tandem fleet destroy:');
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toContain('Removed fleet web');
    expect(store().read('web').status).toBe('destroyed');
    expect(otherProxy.requests).toEqual([]);
  }, 120_000);
});
