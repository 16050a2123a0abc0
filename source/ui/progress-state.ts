// Live launch progress as a pure reducer over the Cloud's LaunchEvents: one row per plan step
// (waiting, running, done, failed), rollback, verification and the final summary.
import type {CreatedResource, LaunchEvent, LaunchResult, VerificationResult} from '../domain/cloud.js';
import {EXIT} from '../exit.js';
import type {PlanStep} from '../domain/plan-types.js';

export type RowState = 'waiting' | 'running' | 'done' | 'failed';

export interface ProgressRow {
  id: string;
  action: string;
  summary: string;
  controls: string[];
  state: RowState;
  startedAt?: number;
  ms?: number;
  resources: CreatedResource[];
  /** Why the step is waiting, e.g. EC2 not seeing a new instance profile yet. */
  waiting?: {reason: string; attempt: number};
  error?: {code: string; message: string};
}

export interface ProgressState {
  launchId: string;
  rows: ProgressRow[];
  /** The operator pressed Ctrl+C. */
  interrupted: boolean;
  /** `gone`: not found when the rollback came to delete them (removed outside tandem meanwhile). */
  rollback?: {deleted: CreatedResource[]; gone: CreatedResource[]; failed: Array<{resource: CreatedResource; code: string; message: string}>};
  verification?: VerificationResult[];
  summary?: {status: LaunchResult['status']; instanceId?: string; publicIp?: string; loadBalancerDns?: string; keyPath?: string; login?: string; session?: string};
  /** The launch threw instead of reporting a failure (a bug or lost connection). */
  crash?: string;
}

/**
 * The clock of step times: monotonic, so a wall clock set back (NTP, a laptop waking) never makes
 * a step look as if it ran for less than nothing. Event times and the view's "now" both read it.
 */
export const stepClock = (): number => performance.now();

export type ProgressAction = {type: 'event'; event: LaunchEvent; now: number} | {type: 'interrupt'} | {type: 'result'; result: LaunchResult} | {type: 'crash'; message: string};

export function initialProgress(launchId: string, steps: PlanStep[]): ProgressState {
  return {
    launchId,
    interrupted: false,
    rows: steps.map((step) => ({id: step.id, action: step.action, summary: step.summary, controls: step.controls, state: 'waiting', resources: []})),
  };
}

function updateRow(state: ProgressState, id: string, change: (row: ProgressRow) => ProgressRow): ProgressState {
  return {...state, rows: state.rows.map((row) => (row.id === id ? change(row) : row))};
}

function onEvent(state: ProgressState, event: LaunchEvent, now: number): ProgressState {
  switch (event.type) {
    case 'launch-started': {
      // The executor's list is authoritative (ids, actions); keep our summaries where they match.
      const known = new Map(state.rows.map((row) => [row.id, row]));
      const rows = event.steps.map(
        (step): ProgressRow => known.get(step.id) ?? {id: step.id, action: step.action, summary: step.action, controls: step.controls, state: 'waiting', resources: []},
      );
      return {...state, launchId: event.launchId, rows};
    }
    case 'step-started':
      return updateRow(state, event.stepId, (row) => ({...row, state: 'running', startedAt: now}));
    case 'step-waiting':
      return updateRow(state, event.stepId, (row) => ({...row, waiting: {reason: event.reason, attempt: event.attempt}}));
    case 'step-done':
      return updateRow(state, event.stepId, (row) => ({...row, state: 'done', ms: event.ms, resources: event.resources, waiting: undefined}));
    case 'step-failed':
      return updateRow(state, event.stepId, (row) => ({
        ...row,
        state: 'failed',
        ms: event.ms,
        waiting: undefined,
        error: {code: event.code, message: event.message},
      }));
    case 'rollback-started':
      return {...state, rollback: state.rollback ?? {deleted: [], gone: [], failed: []}};
    case 'resource-deleted': {
      const rollback = state.rollback ?? {deleted: [], gone: [], failed: []};
      // Already gone is not "removed": the rollback found nothing there to delete.
      if (event.alreadyGone) return {...state, rollback: {...rollback, gone: [...rollback.gone, event.resource]}};
      return {...state, rollback: {...rollback, deleted: [...rollback.deleted, event.resource]}};
    }
    case 'resource-delete-failed': {
      const rollback = state.rollback ?? {deleted: [], gone: [], failed: []};
      return {...state, rollback: {...rollback, failed: [...rollback.failed, {resource: event.resource, code: event.code, message: event.message}]}};
    }
    case 'resource-waiting':
    case 'rollback-stopped':
    case 'key-file':
      return state;
    case 'verification':
      return {...state, verification: event.results};
    case 'summary':
      return {
        ...state,
        launchId: event.launchId,
        summary: {
          status: event.status,
          instanceId: event.instanceId,
          publicIp: event.publicIp,
          loadBalancerDns: event.loadBalancerDns,
          keyPath: event.keyPath,
          login: event.login,
          session: event.session,
        },
      };
  }
}

export function progressReducer(state: ProgressState, action: ProgressAction): ProgressState {
  switch (action.type) {
    case 'event':
      return onEvent(state, action.event, action.now);
    case 'interrupt':
      return {...state, interrupted: true};
    case 'crash':
      return {...state, crash: action.message};
    case 'result':
      return {
        ...state,
        verification: action.result.verification ?? state.verification,
        summary: {
          status: action.result.status,
          instanceId: action.result.instanceId ?? state.summary?.instanceId,
          publicIp: action.result.publicIp ?? state.summary?.publicIp,
          loadBalancerDns: action.result.loadBalancerDns ?? state.summary?.loadBalancerDns,
          keyPath: action.result.keyPath ?? state.summary?.keyPath,
          login: action.result.login ?? state.summary?.login,
          session: action.result.session ?? state.summary?.session,
        },
      };
  }
}

/** True once the launch has ended one way or another. */
export function isFinished(state: ProgressState): boolean {
  return Boolean(state.summary || state.crash);
}

/** The exit code this launch ends tandem with (docs/design.md section 3). */
export function exitCodeOf(state: ProgressState): number {
  if (state.interrupted || state.summary?.status === 'interrupted') return EXIT.interrupted;
  if (state.crash || !state.summary || state.summary.status !== 'launched') return EXIT.failed;
  return state.verification?.some((result) => result.status === 'fail') ? EXIT.verificationFailed : EXIT.ok;
}

/**
 * What tandem says on leaving after an error nothing caught stopped the launch: the error, and
 * either that the launch was rolled back or the command that removes what is left.
 */
/** What tandem says when a second stop cut the rollback short. */
export function cutShortNote(launchId: string): string {
  return `tandem: stopped while rolling back; remove anything left with: tandem destroy ${launchId}`.trimEnd();
}

export function uncaughtNote(state: ProgressState, error: string): string {
  const id = state.launchId;
  const left = Boolean(state.crash) || (state.rollback?.failed.length ?? 0) > 0 || state.summary?.status === 'launched';
  return left
    ? `tandem: an unexpected error stopped launch ${id} (${error}); remove what is left with: tandem destroy ${id}`
    : `tandem: an unexpected error stopped launch ${id} (${error}); what it had created was rolled back`;
}

/**
 * What tandem says when the screen went away during a launch (a render that threw): the launch
 * was stopped; either its rollback removed what it created, or the command that removes the rest.
 */
export function leftLaunchNote(launchId: string, result: LaunchResult | undefined, reason: string): string {
  const left = !result || result.status === 'launched' || result.resources.length > 0;
  const stopped = `tandem: the screen stopped during launch ${launchId} (${reason}), so the launch was stopped`;
  return left ? `${stopped}; remove what is left with: tandem destroy ${launchId}` : `${stopped} and what it had created was rolled back`;
}
