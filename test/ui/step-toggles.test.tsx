// The controls that only a profile could set are choices of the wizard, on the screens they belong
// to, without a step of their own: flow logs with the network (key f), detailed monitoring with the
// instance type (key m), the backups with the storage (a list, and the plan's retention). Their
// panel cards say what is chosen and what it costs, and the review says what was chosen.
import {afterEach, describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {BINDINGS, helpLine} from '../../source/ui/keymap.js';
import {SCREENS} from '../../source/ui/steps/index.js';
import {keyAction} from '../../source/ui/use-keys.js';
import {wizardKeys} from '../../source/ui/wizard/mode.js';
import {initialWizard, wizardReducer, type WizardState} from '../../source/ui/wizard-state.js';
import {NO_KEY} from '../../source/ui/key-pieces.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';
import {goTo} from './wizard-walk.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const CTRL_U = '\u0015';
const flat = (frame: string) => frame.replace(/\s+/g, ' ');

const VPC = 'vpc-0a1b2c3d4e5f60718';
const SUBNET = 'subnet-0a1b2c3d4e5f60718';
const discovery = {
  vpcs: async () => [{id: VPC, cidr: '10.20.0.0/16', isDefault: false, name: 'shop'}],
  subnets: async (vpcId: string) => [{id: SUBNET, vpcId, cidr: '10.20.1.0/24', availabilityZone: 'us-east-1a', public: true, mapPublicIpOnLaunch: true}],
};

/** 80 columns: the panel goes below the inputs, so each card reads on lines of its own. */
function start(live: boolean) {
  const app = live
    ? renderAt(<App mode="live" cloud={fakeCloud({discovery})} identity={identity} onExit={() => undefined} />, 80)
    : renderAt(<App mode="explain" onExit={() => undefined} />, 80);
  return {...app, frame: () => app.lastFrame() ?? '', text: () => flat(app.lastFrame() ?? '')};
}

/** A key pressed on the wizard as the app resolves it: through the keymap of the screen shown. */
function pressOn(state: WizardState, input: string): WizardState {
  const action = keyAction(input, NO_KEY, wizardKeys(state));
  return action ? wizardReducer(state, action) : state;
}

describe('flow logs on the network screen', () => {
  test('chosen for an existing VPC with f, they reach the spec: the card, the review and the API calls say so', async () => {
    const app = start(true);
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, `${VPC} 10.20.0.0/16 shop`);
    // Pick the VPC and its subnet, then rest on the Public IPv4 list, where letters are keys.
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down);
    await waitForText(app, `${SUBNET} 10.20.1.0/24 us-east-1a public`);
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down);
    await press(app.stdin, KEY.tab);
    expect(app.text()).toContain('f flow logs');
    expect(app.text()).toContain('Off for a VPC tandem does not create; turning them on costs from $0.50/GB ingested (US East).');
    await press(app.stdin, 'f');
    await waitFor(() => app.text().includes("All the VPC's traffic is logged to a group kept 365 days, from $0.50/GB ingested (US East)"), 'the flow-log card to say they are on', app.frame);
    await enterUntil(app, 'What next');
    expect(app.text()).toContain(`network VPC ${VPC}, subnet ${SUBNET}`);
    expect(app.text()).toContain('flow logs all traffic to /tandem/vpc-flow-logs/web-1, kept 365 days');
    expect(app.text()).toContain('ec2:CreateFlowLogs');
    expect(app.text()).toContain('logs:CreateLogGroup');
  });

  test('f switches them for the VPC shown, and writes only what differs from that VPC’s default', () => {
    const existing = goTo(initialWizard({spec: {...defaultSpec(), network: {...defaultSpec().network, vpc: 'vpc-0shop', subnet: 'subnet-0pub'}}}), 'network');
    const on = pressOn(existing, 'f');
    expect(on.spec.network.flowLogs).toBe(true);
    expect(pressOn(on, 'f').spec.network).not.toHaveProperty('flowLogs');
    const created = goTo(initialWizard({spec: {...defaultSpec(), network: {...defaultSpec().network, vpc: 'new', subnet: 'public', cidr: '10.0.0.0/16'}}}), 'network');
    expect(pressOn(created, 'f').spec.network.flowLogs).toBe(false);
    expect(pressOn(pressOn(created, 'f'), 'f').spec.network).not.toHaveProperty('flowLogs');
  });

  test('f is text, not the switch, while a field takes typing', () => {
    const network = goTo(initialWizard({spec: defaultSpec()}), 'network');
    const typing = wizardReducer(wizardReducer(network, {type: 'down'}), {type: 'down'});
    // "an existing VPC…" offline: the VPC id is a text field, focused with Tab.
    const inField = wizardReducer(typing, {type: 'nextField'});
    expect(wizardKeys(inField).typing).toBe(true);
    const typed = pressOn(inField, 'f');
    expect(typed.spec.network.flowLogs).toBeUndefined();
    expect(typed.drafts['network.vpc.id']).toBe('f');
  });
});

describe('detailed monitoring on the instance-type screen', () => {
  test('m switches it off; the card and the review follow, and typing m into the name is text', async () => {
    const app = start(false);
    await enterUntil(app, 'step 3 of 12');
    expect(app.text()).toContain('m monitoring');
    expect(app.text()).toContain('1-minute metrics, about $2.10 a month');
    await press(app.stdin, 'm');
    await waitFor(() => app.text().includes('Off: free 5-minute metrics, and Prowler flags it.'), 'the monitoring card to say it is off', app.frame);
    // In the name field m is a letter of the name, and the switch stays where it was.
    await press(app.stdin, KEY.tab);
    await type(app.stdin, 'm');
    expect(app.text()).not.toContain('m monitoring');
    await enterUntil(app, 'What next');
    expect(app.text()).toContain('instance web-1m, t3.micro');
    expect(app.text()).toContain('metrics basic monitoring, every 5 minutes (free)');
    expect(app.text()).toContain('Detailed monitoring off');
  });
});

describe('backups on the storage screen', () => {
  test('a daily plan with a typed retention reaches the review and its API calls; a retention of 0 is refused in place', async () => {
    const app = start(false);
    await enterUntil(app, 'step 7 of 12');
    expect(app.text()).toContain('Backups • a first snapshot at launch (destroy deletes it)');
    // Encryption, size, volume type, then the backups.
    await press(app.stdin, KEY.tab, 3);
    await press(app.stdin, KEY.down);
    await waitForText(app, 'Keep each backup (days)');
    expect(app.text()).toContain('Daily backups at 05:00 UTC kept 7 day(s), and a first snapshot, $0.05/GB-month stored (us-east-1)');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, CTRL_U);
    await type(app.stdin, '0');
    await press(app.stdin, KEY.enter);
    expect(app.text()).toContain('step 7 of 12');
    expect(app.text()).toMatch(/Backup retention 0 must be a whole number of days from 1 to 36500/);
    await press(app.stdin, CTRL_U);
    await type(app.stdin, '30');
    await enterUntil(app, 'What next');
    expect(app.text()).toContain('backups a first snapshot at launch, a daily AWS Backup plan, each backup kept 30 day(s)');
    expect(app.text()).toContain('backup:CreateBackupPlan');
    expect(app.text()).toContain('ec2:CreateSnapshot');
  });

  test('"none" takes neither the snapshot nor the plan', () => {
    let state = goTo(initialWizard({spec: defaultSpec()}), 'storage');
    for (let tab = 0; tab < 3; tab++) state = wizardReducer(state, {type: 'nextField'});
    for (let down = 0; down < 3; down++) state = wizardReducer(state, {type: 'down'});
    expect(state.spec.backup).toEqual({plan: false, retentionDays: 7, firstSnapshot: false});
  });
});

describe('defaults and help', () => {
  test('Enter through every screen leaves the spec as it was: monitoring on, flow logs and backups as their defaults', async () => {
    expect(goTo(initialWizard({spec: defaultSpec()}), 'review').spec).toEqual(defaultSpec());
    const app = start(false);
    await enterUntil(app, 'What next');
    expect(app.text()).toContain('metrics detailed monitoring, every minute, about $2.10 a month');
    expect(app.text()).toContain('flow logs off');
    expect(app.text()).toContain('backups a first snapshot at launch, no backup plan');
  });

  test('the help line lists a screen’s key from its keymap, only on that screen and not while typing', () => {
    let state = initialWizard({spec: defaultSpec()});
    expect(helpLine(wizardKeys(state))).not.toMatch(/\b[fm] (flow logs|monitoring)/);
    state = goTo(state, 'instance-type');
    expect(helpLine(wizardKeys(state))).toBe('↑↓ choose · enter next · m monitoring · tab next field · esc back · ? more about this control · q quit');
    expect(helpLine(wizardKeys(wizardReducer(state, {type: 'nextField'})))).not.toContain('m monitoring');
    state = goTo(state, 'network');
    expect(helpLine(wizardKeys(state))).toContain('enter next · f flow logs · tab next field');
  });

  test('no step’s key is one the wizard already binds, and each fits a 40-column footer', () => {
    const taken = BINDINGS.flatMap((binding) => binding.keys);
    for (const screen of Object.values(SCREENS)) {
      if (!screen.toggle) continue;
      expect(taken, screen.id).not.toContain(screen.toggle.key);
      expect(`${screen.toggle.key} ${screen.toggle.help}`.length, screen.id).toBeLessThanOrEqual(12);
    }
  });
});
