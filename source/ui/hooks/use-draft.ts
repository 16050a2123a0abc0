// Keeping an unfinished run's answers: the offer to resume them (made only before the operator
// has done anything; the resume mode shows it and carries out the answer), a draft written after
// each step change, and one on quitting unless the wizard was never touched. Store problems never
// stop the wizard; they are shown instead.
import {useCallback, useEffect, useRef} from 'react';
import type {LaunchSpec} from '../../domain/spec.js';
import type {ResumeOffer} from '../resume/state.js';
import {specWithTyping, type WizardState} from '../wizard/state.js';
import {keepDraft, quietly, type ProfileStoreLike} from './store.js';

const untouchedKey = (spec: LaunchSpec) => JSON.stringify({...spec, region: ''});

export function useDraft(options: {
  store?: ProfileStoreLike;
  storeLater?: Promise<ProfileStoreLike>;
  offerResume?: boolean;
  state: WizardState;
  onOffer: (offer: ResumeOffer) => void;
  launching: boolean;
}) {
  const {store, storeLater, offerResume, state, onOffer} = options;
  // The store loads after the first frame; an operator quick enough to move or quit before it
  // arrives still has the answers kept, written as soon as it does (the run waits for that).
  const keep = useCallback(
    (specs: LaunchSpec[], step: number) => {
      if (store) keepDraft(store, specs, step);
      else
        void storeLater?.then(
          (arrived) => keepDraft(arrived, specs, step),
          () => undefined,
        );
    },
    [store, storeLater],
  );
  // Once a launch starts, it decides what becomes of the draft (a launched server ends it).
  const launching = useRef(options.launching);
  launching.current = options.launching;
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
    if (draft || notices.length > 0) onOffer({draft, notices});
  }, [store, offerResume, onOffer]);

  // Moving between screens keeps the answers so far, written after the frame is drawn.
  const {step, spec} = state;
  useEffect(() => {
    if (step === lastStep.current) return;
    lastStep.current = step;
    stepMoved.current = true;
    const timer = setTimeout(() => {
      if (!launching.current) keep([spec], step);
    }, 0);
    return () => clearTimeout(timer);
  }, [step, spec, keep]);

  /** The operator did something in the wizard: no offer any more. */
  const touch = useCallback(() => {
    touched.current = true;
  }, []);

  /** Quitting before a launch keeps what was answered, unless nothing was. */
  const keepOnQuit = useCallback(
    (current: WizardState) => {
      const typed = specWithTyping(current);
      // The region follows the connected account, which is not the operator's doing.
      if (stepMoved.current || untouchedKey(typed) !== firstSpec.current) keep([typed, current.spec], current.step);
    },
    [keep],
  );

  return {touch, keepOnQuit};
}
