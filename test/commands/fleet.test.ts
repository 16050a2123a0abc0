// The fleet commands' bad input: each gets one clear line and exit 2 before any AWS call.
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {run as fleet} from '../../source/commands/fleet.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {Capture, DEFAULT_FLAGS, runCommand} from '../support/command-io.js';
import {openFleetStore} from '../../source/store/fleets.js';
import {PassThrough} from 'node:stream';
import {publicWebServerSpec} from '../support/launch-specs.js';

function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-fleet-cmd-'));
  const file = path.join(dir, 'web.yaml');
  const spec = publicWebServerSpec();
  writeFileSync(file, serializeProfile({...spec, network: {vpc: 'new', subnet: 'public', publicIp: true}}));
  // No endpoint reachable: anything that tried AWS would fail differently.
  return {file, env: {TANDEM_HOME: path.join(dir, 'home'), AWS_ENDPOINT_URL: 'http://127.0.0.1:9'}};
}

describe('tandem fleet: usage', () => {
  it('needs a known subcommand', async () => {
    const {env} = setup();
    expect(await runCommand(fleet, [], {env})).toMatchObject({code: 2, stderr: expect.stringContaining('a subcommand is needed')});
    expect(await runCommand(fleet, ['launch'], {env})).toMatchObject({code: 2, stderr: expect.stringContaining('unknown subcommand "launch"')});
  });

  it('deploy needs regions and either accounts or organizational units', async () => {
    const {file, env} = setup();
    const run = (flags: Record<string, string | boolean>) => runCommand(fleet, ['deploy', file], {env, flags: {yes: true, ...flags}});
    expect((await run({accounts: '111111111111'})).stderr).toContain('--regions is needed');
    expect((await run({regions: 'us-east-1'})).stderr).toContain('give either --accounts or --org-units');
    expect((await run({regions: 'us-east-1', accounts: '111111111111', orgUnits: 'ou-ab12-cd34ef56'})).stderr).toContain('not both');
    const bad = await run({regions: 'us-east-1', accounts: '1234'});
    expect(bad).toMatchObject({code: 2, stderr: 'tandem fleet deploy: --accounts: "1234" is not an account id (like 123456789012)\n'});
    expect((await run({regions: 'us-east-1', accounts: '111111111111', failureTolerance: 'all'})).stderr).toContain('--failure-tolerance needs a whole number');
    expect((await run({regions: 'us-east-1', accounts: '111111111111', name: '../x'})).stderr).toContain('is not a StackSet name');
  });

  it('deploy refuses a profile that cannot be one template for every target', async () => {
    const {env} = setup();
    const file = path.join(path.dirname(env.TANDEM_HOME), 'default.yaml');
    writeFileSync(file, serializeProfile(defaultSpec('us-east-1')));
    const result = await runCommand(fleet, ['deploy', file], {env, flags: {yes: true, regions: 'us-east-1', accounts: '111111111111'}});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('network: a fleet builds its own VPC');
  });

  it('deploy with ssh: me finds the address first; a failed lookup is exit 2 before any AWS call', async () => {
    const {env} = setup();
    const file = path.join(path.dirname(env.TANDEM_HOME), 'me.yaml');
    const spec = publicWebServerSpec();
    writeFileSync(file, serializeProfile({...spec, network: {vpc: 'new', subnet: 'public', publicIp: true}, securityGroup: {...spec.securityGroup, ssh: 'me'}}));
    const result = await runCommand(fleet, ['deploy', file], {env: {...env, TANDEM_CHECKIP_URL: 'http://127.0.0.1:9/'}, flags: {yes: true, regions: 'us-east-1', accounts: '111111111111'}});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tandem fleet deploy: securityGroup.ssh is "me", but tandem could not find your public address');
    expect(result.stderr).toContain('nothing was created');
  });

  it('deploy and destroy refuse to run unattended without --yes', async () => {
    const {file, env} = setup();
    const deploy = await runCommand(fleet, ['deploy', file], {env, flags: {regions: 'us-east-1,eu-west-1', accounts: '111111111111'}});
    expect(deploy).toMatchObject({code: 2, stderr: 'tandem fleet deploy: add --yes to deploy web to 2 targets without a prompt\n'});
  });

  it("destroy's question says a load-balanced fleet's deletion protection is lifted first; answering no removes nothing", async () => {
    const {env} = setup();
    const spec = publicWebServerSpec();
    const now = new Date().toISOString();
    openFleetStore(env.TANDEM_HOME).write({
      name: 'layered',
      createdAt: now,
      updatedAt: now,
      profile: 'layered.yaml',
      spec: {...spec, network: {vpc: 'new', subnet: 'private', publicIp: false}, loadBalancer: {certificate: 'none', deletionProtection: true, accessLogs: false}},
      region: 'us-east-1',
      endpointUrl: env.AWS_ENDPOINT_URL,
      permissionModel: 'SELF_MANAGED',
      accounts: ['111111111111'],
      orgUnits: [],
      regions: ['us-east-1'],
      preferences: {failureTolerance: 0},
      status: 'deployed',
      stackSetCreated: true,
      targets: [{account: '111111111111', region: 'us-east-1', status: 'succeeded'}],
    });
    const stdin = Object.assign(new PassThrough(), {isTTY: true});
    const stdout = Object.assign(new Capture(), {isTTY: true});
    const stderr = new Capture();
    const asking = fleet({args: ['destroy', 'layered'], flags: {...DEFAULT_FLAGS}, io: {stdin, stdout, stderr, env}});
    stdin.write('n\n');
    expect(await asking).toBe(1);
    expect(stdout.text + stderr.text).toContain("Remove fleet layered (111111111111/us-east-1) and its StackSet? Its load balancers' deletion protection is turned off first. [y/N]");
    expect(stdout.text + stderr.text).toContain('Nothing was removed.');
  });

  it('verify, destroy and list name what is missing', async () => {
    const {env} = setup();
    expect((await runCommand(fleet, ['verify'], {env})).stderr).toContain('a fleet NAME is needed');
    expect((await runCommand(fleet, ['verify', 'web'], {env})).stderr).toMatch(/no fleet web in .*fleets; run tandem fleet list/);
    expect((await runCommand(fleet, ['destroy', 'web', '--x'], {env})).stderr).toContain('fleet destroy takes one NAME');
    expect(await runCommand(fleet, ['list'], {env})).toMatchObject({code: 0, stdout: '', stderr: expect.stringContaining('No fleets recorded yet')});
    expect(await runCommand(fleet, ['list'], {env, flags: {output: 'json'}})).toMatchObject({code: 0, stdout: '[]\n'});
    expect((await runCommand(fleet, ['list'], {env, flags: {output: 'yaml'}})).code).toBe(2);
  });
});
