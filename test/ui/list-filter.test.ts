import {describe, expect, it} from 'vitest';
import {countLine, filterItems, filterReducer, matchesQuery} from '../../source/ui/list-filter.js';

const roles = Array.from({length: 200}, (_, n) => ({value: `app-${n}-role`, label: `app-${n}-role`, search: `team=team-${n % 7}`}));

describe('list filter', () => {
  it('matches every word in the name, id or tags, ignoring case', () => {
    expect(matchesQuery({value: 'sg-0abc', label: 'web servers', search: 'env=prod'}, 'WEB prod')).toBe(true);
    expect(matchesQuery({value: 'sg-0abc', label: 'web servers', search: 'env=prod'}, 'sg-0a')).toBe(true);
    expect(matchesQuery({value: 'sg-0abc', label: 'web servers', search: 'env=prod'}, 'web staging')).toBe(false);
  });

  it('narrows 200 items to the ones that match, keeping their order', () => {
    expect(filterItems(roles, 'app-12')).toEqual(roles.filter((role) => role.value.startsWith('app-12')));
    expect(filterItems(roles, 'team=team-3').length).toBe(29);
    expect(filterItems(roles, '  ')).toHaveLength(200);
  });

  it('says how many there are, how many match and whether more are coming', () => {
    expect(countLine(212, 212, 'roles', false)).toBe('212 roles');
    expect(countLine(3, 212, 'roles', false)).toBe('3 of 212 roles');
    expect(countLine(100, 100, 'roles', true)).toBe('100 roles so far, loading more…');
  });

  it('takes typed text, a leading slash opens the search, backspace and clear edit it', () => {
    let state = filterReducer({query: ''}, {type: 'type', text: '/'});
    expect(state.query).toBe('');
    state = filterReducer(state, {type: 'type', text: 'prod/web'});
    expect(state.query).toBe('prod/web');
    state = filterReducer(state, {type: 'erase', count: 4});
    expect(state.query).toBe('prod');
    expect(filterReducer(state, {type: 'clear'}).query).toBe('');
  });
});
