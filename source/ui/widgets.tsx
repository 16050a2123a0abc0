// Small views shared by every screen: prose, owner badge, divider, inline error and the line
// that says what discovery is doing. State lives in the reducers; these only draw it.
import {Box, Transform} from 'ink';
import {Text} from './text.js';
import Spinner from 'ink-spinner';
import type {Owner} from '../domain/catalog-types.js';
import {t, type Text as TextValue} from '../domain/safe-text.js';
import type {DiscoveryRequest, Loadable} from './fields.js';
import {OWNER_BADGE} from './theme.js';

type WordStyle = {color?: string; dimColor?: boolean; bold?: boolean};
/** A run of styled text: a plain string is made inert by Text; t`…` text is shown as it is. */
export type Span = {text: TextValue} & WordStyle;

// Ink wraps text keeping the space at a break, so a wrapped line can start with it. Drop that one
// space (after any colour codes) on every line but the first.
const BREAK_SPACE = /^((?:\u001B\[[0-9;]*m)*) /;
function dropBreakSpace(line: string, index: number): string {
  return index === 0 ? line : line.replace(BREAK_SPACE, '$1');
}

/**
 * Prose that wraps at word boundaries, styled in inline spans. It is one text node for the
 * layout engine however long it is, which keeps every keypress's redraw cheap.
 */
export function Prose({spans}: {spans: Span[]}) {
  return (
    <Transform transform={dropBreakSpace}>
      <Text>
        {spans.map(({text, ...style}, index) => (
          <Text key={index} {...style}>
            {text}
          </Text>
        ))}
      </Text>
    </Transform>
  );
}

/** A paragraph that wraps at word boundaries. */
export function Para({children, ...style}: {children: TextValue} & WordStyle) {
  return (
    <Box flexShrink={1}>
      <Prose spans={[{text: children, ...style}]} />
    </Box>
  );
}

/** A dim label in a fixed-width column and wrapping text beside it (panel, review, end screen). */
export function LabelledRow({label, width, children}: {label: string; width: number; children: TextValue}) {
  return (
    <Box>
      <Box width={width} flexShrink={0}>
        <Text dimColor>{label}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        <Para>{children}</Para>
      </Box>
    </Box>
  );
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

export function FieldError({error}: {error?: string}) {
  if (!error) return null;
  return (
    <Box paddingLeft={3}>
      <Para color="red">{`✗ ${error}`}</Para>
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
        <Para color="red">{t`✗ could not load ${request.what}: ${state.code}: ${state.message}`}</Para>
        <Para dimColor>You can still type an id or choose to create a new one.</Para>
      </Box>
    );
  }
  const line = request.describe?.(state.data);
  return line ? (
    <Box paddingLeft={3}>
      <Para dimColor>{line}</Para>
    </Box>
  ) : null;
}

/** "1.2s" for a duration in milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
