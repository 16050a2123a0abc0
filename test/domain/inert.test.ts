import {describe, expect, it} from 'vitest';
import {hasUnsafeCharacters, inert} from '../../source/domain/safe-text.js';

describe('inert', () => {
  it('leaves ordinary text alone, including non-ASCII letters', () => {
    expect(inert('web-sg (prod) – Zürich 東京')).toBe('web-sg (prod) – Zürich 東京');
    expect(hasUnsafeCharacters('web-sg')).toBe(false);
  });

  it('shows ESC sequences as text instead of letting the terminal run them', () => {
    const hostile = 'ok\u001b[2J\u001b[31mred\u001b]0;pwned\u0007';
    const safe = inert(hostile);
    expect(safe).toBe('ok\\x1b[2J\\x1b[31mred\\x1b]0;pwned\\x07');
    expect(safe).not.toMatch(/[\u0000-\u001f]/);
    expect(hasUnsafeCharacters(hostile)).toBe(true);
  });

  it('replaces every C0 control, DEL and C1 control', () => {
    for (let code = 0; code < 0x20; code += 1) {
      expect(inert(String.fromCharCode(code))).toBe(`\\x${code.toString(16).padStart(2, '0')}`);
    }
    expect(inert('\u007f')).toBe('\\x7f');
    // C1: 0x9b is a one-byte CSI on terminals that honour 8-bit controls.
    expect(inert('a\u009b31mb')).toBe('a\\x9b31mb');
    expect(inert('\u0085')).toBe('\\x85');
  });

  it('keeps a name on one line and defuses bidi reordering', () => {
    expect(inert('line1\nline2\r\tx')).toBe('line1\\x0aline2\\x0d\\x09x');
    expect(inert('a\u2028b')).toBe('a\\u2028b');
    expect(inert('admin\u202etxt.exe')).toBe('admin\\u202etxt.exe');
    expect(inert('\u2066x\u2069')).toBe('\\u2066x\\u2069');
  });
});
