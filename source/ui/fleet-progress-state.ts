// What the fleet deploy screen shows, folded from the fleet's events: pre-flight, the StackSet,
// the operation, and every account/region with its latest status. A pure reducer.
import {targetKey, type FleetEvent, type FleetTarget, type PreflightFinding, type TargetStatus} from '../domain/fleet.js';

export interface FleetTargetRow extends FleetTarget {
  status: TargetStatus;
  reason?: string;
}

export interface FleetProgressState {
  name: string;
  /** Targets in the order the deploy named them; StackSets' answers fill in their status. */
  targets: FleetTargetRow[];
  preflight: 'running' | 'ok' | PreflightFinding[];
  stackSet?: string;
  operation?: {id: string; action: string; status: string; reason?: string};
  recovered: string[];
  rollingBack: boolean;
}

export function initialFleetProgress(name: string, targets: FleetTarget[]): FleetProgressState {
  return {name, targets: targets.map((target) => ({...target, status: 'pending'})), preflight: 'running', recovered: [], rollingBack: false};
}

function withTarget(rows: FleetTargetRow[], row: FleetTargetRow): FleetTargetRow[] {
  const key = targetKey(row);
  return rows.some((item) => targetKey(item) === key) ? rows.map((item) => (targetKey(item) === key ? row : item)) : [...rows, row];
}

export function reduceFleetProgress(state: FleetProgressState, event: FleetEvent): FleetProgressState {
  switch (event.type) {
    case 'preflight':
      return {...state, preflight: event.ok ? 'ok' : event.problems};
    case 'recovered':
      return {...state, recovered: [...state.recovered, `${event.kind}${event.operationId ? ` ${event.operationId}` : ''}: ${event.status}`]};
    case 'stack-set':
      return {...state, stackSet: event.action};
    case 'operation-started':
      return {
        ...state,
        operation: {id: event.operationId, action: event.action, status: 'RUNNING'},
        // A rollback's delete runs over targets already shown; their rows say what happens now.
        targets: event.targets.reduce((rows, target) => withTarget(rows, {...target, status: 'pending'}), state.targets),
      };
    case 'target':
      return {...state, targets: withTarget(state.targets, {account: event.account, region: event.region, status: event.status, ...(event.reason ? {reason: event.reason} : {})})};
    case 'operation-done':
      return {...state, operation: {id: event.operationId, action: state.operation?.action ?? '', status: event.status, ...(event.reason ? {reason: event.reason} : {})}};
    case 'rollback-started':
      return {...state, rollingBack: true};
  }
}
