// A step that starts between two of the progress view's once-a-second redraws shows how long it
// has run from a clock read when the frame is drawn: never a negative time such as "-0.4s".
import {act} from 'react';
import {afterEach, expect, test} from 'vitest';
import {buildPlan, orderedSteps} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {ProgressScreen} from '../../source/ui/progress.js';
import {initialProgress, progressReducer, stepClock} from '../../source/ui/progress-state.js';
import {cleanupAll, renderAt} from './helpers.js';

afterEach(() => cleanupAll());

test('a step that started after the last redraw shows a time of zero or more, never a negative one', async () => {
  const steps = orderedSteps(buildPlan(defaultSpec()));
  const waiting = initialProgress('l-20260101t120000-abcdef', steps);
  const app = renderAt(<ProgressScreen state={waiting} width={100} />, 100);
  // Less than the one-second tick later, the first step starts.
  await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
  const running = progressReducer(waiting, {type: 'event', event: {type: 'step-started', stepId: steps[0].id, action: steps[0].action}, now: stepClock()});
  act(() => app.rerender(<ProgressScreen state={running} width={100} />));
  const frame = app.lastFrame() ?? '';
  const row = frame.split('\n').find((line) => line.includes(steps[0].action)) ?? '';
  expect(row, frame).toMatch(/ 0\.\ds /);
  expect(frame).not.toMatch(/-\d+\.\ds/);
});
