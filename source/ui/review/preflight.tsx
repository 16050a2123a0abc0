// On the review, with credentials: what pre-flight found in the account that would make the
// launch fail after creating something (a taken name, a type the zone does not offer...). A
// problem disables Launch (review/state.ts says why on the action); each names the field and fix.
import React from 'react';
import {Box, Text} from 'ink';
import type {PreflightStatus} from '../../domain/preflight.js';
import {preflightLine} from '../../domain/preflight.js';
import {inert} from '../../domain/sanitize.js';
import type {PreflightState} from './state.js';
import {CursorRow} from '../cursor-row.js';
import {Para, Prose} from '../widgets.js';

const MARK: Record<Exclude<PreflightStatus, 'ok'>, {symbol: string; color: string}> = {
  fail: {symbol: '✗', color: 'red'},
  warn: {symbol: '!', color: 'yellow'},
  'not-checked': {symbol: '?', color: 'yellow'},
};

export function PreflightBlock({state}: {state: PreflightState}) {
  const shown = state.status === 'done' ? state.results.filter((result) => result.status !== 'ok') : [];
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        Pre-flight
      </Text>
      {state.status === 'checking' ? <Text dimColor>checking names, the instance type, the subnet and keys in the account…</Text> : null}
      {state.status === 'failed' ? <Para color="yellow">{`could not check: ${inert(state.message)}`}</Para> : null}
      {state.status === 'done' && shown.length === 0 ? <Para color="green">pre-flight passed: nothing in the account stands in the way</Para> : null}
      {shown.map((result) => {
        const mark = MARK[result.status as Exclude<PreflightStatus, 'ok'>];
        return (
          <CursorRow key={`${result.check}-${result.field}`} mark={mark.symbol} color={mark.color}>
            <Prose spans={[{text: inert(preflightLine(result)), color: mark.color}]} />
          </CursorRow>
        );
      })}
    </Box>
  );
}
