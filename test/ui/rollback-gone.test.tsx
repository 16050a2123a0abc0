// A rollback that finds a resource already gone (removed outside tandem meanwhile) says so: the
// progress list and the end screen keep "removed" for what this rollback deleted.
import {afterEach, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {initialProgress, progressReducer} from '../../source/ui/progress-state.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const vpc = {kind: 'vpc' as const, id: 'vpc-0made', stepId: 'vpc', region: 'us-east-1'};
const group = {kind: 'security-group' as const, id: 'sg-0elsewhere', stepId: 'security-group', region: 'us-east-1'};

test('the progress state keeps what the rollback found already gone apart from what it removed', () => {
  let state = initialProgress('l-x', []);
  state = progressReducer(state, {type: 'event', now: 0, event: {type: 'rollback-started', launchId: 'l-x'}});
  state = progressReducer(state, {type: 'event', now: 0, event: {type: 'resource-deleted', resource: vpc}});
  state = progressReducer(state, {type: 'event', now: 0, event: {type: 'resource-deleted', resource: group, alreadyGone: true}});
  expect(state.rollback?.deleted).toEqual([vpc]);
  expect(state.rollback?.gone).toEqual([group]);
});

test('the rollback list and the end screen say "already gone" for a resource that was, and count only the rest as removed', async () => {
  const cloud = fakeCloud({
    script: async (spec, plan, options) => {
      const step = plan.steps[0];
      options.onEvent({type: 'step-started', stepId: step.id, action: step.action});
      options.onEvent({type: 'step-failed', stepId: step.id, code: 'InternalError', message: 'boom', ms: 5});
      options.onEvent({type: 'rollback-started', launchId: options.launchId});
      options.onEvent({type: 'resource-deleted', resource: group, alreadyGone: true});
      options.onEvent({type: 'resource-deleted', resource: vpc});
      options.onEvent({type: 'summary', launchId: options.launchId, status: 'rolled-back'});
      return {launchId: options.launchId, status: 'rolled-back', resources: []};
    },
  });
  const app = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={publicWebServerSpec()} makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} />,
    120,
  );
  const frame = () => app.lastFrame() ?? '';
  await enterUntil(app, 'What next');
  for (let guard = 0; !frame().includes('› Launch'); guard++) {
    if (guard > 15) throw new Error(`no Launch action; last frame:\n${frame()}`);
    await press(app.stdin, KEY.down);
  }
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'Launch failed.');
  expect(frame()).toContain('removed vpc vpc-0made');
  expect(frame()).toContain('already gone: security-group sg-0elsewhere');
  expect(frame()).not.toContain('removed security-group sg-0elsewhere');
  expect(frame().replace(/\s+/g, ' ')).toContain('Rolled back: 1 resource removed. 1 already gone (not found: removed outside tandem).');
});
