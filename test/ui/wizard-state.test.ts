import {describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {currentFields, focusedField, initialWizard, panelOption, REVIEW_INDEX, screenId, wizardReducer, type WizardAction, type WizardState} from '../../source/ui/wizard-state.js';
import {firstAction, initialReview, openFindings, reviewActions, reviewReducer, type ReviewMessage, type SaveMode} from '../../source/ui/review/state.js';
import {goTo} from './wizard-walk.js';
import {CONFUSED_DEPUTY_REASON} from '../../source/domain/controls/role.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

function apply(state: WizardState, ...actions: WizardAction[]): WizardState {
  return actions.reduce(wizardReducer, state);
}

/** Moves focus to the field with this id. */
function focus(state: WizardState, id: string): WizardState {
  let current = state;
  for (let guard = 0; focusedField(current)?.id !== id; guard++) {
    if (guard > 10) throw new Error(`no field ${id} on ${screenId(current)}`);
    current = wizardReducer(current, {type: 'nextField'});
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

  test('screens follow docs/design.md section 1 in order', () => {
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
    state = apply(state, {type: 'down'}, {type: 'down'});
    expect(state.spec.instance.tenancy).toBe('host');
    expect(panelOption(state)).toBe('host');
    state = apply(state, {type: 'down'});
    expect(state.spec.instance.tenancy).toBe('host');
  });

  test('SSH from one address: empty and bad values block Enter with an inline error, a good one advances', () => {
    let state = goTo(start(), 'security-group');
    state = focus(state, 'securityGroup.ssh');
    state = apply(state, {type: 'down'});
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

    for (let index = 0; index < 12; index++) state = apply(state, {type: 'erase', count: 1});
    state = typeText(state, '203.0.113.7/32');
    expect(state.errors['securityGroup.ssh.address']).toBeUndefined();
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('key-pair');
    expect(state.spec.securityGroup.ssh).toBe('203.0.113.7/32');
  });

  test('a range instead of one address is refused for SSH', () => {
    let state = focus(goTo(start(), 'security-group'), 'securityGroup.ssh');
    state = apply(state, {type: 'down'});
    state = typeText(focus(state, 'securityGroup.ssh.address'), '10.0.0.0/8');
    state = apply(state, {type: 'next'});
    expect(state.errors['securityGroup.ssh.address']).toMatch(/range/);
  });

  test('typing the whole internet as "your address" is refused and never flips the choice to SSH from anywhere', () => {
    for (const world of ['0.0.0.0/0', '::/0']) {
      let state = focus(goTo(start(), 'security-group'), 'securityGroup.ssh');
      state = apply(state, {type: 'down'});
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
    state = apply(state, {type: 'down'}, {type: 'down'});
    expect(state.spec.role.mode).toBe('create');
    state = typeText(focus(state, 'role.bucket'), 'my-site-assets');
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('tenancy');
    // The IAM role screen comes back with the bucket field focused: the first esc leaves the field.
    state = apply(state, {type: 'back'}, {type: 'back'}, {type: 'back'});
    expect(screenId(state)).toBe('network');
    state = goTo(state, 'tenancy');
    expect(state.spec.role).toMatchObject({mode: 'create', bucket: 'my-site-assets', access: 'read'});
  });

  test('a new VPC asks for its CIDR and checks it', () => {
    let state = goTo(start(), 'network');
    state = apply(state, {type: 'down'});
    expect(state.spec.network.vpc).toBe('new');
    state = focus(state, 'network.cidr');
    for (let index = 0; index < 11; index++) state = apply(state, {type: 'erase', count: 1});
    state = typeText(state, '10.0.0.0/33');
    state = apply(state, {type: 'next'});
    expect(state.errors['network.cidr']).toBeTruthy();
    expect(screenId(state)).toBe('network');
  });

  test('volume size must be a number in range', () => {
    let state = focus(goTo(start(), 'storage'), 'storage.sizeGiB');
    state = apply(state, {type: 'erase', count: 1}, {type: 'input', text: 'x'});
    state = apply(state, {type: 'next'});
    expect(state.errors['storage.sizeGiB']).toMatch(/whole number/);
    state = apply(state, {type: 'erase', count: 1}, {type: 'input', text: '20'});
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('security-group');
    expect(state.spec.storage.sizeGiB).toBe(20);
  });

  test('storage off is explained before Enter', () => {
    let state = goTo(start(), 'storage');
    state = apply(state, {type: 'down'}, {type: 'down'}, {type: 'down'});
    expect(panelOption(state)).toBe('off');
    expect(state.spec.storage.encrypted).toBe(false);
  });

  const review = (state: WizardState, saveMode: SaveMode = 'unavailable') => {
    const context = {spec: state.spec, live: state.live, saveMode};
    return {context, run: (...messages: ReviewMessage[]) => messages.reduce((current, message) => reviewReducer(current, message, context), initialReview)};
  };

  test('review: launch is disabled in explain mode, so the cursor starts on Save; a finding is accepted with a, with a reason', () => {
    const state = goTo(start(), 'review');
    const {context, run} = review(state);
    expect(reviewActions(context).find((item) => item.action === 'launch')?.disabled).toMatch(/explain mode/);
    expect(firstAction(context)).toBe('save');
    const finding = openFindings(state.spec)[0];
    expect(run({type: 'next'}).input).toBeUndefined();
    let current = run({type: 'nextField'}, {type: 'accept'});
    expect(current.input).toMatchObject({kind: 'accept', findings: [finding.id]});
    current = reviewReducer(current, {type: 'next'}, context);
    expect(current.input?.error).toMatch(/why/);
    for (const char of 'public web server') current = reviewReducer(current, {type: 'input', text: char}, context);
    current = reviewReducer(current, {type: 'next'}, context);
    expect(current.effect).toEqual({kind: 'accept', findings: [finding.id], reason: 'public web server'});
  });

  test('review: a finding tandem cannot fix by design opens the accept prompt with its ready reason, and Enter records it', () => {
    const state = goTo(start(), 'review');
    const {context, run} = review(state);
    const index = openFindings(state.spec).findIndex((finding) => finding.id === 'role-trust-unscoped');
    expect(index).toBeGreaterThanOrEqual(0);
    const downs = Array.from({length: index}, (): ReviewMessage => ({type: 'down'}));
    let current = run({type: 'nextField'}, ...downs, {type: 'accept'});
    expect(current.input).toMatchObject({kind: 'accept', findings: ['role-trust-unscoped'], draft: CONFUSED_DEPUTY_REASON});
    current = reviewReducer(current, {type: 'next'}, context);
    expect(current.effect).toEqual({kind: 'accept', findings: ['role-trust-unscoped'], reason: CONFUSED_DEPUTY_REASON});
  });

  test('review: save without a store says profiles come later; with a store asks a name', () => {
    expect(review(goTo(start(), 'review')).run({type: 'highlight', action: 'save'}, {type: 'next'}).notice).toMatch(/later version/);
    const named = review(goTo(start(), 'review'), 'named');
    let current = named.run({type: 'highlight', action: 'save'}, {type: 'next'});
    expect(current.input).toMatchObject({kind: 'name', draft: 'web-1'});
    current = reviewReducer(current, {type: 'next'}, named.context);
    expect(current.effect).toEqual({kind: 'save', name: 'web-1'});
  });

  test('launch is the first action in live mode when the spec is valid, and selecting it launches', () => {
    const {context, run} = review(goTo(initialWizard({spec: publicWebServerSpec(), live: true}), 'review'));
    expect(firstAction(context)).toBe('launch');
    expect(run({type: 'next'}).effect).toEqual({kind: 'launch'});
  });

  test('pre-flight: Launch chosen while it checks starts once it passes; a problem disables Launch', () => {
    const taken = {check: 'security-group-name' as const, status: 'fail' as const, field: 'securityGroup.name', detail: 'web-sg: taken', fix: 'rename it'};
    const state = goTo(initialWizard({spec: publicWebServerSpec(), live: true}), 'review');
    const base = {spec: state.spec, live: true, saveMode: 'unavailable' as const};
    const checking = {...base, preflight: {status: 'checking' as const}};
    const chosen = reviewReducer(initialReview, {type: 'next'}, checking);
    expect(chosen.effect).toBeUndefined();
    expect(chosen.notice).toContain('as soon as pre-flight passes');
    const passed = reviewReducer(chosen, {type: 'preflight-settled'}, {...base, preflight: {status: 'done', results: []}});
    expect(passed.effect).toEqual({kind: 'launch'});

    const problem = {...base, preflight: {status: 'done' as const, results: [taken]}};
    const failed = reviewReducer(chosen, {type: 'preflight-settled'}, problem);
    expect(failed.effect).toBeUndefined();
    expect(failed.notice).toContain('nothing was launched');
    expect(reviewActions(problem).find((item) => item.action === 'launch')).toMatchObject({disabled: 'pre-flight found a problem above; esc to go back and fix it'});
  });

  test('startAtReview opens on the review', () => {
    expect(screenId(initialWizard({spec: defaultSpec(), startAtReview: true}))).toBe('review');
  });
});
