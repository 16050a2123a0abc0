// The responsibility panel: for the highlighted option, who owns each control it configures,
// what AWS does, what you do, how tandem checks it after launch, and which checkers care.
import React from 'react';
import {Box, Text} from 'ink';
import {panelControls} from '../domain/catalog.js';
import type {Control, StepId} from '../domain/catalog-types.js';
import type {LaunchSpec} from '../domain/spec.js';
import {LabelledRow, OwnerBadge, Para} from './widgets.js';

export function checkerList(control: Pick<Control, 'checkers'>): string {
  return control.checkers.map((checker) => `${checker.tool} ${checker.id}`).join(' · ');
}

function Row({label, children}: {label: string; children: string}) {
  return <LabelledRow label={label} width={7}>{children}</LabelledRow>;
}

export function ControlCard({control, expanded}: {control: Control; expanded: boolean}) {
  const checkers = checkerList(control);
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Box flexWrap="wrap" columnGap={1}>
        <Text bold>{control.title}</Text>
        <OwnerBadge owner={control.owner} />
        <Text dimColor>{control.kind}</Text>
      </Box>
      <Row label="AWS">{control.aws}</Row>
      <Row label="You">{control.customer}</Row>
      <Row label="Check">{control.verify}</Row>
      {checkers ? <Row label="">{checkers}</Row> : null}
      {expanded
        ? control.compliance.map((note, index) => (
            <Row key={index} label={index === 0 ? 'Notes' : ''}>
              {note}
            </Row>
          ))
        : null}
    </Box>
  );
}

export function ResponsibilityPanel(props: {step: StepId; option: string | undefined; spec: LaunchSpec; expanded: boolean}) {
  const controls = panelControls(props.step, props.option, props.spec);
  return (
    <Box flexDirection="column">
      {controls.map((control) => (
        <ControlCard key={control.id} control={control} expanded={props.expanded} />
      ))}
      {!props.expanded && controls.some((control) => control.compliance.length > 0) ? (
        <Para dimColor>press ? for compliance notes</Para>
      ) : null}
    </Box>
  );
}
