import {describe, expect, test} from 'vitest';
import {buildPlan, orderedSteps} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {exitCodeOf, initialProgress, isFinished, progressReducer, type ProgressAction, type ProgressState} from '../../source/ui/progress-state.js';

const steps = orderedSteps(buildPlan(defaultSpec()));
const start = () => initialProgress('l-20260101t120000-abcdef', steps);
const apply = (state: ProgressState, ...actions: ProgressAction[]) => actions.reduce(progressReducer, state);
const event = (e: Extract<ProgressAction, {type: 'event'}>['event'], now = 0): ProgressAction => ({type: 'event', event: e, now});

describe('progress reducer', () => {
  test('one waiting row per plan step, then running, waiting for IAM, done with ids', () => {
    let state = start();
    expect(state.rows.map((row) => row.state)).toEqual(steps.map(() => 'waiting'));
    const id = steps[0].id;
    state = apply(state, event({type: 'step-started', stepId: id, action: steps[0].action}, 1000));
    expect(state.rows[0]).toMatchObject({state: 'running', startedAt: 1000});
    state = apply(state, event({type: 'step-waiting', stepId: id, reason: 'instance profile not visible yet', attempt: 2}));
    expect(state.rows[0].waiting).toEqual({reason: 'instance profile not visible yet', attempt: 2});
    state = apply(state, event({type: 'step-done', stepId: id, ms: 300, resources: [{kind: 'security-group', id: 'sg-1', stepId: id, region: 'us-east-1'}]}));
    expect(state.rows[0]).toMatchObject({state: 'done', ms: 300, waiting: undefined});
    expect(state.rows[0].resources[0].id).toBe('sg-1');
  });

  test('failure, rollback and exit code 1', () => {
    const id = steps[0].id;
    const state = apply(
      start(),
      event({type: 'step-failed', stepId: id, code: 'UnauthorizedOperation', message: 'not allowed', ms: 10}),
      event({type: 'rollback-started', launchId: 'x'}),
      event({type: 'resource-deleted', resource: {kind: 'vpc', id: 'vpc-1', stepId: 'vpc', region: 'us-east-1'}}),
      event({type: 'summary', launchId: 'l-20260101t120000-abcdef', status: 'rolled-back'}),
    );
    expect(state.rows[0].error).toEqual({code: 'UnauthorizedOperation', message: 'not allowed'});
    expect(state.rollback?.deleted).toHaveLength(1);
    expect(isFinished(state)).toBe(true);
    expect(exitCodeOf(state)).toBe(1);
  });

  test('exit codes: 0 all pass, 3 a failing control, 130 interrupted', () => {
    const launched = apply(start(), event({type: 'summary', launchId: 'x', status: 'launched'}));
    expect(
      exitCodeOf(
        apply(
          launched,
          event({type: 'verification', results: [{control: 'imds-v2', title: 't', owner: 'AWS/Customer', expected: 'a', actual: 'a', status: 'pass', checkers: [], checkerVerdicts: []}]}),
        ),
      ),
    ).toBe(0);
    expect(
      exitCodeOf(
        apply(
          launched,
          event({type: 'verification', results: [{control: 'imds-v2', title: 't', owner: 'AWS/Customer', expected: 'a', actual: 'b', status: 'fail', checkers: [], checkerVerdicts: []}]}),
        ),
      ),
    ).toBe(3);
    expect(exitCodeOf(apply(start(), {type: 'interrupt'}, event({type: 'summary', launchId: 'x', status: 'interrupted'})))).toBe(130);
    expect(exitCodeOf(apply(start(), {type: 'crash', message: 'boom'}))).toBe(1);
  });
});
