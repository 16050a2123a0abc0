// Every list of choices is an ink-select-input list: while it has the focus and the keymap gives
// it the arrows (KeyContext.listKeys), it owns ↑/↓ (and j/k), and nobody else handles them. A
// disabled option can be highlighted, to read why, but not chosen. It reports the highlighted item
// (which drives the responsibility panel); Enter is the mode's. Its items are drawn with the shared
// cursor row; when the list has fewer lines than items, the rows around the highlight are shown
// with "↑ n more" / "↓ n more".
import {useLayoutEffect, useRef, useState} from 'react';
import {Box} from 'ink';
import {Text} from './text.js';
import SelectInput from 'ink-select-input';
import {truncate} from '../domain/report-wrap.js';
import {CursorRow, markOf} from './cursor-row.js';
import {More, windowOf} from './scroll.js';
import {useInputGate, useListKeys} from './use-keys.js';
import {Prose} from './widgets.js';

export interface ListOption {
  value: string;
  label: string;
  /** Greyed-out text after the label (e.g. a resolved AMI id). */
  hint?: string;
  /** When set the option cannot be chosen, and this says why. */
  disabled?: string;
}

interface RowProps {
  isSelected?: boolean;
  label: string;
  hint?: string;
  chosen?: boolean;
  focused?: boolean;
  disabled?: string;
  hidden?: boolean;
  /** Cut to this many columns, so the row is one line (lists that scroll). */
  cut?: number;
}

function Row({isSelected = false, label, hint, chosen = false, focused = false, disabled, hidden = false, cut}: RowProps) {
  if (hidden) return null;
  const lit = focused ? isSelected : chosen;
  const color = lit && focused ? 'cyan' : undefined;
  const after = `${hint ? `  ${hint}` : ''}${disabled ? ` (${disabled})` : ''}`;
  return (
    <CursorRow mark={markOf(lit, focused)} color={color}>
      {cut ? (
        <Text color={color} dimColor={Boolean(disabled)}>
          {truncate(label + after, cut)}
        </Text>
      ) : (
        <Prose spans={[{text: label, color, dimColor: Boolean(disabled)}, ...(after ? [{text: after, dimColor: true}] : [])]} />
      )}
    </CursorRow>
  );
}

const NoIndicator = () => null;

export interface ChoiceListProps {
  options: ListOption[];
  /** The chosen value; the highlight starts there. */
  value: string;
  focused: boolean;
  /** Lines the options may take; a longer list scrolls. */
  lines?: number;
  /** One line per option, cut at the width (screens short of lines). */
  oneLine?: boolean;
  width?: number;
  onHighlight?: (value: string) => void;
  onSelect?: (value: string) => void;
  /** Fields the region hides below this list, said on the list's own "↓" mark. */
  fieldsBelow?: number;
}

export function ChoiceList(props: ChoiceListProps) {
  const {options, value, focused} = props;
  const listens = useListKeys(focused);
  // Other options, or the arrows coming to the list or leaving it, start a fresh list from the
  // chosen value: a highlight moved under one focus never outlives it (no state copied from props).
  const key = `${options.map((option) => option.value).join('|')}${listens ? ':listening' : ''}`;
  const start = Math.max(
    0,
    options.findIndex((option) => option.value === value),
  );
  return <ListBody key={key} {...props} start={start} listens={listens} />;
}

function ListBody({
  options,
  value,
  focused,
  lines = Infinity,
  oneLine = false,
  width = 80,
  onHighlight,
  onSelect,
  fieldsBelow = 0,
  start,
  listens,
}: ChoiceListProps & {start: number; listens: boolean}) {
  const [highlight, setHighlight] = useState(start);
  const hold = useInputGate();
  // ink-select-input lets go of the keys only after the frame that removed this list; a key in
  // between must not move what no longer has the arrows.
  const mounted = useRef(true);
  useLayoutEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const rows = options.map((option) => ({key: option.value, lines: 1, node: null}));
  const windowed = options.length > lines;
  const window = windowOf(rows, lines, listens ? highlight : start);
  const items = options.map((option, index): {key: string; value: string} & RowProps => ({
    key: option.value,
    label: option.label,
    value: option.value,
    hint: option.hint,
    disabled: option.disabled,
    chosen: option.value === value,
    focused,
    hidden: index < window.from || index >= window.to,
    cut: windowed || oneLine ? Math.max(8, width - 3) : undefined,
  }));
  return (
    <Box flexDirection="column">
      <More count={window.above} up />
      <SelectInput<string>
        items={items}
        initialIndex={start}
        isFocused={listens}
        indicatorComponent={NoIndicator}
        itemComponent={Row}
        onHighlight={(item) => {
          if (!mounted.current) return;
          setHighlight(options.findIndex((option) => option.value === item.value));
          onHighlight?.(item.value);
          hold();
        }}
        onSelect={(item) => onSelect?.(item.value)}
      />
      <More count={window.below} up={false} fields={fieldsBelow} />
    </Box>
  );
}
