import {describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {
  currentFields,
  focusedField,
  initialWizard,
  panelOption,
  REVIEW_INDEX,
  reviewItems,
  screenId,
  wizardReducer,
  type WizardAction,
  type WizardState,
} from '../../source/ui/wizard-state.js';

function apply(state: WizardState, ...actions: WizardAction[]): WizardState {
  return actions.reduce(wizardReducer, state);
}

/** Presses Enter until the given screen shows. */
function goTo(state: WizardState, screen: string): WizardState {
  let current = state;
  for (let guard = 0; screenId(current) !== screen; guard++) {
    if (guard > 20) throw new Error(`never reached ${screen}; stuck on ${screenId(current)} with ${JSON.stringify(current.errors)}`);
    current = wizardReducer(current, {type: 'next'});
  }
  return current;
}

/** Moves focus to the field with this id. */
function focus(state: WizardState, id: string): WizardState {
  let current = state;
  for (let guard = 0; focusedField(current)?.id !== id; guard++) {
    if (guard > 10) throw new Error(`no field ${id} on ${screenId(current)}`);
    current = wizardReducer(current, {type: 'focus', delta: 1});
  }
  return current;
}

function typeText(state: WizardState, text: string): WizardState {
  return [...text].reduce((current, char) => wizardReducer(current, {type: 'input', text: char}), state);
}

const start = () => initialWizard({spec: defaultSpec()});

describe('wizard reducer', () => {
  test('Enter through every screen reaches the review with the secure defaults untouched', () => {
    const state = goTo(start(), 'review');
    expect(state.step).toBe(REVIEW_INDEX);
    expect(state.spec).toEqual(defaultSpec());
    expect(state.errors).toEqual({});
  });

  test('screens follow DESIGN.md section 1 in order', () => {
    const seen: string[] = [];
    let state = start();
    while (screenId(state) !== 'review') {
      seen.push(screenId(state));
      state = wizardReducer(state, {type: 'next'});
    }
    expect(seen).toEqual(['image', 'isolation', 'instance-type', 'network', 'iam-role', 'tenancy', 'storage', 'security-group', 'key-pair', 'metadata', 'after-launch']);
  });

  test('moving the cursor changes the spec and the option the panel explains', () => {
    let state = goTo(start(), 'tenancy');
    expect(panelOption(state)).toBe('default');
    state = apply(state, {type: 'move', delta: 1}, {type: 'move', delta: 1});
    expect(state.spec.instance.tenancy).toBe('host');
    expect(panelOption(state)).toBe('host');
    state = apply(state, {type: 'move', delta: 1});
    expect(state.spec.instance.tenancy).toBe('host');
  });

  test('SSH from one address: empty and bad values block Enter with an inline error, a good one advances', () => {
    let state = goTo(start(), 'security-group');
    state = focus(state, 'securityGroup.ssh');
    state = apply(state, {type: 'move', delta: 1});
    expect(state.spec.securityGroup.ssh).toBe('');
    expect(currentFields(state).map((field) => field.id)).toContain('securityGroup.ssh.address');

    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('security-group');
    expect(state.errors['securityGroup.ssh.address']).toMatch(/\/32/);
    expect(focusedField(state)?.id).toBe('securityGroup.ssh.address');

    state = typeText(state, '300.1.1.1/32');
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('security-group');
    expect(state.errors['securityGroup.ssh.address']).toBeTruthy();

    for (let index = 0; index < 12; index++) state = apply(state, {type: 'erase'});
    state = typeText(state, '203.0.113.7/32');
    expect(state.errors['securityGroup.ssh.address']).toBeUndefined();
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('key-pair');
    expect(state.spec.securityGroup.ssh).toBe('203.0.113.7/32');
  });

  test('a range instead of one address is refused for SSH', () => {
    let state = focus(goTo(start(), 'security-group'), 'securityGroup.ssh');
    state = apply(state, {type: 'move', delta: 1});
    state = typeText(focus(state, 'securityGroup.ssh.address'), '10.0.0.0/8');
    state = apply(state, {type: 'next'});
    expect(state.errors['securityGroup.ssh.address']).toMatch(/range/);
  });

  test('typing the whole internet as "your address" is refused and never flips the choice to SSH from anywhere', () => {
    for (const world of ['0.0.0.0/0', '::/0']) {
      let state = focus(goTo(start(), 'security-group'), 'securityGroup.ssh');
      state = apply(state, {type: 'move', delta: 1});
      state = typeText(focus(state, 'securityGroup.ssh.address'), world);
      state = apply(state, {type: 'next'});
      expect(screenId(state)).toBe('security-group');
      expect(state.errors['securityGroup.ssh.address']).toMatch(/is a range, not one address/);
      expect(state.spec.securityGroup.ssh).toBe('');
      expect(currentFields(state).find((field) => field.id === 'securityGroup.ssh')?.kind).toBe('choice');
      expect(panelOption(focus(state, 'securityGroup.ssh'))).toBe('ssh-address');
    }
  });

  test('back keeps every answer, including typed text', () => {
    let state = goTo(start(), 'iam-role');
    state = apply(state, {type: 'move', delta: 1}, {type: 'move', delta: 1});
    expect(state.spec.role.mode).toBe('create');
    state = typeText(focus(state, 'role.bucket'), 'my-site-assets');
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('tenancy');
    state = apply(state, {type: 'back'}, {type: 'back'});
    expect(screenId(state)).toBe('network');
    state = goTo(state, 'tenancy');
    expect(state.spec.role).toMatchObject({mode: 'create', bucket: 'my-site-assets', access: 'read'});
  });

  test('a new VPC asks for its CIDR and checks it', () => {
    let state = goTo(start(), 'network');
    state = apply(state, {type: 'move', delta: 1});
    expect(state.spec.network.vpc).toBe('new');
    state = focus(state, 'network.cidr');
    for (let index = 0; index < 11; index++) state = apply(state, {type: 'erase'});
    state = typeText(state, '10.0.0.0/33');
    state = apply(state, {type: 'next'});
    expect(state.errors['network.cidr']).toBeTruthy();
    expect(screenId(state)).toBe('network');
  });

  test('volume size must be a number in range', () => {
    let state = focus(goTo(start(), 'storage'), 'storage.sizeGiB');
    state = apply(state, {type: 'erase'}, {type: 'input', text: 'x'});
    state = apply(state, {type: 'next'});
    expect(state.errors['storage.sizeGiB']).toMatch(/whole number/);
    state = apply(state, {type: 'erase'}, {type: 'input', text: '20'});
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('security-group');
    expect(state.spec.storage.sizeGiB).toBe(20);
  });

  test('storage off is explained before Enter', () => {
    let state = goTo(start(), 'storage');
    state = apply(state, {type: 'move', delta: 1}, {type: 'move', delta: 1}, {type: 'move', delta: 1});
    expect(panelOption(state)).toBe('off');
    expect(state.spec.storage.encrypted).toBe(false);
  });

  test('review: launch is disabled in explain mode, a finding can be accepted with a reason', () => {
    let state = goTo(start(), 'review');
    const launch = reviewItems(state).find((item) => item.kind === 'action' && item.action === 'launch');
    expect(launch?.kind === 'action' && launch.disabled).toMatch(/explain mode/);
    const finding = reviewItems(state)[0];
    expect(finding.kind).toBe('finding');
    state = apply(state, {type: 'next'});
    expect(state.review.input?.kind).toBe('accept');
    state = apply(state, {type: 'next'});
    expect(state.review.input?.error).toMatch(/why/);
    state = typeText(state, 'public web server');
    state = apply(state, {type: 'next'});
    expect(state.spec.acceptedRisks).toContainEqual({finding: finding.kind === 'finding' ? finding.id : '', reason: 'public web server'});
  });

  test('review: save without a store says profiles come later; with a store asks a name', () => {
    const toSave = (state: WizardState) => {
      let current = state;
      while (!(reviewItems(current)[current.review.cursor]?.kind === 'action' && (reviewItems(current)[current.review.cursor] as {action: string}).action === 'save')) {
        current = apply(current, {type: 'move', delta: 1});
      }
      return apply(current, {type: 'next'});
    };
    const none = toSave(goTo(start(), 'review'));
    expect(none.review.notice).toMatch(/later version/);

    let named = toSave(goTo(initialWizard({spec: defaultSpec(), saveMode: 'named'}), 'review'));
    expect(named.review.input).toMatchObject({kind: 'name', draft: 'web-1'});
    named = apply(named, {type: 'next'});
    expect(named.effect).toEqual({kind: 'save', name: 'web-1'});
  });

  test('launch is offered in live mode when the spec is valid', () => {
    let state = goTo(initialWizard({spec: defaultSpec(), live: true}), 'review');
    while (!(reviewItems(state)[state.review.cursor]?.kind === 'action')) state = apply(state, {type: 'move', delta: 1});
    state = apply(state, {type: 'next'});
    expect(state.effect).toEqual({kind: 'launch'});
  });

  test('pre-flight: Launch chosen while it checks starts once it passes; a problem disables Launch', () => {
    const taken = {check: 'security-group-name' as const, status: 'fail' as const, field: 'securityGroup.name', detail: 'web-sg: taken', fix: 'rename it'};
    let state = goTo(initialWizard({spec: defaultSpec(), live: true}), 'review');
    state = apply(state, {type: 'preflight', state: {status: 'checking'}});
    while (!(reviewItems(state)[state.review.cursor]?.kind === 'action')) state = apply(state, {type: 'move', delta: 1});
    state = apply(state, {type: 'next'});
    expect(state.effect).toBeUndefined();
    expect(state.review.notice).toContain('as soon as pre-flight passes');
    const passed = apply(state, {type: 'preflight', state: {status: 'done', results: []}});
    expect(passed.effect).toEqual({kind: 'launch'});

    const failed = apply(state, {type: 'preflight', state: {status: 'done', results: [taken]}});
    expect(failed.effect).toBeUndefined();
    expect(failed.review.notice).toContain('nothing was launched');
    const launch = reviewItems(failed).find((item) => item.kind === 'action' && item.action === 'launch');
    expect(launch).toMatchObject({disabled: 'pre-flight found a problem above; esc to go back and fix it'});
  });

  test('startAtReview opens on the review', () => {
    expect(screenId(initialWizard({spec: defaultSpec(), startAtReview: true}))).toBe('review');
  });
});
