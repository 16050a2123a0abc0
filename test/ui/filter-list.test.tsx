// A list found in the account: the view (count, window, filter line) and the wizard's handling of
// what is typed into it (narrowing, the highlight following the first match, ↑/↓ among matches).
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {defaultSpec} from '../../source/domain/spec.js';
import {FilterList, windowStart} from '../../source/ui/filter-list.js';
import type {Option} from '../../source/ui/fields.js';
import {shownOptions} from '../../source/ui/list-filter.js';
import {focusedField, initialWizard, isTyping, screenId, wizardReducer, type WizardAction, type WizardState} from '../../source/ui/wizard-state.js';

const NAMES = Array.from({length: 200}, (_, n) => `app-${String(n).padStart(4, '0')}-role`);
const ROLES: Option[] = [{value: '__type__', label: 'type an id…', pinned: true}, ...NAMES.map((name, n) => ({value: name, label: name, search: `team=team-${n % 7}`}))];

afterEach(() => cleanup());

const view = (props: Partial<React.ComponentProps<typeof FilterList>>) =>
  render(<FilterList label="Role name" noun="roles" options={ROLES} value="__type__" query="" focused lines={8} {...props} />).lastFrame() ?? '';

describe('filter list view', () => {
  it('opens with what fits and a count', () => {
    const frame = view({});
    expect(frame).toContain('200 roles');
    expect(frame).toContain('type to filter');
    expect(frame).toContain('app-0006-role');
    expect(frame).not.toContain('app-0007-role');
    expect(frame).toContain('↓ 193 more');
  });

  it('says when more pages are still coming', () => {
    expect(view({loadingMore: true})).toContain('200 roles so far, loading more…');
  });

  it('shows what matches around the highlight, with the filter', () => {
    const frame = view({query: 'app-01', value: 'app-0150-role'});
    expect(frame).toContain('100 of 200 roles  filter: app-01');
    expect(frame).toMatch(/› app-0150-role/);
    expect(frame).toMatch(/↑ \d+ more/);
    expect(view({query: 'nothing-like-this'})).toContain('nothing matches');
  });

  it('keeps pinned options whatever is typed, and the highlight inside the window', () => {
    expect(shownOptions(ROLES, 'app-0199').map((option) => option.value)).toEqual(['__type__', 'app-0199-role']);
    expect(windowStart(200, 8, 0)).toBe(0);
    expect(windowStart(200, 8, 100)).toBe(96);
    expect(windowStart(200, 8, 199)).toBe(192);
    expect(windowStart(5, 8, 3)).toBe(0);
  });
});

/** The IAM role step with "an existing role…" chosen, 200 roles loaded, and the list focused. */
function roleList(): WizardState {
  let state = initialWizard({spec: defaultSpec(), live: true});
  state = wizardReducer(state, {
    type: 'discovery',
    key: 'roles',
    state: {status: 'ready', data: NAMES.map((name) => ({name, arn: `arn:aws:iam::123456789012:role/${name}`, instanceProfiles: [name]}))},
  });
  for (let guard = 0; screenId(state) !== 'iam-role'; guard++) {
    if (guard > 10) throw new Error('never reached the role step');
    state = wizardReducer(state, {type: 'next'});
  }
  state = wizardReducer(state, {type: 'down'});
  return wizardReducer(state, {type: 'nextField'});
}

const apply = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);
const typed = (text: string): WizardAction[] => [...text].map((char) => ({type: 'input', text: char}));

describe('typing into a list found in the account', () => {
  it('takes printable keys as the filter (q and j are text here) and moves the highlight to the first match', () => {
    const state = apply(roleList(), ...typed('app-010'));
    expect(focusedField(state)?.id).toBe('role.name.pick');
    expect(isTyping(state)).toBe(true);
    expect(state.filters['role.name.pick']).toBe('app-010');
    expect(state.spec.role.name).toBe('app-0100-role');
  });

  it('moves among the matches only, and backspace widens the list again', () => {
    let state = apply(roleList(), ...typed('app-010'), ...Array.from({length: 7}, (): WizardAction => ({type: 'down'})));
    expect(state.spec.role.name).toBe('app-0107-role');
    state = apply(state, {type: 'down'}, {type: 'down'}, {type: 'down'});
    expect(state.spec.role.name).toBe('app-0109-role');
    state = apply(state, {type: 'erase', count: 1}, {type: 'erase', count: 1});
    expect(state.filters['role.name.pick']).toBe('app-0');
    expect(state.spec.role.name).toBe('app-0109-role');
  });
});
