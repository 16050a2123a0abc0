// On the review of a replayed profile: what became of each resource the profile reuses, as AWS
// reports it now. Missing ones also disable Launch (review/state.ts says why on the action).
import React from 'react';
import {Box} from 'ink';
import {Text} from '../text.js';
import type {ReferenceStatus} from '../../domain/cloud.js';
import {t} from '../../domain/safe-text.js';
import type {ReferencesState} from './state.js';
import {CursorRow} from '../cursor-row.js';
import {linesOf} from '../layout.js';
import type {ScrollRow} from '../scroll.js';
import {Para, Prose} from '../widgets.js';

const MARK: Record<ReferenceStatus, {symbol: string; color?: string}> = {
  ok: {symbol: '✓', color: 'green'},
  missing: {symbol: '✗', color: 'red'},
  changed: {symbol: '!', color: 'yellow'},
  unknown: {symbol: '?', color: 'yellow'},
};

const TITLE = 'What changed since this profile was saved';
const CHECKING = 'checking that what the profile reuses still exists…';
const NOTHING = 'nothing: everything the profile reuses is still there';

/** The block as rows that know their height at `width`, for the review's scrolling details. */
export function referencesRows(state: ReferencesState, width: number): ScrollRow[] {
  const rows: ScrollRow[] = [
    {
      key: 'references-title',
      lines: 1 + linesOf(TITLE, width),
      node: (
        <Box marginTop={1}>
          <Text bold underline>
            {TITLE}
          </Text>
        </Box>
      ),
    },
  ];
  if (state.status === 'checking') rows.push({key: 'references-checking', lines: linesOf(CHECKING, width), node: <Para dimColor>{CHECKING}</Para>});
  if (state.status === 'failed') {
    const text = `could not check: ${state.message}`;
    rows.push({key: 'references-failed', lines: linesOf(text, width), node: <Para color="yellow">{text}</Para>});
  }
  if (state.status !== 'done') return rows;
  if (state.results.every((result) => result.status === 'ok')) rows.push({key: 'references-nothing', lines: linesOf(NOTHING, width), node: <Para color="green">{NOTHING}</Para>});
  for (const result of state.results) {
    const mark = MARK[result.status];
    const detail = t.text`${result.detail}`;
    rows.push({
      key: `references-${result.kind}-${result.field}`,
      lines: linesOf(`${result.field}: ${detail}`, width - 3),
      node: (
        <CursorRow mark={mark.symbol} color={mark.color}>
          <Prose
            spans={[
              {text: `${result.field}: `, bold: true},
              {text: detail, color: result.status === 'ok' ? undefined : mark.color, dimColor: result.status === 'ok'},
            ]}
          />
        </CursorRow>
      ),
    });
  }
  return rows;
}

export function ReferencesBlock({state}: {state: ReferencesState}) {
  return (
    <Box flexDirection="column">
      {referencesRows(state, Infinity).map((row) => (
        <React.Fragment key={row.key}>{row.node}</React.Fragment>
      ))}
    </Box>
  );
}
