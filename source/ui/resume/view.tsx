// The first screen of a plain `tandem` when the last wizard run did not finish (quit, failed or
// rolled back): pick up its answers where they were left, or start fresh (which forgets them).
// When the kept answers could not be read, it says so here, before anything else happens.
import {Box} from 'ink';
import {Text} from '../text.js';
import {STEP_TITLES} from '../../domain/catalog.js';
import {ChoiceList} from '../choice-list.js';
import type {DraftLike} from '../hooks/store.js';
import {REVIEW_INDEX, SCREEN_IDS} from '../wizard/state.js';
import {Para} from '../widgets.js';
import {resumeChoices, type ResumeChoice, type ResumeMessage, type ResumeOffer} from './state.js';

/** "2026-01-02 14:05" in local time; the stored text as given when it is not a date. */
export function draftTime(savedAt: string | undefined): string {
  if (!savedAt) return 'an earlier run';
  const date = new Date(savedAt);
  if (Number.isNaN(date.getTime())) return savedAt;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** "step 4: Network", counting from 1 as the header does. */
export function draftStep(stepIndex: number): string {
  const index = Math.max(0, Math.min(REVIEW_INDEX, stepIndex));
  const id = SCREEN_IDS[index];
  const title = id === 'review' ? 'Review' : STEP_TITLES[id];
  return `step ${index + 1}: ${title}`;
}

export function choiceLabel(choice: ResumeChoice, draft: DraftLike): string {
  return choice === 'resume' ? `Resume the unfinished launch from ${draftTime(draft.savedAt)} (${draftStep(draft.stepIndex)})` : 'Start fresh (forget those answers)';
}

export function ResumeScreen({offer, choice, width, dispatch}: {offer: ResumeOffer; choice: ResumeChoice; width: number; dispatch: (message: ResumeMessage) => void}) {
  const {draft} = offer;
  const choices = resumeChoices(offer);
  return (
    <Box flexDirection="column">
      <Text bold>Unfinished launch</Text>
      {draft ? (
        <Para
          dimColor
        >{`Your last run stopped before the launch finished. Its answers were kept: launch ${draft.spec.instance.name}, ${draft.spec.instance.type} in ${draft.spec.region}.`}</Para>
      ) : null}
      {offer.notices.map((notice) => (
        <Para key={notice} color="yellow">{`! ${notice}`}</Para>
      ))}
      <Box flexDirection="column" marginTop={1}>
        <ChoiceList
          options={choices.map((choice) => ({value: choice, label: draft ? choiceLabel(choice, draft) : 'Start fresh'}))}
          value={choice}
          focused
          width={width}
          onHighlight={(value) => dispatch({type: 'highlight', choice: value as ResumeChoice})}
        />
      </Box>
    </Box>
  );
}
