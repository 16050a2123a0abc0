// The fleet deploy screen: the reducer folds the fleet's events, and the view draws a line per
// account/region with its mark and StackSets' reason.
import {afterEach, describe, expect, it} from 'vitest';
import type {FleetEvent} from '../../source/domain/fleet.js';
import {FleetProgress} from '../../source/ui/fleet-progress.js';
import {initialFleetProgress, reduceFleetProgress} from '../../source/ui/fleet-progress-state.js';
import {cleanupAll, renderAt} from './helpers.js';

afterEach(cleanupAll);

const targets = [
  {account: '111111111111', region: 'us-east-1'},
  {account: '222222222222', region: 'us-east-1'},
];
const fold = (...events: FleetEvent[]) => events.reduce(reduceFleetProgress, initialFleetProgress('web', targets));

describe('fleet deploy progress', () => {
  it('starts with every target pending and pre-flight running', () => {
    const state = fold();
    expect(state.preflight).toBe('running');
    expect(state.targets.map((target) => target.status)).toEqual(['pending', 'pending']);
  });

  it('follows the operation target by target, with the reason of a failure', () => {
    const state = fold(
      {type: 'preflight', ok: true, problems: []},
      {type: 'stack-set', action: 'created', name: 'web'},
      {type: 'operation-started', action: 'create', operationId: 'op-1', targets},
      {type: 'target', operationId: 'op-1', account: '111111111111', region: 'us-east-1', status: 'succeeded'},
      {type: 'target', operationId: 'op-1', account: '222222222222', region: 'us-east-1', status: 'failed', reason: 'VPC limit'},
      {type: 'operation-done', operationId: 'op-1', status: 'SUCCEEDED'},
    );
    expect(state.targets).toEqual([
      {account: '111111111111', region: 'us-east-1', status: 'succeeded'},
      {account: '222222222222', region: 'us-east-1', status: 'failed', reason: 'VPC limit'},
    ]);
    const frame = renderAt(<FleetProgress state={state} />, 100).lastFrame() ?? '';
    expect(frame).toContain('Fleet web · 1 of 2 targets deployed');
    expect(frame).toContain('pre-flight passed');
    expect(frame).toContain('StackSet web created');
    expect(frame).toMatch(/✓\s+111111111111\/us-east-1\s+succeeded/);
    expect(frame).toMatch(/✗\s+222222222222\/us-east-1\s+failed: VPC limit/);
  });

  it('shows what pre-flight refused, by account and region', () => {
    const state = fold({type: 'preflight', ok: false, problems: [{account: '222222222222', region: 'us-east-1', message: 'AWSCloudFormationStackSetExecutionRole is missing'}]});
    const frame = renderAt(<FleetProgress state={state} />, 120).lastFrame() ?? '';
    expect(frame).toContain('pre-flight refused the fleet; nothing was created');
    expect(frame).toContain('account 222222222222, region us-east-1: AWSCloudFormationStackSetExecutionRole is missing');
  });

  it('adds targets StackSets reports that were not named up front (organizational units)', () => {
    const state = fold({type: 'target', operationId: 'op', account: '333333333333', region: 'eu-west-1', status: 'running'}, {type: 'rollback-started', name: 'web'});
    expect(state.targets.map((target) => `${target.account}/${target.region} ${target.status}`)).toEqual([
      '111111111111/us-east-1 pending',
      '222222222222/us-east-1 pending',
      '333333333333/eu-west-1 running',
    ]);
    expect(state.rollingBack).toBe(true);
  });
});
