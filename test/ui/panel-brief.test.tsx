// The responsibility panel below the options (terminals under 100 columns) when it does not fit
// whole: the rows the options leave free show each control's AWS and You lines before the panel
// folds to its one summary line.
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {cleanupAll, KEY, press, renderSized} from './helpers.js';

afterEach(() => cleanupAll());

const lineStarting = (frame: string, start: string) => frame.split('\n').some((line) => line.startsWith(start));

describe('the panel at 80×24', () => {
  test('the image step shows what AWS does and what you do under the summary, and the frame fits', async () => {
    const app = renderSized(<App mode="explain" onExit={() => undefined} />, 80, 24);
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('— Image provenance [BOTH] · ? to open');
    expect(lineStarting(frame, 'AWS    Publishes Amazon Linux')).toBe(true);
    expect(lineStarting(frame, 'You    Pick a current')).toBe(true);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
  });

  test('with three controls and room for one, the first is shown in full and the others share a line', async () => {
    const app = renderSized(<App mode="explain" onExit={() => undefined} />, 80, 24);
    await press(app.stdin, KEY.enter, 3);
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('step 4 of 12');
    expect(frame).toContain('— VPC isolation [AWS] · ? to open');
    expect(lineStarting(frame, 'AWS    ')).toBe(true);
    expect(lineStarting(frame, 'You    ')).toBe(true);
    expect(frame).toContain('— also Subnets and routes [YOU], Public IPv4 address [YOU]');
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
  });
});
