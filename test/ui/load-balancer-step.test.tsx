// The network screen's Reach list: straight to the server (with or without a public address), or
// through a load balancer with
// the server in a new VPC's private subnet. Switching moves whatever the other way contradicts, so
// the screen never holds a spec that validation refuses for a reason the operator did not choose;
// the certificate is a list of its own with an input for an ARN or a domain.
import {afterEach, describe, expect, test} from 'vitest';
import {withCertificate, withWebTraffic} from '../../source/domain/controls/load-balancer-choice.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {validateSpec} from '../../source/domain/validate.js';
import {App} from '../../source/ui/app.js';
import {initialWizard, wizardReducer, type WizardState} from '../../source/ui/wizard-state.js';
import {currentFields, focusedField} from '../../source/ui/wizard/state.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, renderSized, type, waitForText} from './helpers.js';
import {goTo} from './wizard-walk.js';

afterEach(() => cleanupAll());

const flat = (frame: string) => frame.replace(/\s+/g, ' ');
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const ids = (state: WizardState) => currentFields(state).map((field) => field.id);

/** The network screen with the cursor on the Reach list. */
function onWebTraffic(spec = defaultSpec()): WizardState {
  let state = goTo(initialWizard({spec}), 'network');
  while (focusedField(state)?.id !== 'network.publicIp') state = wizardReducer(state, {type: 'nextField'});
  return state;
}

describe('choosing how the server is reached', () => {
  test('a load balancer takes the default launch into a new VPC’s private subnet without a public address, and validation accepts it', () => {
    const spec = withWebTraffic(defaultSpec(), 'load-balancer');
    expect(spec.loadBalancer).toEqual({certificate: 'none', deletionProtection: true, accessLogs: false});
    expect(spec.network).toMatchObject({vpc: 'new', subnet: 'private', publicIp: false, cidr: '10.0.0.0/16'});
    expect(spec.instance.userData).toBe('httpd');
    expect(spec.securityGroup).toMatchObject({http: '0.0.0.0/0', https: false});
    expect(validateSpec(spec)).toEqual([]);
  });

  test('straight to the server again: no load balancer, the new VPC’s public subnet with a public address', () => {
    const spec = withWebTraffic(withWebTraffic(defaultSpec(), 'load-balancer'), 'direct');
    expect(spec).not.toHaveProperty('loadBalancer');
    expect(spec.network).toMatchObject({vpc: 'new', subnet: 'public', publicIp: true});
    expect(spec.instance.userData).toBe('httpd');
    expect(validateSpec(spec)).toEqual([]);
  });

  test('an ARN starts empty for typing, a request needs a domain, none is HTTP only', () => {
    const behind = withWebTraffic(defaultSpec(), 'load-balancer');
    expect(withCertificate(behind, 'arn').loadBalancer).toMatchObject({certificate: ''});
    expect(JSON.stringify(validateSpec(withCertificate(behind, 'request')))).toContain('certificate: request needs a domain');
    expect(withCertificate(withCertificate(behind, 'arn'), 'none').loadBalancer).toMatchObject({certificate: 'none'});
  });

  test('the cursor stays on Reach while the inputs above it change, and the screen shows what a load balancer needs', () => {
    const direct = onWebTraffic();
    expect(ids(direct)).toEqual(['network.vpc', 'network.publicIp']);
    const behind = wizardReducer(wizardReducer(direct, {type: 'down'}), {type: 'down'});
    expect(behind.spec.loadBalancer).toBeTruthy();
    expect(ids(behind)).toEqual(['network.vpc', 'network.cidr', 'network.publicIp', 'loadBalancer.certificate.choice']);
    expect(focusedField(behind)?.id).toBe('network.publicIp');
    // From a new VPC's public subnet the Subnet list above it goes away.
    const base = defaultSpec();
    const inNewVpc = onWebTraffic({...base, network: {...base.network, vpc: 'new', subnet: 'public', cidr: '10.0.0.0/16'}});
    expect(ids(inNewVpc)).toEqual(['network.vpc', 'network.cidr', 'network.subnet', 'network.publicIp']);
    const moved = wizardReducer(wizardReducer(inNewVpc, {type: 'down'}), {type: 'down'});
    expect(ids(moved)).toEqual(['network.vpc', 'network.cidr', 'network.publicIp', 'loadBalancer.certificate.choice']);
    expect(focusedField(moved)?.id).toBe('network.publicIp');
  });

  test('the default VPC is not offered behind a load balancer, and says why', () => {
    const behind = goTo(initialWizard({spec: withWebTraffic(defaultSpec(), 'load-balancer')}), 'network');
    const vpc = currentFields(behind)[0];
    expect(vpc.kind === 'choice' && vpc.options(behind.spec, {live: false, discovery: {}, myAddress: {status: 'idle'}} as never)[0]).toMatchObject({
      value: 'default',
      disabled: 'a load balancer needs a private subnet for the server',
    });
  });
});

describe('the network screen at 80 columns', () => {
  test('through a load balancer with an ACM certificate: the panel, the ARN input and the review say so, still in 12 steps', async () => {
    const app = renderAt(<App mode="explain" onExit={() => undefined} />, 80);
    const text = () => flat(app.lastFrame() ?? '');
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'Certificate');
    expect(text()).toContain('› through a load balancer (server in a private subnet)');
    // To the certificate list, then the ARN option: its input appears under it.
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'Certificate ARN');
    await press(app.stdin, KEY.tab);
    await type(app.stdin, ARN);
    await enterUntil(app, 'What next');
    expect(text()).toContain('step 12 of 12');
    expect(text()).toContain('balancer new internet-facing tandem-web-1 in two zones');
    expect(text()).toMatch(/HTTPS 443 \(ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09\), HTTP 80 redirecting/);
    expect(text()).toContain('HTTP from web-sg-lb only');
    // The drawing puts the load balancer, its group and certificate in the public subnets.
    expect(text()).toContain('[BOTH] load balancer tandem-web-1 (internet-facing)');
    expect(text()).toContain('[BOTH] security group web-sg-lb');
    expect(text()).toContain('[BOTH] certificate arn:aws:acm:us-east-1:123456789012');
  });

  test('a certificate ARN left empty stops the screen with the message, not a crash', async () => {
    const app = renderAt(<App mode="explain" onExit={() => undefined} />, 80);
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'type the ARN of an ISSUED ACM certificate in this region');
    expect(flat(app.lastFrame() ?? '')).toContain('step 4 of 12');
  });

  test('at 80×24 the load balancer’s inputs fit with the panel folded to a line', async () => {
    const app = renderSized(<App mode="explain" onExit={() => undefined} />, 80, 24);
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'Certificate');
    const frame = app.lastFrame() ?? '';
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    expect(frame).toContain('— VPC isolation [AWS]');
    expect(frame).toContain('q quit');
  });
});
