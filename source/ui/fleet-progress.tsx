// The fleet deploy as it happens, on a terminal: pre-flight, the StackSet, and a line per
// account/region whose mark follows StackSets' answers (the same events --output json prints).
import {Box} from 'ink';
import {Text} from './text.js';
import Spinner from 'ink-spinner';
import {problemText, targetKey, type TargetStatus} from '../domain/fleet.js';
import {t} from '../domain/safe-text.js';
import type {FleetProgressState} from './fleet-progress-state.js';

function Mark({status}: {status: TargetStatus | 'running-step'}) {
  switch (status) {
    case 'succeeded':
      return <Text color="green">✓</Text>;
    case 'failed':
      return <Text color="red">✗</Text>;
    case 'cancelled':
      return <Text dimColor>–</Text>;
    case 'pending':
      return <Text dimColor>·</Text>;
    default:
      return (
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
      );
  }
}

export function FleetProgress({state}: {state: FleetProgressState}) {
  const done = state.targets.filter((target) => target.status === 'succeeded').length;
  return (
    <Box flexDirection="column">
      <Text bold>{t`Fleet ${state.name} · ${done} of ${state.targets.length} targets deployed`}</Text>
      {state.recovered.map((line) => (
        <Text key={line} dimColor>{t`picked up from an earlier run: ${line}`}</Text>
      ))}
      <Box>
        <Box width={2} flexShrink={0}>
          <Mark status={state.preflight === 'running' ? 'running-step' : state.preflight === 'ok' ? 'succeeded' : 'failed'} />
        </Box>
        <Text>
          {state.preflight === 'running'
            ? 'pre-flight: roles, regions and names in every target'
            : state.preflight === 'ok'
              ? 'pre-flight passed'
              : 'pre-flight refused the fleet; nothing was created'}
        </Text>
      </Box>
      {Array.isArray(state.preflight) ? state.preflight.map((problem) => <Text key={problemText(problem)} color="red">{t`  ${problemText(problem)}`}</Text>) : null}
      {state.stackSet ? <Text>{t`  StackSet ${state.name} ${state.stackSet}`}</Text> : null}
      {state.operation ? (
        <Text dimColor>{t`  StackSets ${state.operation.action} ${state.operation.id}: ${state.operation.status}${state.operation.reason ? t` (${state.operation.reason})` : ''}`}</Text>
      ) : null}
      {state.rollingBack ? <Text color="yellow">failure tolerance exceeded: removing what this deploy created</Text> : null}
      {state.targets.map((target) => (
        <Box key={targetKey(target)}>
          <Box width={4} flexShrink={0} paddingLeft={2}>
            <Mark status={target.status === 'pending' && state.operation?.status === 'RUNNING' ? 'running' : target.status} />
          </Box>
          <Box width={26} flexShrink={0}>
            <Text>{targetKey(target)}</Text>
          </Box>
          <Box flexShrink={1}>
            <Text wrap="wrap" color={target.status === 'failed' ? 'red' : undefined}>
              {t`${target.status}${target.reason ? t`: ${target.reason}` : ''}`}
            </Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
