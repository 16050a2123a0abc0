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
import {linesOf} from '../layout.js';
import type {ScrollRow} from '../scroll.js';
import {Para, Prose} from '../widgets.js';

const MARK: Record<Exclude<PreflightStatus, 'ok'>, {symbol: string; color: string}> = {
  fail: {symbol: '✗', color: 'red'},
  warn: {symbol: '!', color: 'yellow'},
  'not-checked': {symbol: '?', color: 'yellow'},
};

const CHECKING = 'checking names, the instance type, the subnet and keys in the account…';
const PASSED = 'pre-flight passed: nothing in the account stands in the way';

/** The block as rows that know their height at `width`, for the review's scrolling details. */
export function preflightRows(state: PreflightState, width: number): ScrollRow[] {
  const shown = state.status === 'done' ? state.results.filter((result) => result.status !== 'ok') : [];
  const rows: ScrollRow[] = [
    {
      key: 'preflight-title',
      lines: 2,
      node: (
        <Box marginTop={1}>
          <Text bold underline>
            Pre-flight
          </Text>
        </Box>
      ),
    },
  ];
  if (state.status === 'checking') rows.push({key: 'preflight-checking', lines: linesOf(CHECKING, width), node: <Para dimColor>{CHECKING}</Para>});
  if (state.status === 'failed') {
    const text = `could not check: ${inert(state.message)}`;
    rows.push({key: 'preflight-failed', lines: linesOf(text, width), node: <Para color="yellow">{text}</Para>});
  }
  if (state.status === 'done' && shown.length === 0) rows.push({key: 'preflight-passed', lines: linesOf(PASSED, width), node: <Para color="green">{PASSED}</Para>});
  for (const result of shown) {
    const mark = MARK[result.status as Exclude<PreflightStatus, 'ok'>];
    const text = inert(preflightLine(result));
    rows.push({
      key: `preflight-${result.check}-${result.field}`,
      lines: linesOf(text, width - 3),
      node: (
        <CursorRow mark={mark.symbol} color={mark.color}>
          <Prose spans={[{text, color: mark.color}]} />
        </CursorRow>
      ),
    });
  }
  return rows;
}

export function PreflightBlock({state}: {state: PreflightState}) {
  return (
    <Box flexDirection="column">
      {preflightRows(state, Infinity).map((row) => (
        <React.Fragment key={row.key}>{row.node}</React.Fragment>
      ))}
    </Box>
  );
}
