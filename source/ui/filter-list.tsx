// A list found in the account (roles, keys, groups, subnets…), which may hold thousands of items:
// it shows what fits around the highlight with a count, and what was typed narrows it (like fzf
// or the AWS console's search boxes). A view only: the query and the highlight live in the
// wizard's state, so every key goes through the one input handler and the reducer, in order,
// however fast it is typed.
import {Box} from 'ink';
import {Text} from './text.js';
import type {Option} from './fields.js';
import {CursorRow} from './cursor-row.js';
import {countLine, shownOptions} from './list-filter.js';
import {fieldsText, More} from './scroll.js';
import {Prose} from './widgets.js';

export interface FilterListProps {
  label: string;
  /** What the items are, plural: "212 roles". */
  noun: string;
  options: Option[];
  value: string;
  query: string;
  focused: boolean;
  /** Rows the items may take; the rest scroll. */
  lines: number;
  /** Pages are still arriving. */
  loadingMore?: boolean;
  /** Too few lines for marks of their own: what is hidden above and below goes on the count line. */
  inlineMarks?: boolean;
  /** Fields the region hides below this list, said with the list's own "↓" mark. */
  fieldsBelow?: number;
  /** What the filter still waits for (the roles' tags), shown under the count. */
  note?: string;
}

/** The first index of a `lines`-row window that keeps `index` in view, centred where it can be. */
export function windowStart(count: number, lines: number, index: number): number {
  if (count <= lines) return 0;
  return Math.min(Math.max(0, index - Math.floor(lines / 2)), count - lines);
}

export function FilterList({label, noun, options, value, query, focused, lines, loadingMore = false, note, inlineMarks = false, fieldsBelow = 0}: FilterListProps) {
  const shown = shownOptions(options, query);
  const index = shown.findIndex((option) => option.value === value);
  const items = options.filter((option) => !option.pinned).length;
  const matching = shown.filter((option) => !option.pinned).length;
  const start = windowStart(shown.length, lines, Math.max(0, index));
  const visible = shown.slice(start, start + lines);
  const below = shown.length - start - visible.length;
  const marks = [start > 0 ? `↑${start}` : '', below > 0 ? `↓${below}` : '', fieldsBelow > 0 ? `· ${fieldsText(fieldsBelow)}` : ''].filter(Boolean).join(' ');
  return (
    <Box flexDirection="column">
      <Text bold={focused}>{label}</Text>
      {inlineMarks ? (
        // One line, cut at the width: the count and the marks first, since they say what is hidden.
        <Text dimColor wrap="truncate-end">
          {`   ${countLine(matching, items, noun, loadingMore)}${marks ? ` ${marks}` : ''}${query ? `  filter: ${query}` : ''}`}
        </Text>
      ) : (
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
      )}
      {note ? (
        <Text dimColor wrap="truncate-end">
          {`   ${note}`}
        </Text>
      ) : null}
      {!inlineMarks && start > 0 ? <Text dimColor>{`   ↑ ${start} more`}</Text> : null}
      {visible.map((option) => {
        const selected = option.value === value;
        const marker = selected ? (focused ? '›' : '•') : ' ';
        const color = selected && focused ? 'cyan' : undefined;
        return (
          <CursorRow key={option.value} mark={marker} color={color}>
            <Prose
              spans={[
                {text: option.label, color, dimColor: Boolean(option.disabled)},
                ...(option.hint ? [{text: `  ${option.hint}`, dimColor: true}] : []),
                ...(option.disabled ? [{text: ` (${option.disabled})`, dimColor: true}] : []),
              ]}
            />
          </CursorRow>
        );
      })}
      {inlineMarks ? null : <More count={below} up={false} fields={fieldsBelow} />}
      {query && matching === 0 && !note ? <Text dimColor>{`   nothing matches “${query}”`}</Text> : null}
    </Box>
  );
}
