// The review: the whole spec, the findings (each can be accepted as a recorded risk with a
// reason), a drawing of the resources marked by owner, the count of controls per owner, and the
// API calls in the order the launch makes them; then the actions. The actions and the prompt
// always stay on screen; everything above them scrolls in its own region when it does not fit.
import React from 'react';
import {Box, Text} from 'ink';
import {findingsFor, type Finding} from '../../domain/findings.js';
import {buildPlan, orderedSteps} from '../../domain/plan.js';
import {truncate} from '../../domain/report-wrap.js';
import {validateSpec} from '../../domain/validate.js';
import {ChoiceList} from '../choice-list.js';
import {CursorRow} from '../cursor-row.js';
import {linesOf} from '../layout.js';
import {checkerList} from '../panel.js';
import {Scroll, type ScrollRow} from '../scroll.js';
import {SEVERITY_COLOR} from '../theme.js';
import {LabelledRow, Para, Prose} from '../widgets.js';
import {OwnerCounts, ResourceDrawing} from './drawing.js';
import {PreflightBlock} from './preflight.js';
import {ReferencesBlock} from './references.js';
import {specLines} from './spec-lines.js';
import {currentAction, openFindings, reviewActions, type ReviewContext, type ReviewMessage, type ReviewState} from './state.js';

function Title({children}: {children: string}) {
  return (
    <Box marginTop={1}>
      <Text bold underline>
        {children}
      </Text>
    </Box>
  );
}

function FindingView({finding, selected, open}: {finding: Finding; selected: boolean; open: boolean}) {
  return (
    <Box flexDirection="column">
      <CursorRow mark={selected ? '›' : ' '} color="cyan">
        <Text wrap="wrap">
          <Text color={SEVERITY_COLOR[finding.severity]} bold>
            {finding.severity.toUpperCase()}
          </Text>{' '}
          {finding.title}
          {finding.accepted ? <Text color="green">{`  accepted: ${finding.accepted.reason}`}</Text> : null}
        </Text>
      </CursorRow>
      {open ? (
        <Box flexDirection="column" paddingLeft={3}>
          <Para dimColor>{finding.explanation}</Para>
          {finding.checkers.length ? <Para dimColor>{checkerList(finding)}</Para> : null}
        </Box>
      ) : null}
    </Box>
  );
}

const row = (key: string, lines: number, node: React.ReactNode): ScrollRow => ({key, lines, node});

/** The review's body as rows: launch, problems, resources, findings, API calls. */
function bodyRows(state: ReviewState, context: ReviewContext, width: number): {rows: ScrollRow[]; focus: number} {
  const {spec} = context;
  const findings = findingsFor(spec);
  const open = openFindings(spec);
  const problems = validateSpec(spec);
  const steps = problems.length === 0 ? orderedSteps(buildPlan(spec)) : [];
  const current = state.zone === 'findings' ? open[Math.min(state.finding, open.length - 1)] : undefined;
  const rows: ScrollRow[] = [row('launch-title', 2, <Title>Your launch</Title>)];
  for (const [label, value] of specLines(spec)) {
    rows.push(row(`spec-${label}`, linesOf(value, width - 10), <LabelledRow label={label} width={10}>{value}</LabelledRow>));
  }
  if (problems.length > 0) {
    rows.push(row('problems-title', 2, <Title>Problems to fix (esc to go back)</Title>));
    for (const problem of problems) rows.push(row(`problem-${problem.field}`, linesOf(`✗ ${problem.field}: ${problem.message}`, width), <Para color="red">{`✗ ${problem.field}: ${problem.message}`}</Para>));
  }
  // Three nested boxes (six border lines), a line per resource, the role and the owner counts.
  const boxes = 6 + 4 + (spec.storage.encrypted ? 1 : 0) + (spec.keyPair.mode !== 'none' ? 1 : 0) + 1;
  rows.push(row('drawing', 2 + boxes + 1 + 1, <Box flexDirection="column"><Title>Resources and who owns them</Title><ResourceDrawing spec={spec} /><OwnerCounts spec={spec} /></Box>));
  rows.push(row('findings-title', 2, <Title>{`Findings (${findings.length})`}</Title>));
  if (findings.length === 0) rows.push(row('no-findings', 1, <Text dimColor>none</Text>));
  let focus = 0;
  for (const finding of findings) {
    const selected = current?.id === finding.id;
    const opened = selected || (state.input?.kind === 'accept' && state.input.finding === finding.id);
    if (selected) focus = rows.length;
    const lines = linesOf(`${finding.severity} ${finding.title}${finding.accepted ? `  accepted: ${finding.accepted.reason}` : ''}`, width - 3) + (opened ? linesOf(finding.explanation, width - 3) + (finding.checkers.length ? linesOf(checkerList(finding), width - 3) : 0) : 0);
    rows.push(row(`finding-${finding.id}`, lines, <FindingView finding={finding} selected={selected} open={opened} />));
  }
  if (open.length > 0) rows.push(row('findings-help', 1, <Para dimColor>tab to the findings, then a to accept one as a risk, with your reason</Para>));
  rows.push(row('calls-title', 2, <Title>{`API calls, in order (${steps.length})`}</Title>));
  steps.forEach((step, index) => {
    const text = `${step.service}:${step.action} ${step.summary}`;
    rows.push(row(`call-${step.id}`, linesOf(text, width - 4), (
      <Box>
        <Box width={4} flexShrink={0}>
          <Text dimColor>{String(index + 1).padStart(2)}.</Text>
        </Box>
        <Box flexGrow={1} flexShrink={1}>
          <Prose spans={[{text: `${step.service}:${step.action} `}, {text: step.summary, dimColor: true}]} />
        </Box>
      </Box>
    )));
  });
  return {rows, focus: state.zone === 'findings' ? focus : Math.min(rows.length - 1, state.scroll)};
}

function Prompt({state, tight}: {state: ReviewState; tight: boolean}) {
  const input = state.input;
  if (!input) return null;
  const question =
    input.kind === 'accept' ? `Why is "${input.finding}" acceptable here?` : input.kind === 'overwrite' ? `A profile named "${input.name}" exists. Type yes to replace it` : 'Profile name';
  return (
    <Box flexDirection="column" marginTop={tight ? 0 : 1}>
      <Text bold wrap={tight ? 'truncate-end' : 'wrap'}>
        {question}
      </Text>
      <Text>
        <Text color="cyan"> › </Text>
        {input.draft}
        <Text inverse> </Text>
      </Text>
      {input.error ? (
        <Text color="red" wrap={tight ? 'truncate-end' : 'wrap'}>
          {'   '}✗ {input.error}
        </Text>
      ) : (
        <Text dimColor>{'   '}enter to record · esc to cancel</Text>
      )}
    </Box>
  );
}

export function ReviewScreen(props: {state: ReviewState; context: ReviewContext; columns: number; lines: number; dispatch: (message: ReviewMessage) => void}) {
  const {state, context, columns, lines, dispatch} = props;
  const actions = reviewActions(context);
  const intro = context.live ? 'Nothing has been created yet. Check everything below, then launch.' : 'Explain mode: this is the complete plan; nothing will be created.';
  const body = bodyRows(state, context, columns);
  const tight = lines !== Infinity;
  const onActions = state.zone === 'actions' && !state.input;
  const chosen = currentAction(state, context);
  const list = (
    <ChoiceList
      options={actions.map((item) => ({value: item.action, label: item.disabled ? `${item.label} — ${item.disabled}` : item.label}))}
      value={chosen}
      focused={onActions}
      width={columns}
      onHighlight={(action) => dispatch({type: 'highlight', action: action as (typeof actions)[number]['action']})}
    />
  );
  if (!tight) {
    return (
      <Box flexDirection="column">
        <Text bold>Review</Text>
        <Para dimColor>{intro}</Para>
        {context.references ? <ReferencesBlock state={context.references} /> : null}
        {context.preflight ? <PreflightBlock state={context.preflight} /> : null}
        {body.rows.map((item) => (
          <React.Fragment key={item.key}>{item.node}</React.Fragment>
        ))}
        <Title>What next</Title>
        {list}
        <Prompt state={state} tight={false} />
        {state.notice ? (
          <Box marginTop={1}>
            <Para color="green">{state.notice}</Para>
          </Box>
        ) : null}
      </Box>
    );
  }
  // Short of lines: the actions keep their place while they have the cursor, the prompt replaces
  // them while typing, and the details above scroll around the finding under the cursor.
  const actionLines = state.input ? 0 : onActions ? 1 + actions.length : 1;
  const blocks = [
    ...(context.references ? [{key: 'references', lines: 2 + (context.references.status === 'done' ? context.references.results.length : 1), node: <ReferencesBlock state={context.references} />}] : []),
    ...(context.preflight ? [{key: 'preflight', lines: 2 + (context.preflight.status === 'done' ? context.preflight.results.filter((result) => result.status !== 'ok').length * 2 : 1), node: <PreflightBlock state={context.preflight} />}] : []),
  ];
  const rows = [...blocks, ...body.rows];
  const room = lines - 2 - actionLines - (state.input ? 3 : 0) - (state.notice ? 1 : 0);
  const label = actions.find((item) => item.action === chosen)?.label ?? '';
  return (
    <Box flexDirection="column">
      <Text bold>Review</Text>
      <Text dimColor>{truncate(intro, columns)}</Text>
      {room >= 3 ? <Scroll rows={rows} height={room} anchor={body.focus + blocks.length} /> : null}
      {state.input ? null : onActions ? (
        <>
          <Text bold>What next</Text>
          {list}
        </>
      ) : (
        <Text dimColor>{truncate(`What next: ${label} (tab to go back to the actions)`, columns)}</Text>
      )}
      <Prompt state={state} tight />
      {state.notice ? <Text color="green">{truncate(state.notice, columns)}</Text> : null}
    </Box>
  );
}
