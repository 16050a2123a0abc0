// The screens' one Text (source/ui/text.tsx) makes a plain string inert by default and shows text
// tandem vouches for (t`…`, trusted()) as it is.
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {t, trusted} from '../../source/domain/safe-text.js';
import {Text} from '../../source/ui/text.js';
import {cleanupAll} from './helpers.js';

afterEach(() => cleanupAll());

/** Every byte a terminal would act on: C0 but the line break, DEL and C1. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

const frameOf = (node: React.ReactElement) => render(node).lastFrame() ?? '';

describe('Text', () => {
  test('a plain string is shown inert: its escape sequence and C1 control become visible text', () => {
    const frame = frameOf(<Text>{'name\u001B[2J\u009B31m'}</Text>);
    expect(frame).toBe('name\\x1b[2J\\x9b31m');
    expect(frame).not.toMatch(CONTROL);
  });

  test('every child is made inert, JSX text, values and nested lists alike; lines stay lines', () => {
    const value = 'b\u0007';
    const frame = frameOf(
      <Text>
        a {value} {['c\u001B', ['d\u0085']]} {3}
        {'\nnext'}
      </Text>,
    );
    expect(frame).toBe('a b\\x07 c\\x1bd\\x85 3\nnext');
  });

  test('trusted text is shown as it is', () => {
    expect(frameOf(<Text>{trusted('kept as is')}</Text>)).toBe('kept as is');
  });

  test('t`…` shows its own words and makes each value inert whole, a line break in it too', () => {
    const frame = frameOf(<Text>{t`role ${'web\nrole\u001B]8;;https://example.com\u0007'} chosen`}</Text>);
    expect(frame).toBe('role web\\x0arole\\x1b]8;;https://example.com\\x07 chosen');
  });

  test('a nested Text is made inert too, and styles still apply', () => {
    const frame = frameOf(
      <Text>
        id <Text bold>{'i-1\u001B[8m'}</Text>
      </Text>,
    );
    expect(frame).toContain('i-1\\x1b[8m');
    expect(frame.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(CONTROL);
  });
});
