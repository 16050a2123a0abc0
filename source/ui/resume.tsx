// The first screen of a plain `tandem` when the last wizard run did not finish (quit, failed or
// rolled back): pick up its answers where they were left, or start fresh (which forgets them).
// The offer is data plus a pure mover; the app carries out the choice.
import React from 'react';
import {Box, Text} from 'ink';
import {STEP_TITLES} from '../domain/catalog.js';
import type {LaunchSpec} from '../domain/spec.js';
import {REVIEW_INDEX, SCREEN_IDS} from './wizard-state.js';
import {Para, Prose} from './widgets.js';

export interface DraftLike {
  savedAt?: string;
  stepIndex: number;
  spec: LaunchSpec;
}

export type ResumeChoice = 'resume' | 'fresh';
export const RESUME_CHOICES: readonly ResumeChoice[] = ['resume', 'fresh'];

export interface ResumeOffer {
  draft: DraftLike;
  cursor: number;
}

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
  return choice === 'resume'
    ? `Resume the unfinished launch from ${draftTime(draft.savedAt)} (${draftStep(draft.stepIndex)})`
    : 'Start fresh (forget those answers)';
}

export function moveOffer(offer: ResumeOffer, delta: number): ResumeOffer {
  const cursor = Math.max(0, Math.min(RESUME_CHOICES.length - 1, offer.cursor + delta));
  return {...offer, cursor};
}

export function chosen(offer: ResumeOffer): ResumeChoice {
  return RESUME_CHOICES[offer.cursor] ?? 'resume';
}

export function ResumeScreen({offer}: {offer: ResumeOffer}) {
  const {spec} = offer.draft;
  return (
    <Box flexDirection="column">
      <Text bold>Unfinished launch</Text>
      <Para dimColor>{`Your last run stopped before the launch finished. Its answers were kept: launch ${spec.instance.name}, ${spec.instance.type} in ${spec.region}.`}</Para>
      <Box flexDirection="column" marginTop={1}>
        {RESUME_CHOICES.map((choice, index) => {
          const selected = index === offer.cursor;
          return (
            <Box key={choice}>
              <Box width={3} flexShrink={0}>
                <Text color="cyan"> {selected ? '›' : ' '}</Text>
              </Box>
              <Box flexGrow={1} flexShrink={1}>
                <Prose spans={[{text: choiceLabel(choice, offer.draft), color: selected ? 'cyan' : undefined}]} />
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
