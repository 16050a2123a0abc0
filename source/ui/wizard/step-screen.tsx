// One wizard step: its title, what it decides, its inputs with inline errors, and the
// responsibility panel beside them (below them on terminals narrower than 100 columns). Given the
// lines it has, it keeps the title and the highlighted option in view: lists shrink and scroll,
// and the panel folds to one line until `?` opens it.
import React from 'react';
import {Box} from 'ink';
import {Text} from '../text.js';
import {panelControls, STEP_TITLES} from '../../domain/catalog.js';
import {truncate} from '../../domain/report-wrap.js';
import {linesOf, SIDE_BY_SIDE} from '../layout.js';
import {briefLines, panelLines, ResponsibilityPanel} from '../panel.js';
import {Scroll, windowOf} from '../scroll.js';
import {SCREENS} from '../steps/index.js';
import {Para} from '../widgets.js';
import {inputRows, type InputsProps} from './inputs.js';
import {panelOption} from './state.js';

const COST_LABEL = 'Cost'.padEnd(7);

const total = (rows: Array<{lines: number}>) => rows.reduce((sum, row) => sum + row.lines, 0);

function Inputs(props: InputsProps & {lines: number}) {
  const {step, width, lines} = props;
  const screen = SCREENS[step];
  const intro = linesOf(screen.intro, width);
  const notes = (screen.notes ?? []).map((note, index) => ({
    key: `note-${index}`,
    lines: 1 + linesOf(note, width - 2),
    node: (
      <Box marginTop={1}>
        <Box width={2} flexShrink={0}>
          <Text>•</Text>
        </Box>
        <Para>{note}</Para>
      </Box>
    ),
  }));
  const natural = inputRows(props, false);
  const fits = 1 + intro + total(notes) + total(natural.rows) <= lines;
  // Short of lines: the intro takes one (none when very short), the other lists show their
  // choice, and the focused one scrolls.
  const showIntro = fits || lines >= 10;
  const room = lines - 1 - (showIntro ? 1 : 0) - (fits ? 0 : Math.min(total(notes), Math.max(3, lines - 2)));
  const loose = fits ? natural : inputRows(props, true);
  const focused = loose.rows[loose.focus]?.lines ?? 0;
  const others = total(loose.rows) - focused;
  // The focused list gets what the others leave; when they do not fit either, they give way to it.
  const marks = (loose.focus > 0 ? 1 : 0) + (loose.focus < loose.rows.length - 1 ? 1 : 0);
  const listLines = total(loose.rows) <= room ? Infinity : others + 4 <= room ? room - others - 1 : Math.max(1, room - 1 - marks);
  const squeezed = fits ? natural : inputRows(props, true, listLines);
  // A focused list that is the last row shown says what the region hides below it on its own mark.
  const height = Math.max(3, room);
  const window = windowOf(squeezed.rows, height, squeezed.focus);
  const fieldsBelow = !fits && squeezed.focusList && window.to === squeezed.focus + 1 ? window.below : 0;
  const tight = fieldsBelow > 0 ? inputRows(props, true, listLines, fieldsBelow) : squeezed;
  return (
    <Box flexDirection="column">
      <Text bold>{STEP_TITLES[step]}</Text>
      {fits ? <Para dimColor>{screen.intro}</Para> : showIntro ? <Text dimColor>{truncate(screen.intro, width)}</Text> : null}
      {fits ? notes.map((note) => <React.Fragment key={note.key}>{note.node}</React.Fragment>) : <Scroll rows={notes} height={Math.max(3, lines - 2)} />}
      {fits ? (
        natural.rows.map((row) => <React.Fragment key={row.key}>{row.node}</React.Fragment>)
      ) : (
        <Scroll rows={tight.rows} height={height} anchor={tight.focus} anchorSaysBelow={fieldsBelow > 0} />
      )}
    </Box>
  );
}

/**
 * The difference the highlighted choice makes to the bill, labelled like the panel's rows. A line
 * that does not fit wraps rather than losing what it prices ("… load bal…"), and takes its lines
 * from the panel's share.
 */
function CostLines({costs, width}: {costs: readonly string[]; width: number}) {
  return (
    <>
      {costs.map((cost) => (
        <Box key={cost} flexDirection="row">
          <Box width={COST_LABEL.length} flexShrink={0}>
            <Text dimColor>{COST_LABEL}</Text>
          </Box>
          <Box width={Math.max(8, width - COST_LABEL.length)}>
            <Text wrap="wrap">{cost}</Text>
          </Box>
        </Box>
      ))}
    </>
  );
}

/** The lines CostLines takes at this width. */
const costLineCount = (costs: readonly string[], width: number): number => costs.reduce((sum, cost) => sum + linesOf(cost, Math.max(8, width - COST_LABEL.length)), 0);

export function StepScreen(props: Omit<InputsProps, 'width'> & {columns: number; lines: number; withPanel?: boolean; costs?: readonly string[]}) {
  const {state, step, columns, withPanel = true} = props;
  const controls = withPanel ? panelControls(step, panelOption(state), state.spec) : [];
  // The cost lines sit at the top of the panel's region and take their lines from it.
  const costs = withPanel ? (props.costs ?? []) : [];
  if (columns >= SIDE_BY_SIDE) {
    const left = Math.floor(columns * 0.48);
    const right = columns - left - 3;
    return (
      <Box flexDirection="row">
        <Box width={left} flexShrink={0} paddingRight={1}>
          <Inputs {...props} width={left - 1} lines={props.lines} />
        </Box>
        <Box flexGrow={1} flexShrink={1} flexDirection="column" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} paddingLeft={1}>
          <CostLines costs={costs} width={right} />
          {withPanel ? <ResponsibilityPanel controls={controls} expanded={state.expanded} width={right} lines={props.lines - costLineCount(costs, right)} /> : null}
        </Box>
      </Box>
    );
  }
  // One column: the cost lines go between the inputs and the panel, out of what both share.
  const lines = props.lines - costLineCount(costs, columns);
  // One column: the inputs first; the panel gets what is left, or all but the essentials when open.
  const inputs = inputRows({...props, width: columns}, false);
  const screen = SCREENS[step];
  const natural = 1 + linesOf(screen.intro, columns) + (screen.notes ?? []).reduce((sum, note) => sum + 1 + linesOf(note, columns - 2), 0) + total(inputs.rows);
  const panelNeed = panelLines(controls, state.expanded, columns) + 2;
  // Closed and short of room: the lines the inputs leave free show each control's AWS and You
  // lines (the brief panel) before it folds to one line.
  const brief = !state.expanded && controls.length > 0 ? briefLines(controls, lines - natural) : 1;
  const panelRoom = natural + panelNeed <= lines ? Infinity : state.expanded ? Math.max(3, lines - 9) : brief;
  const folded = !state.expanded && panelRoom !== Infinity;
  const inputLines = panelRoom === Infinity ? lines : folded ? lines - panelRoom : lines - Math.min(panelRoom, panelNeed) - 2;
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" flexShrink={0}>
        <Inputs {...props} width={columns} lines={inputLines} />
      </Box>
      <CostLines costs={costs} width={columns} />
      {controls.length > 0 && folded ? (
        <ResponsibilityPanel controls={controls} expanded={false} width={columns} lines={panelRoom} />
      ) : controls.length > 0 ? (
        <Box marginTop={1} flexDirection="column" borderStyle="single" borderLeft={false} borderRight={false} borderBottom={false}>
          <ResponsibilityPanel controls={controls} expanded={state.expanded} width={columns} lines={panelRoom} />
        </Box>
      ) : null}
    </Box>
  );
}
