import {afterEach, describe, expect, test} from 'vitest';
import {STEP_TITLES} from '../../source/domain/catalog.js';
import {buildPlan, orderedSteps} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {cleanupAll, enterUntil, KEY, panelText, press, renderAt, type, waitFor, waitForText, widestLine} from './helpers.js';

afterEach(() => cleanupAll());

/** The frame as one line: wrapping no longer matters (only for single-column layouts). */
const flat = (frame: string) => frame.replace(/\s+/g, ' ');

function start(columns = 100) {
  const exits: number[] = [];
  const instance = renderAt(<App mode="explain" onExit={(code) => exits.push(code)} />, columns);
  return {...instance, exits, frame: () => instance.lastFrame() ?? ''};
}

describe('wizard in explain mode', () => {
  test('first frame: header, first step, panel, generated help line', async () => {
    const app = start();
    await waitForText(app, 'Amazon Linux 2023');
    const frame = app.frame();
    expect(frame).toContain('tandem');
    expect(frame).toContain('explain mode — nothing will be created');
    expect(frame).toContain('step 1 of 12');
    expect(frame).toContain('[BOTH]');
    expect(frame).toContain('↑↓ choose · enter next · tab next field · ? more about this control · q quit');
  });

  test('Enter through every screen reaches the review with findings and the ordered API calls', async () => {
    const app = start();
    for (const title of Object.values(STEP_TITLES)) {
      await waitForText(app, title);
      await press(app.stdin, KEY.enter);
    }
    await waitForText(app, 'Review');
    const frame = app.frame();
    expect(frame).toContain('step 12 of 12');
    expect(frame).toContain('Findings');
    expect(frame).toMatch(/HTTP/);
    const steps = orderedSteps(buildPlan(defaultSpec()));
    expect(frame).toContain(`API calls, in order (${steps.length})`);
    for (const step of steps) expect(frame).toContain(`${step.service}:${step.action}`);
    expect(frame).toContain('explain mode, nothing will be created');
    expect(frame).toContain('[AWS]');
    expect(frame).toContain('[YOU]');
    await press(app.stdin, 'q');
    expect(app.exits).toEqual([0]);
  });

  test('esc goes back and Enter forward again, keeping the answers', async () => {
    const app = start();
    await enterUntil(app, 'Tenancy');
    await press(app.stdin, KEY.down);
    await waitForText(app, '› dedicated instance');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 7 of 12');
    await press(app.stdin, KEY.esc);
    await waitForText(app, 'step 6 of 12');
    expect(app.frame()).toContain('› dedicated instance');
    await press(app.stdin, KEY.esc);
    await waitForText(app, 'step 5 of 12');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 6 of 12');
    expect(app.frame()).toContain('› dedicated instance');
  });

  test('a bad SSH address shows an inline error and Enter does not advance until it is fixed', async () => {
    const app = start();
    await enterUntil(app, 'SSH (port 22)');
    await press(app.stdin, KEY.tab);
    await press(app.stdin, KEY.down);
    await waitForText(app, 'Your address');
    await press(app.stdin, KEY.tab);
    await type(app.stdin, '300.1.1.1/32');
    await press(app.stdin, KEY.enter);
    await waitForText(app, '✗');
    expect(app.frame()).toContain('step 8 of 12');
    expect(app.frame()).toMatch(/300\.1\.1\.1/);
    // q is text while typing, not quit
    await press(app.stdin, 'q');
    expect(app.exits).toEqual([]);
    await press(app.stdin, KEY.backspace, 13);
    await type(app.stdin, '203.0.113.7/32');
    await waitFor(() => !app.frame().includes('✗'), 'the error to go away once the address is valid', app.frame);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 9 of 12');
  });

  test('the panel follows the highlighted option: dedicated host, encryption off', async () => {
    const app = start();
    await enterUntil(app, 'Tenancy');
    expect(panelText(app.frame())).toContain('Placement.Tenancy reports default.');
    await press(app.stdin, KEY.down, 2);
    await waitFor(() => panelText(app.frame()).includes('Allocates a whole physical server'), 'the panel to describe a dedicated host', app.frame);
    expect(panelText(app.frame())).toContain('Placement.Tenancy reports host');
    expect(app.frame()).toContain('step 6 of 12');
    await press(app.stdin, KEY.up, 2);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Encryption');
    expect(panelText(app.frame())).toContain('Creates the AWS managed key aws/ebs');
    await press(app.stdin, KEY.down, 3);
    await waitFor(() => panelText(app.frame()).includes('EC2.3 is expected to fail'), 'the panel to explain unencrypted volumes', app.frame);
    expect(app.frame()).toContain('step 7 of 12');
  });

  test('? shows compliance notes', async () => {
    const app = start();
    await enterUntil(app, 'Tenancy');
    await press(app.stdin, '?');
    await waitForText(app, 'Notes');
  });

  test('at 40 columns the panel sits below the options and no line is wider than the terminal', async () => {
    const app = start(40);
    await waitForText(app, 'Amazon Linux 2023');
    for (let step = 0; step < 12; step++) {
      const frame = app.frame();
      expect(widestLine(frame), `a line is wider than 40 columns on step ${step + 1}:\n${frame}`).toBeLessThanOrEqual(40);
      if (step === 6) {
        const lines = frame.split('\n');
        const options = lines.findIndex((line) => line.includes('AWS managed key aws/ebs'));
        const panel = lines.findIndex((line) => line.includes('EBS encryption'));
        expect(options).toBeGreaterThan(-1);
        expect(panel, 'panel below the options').toBeGreaterThan(options);
      }
      await press(app.stdin, KEY.enter);
    }
    expect(app.frame()).toContain('Review');
    expect(widestLine(app.frame())).toBeLessThanOrEqual(40);
  });

  test('ctrl+c quits with 130', async () => {
    const app = start();
    await waitForText(app, 'Amazon Linux 2023');
    await press(app.stdin, KEY.ctrlC);
    expect(app.exits).toEqual([130]);
  });
});

describe('review actions', () => {
  async function toReview(app: ReturnType<typeof start>) {
    await enterUntil(app, 'What next');
  }

  test('a finding is accepted as a recorded risk with a reason typed on the review', async () => {
    const app = start(60);
    await toReview(app);
    // The cursor arrives on the primary action; Enter there never records a risk.
    expect(app.frame()).toContain('› Save as profile');
    expect(app.frame()).not.toContain('› HIGH');
    await press(app.stdin, KEY.tab);
    // High: Security Hub EC2.9 rates a public address high.
    expect(app.frame()).toContain('› HIGH Public IPv4 address');
    expect(app.frame()).toContain('a accept this risk');
    await press(app.stdin, 'a');
    await waitForText(app, 'Why is "public-ipv4" acceptable here?');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'say why this risk is acceptable');
    await type(app.stdin, 'public web server');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('accepted "public-ipv4" as a recorded risk'), 'the acceptance notice', app.frame);
    expect(flat(app.frame())).toContain('Public IPv4 address accepted: public web server');
  });

  test('save as profile asks a name and hands the spec to the profile store', async () => {
    const saved: Array<{name: string; region: string}> = [];
    const exits: number[] = [];
    const profiles = {save: async (name: string, spec: {region: string}) => void saved.push({name, region: spec.region})};
    const instance = renderAt(<App mode="explain" profiles={profiles} onExit={(code) => exits.push(code)} />);
    const app = {...instance, exits, frame: () => instance.lastFrame() ?? ''};
    await toReview(app);
    for (let guard = 0; !app.frame().includes('› Save as profile'); guard++) {
      if (guard > 10) throw new Error(`no Save action:\n${app.frame()}`);
      await press(app.stdin, KEY.down);
    }
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Profile name');
    await press(app.stdin, KEY.backspace, 5);
    await type(app.stdin, 'web-prod');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'saved as profile "web-prod"');
    expect(saved).toEqual([{name: 'web-prod', region: 'us-east-1'}]);
  });

  test('saving over an existing profile asks first, and replaces it only after yes', async () => {
    const saved: Array<{name: string; force?: boolean}> = [];
    const profiles = {
      has: (name: string) => name === 'web-1',
      save: (name: string, _spec: unknown, options?: {force?: boolean}) => void saved.push({name, force: options?.force}),
    };
    const instance = renderAt(<App mode="explain" profiles={profiles} onExit={() => {}} />, 60);
    const app = {...instance, exits: [] as number[], frame: () => instance.lastFrame() ?? ''};
    await toReview(app);
    for (let guard = 0; !app.frame().includes('› Save as profile'); guard++) {
      if (guard > 10) throw new Error(`no Save action:\n${app.frame()}`);
      await press(app.stdin, KEY.down);
    }
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Profile name');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('A profile named "web-1" exists'), 'the overwrite question', app.frame);
    expect(saved).toEqual([]);
    await type(app.stdin, 'no');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('type yes to replace it'), 'the answer to be refused', app.frame);
    await press(app.stdin, KEY.backspace, 2);
    await type(app.stdin, 'yes');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('saved as profile "web-1"'), 'the saved notice', app.frame);
    expect(saved).toEqual([{name: 'web-1', force: true}]);
  });

  test('without a profile store, save says profiles arrive later', async () => {
    const app = start();
    await toReview(app);
    for (let guard = 0; !app.frame().includes('› Save as profile'); guard++) {
      if (guard > 10) throw new Error(`no Save action:\n${app.frame()}`);
      await press(app.stdin, KEY.down);
    }
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'saving profiles arrives in a later version');
  });

  test('a profile opens on the review with its answers', async () => {
    const spec = {...defaultSpec(), instance: {...defaultSpec().instance, name: 'shop-1', tenancy: 'dedicated' as const}};
    const instance = renderAt(<App mode="explain" initialSpec={spec} startAtReview onExit={() => {}} />, 60);
    await waitForText(instance, 'step 12 of 12');
    expect(flat(instance.lastFrame() ?? '')).toContain('instance shop-1, t3.micro, tenancy dedicated');
    expect(flat(instance.lastFrame() ?? '')).toMatch(/dedicated/i);
  });
});
