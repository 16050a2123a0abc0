import {describe, expect, test} from 'vitest';
import {NO_KEY} from '../../source/ui/key-pieces.js';
import {BINDINGS, bindingFor, helpLine, keyNames, ownerOf, resolveKey, type KeyContext} from '../../source/ui/keymap.js';

const contexts: KeyContext[] = [
  {screen: 'wizard', typing: false, fields: 1, choosing: true, canGoBack: false},
  {screen: 'wizard', typing: true, fields: 3, choosing: false, canGoBack: true},
  {screen: 'wizard', typing: false, fields: 3, choosing: true, canGoBack: true},
  {screen: 'review', typing: false, fields: 1, choosing: true, canGoBack: true},
  {screen: 'review', typing: true, fields: 1, choosing: false, canGoBack: true},
  {screen: 'progress', typing: false, fields: 0, choosing: false, canGoBack: false},
  {screen: 'end', typing: false, fields: 0, choosing: false, canGoBack: false},
  // The focused list is an ink-select-input list: ↑/↓ and j/k are its own.
  {screen: 'wizard', typing: false, fields: 3, choosing: true, listKeys: true, canGoBack: true},
  {screen: 'review', typing: false, fields: 2, choosing: true, listKeys: true, canGoBack: true},
  {screen: 'resume', typing: false, fields: 1, choosing: true, listKeys: true, canGoBack: false},
];

describe('keymap', () => {
  test('in every context each key belongs to at most one binding', () => {
    const keys = new Set(BINDINGS.flatMap((binding) => binding.keys));
    for (const context of contexts) {
      for (const key of keys) {
        const owners = BINDINGS.filter((binding) => binding.keys.includes(key) && (binding.when?.(context) ?? true) && !(context.typing && key.length === 1));
        expect(owners.length, `${key} in ${JSON.stringify(context)}`).toBeLessThanOrEqual(1);
      }
    }
  });

  test('q, j, k and ? are text while typing; ctrl+c still quits', () => {
    const typing = contexts[1];
    for (const char of ['q', 'j', 'k', '?']) expect(bindingFor(char, typing)).toBeUndefined();
    expect(resolveKey('c', {...NO_KEY, ctrl: true}, typing)).toBe('interrupt');
    expect(resolveKey('q', NO_KEY, contexts[0])).toBe('quit');
    expect(resolveKey('j', NO_KEY, contexts[0])).toBe('down');
    expect(resolveKey('', {...NO_KEY, upArrow: true}, typing)).toBe('up');
  });

  test('tab only moves between fields on screens with several inputs', () => {
    expect(resolveKey('\t', {...NO_KEY, tab: true}, contexts[0])).toBeUndefined();
    expect(resolveKey('\t', {...NO_KEY, tab: true}, contexts[2])).toBe('nextField');
    expect(resolveKey('', {...NO_KEY, tab: true, shift: true}, contexts[2])).toBe('prevField');
  });

  test('↑/↓ and j/k have one owner: the focused list when it takes them, the mode otherwise', () => {
    const list = contexts[7];
    for (const [input, key] of [
      ['', {...NO_KEY, upArrow: true}],
      ['', {...NO_KEY, downArrow: true}],
      ['j', NO_KEY],
      ['k', NO_KEY],
    ] as const) {
      const name = keyNames(input, key)[0];
      expect(ownerOf(bindingFor(name, list)!, list), name).toBe('list');
      // The mode's input hook never hears of a key the list owns.
      expect(resolveKey(input, key, list), name).toBeUndefined();
      expect(ownerOf(bindingFor(name, contexts[2])!, contexts[2]), name).toBe('mode');
    }
    // Keys the list does not take stay the mode's, and the help line still says how to choose.
    expect(resolveKey('', {...NO_KEY, tab: true}, list)).toBe('nextField');
    expect(resolveKey('\r', {...NO_KEY, return: true}, list)).toBe('next');
    expect(helpLine(list)).toBe(helpLine(contexts[2]));
  });

  test('the help line is generated from the bindings', () => {
    expect(helpLine(contexts[2])).toBe('↑↓ choose · enter next · tab next field · esc back · ? more about this control · q quit');
    expect(helpLine(contexts[1])).toContain('ctrl+c quit');
    expect(helpLine(contexts[1])).not.toContain('q quit ');
    expect(helpLine(contexts[5])).toBe('ctrl+c stop and roll back');
  });
});
