// The pure text model the writer, the domain renderers and the screens share: tandem's own words
// stay as written, every value put in them is made inert whole.
import {describe, expect, test} from 'vitest';
import {cell, isTrusted, safeText, t, trusted} from '../../source/domain/safe-text.js';
import {givenTargetProblem} from '../../source/domain/launch-target.js';
import {cancelKeyDeletion, removedLine} from '../../source/domain/removal-text.js';

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const HOSTILE = 'a\u001B[2J\u001B]8;;https://x.example/\u0007b\u009B1m\nc';

describe('safe text', () => {
  test('t`…` keeps its words and makes each value inert whole; t.text gives the same as a string', () => {
    const built = t`name ${HOSTILE} and ${3}`;
    expect(isTrusted(built)).toBe(true);
    expect(built.text).toBe('name a\\x1b[2J\\x1b]8;;https://x.example/\\x07b\\x9b1m\\x0ac and 3');
    expect(t.text`name ${HOSTILE} and ${3}`).toBe(built.text);
  });

  test('a trusted value inside t`…` is kept as it is, and building twice changes nothing', () => {
    expect(t.text`[${trusted('\u001B[1m')}]`).toBe('[\u001B[1m]');
    const once = t.text`${HOSTILE}`;
    expect(t.text`${once}`).toBe(once);
  });

  test('a plain string is made inert line by line; trusted text passes; a clean string is returned as it is', () => {
    expect(safeText(`x\u0007\ny`)).toBe('x\\x07\ny');
    expect(safeText(trusted('\u001B[0m'))).toBe('\u001B[0m');
    const clean = 'nothing to do';
    expect(safeText(clean)).toBe(clean);
    expect(cell(HOSTILE)).not.toMatch(CONTROL);
  });

  test('domain renderers build their sentences with every AWS value inert', () => {
    const resource = {kind: 'kms-key' as const, id: HOSTILE, stepId: 'kms-key', region: `us-east-1${HOSTILE}`};
    expect(removedLine(resource)).not.toMatch(CONTROL);
    expect(cancelKeyDeletion(resource)).not.toMatch(CONTROL);
    const problem = givenTargetProblem('verify', {launchId: 'l-1', region: HOSTILE}, {region: {name: 'us-east-1', from: '--region'}});
    expect(problem).toContain('region a\\x1b[2J');
    expect(problem).not.toMatch(CONTROL);
  });
});
