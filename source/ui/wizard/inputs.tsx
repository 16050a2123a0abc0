// The inputs of one wizard step as rows of known height: lists (ink-select-input), text fields,
// and the spinner or error of lists still loading. When the step is taller than its region, the
// lists that are not focused shrink to their chosen option and the focused list scrolls.
import {Box} from 'ink';
import {Text} from '../text.js';
import type {StepId} from '../../domain/catalog-types.js';
import {truncate} from '../../domain/report-wrap.js';
import {ChoiceList} from '../choice-list.js';
import {FilterList} from '../filter-list.js';
import {shownOptions} from '../list-filter.js';
import {awaitingData, wantedFields, type Field} from '../fields.js';
import {linesOf} from '../layout.js';
import type {ScrollRow} from '../scroll.js';
import {SCREENS} from '../steps/index.js';
import {TextField} from '../text-field.js';
import {DiscoveryLine, FieldError} from '../widgets.js';
import type {WizardAction} from './reducer.js';
import {currentFields, fieldContext, focusedIndex, textOf, type WizardState} from './state.js';

export interface InputsProps {
  state: WizardState;
  step: StepId;
  width: number;
  dispatch: (action: WizardAction) => void;
}

/**
 * Rows for every input; `tight` draws them as small as they go, with `listLines` for the focused
 * list and `fieldsBelow` (fields the region hides under it) said on that list's own mark.
 * `focusList` tells whether the focused input is a list (one that can say so).
 */
export function inputRows({state, step, width, dispatch}: InputsProps, tight: boolean, listLines = Infinity, fieldsBelow = 0): {rows: ScrollRow[]; focus: number; focusList: boolean} {
  const context = fieldContext(state);
  const fields = currentFields(state);
  const focused = fields[focusedIndex(state)];
  const gap = tight ? 0 : 1;
  const rows: ScrollRow[] = [];
  let focus = 0;
  let focusList = false;
  for (const field of wantedFields(SCREENS[step], state.spec, context)) {
    const request = state.live ? field.source?.(state.spec) : undefined;
    const discovery = request ? state.discovery[request.key] : undefined;
    const discoveryLines = !request ? 0 : discovery?.status === 'failed' ? 3 : discovery?.status === 'ready' && !request.describe ? 0 : 1;
    const line = request ? <DiscoveryLine request={request} state={discovery} /> : null;
    if (awaitingData(field, state.spec, context)) {
      if (request)
        rows.push({
          key: field.id,
          lines: gap + 1 + discoveryLines,
          node: (
            <Box marginTop={gap} flexDirection="column">
              <Text>{field.label}</Text>
              {line}
            </Box>
          ),
        });
      continue;
    }
    const isFocused = field === focused;
    if (isFocused) focus = rows.length;
    if (isFocused) focusList = field.kind === 'choice';
    const error = state.errors[field.id];
    const errorLines = error ? linesOf(`✗ ${error}`, width - 3) : 0;
    rows.push({
      key: field.id,
      lines: gap + fieldLines(state, field, width, isFocused, tight, listLines) + errorLines + discoveryLines,
      node: (
        <Box marginTop={gap} flexDirection="column">
          <FieldView state={state} field={field} focused={isFocused} tight={tight} width={width} listLines={listLines} fieldsBelow={isFocused ? fieldsBelow : 0} dispatch={dispatch} />
          {field.kind === 'choice' ? <FieldError error={error} /> : null}
          {line}
        </Box>
      ),
    });
  }
  return {rows, focus, focusList};
}

/** Rows a list found in the account shows: five when the step fits, else what its region leaves. */
const filterRows = (tight: boolean, listLines: number) => (compactFilter(tight, listLines) ? Math.max(1, listLines - 1) : tight ? Math.max(1, listLines - 3) : 5);

/** Too few lines for a filtered list's marks on lines of their own: they go on its count line. */
const compactFilter = (tight: boolean, listLines: number) => tight && listLines <= 4;

/** The dim line under a text input; an error takes its place. */
function hintOf(state: WizardState, field: Field): string | undefined {
  if (field.kind !== 'text' || state.errors[field.id]) return undefined;
  return field.hint?.(state.spec, fieldContext(state), textOf(state, field));
}

function fieldLines(state: WizardState, field: Field, width: number, focused: boolean, tight: boolean, listLines: number): number {
  if (field.kind === 'text') {
    const hint = hintOf(state, field);
    return 1 + Math.max(1, linesOf(`${textOf(state, field)}  ${field.placeholder ?? ''}`, width - 3)) + (hint ? linesOf(hint, width - 3) : 0);
  }
  if (tight && !focused) return 1;
  const options = field.options(state.spec, fieldContext(state));
  if (field.filter) {
    const query = state.filters[field.id] ?? '';
    const shown = shownOptions(options, query).length;
    const rows = filterRows(tight, listLines);
    const note = field.filterNote?.(fieldContext(state), query) ? 1 : 0;
    if (compactFilter(tight, listLines)) return 2 + note + Math.max(1, Math.min(shown, rows));
    return 2 + note + Math.min(shown, rows) + (shown > rows ? 2 : 0) + 1;
  }
  if (options.length > listLines) return 1 + listLines;
  return 1 + options.reduce((sum, option) => sum + (tight ? 1 : linesOf(`${option.label}  ${option.hint ?? ''}${option.disabled ? ` (${option.disabled})` : ''}`, width - 3)), 0);
}

function FieldView(props: {state: WizardState; field: Field; focused: boolean; tight: boolean; width: number; listLines: number; fieldsBelow: number; dispatch: InputsProps['dispatch']}) {
  const {state, field, focused, tight, width, listLines, fieldsBelow, dispatch} = props;
  if (field.kind === 'text') {
    // The error of a text field is drawn by the field itself, under what was typed.
    return <TextField label={field.label} value={textOf(state, field)} focused={focused} placeholder={field.placeholder} error={state.errors[field.id]} hint={hintOf(state, field)} />;
  }
  const context = fieldContext(state);
  const options = field.options(state.spec, context);
  const value = field.get(state.spec, context);
  if (tight && !focused) {
    const chosen = options.find((option) => option.value === value)?.label ?? value;
    return <Text wrap="truncate-end">{truncate(`${field.label}: ${chosen}`, width)}</Text>;
  }
  if (field.filter) {
    const request = field.source?.(state.spec);
    const loading = request ? state.discovery[request.key] : undefined;
    return (
      <FilterList
        label={field.label}
        noun={field.filter}
        options={options}
        value={value}
        query={state.filters[field.id] ?? ''}
        focused={focused}
        lines={filterRows(tight, listLines)}
        loadingMore={loading?.status === 'ready' && Boolean(loading.more)}
        inlineMarks={compactFilter(tight, listLines)}
        fieldsBelow={fieldsBelow}
        note={field.filterNote?.(context, state.filters[field.id] ?? '')}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Text bold={focused}>{field.label}</Text>
      <ChoiceList
        key={`${field.id}:${options.map((option) => option.value).join('|')}`}
        options={options}
        value={value}
        focused={focused}
        lines={tight ? listLines : Infinity}
        oneLine={tight}
        width={width}
        fieldsBelow={fieldsBelow}
        onHighlight={(chosen) => dispatch({type: 'choose', field: field.id, value: chosen})}
      />
    </Box>
  );
}
