// The launch and its progress: starts the Cloud's launch with an abort signal, folds its events
// into the progress reducer, and keeps or ends the draft by how it went. The app going away while
// a launch runs (Ink unmounts it when a render throws) stops the launch like Ctrl+C: the launch
// rolls back, and whoever rendered the app hears of it to wait for that and say what is left.
import {useCallback, useLayoutEffect, useRef, useState} from 'react';
import type {Cloud, LaunchEvent, LaunchResult} from '../../domain/cloud.js';
import {buildPlan, orderedSteps} from '../../domain/plan.js';
import {proposedBases, type NameField} from '../../domain/preflight.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {newLaunchId} from '../../store/journal.js';
import {initialProgress, progressReducer, stepClock, type ProgressAction, type ProgressState} from '../progress-state.js';
import {REVIEW_INDEX} from '../wizard/state.js';
import {describe, headline} from '../../errors.js';
import {keepDraft, quietly, type ProfileStoreLike} from './store.js';

/** A launch still running when the app went away: stopped, and settling (undefined: it threw). */
export interface LeftLaunch {
  launchId: string;
  settled: Promise<LaunchResult | undefined>;
}

export interface LaunchHookOptions {
  /** Launch ids in the journal's format; injectable so tests are deterministic. */
  makeLaunchId?: () => string;
  /** Fields whose made-up names may move on to the next number when taken at create time. */
  proposeNames?: readonly NameField[];
  /** Hears of a launch the app stopped because it went away while the launch ran. */
  onLeft?: (launch: LeftLaunch) => void;
}

export function useLaunch(cloud: Cloud | undefined, store: ProfileStoreLike | undefined, options: LaunchHookOptions = {}) {
  const {makeLaunchId = newLaunchId, proposeNames} = options;
  const [progress, setProgress] = useState<ProgressState | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const running = useRef<(LeftLaunch & {controller: AbortController; rollback: AbortController}) | undefined>(undefined);
  const onLeft = useRef(options.onLeft);
  onLeft.current = options.onLeft;
  const update = useCallback((action: ProgressAction) => setProgress((current) => (current ? progressReducer(current, action) : current)), []);

  const start = useCallback(
    (spec: LaunchSpec) => {
      if (!cloud) return;
      const plan = buildPlan(spec);
      const launchId = makeLaunchId();
      const controller = new AbortController();
      // A second stop cuts the rollback short: no further delete starts, and the journal says
      // 'interrupted' with what is left, as with `launch --yes`.
      const rollback = new AbortController();
      abort.current = controller;
      setProgress(initialProgress(launchId, orderedSteps(plan)));
      const onEvent = (event: LaunchEvent) => update({type: 'event', event, now: stepClock()});
      // The names tandem proposed (not the operator's), as `launch --yes` passes them: a create
      // that finds one taken by a launch started at the same time takes the next number.
      const proposedNames = proposedBases(spec, proposeNames ?? []);
      // A launched server ends the draft; anything else keeps the answers for another try.
      const settled = cloud.launch(spec, plan, {launchId, onEvent, signal: controller.signal, rollbackSignal: rollback.signal, proposedNames}).then(
        (result) => {
          if (result.status === 'launched') quietly(() => store?.clearDraft?.());
          else keepDraft(store, [spec], REVIEW_INDEX);
          update({type: 'result', result});
          return result;
        },
        (error: unknown) => {
          keepDraft(store, [spec], REVIEW_INDEX);
          update({type: 'crash', message: headline(describe(error))});
          return undefined;
        },
      );
      const launch = {launchId, settled, controller, rollback};
      running.current = launch;
      void settled.then(() => {
        if (running.current === launch) running.current = undefined;
      });
    },
    [cloud, store, makeLaunchId, proposeNames, update],
  );

  // Unmounted while the launch runs: nobody is left to watch it, so it stops and rolls back. A
  // layout effect's cleanup runs as the tree is removed, before Ink hears of the error that removed it.
  useLayoutEffect(
    () => () => {
      const launch = running.current;
      if (!launch) return;
      launch.controller.abort();
      onLeft.current?.({launchId: launch.launchId, settled: launch.settled});
    },
    [],
  );

  const interrupt = useCallback(() => {
    abort.current?.abort();
    update({type: 'interrupt'});
  }, [update]);

  /**
   * A second stop while the rollback runs: no further delete starts; settles once the calls in
   * flight have answered and the journal records what is left, so leaving then loses nothing.
   */
  const cutShort = useCallback(async (): Promise<void> => {
    const launch = running.current;
    if (!launch) return;
    launch.rollback.abort();
    await launch.settled;
  }, []);

  return {progress, start, interrupt, cutShort};
}
