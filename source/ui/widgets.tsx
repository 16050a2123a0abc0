// Small views shared by every screen: owner badge, divider, list, text input and the line that
// says what discovery is doing. State lives in the reducers; these only draw it.
import React, {useEffect, useState} from 'react';
import {Box, Text, useStdout} from 'ink';
import Spinner from 'ink-spinner';
import type {Owner} from '../domain/catalog-types.js';
import {inert} from '../domain/sanitize.js';
import type {DiscoveryRequest, Loadable, Option} from './fields.js';
import {OWNER_BADGE} from './theme.js';

/** The terminal width, following resizes. */
export function useColumns(): number {
  const {stdout} = useStdout();
  const [columns, setColumns] = useState(stdout.columns || 80);
  useEffect(() => {
    const onResize = () => setColumns(stdout.columns || 80);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return columns;
}

export function OwnerBadge({owner}: {owner: Owner}) {
  const badge = OWNER_BADGE[owner];
  return (
    <Text color={badge.color} bold>
      [{badge.label}]
    </Text>
  );
}

export function Divider({width}: {width: number}) {
  return <Text dimColor>{'─'.repeat(Math.max(1, width))}</Text>;
}

export function ChoiceListView({label, options, value, focused}: {label: string; options: Option[]; value: string; focused: boolean}) {
  return (
    <Box flexDirection="column">
      <Text bold={focused}>{label}</Text>
      {options.map((option) => {
        const selected = option.value === value;
        const marker = selected ? (focused ? '›' : '•') : ' ';
        return (
          <Box key={option.value}>
            <Box width={3} flexShrink={0}>
              <Text color={selected && focused ? 'cyan' : undefined}> {marker}</Text>
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Text wrap="wrap" color={selected && focused ? 'cyan' : undefined} dimColor={Boolean(option.disabled)}>
                {option.label}
                {option.hint ? <Text dimColor>{`  ${option.hint}`}</Text> : null}
                {option.disabled ? <Text dimColor>{` (${option.disabled})`}</Text> : null}
              </Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

export function TextInputView(props: {label: string; value: string; focused: boolean; placeholder?: string; error?: string}) {
  const {label, value, focused, placeholder, error} = props;
  return (
    <Box flexDirection="column">
      <Text bold={focused}>{label}</Text>
      <Box>
        <Box width={3} flexShrink={0}>
          <Text color={focused ? 'cyan' : undefined}> {focused ? '›' : ' '}</Text>
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="wrap">
            {value}
            {focused ? <Text inverse> </Text> : null}
            {!value && placeholder ? <Text dimColor>{` ${placeholder}`}</Text> : null}
          </Text>
        </Box>
      </Box>
      <FieldError error={error} />
    </Box>
  );
}

export function FieldError({error}: {error?: string}) {
  if (!error) return null;
  return (
    <Box paddingLeft={3}>
      <Text color="red" wrap="wrap">
        ✗ {error}
      </Text>
    </Box>
  );
}

/** Spinner while a discovery call runs, the AWS error in place when it fails. */
export function DiscoveryLine({request, state}: {request: DiscoveryRequest; state?: Loadable}) {
  if (!state || state.status === 'loading') {
    return (
      <Box paddingLeft={3}>
        <Text color="cyan">
          <Spinner type="dots" />
        </Text>
        <Text dimColor> loading {request.what}…</Text>
      </Box>
    );
  }
  if (state.status === 'failed') {
    return (
      <Box paddingLeft={3} flexDirection="column">
        <Text color="red" wrap="wrap">
          ✗ could not load {request.what}: {inert(state.code)}: {inert(state.message)}
        </Text>
        <Text dimColor wrap="wrap">
          You can still type an id or choose to create a new one.
        </Text>
      </Box>
    );
  }
  const line = request.describe?.(state.data);
  return line ? (
    <Box paddingLeft={3}>
      <Text dimColor wrap="wrap">
        {line}
      </Text>
    </Box>
  ) : null;
}

/** "1.2s" for a duration in milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
