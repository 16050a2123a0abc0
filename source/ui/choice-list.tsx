// Every list of choices is an ink-select-input list: it owns ↑/↓ (and j/k) and Enter while
// focused (a disabled option can be highlighted, to read why, but not chosen), and reports the highlighted item (which drives the responsibility panel) and the
// chosen one. Its items are drawn with the shared cursor row; when the list has fewer lines than
// items, the rows around the highlight are shown with "↑ n more" / "↓ n more".
import {useRef, useState} from 'react';
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {truncate} from '../domain/report-wrap.js';
import {CursorRow, markOf} from './cursor-row.js';
import {More, windowOf} from './scroll.js';
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

export function ChoiceList({options, value, focused, lines = Infinity, oneLine = false, width = 80, onHighlight, onSelect, fieldsBelow = 0}: ChoiceListProps) {
  const enabled = options;
  const start = Math.max(0, enabled.findIndex((option) => option.value === value));
  const [highlight, setHighlight] = useState(start);
  // ink-select-input lets go of the keys only after the frame that took its focus away; a key in
  // between must not move a list that no longer has the cursor.
  const focusedNow = useRef(focused);
  focusedNow.current = focused;
  const rows = enabled.map((option) => ({key: option.value, lines: 1, node: null}));
  const windowed = enabled.length > lines;
  const window = windowOf(rows, lines, focused ? highlight : start);
  const items = enabled.map((option, index): {key: string; value: string} & RowProps => ({
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
        // A new list (other options) starts again from the chosen value.
        key={enabled.map((option) => option.value).join('|')}
        items={items}
        initialIndex={start}
        isFocused={focused}
        indicatorComponent={NoIndicator}
        itemComponent={Row}
        onHighlight={(item) => {
          if (!focusedNow.current) return;
          setHighlight(enabled.findIndex((option) => option.value === item.value));
          onHighlight?.(item.value);
        }}
        onSelect={(item) => onSelect?.(item.value)}
      />
      <More count={window.below} up={false} fields={fieldsBelow} />
    </Box>
  );
}
