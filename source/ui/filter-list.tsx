// A list found in the account (roles, keys, groups, subnets…), which may hold thousands of items:
// it shows what fits around the highlight with a count, and typing narrows it (like fzf or the
// AWS console's search boxes). Self-contained: a state hook, an input hook that listens only
// while the list has focus, and a view. The highlighted value is the caller's (it drives the
// responsibility panel); the widget reports every move through onHighlight.
import React, {useReducer} from 'react';
import {Box, Text, useInput, type Key} from 'ink';
import {countLine, filterItems, filterReducer, type FilterAction, type Searchable} from './list-filter.js';
import {Prose} from './widgets.js';

export interface FilterOption extends Searchable {
  hint?: string;
  disabled?: string;
  /** Always listed, whatever is typed (e.g. "type an id…"). */
  pinned?: boolean;
}

export interface FilterListProps {
  label: string;
  /** What the items are, plural: "212 roles". */
  noun: string;
  options: FilterOption[];
  value: string;
  focused: boolean;
  /** Rows the items may take; the rest scroll. */
  lines: number;
  /** Pages are still arriving. */
  loadingMore?: boolean;
  onHighlight: (value: string) => void;
}

/** The options shown for a query: pinned ones first, then the items that match. */
export function shownOptions(options: readonly FilterOption[], query: string): FilterOption[] {
  return [...options.filter((option) => option.pinned), ...filterItems(options.filter((option) => !option.pinned), query)];
}

/** The first index of a `lines`-row window that keeps `index` in view, centred where it can be. */
export function windowStart(count: number, lines: number, index: number): number {
  if (count <= lines) return 0;
  return Math.min(Math.max(0, index - Math.floor(lines / 2)), count - lines);
}

/** The filter's edit for one keypress, or a move of the highlight, or nothing (a key the wizard owns). */
export function filterKey(input: string, key: Key, lines: number): FilterAction | {type: 'move'; delta: number} | undefined {
  if (key.upArrow) return {type: 'move', delta: -1};
  if (key.downArrow) return {type: 'move', delta: 1};
  if (key.pageUp) return {type: 'move', delta: -lines};
  if (key.pageDown) return {type: 'move', delta: lines};
  if (key.ctrl && input === 'u') return {type: 'clear'};
  // Several backspaces that arrive in one read come as one string of DEL (or BS) characters.
  if (key.backspace || key.delete) return {type: 'erase', count: Math.max(1, [...input].length)};
  if (/^[\u007F\u0008]+$/.test(input)) return {type: 'erase', count: input.length};
  if (key.ctrl || key.meta || key.return || key.tab || key.escape) return undefined;
  const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
  return text ? {type: 'type', text} : undefined;
}

/** Listens only while the list has focus: typed text filters, ↑/↓ and PgUp/PgDn move. */
export function useFilterKeys(isActive: boolean, lines: number, onAction: (action: FilterAction | {type: 'move'; delta: number}) => void): void {
  useInput(
    (input, key) => {
      const action = filterKey(input, key, lines);
      if (action) onAction(action);
    },
    {isActive},
  );
}

export function FilterList({label, noun, options, value, focused, lines, loadingMore = false, onHighlight}: FilterListProps) {
  const [filter, edit] = useReducer(filterReducer, {query: ''});
  const {query} = filter;
  const shown = shownOptions(options, query);
  const index = shown.findIndex((option) => option.value === value);

  useFilterKeys(focused, lines, (action) => {
    if (action.type !== 'move') {
      edit(action);
      // When what is typed hides the highlighted item (or it is a pinned entry), the highlight
      // goes to the first match, so the panel always explains something on screen.
      const next = filterReducer(filter, action).query;
      const now = shownOptions(options, next);
      const current = now.find((option) => option.value === value);
      const first = now.find((option) => !option.pinned);
      if (next && (!current || current.pinned) && first) onHighlight(first.value);
      return;
    }
    if (shown.length === 0) return;
    const next = Math.min(shown.length - 1, Math.max(0, (index === -1 ? 0 : index) + action.delta));
    const target = shown[next];
    if (target && target.value !== value) onHighlight(target.value);
  });

  const items = options.filter((option) => !option.pinned).length;
  const matching = shown.filter((option) => !option.pinned).length;
  const start = windowStart(shown.length, lines, Math.max(0, index));
  const visible = shown.slice(start, start + lines);
  const below = shown.length - start - visible.length;
  return (
    <Box flexDirection="column">
      <Text bold={focused}>{label}</Text>
      <Box paddingLeft={3}>
        <Text dimColor>{countLine(matching, items, noun, loadingMore)}</Text>
        {query ? (
          <Text>
            {'  filter: '}
            <Text color="cyan">{query}</Text>
            {focused ? <Text inverse> </Text> : null}
          </Text>
        ) : focused ? (
          <Text dimColor>{'  type to filter'}</Text>
        ) : null}
      </Box>
      {start > 0 ? <Text dimColor>{`   ↑ ${start} more`}</Text> : null}
      {visible.map((option) => {
        const selected = option.value === value;
        const marker = selected ? (focused ? '›' : '•') : ' ';
        const color = selected && focused ? 'cyan' : undefined;
        return (
          <Box key={option.value}>
            <Box width={3} flexShrink={0}>
              <Text color={color}> {marker}</Text>
            </Box>
            <Box flexGrow={1} flexShrink={1}>
              <Prose
                spans={[
                  {text: option.label, color, dimColor: Boolean(option.disabled)},
                  ...(option.hint ? [{text: `  ${option.hint}`, dimColor: true}] : []),
                  ...(option.disabled ? [{text: ` (${option.disabled})`, dimColor: true}] : []),
                ]}
              />
            </Box>
          </Box>
        );
      })}
      {below > 0 ? <Text dimColor>{`   ↓ ${below} more`}</Text> : null}
      {query && matching === 0 ? <Text dimColor>{`   nothing matches “${query}”`}</Text> : null}
    </Box>
  );
}
