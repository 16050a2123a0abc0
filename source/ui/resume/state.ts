// The resume offer's own state and reducer: the offer (the kept answers of an unfinished run, or
// only why they could not be read), the highlighted answer, and what was decided, left as
// `effect` for the mode to carry out (resume the answers, forget them, or leave). Pure: no store,
// no wizard; resume/mode.tsx does the rest.
import type {DraftLike} from '../hooks/store.js';
import type {KeyAction} from '../use-keys.js';

export interface ResumeOffer {
  /** Absent when the kept answers could not be read; the offer then only says why. */
  draft?: DraftLike;
  notices: string[];
}

export type ResumeChoice = 'resume' | 'fresh';

export type ResumeEffect =
  /** Pick the kept answers up where they were left. */
  | {kind: 'resume'; draft: DraftLike}
  /** Start again from the defaults, forgetting the kept answers. */
  | {kind: 'fresh'}
  | {kind: 'quit'; code: number};

export interface ResumeState {
  /** The offer on screen; unset before the store answered, when there was nothing to offer, and once answered. */
  offer?: ResumeOffer;
  /** The highlighted answer (the list reports it). */
  choice: ResumeChoice;
  /** What was decided; the offer stays on screen until it has been carried out. */
  effect?: ResumeEffect;
}

export type ResumeMessage =
  | KeyAction
  /** The profile store answered: the last run left answers (or problems) to offer. */
  | {type: 'offered'; offer: ResumeOffer}
  /** The list's highlight moved (ink-select-input's onHighlight). */
  | {type: 'highlight'; choice: ResumeChoice}
  /** The effect was carried out: the offer goes away. */
  | {type: 'effect-done'};

export const initialResume: ResumeState = {choice: 'resume'};

export function resumeChoices(offer: ResumeOffer): ResumeChoice[] {
  return offer.draft ? ['resume', 'fresh'] : ['fresh'];
}

/** What Enter on `choice` decides: answers that could not be read can only be started afresh. */
function answer(offer: ResumeOffer, choice: ResumeChoice): ResumeEffect {
  return choice === 'resume' && offer.draft && resumeChoices(offer).includes(choice) ? {kind: 'resume', draft: offer.draft} : {kind: 'fresh'};
}

export function resumeReducer(state: ResumeState, message: ResumeMessage): ResumeState {
  // One decision per offer: keys that arrive before it is carried out change nothing.
  if (state.effect && message.type !== 'effect-done') return state;
  switch (message.type) {
    case 'offered':
      return {offer: message.offer, choice: resumeChoices(message.offer)[0]};
    case 'highlight':
      return state.offer && resumeChoices(state.offer).includes(message.choice) ? {...state, choice: message.choice} : state;
    case 'next':
      return state.offer ? {...state, effect: answer(state.offer, state.choice)} : state;
    case 'quit':
      return {...state, effect: {kind: 'quit', code: 0}};
    case 'interrupt':
      return {...state, effect: {kind: 'quit', code: 130}};
    case 'effect-done':
      return {choice: state.choice};
    default:
      return state;
  }
}
