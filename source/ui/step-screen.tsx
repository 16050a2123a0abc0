// One wizard step: its title, what it decides, its inputs with inline errors, and the
// responsibility panel beside them (below them on terminals narrower than 100 columns).
import React from 'react';
import {Box, Text, useStdout} from 'ink';
import {STEP_TITLES} from '../domain/catalog.js';
import type {StepId} from '../domain/catalog-types.js';
import {SCREENS} from './steps.js';
import {ResponsibilityPanel} from './panel.js';
import {awaitingData, wantedFields, type Loadable} from './fields.js';
import {FilterList} from './filter-list.js';
import {currentFields, fieldContext, focusedIndex, panelOption, textOf, type WizardState} from './wizard-state.js';
import {ChoiceListView, DiscoveryLine, FieldError, Para, TextInputView} from './widgets.js';

/** At this width and above the panel sits beside the options. */
export const SIDE_BY_SIDE = 100;

/** Rows a list found in the account may take: what fits beside the rest of the step. */
function listLines(rows: number): number {
  return Math.max(5, Math.min(20, rows - 26));
}

function Inputs({state, step, rows}: {state: WizardState; step: StepId; rows: number}) {
  const screen = SCREENS[step];
  const context = fieldContext(state);
  const fields = currentFields(state);
  const focused = fields[focusedIndex(state)];
  // Lists still loading (or failed) are drawn as their spinner or error, in their place.
  const drawn = wantedFields(screen, state.spec, context);
  return (
    <Box flexDirection="column">
      <Text bold>{STEP_TITLES[step]}</Text>
      <Para dimColor>{screen.intro}</Para>
      {screen.notes?.map((note, index) => (
        <Box key={index} marginTop={1}>
          <Box width={2} flexShrink={0}>
            <Text>•</Text>
          </Box>
          <Para>{note}</Para>
        </Box>
      ))}
      {drawn.map((field) => {
        const request = state.live ? field.source?.(state.spec) : undefined;
        if (awaitingData(field, state.spec, context)) {
          return request ? (
            <Box key={field.id} flexDirection="column" marginTop={1}>
              <Text>{field.label}</Text>
              <DiscoveryLine request={request} state={state.discovery[request.key]} />
            </Box>
          ) : null;
        }
        const isFocused = field === focused;
        return (
          <Box key={field.id} flexDirection="column" marginTop={1}>
            {field.kind === 'choice' && field.filter ? (
              <>
                <FilterList
                  label={field.label}
                  noun={field.filter}
                  options={field.options(state.spec, context)}
                  value={field.get(state.spec, context)}
                  query={state.filters[field.id] ?? ''}
                  focused={isFocused}
                  lines={listLines(rows)}
                  loadingMore={request ? loadingMore(state.discovery[request.key]) : false}
                />
                <FieldError error={state.errors[field.id]} />
              </>
            ) : field.kind === 'choice' ? (
              <>
                <ChoiceListView
                  label={field.label}
                  options={field.options(state.spec, context)}
                  value={field.get(state.spec, context)}
                  focused={isFocused}
                />
                <FieldError error={state.errors[field.id]} />
              </>
            ) : (
              <TextInputView
                label={field.label}
                value={textOf(state, field)}
                focused={isFocused}
                placeholder={field.placeholder}
                error={state.errors[field.id]}
              />
            )}
            {request ? <DiscoveryLine request={request} state={state.discovery[request.key]} /> : null}
          </Box>
        );
      })}
    </Box>
  );
}

const loadingMore = (state: Loadable | undefined) => state?.status === 'ready' && Boolean(state.more);

export function StepScreen({state, step, width}: {state: WizardState; step: StepId; width: number}) {
  const {stdout} = useStdout();
  const rows = stdout.rows || 24;
  const panel = <ResponsibilityPanel step={step} option={panelOption(state)} spec={state.spec} expanded={state.expanded} />;
  if (width >= SIDE_BY_SIDE) {
    const left = Math.floor(width * 0.48);
    return (
      <Box flexDirection="row">
        <Box width={left} flexShrink={0} paddingRight={1}>
          <Inputs state={state} step={step} rows={rows} />
        </Box>
        <Box flexGrow={1} flexShrink={1} flexDirection="column" borderStyle="single" borderTop={false} borderRight={false} borderBottom={false} paddingLeft={1}>
          {panel}
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Inputs state={state} step={step} rows={rows} />
      <Box marginTop={1} flexDirection="column" borderStyle="single" borderLeft={false} borderRight={false} borderBottom={false}>
        {panel}
      </Box>
    </Box>
  );
}
