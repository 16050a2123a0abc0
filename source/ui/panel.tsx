// The responsibility panel: for the highlighted option, who owns each control it configures,
// what AWS does, what you do, how tandem checks it after launch, and which checkers care. Where
// it does not fit, it is one summary line until `?` opens it in a region of its own.
import React from 'react';
import {Box, Text} from 'ink';
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
  return <LabelledRow label={label} width={LABEL}>{children}</LabelledRow>;
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

export function ResponsibilityPanel(props: {controls: Control[]; expanded: boolean; width: number; lines?: number}) {
  const {controls, expanded, width, lines = Infinity} = props;
  if (controls.length === 0) return null;
  const fits = panelLines(controls, expanded, width) <= lines;
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
