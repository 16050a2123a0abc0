import React, {useState} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {FilterList, filterKey, shownOptions, windowStart, type FilterOption} from '../../source/ui/filter-list.js';
import {KEY, press, type} from './helpers.js';

const ROLES: FilterOption[] = [
  {value: '__type__', label: 'type an id…', pinned: true},
  ...Array.from({length: 200}, (_, n) => {
    const name = `app-${String(n).padStart(4, '0')}-role`;
    return {value: name, label: name, search: `team=team-${n % 7}`};
  }),
];

function Harness({onValue, loadingMore = false}: {onValue: (value: string) => void; loadingMore?: boolean}) {
  const [value, setValue] = useState('__type__');
  return (
    <FilterList
      label="Role name"
      noun="roles"
      options={ROLES}
      value={value}
      focused
      lines={8}
      loadingMore={loadingMore}
      onHighlight={(next) => {
        setValue(next);
        onValue(next);
      }}
    />
  );
}

afterEach(() => cleanup());

describe('filter list', () => {
  it('opens with what fits and a count', () => {
    const {lastFrame} = render(<Harness onValue={() => undefined} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('200 roles');
    expect(frame).toContain('type to filter');
    expect(frame).toContain('app-0006-role');
    expect(frame).not.toContain('app-0007-role');
    expect(frame).toContain('↓ 193 more');
  });

  it('says when more pages are still coming', () => {
    const {lastFrame} = render(<Harness onValue={() => undefined} loadingMore />);
    expect(lastFrame()).toContain('200 roles so far, loading more…');
  });

  it('narrows the list as you type, moves the highlight to the first match, and ↓ picks the next', async () => {
    let value = '';
    const {stdin, lastFrame} = render(<Harness onValue={(next) => (value = next)} />);
    await type(stdin, 'app-012');
    expect(lastFrame()).toContain('10 of 200 roles');
    expect(lastFrame()).toContain('filter: app-012');
    expect(value).toBe('app-0120-role');
    await press(stdin, KEY.down, 3);
    expect(value).toBe('app-0123-role');
    expect(lastFrame()).toMatch(/› app-0123-role/);
    await press(stdin, KEY.backspace, 4);
    expect(lastFrame()).toContain('filter: app');
    expect(lastFrame()).toMatch(/› app-0123-role/);
  });

  it('filters by tag and says when nothing matches', async () => {
    const {stdin, lastFrame} = render(<Harness onValue={() => undefined} />);
    await type(stdin, 'team=team-3');
    expect(lastFrame()).toContain('29 of 200 roles');
    await type(stdin, 'x');
    expect(lastFrame()).toContain('nothing matches');
    expect(lastFrame()).toContain('type an id…');
  });
});

describe('filter list parts', () => {
  it('keeps pinned options whatever is typed', () => {
    expect(shownOptions(ROLES, 'app-0199').map((option) => option.value)).toEqual(['__type__', 'app-0199-role']);
  });

  it('keeps the highlight inside the window', () => {
    expect(windowStart(200, 8, 0)).toBe(0);
    expect(windowStart(200, 8, 100)).toBe(96);
    expect(windowStart(200, 8, 199)).toBe(192);
    expect(windowStart(5, 8, 3)).toBe(0);
  });

  it('leaves Enter, Tab and Esc to the wizard; a slash or any text filters', () => {
    const none = {upArrow: false, downArrow: false, pageUp: false, pageDown: false, ctrl: false, backspace: false, delete: false, meta: false, return: false, tab: false, escape: false, leftArrow: false, rightArrow: false, shift: false, home: false, end: false, super: false, hyper: false, capsLock: false, numLock: false};
    expect(filterKey('', {...none, return: true}, 8)).toBeUndefined();
    expect(filterKey('', {...none, escape: true}, 8)).toBeUndefined();
    expect(filterKey('/', none, 8)).toEqual({type: 'type', text: '/'});
    expect(filterKey('q', none, 8)).toEqual({type: 'type', text: 'q'});
    expect(filterKey('u', {...none, ctrl: true}, 8)).toEqual({type: 'clear'});
    expect(filterKey('', {...none, pageDown: true}, 8)).toEqual({type: 'move', delta: 8});
  });
});
