// The launch as it happens: every plan step with its state, elapsed time and control; rollback
// when something fails or Ctrl+C is pressed; then the verification table and the end screen
// (how to reach the server, how to check it again, how to remove it all).
import React, {useEffect, useState} from 'react';
import {Box} from 'ink';
import {Text} from '../text.js';
import Spinner from 'ink-spinner';
import {verdictPhrase} from '../../domain/checker-verdicts.js';
import {removedLine} from '../../domain/removal-text.js';
import {t} from '../../domain/safe-text.js';
import {isFinished, stepClock, type ProgressRow, type ProgressState} from '../progress-state.js';
import {EndScreen} from './end-screen.js';
import type {CostEstimate} from '../../domain/cost/types.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {VerificationTable} from './verification-table.js';
import {linesOf} from '../layout.js';
import {Scroll, type ScrollRow} from '../scroll.js';
import {Para, seconds} from '../widgets.js';

/**
 * Re-renders once a second while something runs, so elapsed times move. The time is read at each
 * render, not kept from the last tick: a step that started after that tick would otherwise show
 * a negative time until the next one.
 */
function useNow(active: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return stepClock();
}

function StateMark({row}: {row: ProgressRow}) {
  switch (row.state) {
    case 'running':
      return (
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
      );
    case 'done':
      return <Text color="green">✓</Text>;
    case 'failed':
      return <Text color="red">✗</Text>;
    default:
      return <Text dimColor>·</Text>;
  }
}

function StepRow({row, now}: {row: ProgressRow; now: number}) {
  const elapsed = row.ms !== undefined ? seconds(row.ms) : row.startedAt !== undefined ? seconds(now - row.startedAt) : '';
  const ids = row.resources.map((resource) => resource.id).join(', ');
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={2} flexShrink={0}>
          <StateMark row={row} />
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="wrap">
            {row.action}
            {ids ? <Text color="green">{t` ${ids}`}</Text> : null}
            {elapsed ? <Text dimColor>{` ${elapsed}`}</Text> : null}
            <Text dimColor>{`  ${row.controls.join(', ')}`}</Text>
          </Text>
        </Box>
      </Box>
      {row.waiting && row.state === 'running' ? (
        <Box paddingLeft={2}>
          <Para color="yellow">{t`waiting for IAM: ${row.waiting.reason} (attempt ${row.waiting.attempt})`}</Para>
        </Box>
      ) : null}
      {row.error ? (
        <Box paddingLeft={2}>
          <Para color="red">{t`${row.error.code}: ${row.error.message}`}</Para>
        </Box>
      ) : null}
    </Box>
  );
}

/** Lines of the narrow verification table: a title, then a status line and a detail per check. */
function tableLines(state: ProgressState, width: number): number {
  const results = state.verification ?? [];
  return 3 + results.reduce((sum, result) => sum + 2 + linesOf(`expected ${result.expected}; actual ${result.actual} · checkers: ${verdictPhrase(result.checkerVerdicts)}`, width - 2), 0);
}

export function ProgressScreen({
  state,
  spec,
  width,
  lines = Infinity,
  scroll = 0,
  cost,
}: {
  state: ProgressState;
  /** What is being launched: the end screen reads the load balancer's certificate from it. */
  spec?: LaunchSpec;
  width: number;
  lines?: number;
  scroll?: number;
  cost?: CostEstimate;
}) {
  const finished = isFinished(state);
  const now = useNow(!finished);
  const rollback = state.rollback;
  const rows: ScrollRow[] = state.rows.map((row) => ({
    key: row.id,
    lines: 1 + (row.waiting && row.state === 'running' ? 1 : 0) + (row.error ? linesOf(`${row.error.code}: ${row.error.message}`, width - 2) : 0),
    node: <StepRow row={row} now={now} />,
  }));
  if (state.interrupted && !finished) rows.push({key: 'stopping', lines: 1, node: <Para color="yellow">Stopping: rolling back what this launch created…</Para>});
  if (rollback) {
    rows.push({
      key: 'rollback',
      lines: 2,
      node: (
        <Box marginTop={1}>
          <Text bold>Rollback</Text>
        </Box>
      ),
    });
    for (const resource of rollback.deleted) {
      rows.push({
        key: `deleted-${resource.kind}-${resource.id}`,
        lines: 1,
        node: (
          <Text wrap="truncate-end">
            <Text color="green">✓</Text> {removedLine(resource)}
          </Text>
        ),
      });
    }
    for (const resource of rollback.gone) {
      rows.push({
        key: `gone-${resource.kind}-${resource.id}`,
        lines: 1,
        node: (
          <Text wrap="truncate-end">
            <Text color="yellow">·</Text> {removedLine(resource, true)}
          </Text>
        ),
      });
    }
    for (const item of rollback.failed) {
      rows.push({
        key: `failed-${item.resource.kind}-${item.resource.id}`,
        lines: 1,
        node: (
          <Text color="red" wrap="truncate-end">
            ✗ {item.resource.kind} {item.resource.id}: {item.code}
          </Text>
        ),
      });
    }
  }
  if (state.verification) {
    const narrow = lines === Infinity ? width : Math.min(width, 99);
    rows.push({key: 'verification', lines: tableLines(state, narrow), node: <VerificationTable results={state.verification} width={narrow} />});
  }
  const running = state.rows.findIndex((row) => row.state === 'running');
  const anchor = Math.max(0, (running === -1 || finished ? rows.length - 1 : running) - scroll);
  const title = (
    <Text bold wrap="truncate-end">
      {finished ? 'Launch' : 'Launching'} <Text dimColor>{state.launchId}</Text>
    </Text>
  );
  if (lines === Infinity) {
    return (
      <Box flexDirection="column">
        {title}
        {rows.map((row) => (
          <React.Fragment key={row.key}>{row.node}</React.Fragment>
        ))}
        <EndScreen state={state} {...(cost ? {cost} : {})} {...(spec ? {spec} : {})} />
      </Box>
    );
  }
  // The end of the launch (how to reach it, or what is left) always shows; the steps scroll above.
  const endLines = finished ? 10 : 0;
  return (
    <Box flexDirection="column">
      {title}
      <Scroll rows={rows} height={Math.max(3, lines - 1 - endLines)} anchor={anchor} />
      <EndScreen state={state} {...(cost ? {cost} : {})} {...(spec ? {spec} : {})} />
    </Box>
  );
}
