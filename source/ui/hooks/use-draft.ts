// Keeping an unfinished run's answers: the offer to resume them (made only before the operator
// has done anything), a draft written after each step change, and one on quitting unless the
// wizard was never touched. Store problems never stop the wizard; they are shown instead.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {LaunchSpec} from '../../domain/spec.js';
import type {WizardAction} from '../wizard/reducer.js';
import {specWithTyping, type WizardState} from '../wizard/state.js';
import {keepDraft, quietly, type DraftLike, type ProfileStoreLike} from './store.js';

export interface ResumeOffer {
  /** Absent when the kept answers could not be read; the offer then only says why. */
  draft?: DraftLike;
  notices: string[];
}

export type ResumeChoice = 'resume' | 'fresh';

const untouchedKey = (spec: LaunchSpec) => JSON.stringify({...spec, region: ''});

export function useDraft(options: {store?: ProfileStoreLike; offerResume?: boolean; state: WizardState; dispatch: (action: WizardAction) => void; launching: boolean}) {
  const {store, offerResume, state, dispatch} = options;
  // Once a launch starts, it decides what becomes of the draft (a launched server ends it).
  const launching = useRef(options.launching);
  launching.current = options.launching;
  const [offer, setOffer] = useState<ResumeOffer | undefined>();
  const touched = useRef(false);
  const looked = useRef(false);
  const stepMoved = useRef(false);
  const lastStep = useRef(state.step);
  const firstSpec = useRef(untouchedKey(state.spec));

  // The store arrives after the first frame; if the last run left a draft, offer it first.
  useEffect(() => {
    if (!offerResume || !store?.loadDraft || looked.current) return;
    looked.current = true;
    if (touched.current) return;
    const draft = quietly(() => store.loadDraft?.());
    const notices = quietly(() => store.notices?.()) ?? [];
    if (draft || notices.length > 0) setOffer({draft, notices});
  }, [store, offerResume]);

  // Moving between screens keeps the answers so far, written after the frame is drawn.
  const {step, spec} = state;
  useEffect(() => {
    if (step === lastStep.current) return;
    lastStep.current = step;
    stepMoved.current = true;
    const timer = setTimeout(() => {
      if (!launching.current) keepDraft(store, [spec], step);
    }, 0);
    return () => clearTimeout(timer);
  }, [step, spec, store]);

  /** The operator did something in the wizard: no offer any more. */
  const touch = useCallback(() => {
    touched.current = true;
  }, []);

  /** Quitting before a launch keeps what was answered, unless nothing was. */
  const keepOnQuit = useCallback(
    (current: WizardState) => {
      const typed = specWithTyping(current);
      // The region follows the connected account, which is not the operator's doing.
      if (stepMoved.current || untouchedKey(typed) !== firstSpec.current) keepDraft(store, [typed, current.spec], current.step);
    },
    [store],
  );

  const answer = useCallback(
    (choice: ResumeChoice, live: boolean, region: string) => {
      const draft = offer?.draft;
      setOffer(undefined);
      if (choice === 'fresh' || !draft) {
        quietly(() => store?.clearDraft?.());
        return;
      }
      // The account's region wins over the one the draft was written in, as for a fresh spec.
      dispatch({type: 'resume', spec: {...draft.spec, region: live ? region : draft.spec.region}, step: draft.stepIndex});
    },
    [offer, store, dispatch],
  );

  return {offer, touch, keepOnQuit, answer};
}
