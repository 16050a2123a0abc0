// The resume mode's hooks: its keys (↑/↓ belong to the offer's list, Enter, q and Ctrl+C come
// here and go to the reducer in resume/state.ts) and the effects it asks for, carried out by the
// callbacks it is given: resume the kept answers, forget them, or leave.
import {useEffect} from 'react';
import type {LaunchSpec} from '../../domain/spec.js';
import {quietly, type ProfileStoreLike} from '../hooks/store.js';
import type {KeyContext} from '../keymap.js';
import {useKeys} from '../use-keys.js';
import {REVIEW_INDEX} from '../wizard/state.js';
import type {ResumeMessage, ResumeState} from './state.js';

/** The offer is one list: its highlight moves itself, Enter answers, q leaves. */
export const RESUME_KEYS: KeyContext = {screen: 'resume', typing: false, fields: 1, choosing: true, listKeys: true, canGoBack: false};

export function useResumeKeys(dispatch: (message: ResumeMessage) => void, isActive: boolean): KeyContext {
  useKeys(RESUME_KEYS, dispatch, isActive);
  return RESUME_KEYS;
}

export interface ResumeCallbacks {
  store?: ProfileStoreLike;
  /** Restores the kept answers (the wizard lands on the step they were left on). */
  onResume: (spec: LaunchSpec, step: number) => void;
  /** The answers were left at the review (a launch that failed or was stopped). */
  onResumedAtReview: () => void;
  onQuit: (code: number) => void;
}

/** Carries out what the offer's answer asked for. */
export function useResumeEffects(state: ResumeState, dispatch: (message: ResumeMessage) => void, callbacks: ResumeCallbacks): void {
  const {effect} = state;
  const {store, onResume, onResumedAtReview, onQuit} = callbacks;
  useEffect(() => {
    if (!effect) return;
    if (effect.kind === 'quit') return onQuit(effect.code);
    if (effect.kind === 'fresh') quietly(() => store?.clearDraft?.());
    else {
      onResume(effect.draft.spec, effect.draft.stepIndex);
      // Resumed at the review: back to its findings, not onto Launch.
      if (effect.draft.stepIndex >= REVIEW_INDEX) onResumedAtReview();
    }
    dispatch({type: 'effect-done'});
  }, [effect, dispatch, store, onResume, onResumedAtReview, onQuit]);
}
