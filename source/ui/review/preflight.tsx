// On the review, with credentials: what pre-flight found in the account that would make the
// launch fail after creating something (a taken name, a type the zone does not offer...). A
// problem disables Launch (review/state.ts says why on the action); each names the field and fix.
import React from 'react';
import {Box} from 'ink';
import {Text} from '../text.js';
import type {PreflightStatus} from '../../domain/preflight.js';
import {preflightLine} from '../../domain/preflight.js';
import {t} from '../../domain/safe-text.js';
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
const UNREACHABLE = 'the endpoint did not answer every read, so pre-flight could not check the account and nothing is launched; r re-checks once it answers';
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
    const text = t.text`could not check: ${state.message}; nothing is launched until it can (r re-checks)`;
    rows.push({key: 'preflight-failed', lines: linesOf(text, width), node: <Para color="red">{text}</Para>});
  }
  if (state.status === 'done' && shown.length === 0) rows.push({key: 'preflight-passed', lines: linesOf(PASSED, width), node: <Para color="green">{PASSED}</Para>});
  for (const result of shown) {
    // A read the endpoint never answered checked nothing: it stops the launch like a failed check.
    const mark = result.unreachable ? MARK.fail : MARK[result.status as Exclude<PreflightStatus, 'ok'>];
    const text = t.text`${result.unreachable ? t`the endpoint did not answer: ` : ''}${preflightLine(result)}`;
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
  if (shown.some((result) => result.unreachable)) rows.push({key: 'preflight-unreachable', lines: linesOf(UNREACHABLE, width), node: <Para color="red">{UNREACHABLE}</Para>});
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
