// What a wizard input shows for the spec value at its path, and what a text field writes back.
import {describe, expect, it} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {textField, textOf} from '../../source/ui/steps/factories.js';

describe('the text an input shows for a spec value', () => {
  it('shows text and numbers as written and an unset or structured value as empty, never [object Object]', () => {
    expect(textOf('web-sg')).toBe('web-sg');
    expect(textOf(16)).toBe('16');
    expect(textOf(false)).toBe('false');
    expect(textOf(undefined)).toBe('');
    expect(textOf({nested: 'value'})).toBe('');
  });

  it('writes the typed text trimmed by default', () => {
    const field = textField({path: 'instance.name', label: 'Name'});
    expect(field.set(defaultSpec(), '  web-1  ').instance.name).toBe('web-1');
    expect(field.get(field.set(defaultSpec(), 'web-2'))).toBe('web-2');
  });
});
