// The review stops a launch at a high risk nobody accepted, as `launch --yes` does: Launch opens
// one prompt for every high risk still open, records the reason with each, and launches once every
// high risk has one.
import {afterEach, describe, expect, test} from 'vitest';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {CONFUSED_DEPUTY_REASON} from '../../source/domain/controls/role.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {PUBLIC_WEB_SERVER_RISKS, publicWebServerSpec} from '../support/launch-specs.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, renderSized, type, waitFor, waitForText} from './helpers.js';

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
  test('Launch with SSH open to the world asks once why its high risks are acceptable, records that reason with each, and launches only then', async () => {
    const spec = sshOpenToWorld();
    const high = unacceptedHighRisks(spec).map((finding) => finding.id);
    expect(high).toContain('ssh-open-to-internet');
    expect(high.length).toBeGreaterThan(1);
    const question = `Why are these ${high.length} high risks acceptable here?`;
    const app = start(spec);
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, question);
    // Every risk the one reason will cover is named before it is typed.
    for (const id of high) expect(flat(app.frame())).toContain(id);
    // Esc cancels the prompt and launches nothing; Launch asks again.
    await press(app.stdin, KEY.esc);
    await waitFor(() => !app.frame().includes('acceptable here?'), 'the prompt to close', app.frame);
    expect(app.cloud.launches).toEqual([]);
    await press(app.stdin, KEY.enter);
    await waitForText(app, question);
    // No reason, no acceptance.
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'say why this risk is acceptable');
    await type(app.stdin, 'lab box behind a VPN');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes(`accepted ${high.length} findings as recorded risks`), 'the acceptance notice', app.frame);
    expect(app.cloud.launches).toEqual([]);
    await press(app.stdin, KEY.enter);
    await waitFor(() => app.cloud.launches.length === 1, 'the launch to start', app.frame);
    expect(app.cloud.launches[0].spec.acceptedRisks).toEqual(high.map((finding) => ({finding, reason: 'lab box behind a VPN'})));
  });

  test('a finding given its own reason with a keeps it; Launch then asks only for the rest', async () => {
    const spec = sshOpenToWorld();
    const high = unacceptedHighRisks(spec).map((finding) => finding.id);
    const app = start(spec);
    await waitForText(app, '› Launch');
    // Tab to the findings: the first is the most severe, a high risk; a opens its own prompt.
    await press(app.stdin, KEY.tab);
    await press(app.stdin, 'a');
    await waitForText(app, `Why is "${high[0]}" acceptable here?`);
    await type(app.stdin, 'one of a kind');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes(`accepted "${high[0]}" as a recorded risk`), 'the acceptance notice', app.frame);
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.enter);
    await waitForText(app, `Why are these ${high.length - 1} high risks acceptable here?`);
    await type(app.stdin, 'the rest');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('as recorded risks'), 'the acceptance notice', app.frame);
    await press(app.stdin, KEY.enter);
    await waitFor(() => app.cloud.launches.length === 1, 'the launch to start', app.frame);
    const reasons = new Map(app.cloud.launches[0].spec.acceptedRisks.map((risk) => [risk.finding, risk.reason]));
    expect(reasons.get(high[0])).toBe('one of a kind');
    for (const id of high.slice(1)) expect(reasons.get(id)).toBe('the rest');
  });

  test('a single high risk is asked about by name, with the reason tandem offers for it filled in', async () => {
    const spec = {...publicWebServerSpec(), acceptedRisks: PUBLIC_WEB_SERVER_RISKS.filter((risk) => risk.finding !== 'role-trust-unscoped')};
    expect(unacceptedHighRisks(spec).map((finding) => finding.id)).toEqual(['role-trust-unscoped']);
    const app = start(spec);
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Why is "role-trust-unscoped" acceptable here?');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('accepted "role-trust-unscoped" as a recorded risk'), 'the acceptance notice', app.frame);
    await press(app.stdin, KEY.enter);
    await waitFor(() => app.cloud.launches.length === 1, 'the launch to start', app.frame);
    expect(app.cloud.launches[0].spec.acceptedRisks).toContainEqual({finding: 'role-trust-unscoped', reason: CONFUSED_DEPUTY_REASON});
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
    const high = unacceptedHighRisks(spec).map((finding) => finding.id);
    expect(high).toContain('public-ipv4');
    const app = start(spec);
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, `Why are these ${high.length} high risks acceptable here?`);
    expect(flat(app.frame())).toContain('public-ipv4');
    expect(app.cloud.launches).toEqual([]);
  });

  test("at 80×24 the one prompt for the default web server's seven high risks still fits, question and all", async () => {
    const spec = defaultSpec('us-east-1');
    expect(unacceptedHighRisks(spec)).toHaveLength(7);
    const app = renderSized(<App mode="live" cloud={fakeCloud()} identity={identity} initialSpec={spec} startAtReview onExit={() => undefined} />, 80, 24);
    const frame = () => app.lastFrame() ?? '';
    await waitForText(app, '› Launch');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Why are these 7 high risks acceptable here?');
    expect(frame()).toContain('7 high risks have no reason yet');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
  });
});
