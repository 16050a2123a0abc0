// Small interface faults found by trying the wizard as a new user would; each test here fails
// without its fix.
import {afterEach, describe, expect, test} from 'vitest';
import {panelControls} from '../../source/domain/catalog.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {currentFields, focusedField, initialWizard, panelOption, screenId, wizardReducer, type WizardAction, type WizardState} from '../../source/ui/wizard-state.js';
import {cleanupAll, KEY, press, renderAt, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const apply = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);
function goTo(screen: string): WizardState {
  let state = initialWizard({spec: defaultSpec()});
  while (screenId(state) !== screen) state = wizardReducer(state, {type: 'next'});
  return state;
}
const typed = (state: WizardState, text: string) => [...text].reduce((current, char) => wizardReducer(current, {type: 'input', text: char}), state);

describe('the wizard, as a new user meets it', () => {
  test('esc in a text field leaves the field for its list before it goes back a screen', () => {
    let state = apply(goTo('security-group'), {type: 'nextField'}, {type: 'down'}, {type: 'nextField'});
    expect(focusedField(state)?.id).toBe('securityGroup.ssh.address');
    state = apply(state, {type: 'back'});
    expect(screenId(state)).toBe('security-group');
    expect(focusedField(state)?.id).toBe('securityGroup.ssh');
    state = apply(state, {type: 'back'});
    expect(screenId(state)).toBe('storage');
  });

  test('"another type…": Enter moves to the type field, the panel never says "other", a fixed type clears the error', () => {
    let state = goTo('instance-type');
    while (panelOption(state) !== 'other') state = apply(state, {type: 'down'});
    const customer = panelControls('instance-type', panelOption(state), state.spec)
      .map((control) => control.customer)
      .join(' ');
    expect(customer).not.toMatch(/\bother\b/);
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('instance-type');
    expect(focusedField(state)?.id).toBe('instance.type.other');
    expect(Object.keys(state.errors)).toEqual(['instance.type.other']);
    state = typed(state, 't3.nano');
    expect(state.errors).toEqual({});
    state = apply(state, {type: 'next'});
    expect(screenId(state)).toBe('network');
    expect(state.spec.instance.type).toBe('t3.nano');
  });

  test('the panel never shows a blank where a value is not typed yet', () => {
    const spec = defaultSpec();
    const cases = [
      panelControls('storage', 'existing', {...spec, storage: {...spec.storage, kmsKey: ''}}),
      panelControls('security-group', 'ssh-address', {...spec, securityGroup: {...spec.securityGroup, ssh: ''}}),
      panelControls('security-group', 'existing', {...spec, securityGroup: {...spec.securityGroup, mode: 'existing', groupId: ''}}),
      panelControls('key-pair', 'existing', {...spec, keyPair: {mode: 'existing', name: ''}}),
    ];
    for (const controls of cases) {
      for (const control of controls) expect(`${control.customer} ${control.verify}`).not.toMatch(/ [:;,.](\s|$)/);
    }
  });

  test('typed text: several backspaces in one read, ctrl+w and ctrl+u', () => {
    let state = apply(goTo('instance-type'), {type: 'nextField'});
    expect(focusedField(state)?.id).toBe('instance.name');
    state = apply(state, {type: 'erase', count: 3});
    expect(
      currentFields(state)
        .map((field) => state.drafts[field.id])
        .filter(Boolean),
    ).toEqual(['we']);
    state = apply(typed(state, 'b two'), {type: 'eraseWord'});
    expect(state.drafts['instance.name']).toBe('web ');
    state = apply(state, {type: 'clearLine'});
    expect(state.drafts['instance.name']).toBe('');
  });
});

describe('the store, inside the UI', () => {
  test('a damaged draft is reported on the resume screen, before anything else', async () => {
    const notice = 'the profile store file /home/x/draft.json was damaged: it is not valid JSON; it was moved aside';
    const profiles = {save: () => undefined, loadDraft: () => undefined, notices: () => [notice]};
    const app = renderAt(<App mode="explain" profiles={profiles} offerResume onExit={() => {}} />);
    await waitForText(app, 'it was moved aside');
    expect(app.lastFrame()).toContain('› Start fresh');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 1 of 12');
  });

  test('saving with a home that cannot be read shows the error on the review and keeps every answer', async () => {
    const profiles = {
      has: () => {
        throw new Error("EACCES: permission denied, open '/read-only/tandem/profiles.json'");
      },
      save: () => undefined,
    };
    const exits: number[] = [];
    const spec = {...defaultSpec(), instance: {...defaultSpec().instance, name: 'keep-me'}};
    const app = renderAt(<App mode="explain" profiles={profiles} initialSpec={spec} startAtReview onExit={(code) => exits.push(code)} />);
    await waitForText(app, '› Save as profile');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Profile name');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'could not save: EACCES: permission denied');
    expect(app.lastFrame()).toContain('keep-me');
    expect(exits).toEqual([]);
  });
});
