// `tandem launch PROFILE --yes` in a fresh moto account: the risk gate refuses unaccepted high
// findings with nothing created and accepts them from --accept-risk (recorded in the journal);
// the profile's region wins over AWS_REGION, --region over both, and the winner is said; destroy
// shows its wait for a terminating instance.
import {describe, expect, it} from 'vitest';
import {makeClients} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import {chooseRegion} from '../../source/commands/region.js';
import type {LaunchEvent} from '../../source/domain/cloud.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {createJournal} from '../../source/store/journal.js';
import {defaultVpcLikeAws, freshAccounts} from './preflight-support.js';
import {FAST} from './provision-support.js';
import {PUBLIC_WEB_SERVER_FLAGS, PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

const account = freshAccounts();

describe('the risk gate of --yes', () => {
  it('refuses an unaccepted high finding with nothing created, then launches once --accept-risk gives a reason', async () => {
    const acct = await account();
    const file = acct.profile('version: 1\nsecurityGroup: {ssh: 0.0.0.0/0}\n');
    const refused = await acct.launch([file], {yes: true});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('high risk ssh-open-to-internet: SSH open to the internet');
    expect(refused.stderr).toContain('acceptedRisks: [{finding: ssh-open-to-internet, reason: "why it is acceptable here"}]');
    expect(refused.stderr).toContain('--accept-risk ssh-open-to-internet=REASON');
    // Refused before any AWS call at all.
    expect(acct.proxy.requests).toEqual([]);

    // The public address is medium to tandem and Prowler but high to Security Hub EC2.9; the
    // default subnet and the internet-facing role are high to Prowler: --yes refuses them too.
    expect(refused.stderr).toContain('high risk public-ipv4: Public IPv4 address');
    expect(refused.stderr).toContain('high risk subnet-auto-public-ip');
    expect(refused.stderr).toContain('high risk public-instance-with-role');
    const onlySsh = await acct.launch([file], {yes: true, acceptRisk: ['ssh-open-to-internet=lab box, torn down tonight']});
    expect(onlySsh.code).toBe(2);
    expect(onlySsh.stderr).toContain(`--yes does not take ${PUBLIC_WEB_SERVER_RISKS.length} high risks nobody accepted; nothing was created`);
    expect(acct.proxy.requests).toEqual([]);

    const reasons = ['ssh-open-to-internet=lab box, torn down tonight', ...PUBLIC_WEB_SERVER_RISKS.map((risk) => `${risk.finding}=${risk.reason}`)];
    const accepted = await acct.launch([file], {yes: true, acceptRisk: reasons});
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain('warning: low risk http-open-to-internet');
    const [record] = createJournal(acct.home).list();
    expect(record?.spec.acceptedRisks).toEqual(
      reasons.map((text) => {
        const [finding, reason] = text.split('=');
        return {finding, reason};
      }),
    );
  });

  it('a bad --accept-risk is a usage error', async () => {
    const acct = await account();
    const file = acct.profile('version: 1\n');
    await expect(acct.launch([file], {yes: true, acceptRisk: ['no-such-finding=x']})).rejects.toThrow(/unknown finding "no-such-finding"/);
    await expect(acct.launch([file], {yes: true, acceptRisk: ['ssh-open-to-internet']})).rejects.toThrow(/needs a reason/);
  });
});

describe('region precedence', () => {
  it('--region, then the profile, then AWS_REGION; a disagreement is said', () => {
    expect(chooseRegion(undefined, undefined, {AWS_REGION: 'us-east-1'})).toEqual({});
    expect(chooseRegion(undefined, 'eu-west-1', {})).toEqual({region: 'eu-west-1'});
    expect(chooseRegion(undefined, 'eu-west-1', {AWS_REGION: 'eu-west-1'})).toEqual({region: 'eu-west-1'});
    expect(chooseRegion(undefined, 'eu-west-1', {AWS_REGION: 'us-east-1'})).toEqual({
      region: 'eu-west-1',
      note: "the profile's region eu-west-1 wins over AWS_REGION=us-east-1; pass --region to choose another",
    });
    expect(chooseRegion('us-west-2', 'eu-west-1', {AWS_REGION: 'us-east-1'})).toEqual({
      region: 'us-west-2',
      note: "--region us-west-2 overrides the profile's region eu-west-1",
    });
  });

  it("a profile's region beats AWS_REGION: the launch goes there and stderr says so; --region beats the profile", async () => {
    const acct = await account();
    const euClients = await makeClients({...acct.clients.settings, region: 'eu-west-1'});
    await defaultVpcLikeAws(euClients);
    acct.env.AWS_REGION = 'us-east-1';
    const file = acct.profile('version: 1\nregion: eu-west-1\n');
    const run = await acct.launch([file], {yes: true, acceptRisk: PUBLIC_WEB_SERVER_FLAGS});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("the profile's region eu-west-1 wins over AWS_REGION=us-east-1");
    const [record] = createJournal(acct.home).list();
    expect(record?.region).toBe('eu-west-1');

    const flagged = await acct.launch([file], {dryRun: true, region: 'us-west-2', output: 'json'});
    expect(flagged.stderr).toContain("--region us-west-2 overrides the profile's region eu-west-1");
    expect(flagged.stdout).toContain('"region":"us-west-2"');
  });
});

describe('destroy', () => {
  it('says what it waits for while an instance terminates', async () => {
    const acct = await account();
    const {home} = acct;
    const settings = {region: 'us-east-1', endpointUrl: acct.proxy.endpoint, maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}};
    const cloud = await createCloud(settings, home, {...FAST, deletes: {...FAST.deletes, waitTickMs: 200}});
    const spec = defaultSpec('us-east-1');
    const {buildPlan} = await import('../../source/domain/plan.js');
    const launched = await cloud.launch(spec, buildPlan(spec), {launchId: 'l-20260101t000000-aaaaaa', onEvent: () => undefined});
    expect(launched.status).toBe('launched');
    // AWS takes a while to terminate; moto is instant, so the first answer says "shutting-down".
    acct.proxy.add({action: 'DescribeInstances', kind: 'rewrite-body', times: 1, replace: [['<name>terminated</name>', '<name>shutting-down</name>']]});
    const events: LaunchEvent[] = [];
    const result = await cloud.destroy(launched.launchId, (event) => events.push(event));
    expect(result.failed).toEqual([]);
    const waits = events.filter((event) => event.type === 'resource-waiting');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({resource: {kind: 'instance'}, code: 'still terminating', reason: expect.stringMatching(/^waited \d+ s of at most 60 s$/)});
  });
});
