// The fleet deploy as it happens, on a terminal: pre-flight, the StackSet, and a line per
// account/region whose mark follows StackSets' answers (the same events --output json prints).
import {Box, Text} from 'ink';
import Spinner from 'ink-spinner';
import {problemText, targetKey, type TargetStatus} from '../domain/fleet.js';
import {inert} from '../domain/sanitize.js';
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
      <Text bold>{`Fleet ${inert(state.name)} · ${done} of ${state.targets.length} targets deployed`}</Text>
      {state.recovered.map((line) => (
        <Text key={line} dimColor>{`picked up from an earlier run: ${inert(line)}`}</Text>
      ))}
      <Box>
        <Box width={2} flexShrink={0}>
          <Mark status={state.preflight === 'running' ? 'running-step' : state.preflight === 'ok' ? 'succeeded' : 'failed'} />
        </Box>
        <Text>{state.preflight === 'running' ? 'pre-flight: roles, regions and names in every target' : state.preflight === 'ok' ? 'pre-flight passed' : 'pre-flight refused the fleet; nothing was created'}</Text>
      </Box>
      {Array.isArray(state.preflight)
        ? state.preflight.map((problem) => (
            <Text key={problemText(problem)} color="red">{`  ${inert(problemText(problem))}`}</Text>
          ))
        : null}
      {state.stackSet ? <Text>{`  StackSet ${inert(state.name)} ${state.stackSet}`}</Text> : null}
      {state.operation ? (
        <Text dimColor>{`  StackSets ${state.operation.action} ${state.operation.id}: ${state.operation.status}${state.operation.reason ? ` (${inert(state.operation.reason)})` : ''}`}</Text>
      ) : null}
      {state.rollingBack ? <Text color="yellow">failure tolerance exceeded: removing what this deploy created</Text> : null}
      {state.targets.map((target) => (
        <Box key={targetKey(target)}>
          <Box width={4} flexShrink={0} paddingLeft={2}>
            <Mark status={target.status === 'pending' && state.operation?.status === 'RUNNING' ? 'running' : target.status} />
          </Box>
          <Box width={26} flexShrink={0}>
            <Text>{inert(targetKey(target))}</Text>
          </Box>
          <Box flexShrink={1}>
            <Text wrap="wrap" color={target.status === 'failed' ? 'red' : undefined}>
              {`${target.status}${target.reason ? `: ${inert(target.reason)}` : ''}`}
            </Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
