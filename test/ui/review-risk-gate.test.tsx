// The review stops a launch at a high risk nobody accepted, as `launch --yes` does: Launch opens
// the prompt that records the risk with a reason, and launches once every high risk has one.
import {afterEach, describe, expect, test} from 'vitest';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const flat = (frame: string) => frame.replace(/\s+/g, ' ');

function sshOpenToWorld(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {...spec, securityGroup: {...spec.securityGroup, ssh: '0.0.0.0/0'}, keyPair: {mode: 'existing', name: 'ops-key'}};
}

function start(spec: LaunchSpec) {
  const cloud = fakeCloud();
  const exits: number[] = [];
  const instance = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={(code) => exits.push(code)} />,
    110,
  );
  return {...instance, cloud, exits, frame: () => instance.lastFrame() ?? ''};
}

describe('the review and high risks', () => {
  test('Launch with SSH open to the world asks why it is acceptable, and launches only once it has a reason', async () => {
    const spec = sshOpenToWorld();
    const high = unacceptedHighRisks(spec).map((finding) => finding.id);
    expect(high).toContain('ssh-open-to-internet');
    const app = start(spec);
    await waitForText(app, '› Launch');
    for (const id of high) {
      await press(app.stdin, KEY.enter);
      await waitForText(app, `Why is "${id}" acceptable here?`);
      expect(app.cloud.launches).toEqual([]);
      // Esc cancels the prompt and launches nothing; Launch asks again.
      await press(app.stdin, KEY.esc);
      await waitFor(() => !app.frame().includes('acceptable here?'), 'the prompt to close', app.frame);
      expect(app.cloud.launches).toEqual([]);
      await press(app.stdin, KEY.enter);
      await waitForText(app, `Why is "${id}" acceptable here?`);
      // No reason, no acceptance.
      await press(app.stdin, KEY.enter);
      await waitForText(app, 'say why this risk is acceptable');
      await type(app.stdin, 'lab box behind a VPN');
      await press(app.stdin, KEY.enter);
      await waitFor(() => flat(app.frame()).includes(`accepted "${id}" as a recorded risk`), 'the acceptance notice', app.frame);
      expect(app.cloud.launches).toEqual([]);
    }
    await press(app.stdin, KEY.enter);
    await waitFor(() => app.cloud.launches.length === 1, 'the launch to start', app.frame);
    expect(app.cloud.launches[0].spec.acceptedRisks).toEqual(expect.arrayContaining(high.map((finding) => ({finding, reason: 'lab box behind a VPN'}))));
  });

  test('with every high risk accepted, Enter on Launch launches at once', async () => {
    const spec = sshOpenToWorld();
    const app = start({...spec, acceptedRisks: unacceptedHighRisks(spec).map((finding) => ({finding: finding.id, reason: 'lab'}))});
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitFor(() => app.cloud.launches.length === 1, 'the launch to start', app.frame);
    expect(app.frame()).not.toContain('acceptable here?');
  });

  test('a finding tandem rates medium but a tool rates high stops Launch too: the public address, high to Security Hub EC2.9', async () => {
    const base = defaultSpec('us-east-1');
    const spec: LaunchSpec = {...base, network: {vpc: 'new', subnet: 'public', publicIp: true}, access: {...base.access, sessionManager: false}, role: {mode: 'none'}};
    expect(unacceptedHighRisks(spec).map((finding) => finding.id)).toEqual(['public-ipv4']);
    const app = start(spec);
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Why is "public-ipv4" acceptable here?');
    expect(app.cloud.launches).toEqual([]);
  });
});
