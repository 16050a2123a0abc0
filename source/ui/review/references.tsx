// On the review of a replayed profile: what became of each resource the profile reuses, as AWS
// reports it now. Missing ones also disable Launch (review/state.ts says why on the action).
import React from 'react';
import {Box, Text} from 'ink';
import type {ReferenceStatus} from '../../domain/cloud.js';
import {inert} from '../../domain/sanitize.js';
import type {ReferencesState} from './state.js';
import {CursorRow} from '../cursor-row.js';
import {Para, Prose} from '../widgets.js';

const MARK: Record<ReferenceStatus, {symbol: string; color?: string}> = {
  ok: {symbol: '✓', color: 'green'},
  missing: {symbol: '✗', color: 'red'},
  changed: {symbol: '!', color: 'yellow'},
  unknown: {symbol: '?', color: 'yellow'},
};

export function ReferencesBlock({state}: {state: ReferencesState}) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        What changed since this profile was saved
      </Text>
      {state.status === 'checking' ? <Text dimColor>checking that what the profile reuses still exists…</Text> : null}
      {state.status === 'failed' ? <Para color="yellow">{`could not check: ${state.message}`}</Para> : null}
      {state.status === 'done' && state.results.every((result) => result.status === 'ok') ? (
        <Para color="green">nothing: everything the profile reuses is still there</Para>
      ) : null}
      {state.status === 'done'
        ? state.results.map((result) => {
            const mark = MARK[result.status];
            return (
              <CursorRow key={`${result.kind}-${result.field}`} mark={mark.symbol} color={mark.color}>
                <Prose
                  spans={[
                    {text: `${result.field}: `, bold: true},
                    {text: inert(result.detail), color: result.status === 'ok' ? undefined : mark.color, dimColor: result.status === 'ok'},
                  ]}
                />
              </CursorRow>
            );
          })
        : null}
    </Box>
  );
}
