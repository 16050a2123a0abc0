// The launch and its progress: starts the Cloud's launch with an abort signal, folds its events
// into the progress reducer, and keeps or ends the draft by how it went.
import {useCallback, useRef, useState} from 'react';
import type {Cloud, LaunchEvent} from '../../domain/cloud.js';
import {buildPlan, orderedSteps} from '../../domain/plan.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {newLaunchId} from '../../store/journal.js';
import {initialProgress, progressReducer, stepClock, type ProgressAction, type ProgressState} from '../progress-state.js';
import {REVIEW_INDEX} from '../wizard/state.js';
import {errorParts, keepDraft, quietly, type ProfileStoreLike} from './store.js';

export function useLaunch(cloud: Cloud | undefined, store: ProfileStoreLike | undefined, makeLaunchId: () => string = newLaunchId) {
  const [progress, setProgress] = useState<ProgressState | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const update = useCallback((action: ProgressAction) => setProgress((current) => (current ? progressReducer(current, action) : current)), []);

  const start = useCallback(
    (spec: LaunchSpec) => {
      if (!cloud) return;
      const plan = buildPlan(spec);
      const launchId = makeLaunchId();
      const controller = new AbortController();
      abort.current = controller;
      setProgress(initialProgress(launchId, orderedSteps(plan)));
      const onEvent = (event: LaunchEvent) => update({type: 'event', event, now: stepClock()});
      // A launched server ends the draft; anything else keeps the answers for another try.
      cloud.launch(spec, plan, {launchId, onEvent, signal: controller.signal}).then(
        (result) => {
          if (result.status === 'launched') quietly(() => store?.clearDraft?.());
          else keepDraft(store, [spec], REVIEW_INDEX);
          update({type: 'result', result});
        },
        (error: unknown) => {
          keepDraft(store, [spec], REVIEW_INDEX);
          const {code, message} = errorParts(error);
          update({type: 'crash', message: `${code}: ${message}`});
        },
      );
    },
    [cloud, store, makeLaunchId, update],
  );

  const interrupt = useCallback(() => {
    abort.current?.abort();
    update({type: 'interrupt'});
  }, [update]);

  return {progress, start, interrupt};
}
