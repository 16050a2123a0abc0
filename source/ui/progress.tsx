// The launch as it happens: every plan step with its state, elapsed time and control; rollback
// when something fails or Ctrl+C is pressed; then the verification table and the end screen
// (how to reach the server, how to check it again, how to remove it all).
import React, {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import type {VerificationResult} from '../domain/cloud.js';
import {checkerSummary, verdictPhrase} from '../domain/checker-verdicts.js';
import {inert} from '../domain/sanitize.js';
import {removedLine, scheduledKeyNotes} from '../domain/removal-text.js';
import {exitCodeOf, isFinished, type ProgressRow, type ProgressState} from './progress-state.js';
import {LabelledRow, OwnerBadge, Para, seconds} from './widgets.js';

/** Re-renders once a second while something runs, so elapsed times move. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
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
  const ids = row.resources.map((resource) => inert(resource.id)).join(', ');
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={2} flexShrink={0}>
          <StateMark row={row} />
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="wrap">
            {row.action}
            {ids ? <Text color="green">{` ${ids}`}</Text> : null}
            {elapsed ? <Text dimColor>{` ${elapsed}`}</Text> : null}
            <Text dimColor>{`  ${row.controls.join(', ')}`}</Text>
          </Text>
        </Box>
      </Box>
      {row.waiting && row.state === 'running' ? (
        <Box paddingLeft={2}>
          <Para color="yellow">{`waiting for IAM: ${inert(row.waiting.reason)} (attempt ${row.waiting.attempt})`}</Para>
        </Box>
      ) : null}
      {row.error ? (
        <Box paddingLeft={2}>
          <Para color="red">{`${inert(row.error.code)}: ${inert(row.error.message)}`}</Para>
        </Box>
      ) : null}
    </Box>
  );
}

/** Column names and shares of the wide verification table. */
const COLUMN_SHARES: Array<[string, number]> = [
  ['control', 0.19],
  ['owner', 0.09],
  ['expected', 0.24],
  ['actual', 0.24],
  ['result', 0.07],
  ['checkers would say', 0.17],
];

// Whole columns: with percentages the layout gets fractional widths, text wraps one character
// wider than its cell and the next column covers the last letter.
function columnWidths(width: number): Array<[string, number]> {
  return COLUMN_SHARES.map(([name, share]) => [name, Math.floor(width * share)]);
}

export function VerificationTable({results, width}: {results: VerificationResult[]; width: number}) {
  const passed = results.filter((result) => result.status === 'pass').length;
  const failed = results.filter((result) => result.status === 'fail').length;
  const status = (result: VerificationResult) => (
    <Text color={result.status === 'pass' ? 'green' : result.status === 'fail' ? 'red' : 'gray'} bold>
      {result.status.toUpperCase()}
    </Text>
  );
  const COLUMNS = columnWidths(width);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold underline>
        Verification: {passed} passed, {failed} failed
      </Text>
      <Text dimColor>{checkerSummary(results.flatMap((result) => result.checkerVerdicts))}</Text>
      {width >= 100 ? (
        <Box flexDirection="column">
          <Box>
            {COLUMNS.map(([name, size]) => (
              <Box key={name} width={size} paddingRight={1}>
                <Text dimColor>{name}</Text>
              </Box>
            ))}
          </Box>
          {results.map((result, index) => (
            <Box key={`${result.control}-${index}`}>
              <Box width={COLUMNS[0][1]} paddingRight={1}>
                <Para>{result.title}</Para>
              </Box>
              <Box width={COLUMNS[1][1]} paddingRight={1}>
                <OwnerBadge owner={result.owner} />
              </Box>
              <Box width={COLUMNS[2][1]} paddingRight={1}>
                <Para>{inert(result.expected)}</Para>
              </Box>
              <Box width={COLUMNS[3][1]} paddingRight={1}>
                <Para>{inert(result.actual)}</Para>
              </Box>
              <Box width={COLUMNS[4][1]} paddingRight={1}>
                {status(result)}
              </Box>
              <Box width={COLUMNS[5][1]}>
                <Para dimColor>{inert(verdictPhrase(result.checkerVerdicts))}</Para>
              </Box>
            </Box>
          ))}
        </Box>
      ) : (
        results.map((result, index) => (
          <Box key={`${result.control}-${index}`} flexDirection="column" marginTop={1}>
            <Box flexWrap="wrap" columnGap={1}>
              {status(result)}
              <Text>{result.title}</Text>
              <OwnerBadge owner={result.owner} />
            </Box>
            <Box paddingLeft={2}>
              <Para dimColor>{`expected ${inert(result.expected)}; actual ${inert(result.actual)}${result.checkerVerdicts.length ? ` · checkers: ${inert(verdictPhrase(result.checkerVerdicts))}` : ''}`}</Para>
            </Box>
          </Box>
        ))
      )}
    </Box>
  );
}

function EndScreen({state}: {state: ProgressState}) {
  const summary = state.summary;
  const code = exitCodeOf(state);
  const destroy = `tandem destroy ${state.launchId}`;
  if (state.crash) {
    return (
      <Box flexDirection="column" marginTop={1}>
        <Para color="red">{`The launch stopped unexpectedly: ${inert(state.crash)}`}</Para>
        <Para>{`Anything it created is in the launch journal; remove it with: ${destroy}`}</Para>
      </Box>
    );
  }
  if (!summary) return null;
  if (summary.status !== 'launched') {
    const removed = state.rollback?.deleted.length ?? 0;
    const left = state.rollback?.failed ?? [];
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text color={code === 130 ? 'yellow' : 'red'} bold wrap="wrap">
          {code === 130 ? 'Launch interrupted.' : 'Launch failed.'}{' '}
          {summary.status === 'rolled-back' || summary.status === 'interrupted' ? `Rolled back: ${removed} resource${removed === 1 ? '' : 's'} removed.` : ''}
          {summary.status === 'kept' ? 'What was created has been kept, as asked.' : ''}
        </Text>
        {left.map((item) => (
          <Para key={item.resource.id} color="red">
            {`could not remove ${item.resource.kind} ${inert(item.resource.id)}: ${inert(item.code)}: ${inert(item.message)}`}
          </Para>
        ))}
        {scheduledKeyNotes(state.rollback?.deleted ?? []).map((note) => <Para key={note}>{note}</Para>)}
        {left.length > 0 || summary.status === 'kept' || summary.status === 'failed' ? <Para>{`Remove what is left with: ${destroy}`}</Para> : null}
      </Box>
    );
  }
  const ip = summary.publicIp;
  const lines: Array<[string, string]> = [];
  if (ip) lines.push(['Open the site', `http://${ip}`]);
  if (summary.login) lines.push(['Log in', summary.login]);
  if (summary.instanceId) lines.push(['Instance', inert(summary.instanceId)]);
  lines.push(['Check again', `tandem verify ${state.launchId}`]);
  lines.push(['Remove it all', destroy]);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text color={code === 0 ? 'green' : 'red'} bold wrap="wrap">
        {code === 0 ? 'Launched, and every control checked out.' : 'Launched, but verification found a failing control (see above).'}
      </Text>
      {lines.map(([label, value]) => (
        <LabelledRow key={label} label={label} width={15}>
          {value}
        </LabelledRow>
      ))}
      {!ip ? <Para dimColor>The instance has no public address; reach it from inside its VPC.</Para> : null}
    </Box>
  );
}

export function ProgressScreen({state, width}: {state: ProgressState; width: number}) {
  const finished = isFinished(state);
  const now = useNow(!finished);
  const rollback = state.rollback;
  return (
    <Box flexDirection="column">
      <Text bold wrap="wrap">
        {finished ? 'Launch' : 'Launching'} <Text dimColor>{state.launchId}</Text>
      </Text>
      {state.rows.map((row) => (
        <StepRow key={row.id} row={row} now={now} />
      ))}
      {state.interrupted && !finished ? (
        <Para color="yellow">Stopping: rolling back what this launch created…</Para>
      ) : null}
      {rollback ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Rollback</Text>
          {rollback.deleted.map((resource) => (
            <Text key={`${resource.kind}-${resource.id}`} wrap="wrap">
              <Text color="green">✓</Text> {removedLine(resource)}
            </Text>
          ))}
          {rollback.failed.map((item) => (
            <Text key={`${item.resource.kind}-${item.resource.id}`} color="red" wrap="wrap">
              ✗ {item.resource.kind} {inert(item.resource.id)}: {inert(item.code)}
            </Text>
          ))}
        </Box>
      ) : null}
      {state.verification ? <VerificationTable results={state.verification} width={width} /> : null}
      <EndScreen state={state} />
    </Box>
  );
}
