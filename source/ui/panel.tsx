// The responsibility panel: for the highlighted option, who owns each control it configures,
// what AWS does, what you do, how tandem checks it after launch, and which checkers care. Where
// it does not fit, it is one summary line until `?` opens it in a region of its own.
import {Box} from 'ink';
import {Text} from './text.js';
import type {Control} from '../domain/catalog-types.js';
import {truncate} from '../domain/report-wrap.js';
import {linesOf} from './layout.js';
import {Scroll, type ScrollRow} from './scroll.js';
import {OWNER_BADGE} from './theme.js';
import {LabelledRow, OwnerBadge, Para} from './widgets.js';

export function checkerList(control: Pick<Control, 'checkers'>): string {
  return control.checkers.map((checker) => `${checker.tool} ${checker.id}`).join(' · ');
}

const LABEL = 7;

function Row({label, children}: {label: string; children: string}) {
  return (
    <LabelledRow label={label} width={LABEL}>
      {children}
    </LabelledRow>
  );
}

function rowsOf(control: Control, expanded: boolean): Array<[string, string]> {
  const checkers = checkerList(control);
  return [
    ['AWS', control.aws],
    ['You', control.customer],
    ['Check', control.verify],
    ...(checkers ? [['', checkers] as [string, string]] : []),
    ...(expanded ? control.compliance.map((note, index): [string, string] => [index === 0 ? 'Notes' : '', note]) : []),
  ];
}

export function ControlCard({control, expanded}: {control: Control; expanded: boolean}) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Box flexWrap="wrap" columnGap={1}>
        <Text bold>{control.title}</Text>
        <OwnerBadge owner={control.owner} />
        <Text dimColor>{control.kind}</Text>
      </Box>
      {rowsOf(control, expanded).map(([label, text], index) => (
        <Row key={index} label={label}>
          {text}
        </Row>
      ))}
    </Box>
  );
}

/** Lines a card takes at `width` columns. */
function cardLines(control: Control, expanded: boolean, width: number): number {
  const title = linesOf(`${control.title} [${OWNER_BADGE[control.owner].label}] ${control.kind}`, width);
  return title + rowsOf(control, expanded).reduce((sum, [, text]) => sum + linesOf(text, width - LABEL), 0) + 1;
}

const hasNotes = (controls: Control[]) => controls.some((control) => control.compliance.length > 0);

/** Lines the whole panel takes when nothing is cut. */
export function panelLines(controls: Control[], expanded: boolean, width: number): number {
  return controls.reduce((sum, control) => sum + cardLines(control, expanded, width), 0) + (!expanded && hasNotes(controls) ? 1 : 0);
}

/** The panel in one line: each control with its owner, and how to open it. */
export function PanelSummary({controls, width}: {controls: Control[]; width: number}) {
  const text = controls.map((control) => `${control.title} [${OWNER_BADGE[control.owner].label}]`).join(', ');
  return <Text dimColor>{truncate(`— ${text} · ? to open`, Math.max(8, width))}</Text>;
}

/** Lines the brief panel takes with `shown` controls in full (the rest share one line). */
function briefSize(controls: Control[], shown: number): number {
  return shown * 3 + (shown < controls.length ? 1 : 0);
}

/** Controls the brief panel can show in full in `lines`; 0 when not even one fits. */
export function briefFit(controls: Control[], lines: number): number {
  let shown = 0;
  while (shown < controls.length && briefSize(controls, shown + 1) <= lines) shown += 1;
  return shown;
}

/** Lines of the brief panel in `lines` (1 when it folds to the summary line). */
export function briefLines(controls: Control[], lines: number): number {
  const shown = briefFit(controls, lines);
  return shown === 0 ? 1 : briefSize(controls, shown);
}

/**
 * The panel in a few free lines, between the whole panel and one line: the first controls with
 * their title and owner, then what AWS does and what you do, cut to a line each; the others on
 * one line. `?` opens all of it.
 */
export function PanelBrief({controls, shown, width}: {controls: Control[]; shown: number; width: number}) {
  const cut = (text: string, room = width) => truncate(text, Math.max(8, room));
  const rest = controls.slice(shown);
  return (
    <Box flexDirection="column">
      {controls.slice(0, shown).map((control, index) => (
        <Box key={control.id} flexDirection="column">
          <Text dimColor>{cut(`— ${control.title} [${OWNER_BADGE[control.owner].label}]${index === 0 ? ' · ? to open' : ''}`)}</Text>
          <Text>
            <Text dimColor>{'AWS'.padEnd(LABEL)}</Text>
            {cut(control.aws, width - LABEL)}
          </Text>
          <Text>
            <Text dimColor>{'You'.padEnd(LABEL)}</Text>
            {cut(control.customer, width - LABEL)}
          </Text>
        </Box>
      ))}
      {rest.length > 0 ? <Text dimColor>{cut(`— also ${rest.map((control) => `${control.title} [${OWNER_BADGE[control.owner].label}]`).join(', ')}`)}</Text> : null}
    </Box>
  );
}

export function ResponsibilityPanel(props: {controls: Control[]; expanded: boolean; width: number; lines?: number}) {
  const {controls, expanded, width, lines = Infinity} = props;
  if (controls.length === 0) return null;
  const fits = panelLines(controls, expanded, width) <= lines;
  const shown = briefFit(controls, lines);
  if (!fits && !expanded && shown > 0) return <PanelBrief controls={controls} shown={shown} width={width} />;
  if (!fits && !expanded) return <PanelSummary controls={controls} width={width} />;
  if (!fits) {
    const rows: ScrollRow[] = controls.map((control) => ({
      key: control.id,
      lines: cardLines(control, true, width),
      node: <ControlCard control={control} expanded />,
    }));
    return <Scroll rows={rows} height={lines} />;
  }
  return (
    <Box flexDirection="column">
      {controls.map((control) => (
        <ControlCard key={control.id} control={control} expanded={expanded} />
      ))}
      {!expanded && hasNotes(controls) ? <Para dimColor>press ? for compliance notes</Para> : null}
    </Box>
  );
}
