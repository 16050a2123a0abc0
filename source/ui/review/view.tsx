// The review: the whole spec, the findings (each can be accepted as a recorded risk with a
// reason), a drawing of the resources marked by owner, the count of controls per owner, and the
// API calls in the order the launch makes them; then the actions. The actions and the prompt
// always stay on screen; everything above them scrolls in its own region when it does not fit.
import React, {useCallback} from 'react';
import {Box} from 'ink';
import {Text} from '../text.js';
import {checkerVerdicts} from '../../domain/checker-run.js';
import {findingsFor, type Finding} from '../../domain/findings.js';
import {failureLine, predictedFailures} from '../../domain/predicted-failures.js';
import {buildPlan, orderedSteps} from '../../domain/plan.js';
import {keyLabel} from '../../domain/controls/storage.js';
import {truncate} from '../../domain/report-wrap.js';
import {validateSpec} from '../../domain/validate.js';
import {lineText, sourceText, totalText} from '../../domain/cost/render.js';
import {HOURS_PER_MONTH} from '../../domain/cost/types.js';
import {ChoiceList} from '../choice-list.js';
import {CursorRow} from '../cursor-row.js';
import {linesOf} from '../layout.js';
import {checkerList} from '../panel.js';
import type {ScrollRow} from '../scroll.js';
import {SEVERITY_COLOR} from '../theme.js';
import {LabelledRow, Para, Prose} from '../widgets.js';
import {OwnerCounts, ResourceDrawing} from './drawing.js';
import {DetailsWindow, type LineWindow} from './details.js';
import {PreflightBlock, preflightRows} from './preflight.js';
import {ReferencesBlock, referencesRows} from './references.js';
import {specLines} from './spec-lines.js';
import {currentAction, reviewActions, type ReviewContext, type ReviewMessage, type ReviewState} from './state.js';

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

/** The review's body as rows (launch, problems, resources, findings, API calls), and the finding row to keep in view. */
function bodyRows(state: ReviewState, context: ReviewContext, width: number): {rows: ScrollRow[]; focusKey?: string} {
  const {spec} = context;
  const findings = findingsFor(spec);
  const open = findings.filter((finding) => !finding.accepted);
  const problems = validateSpec(spec);
  const steps = problems.length === 0 ? orderedSteps(buildPlan(spec)) : [];
  const current = state.zone === 'findings' ? open[Math.min(state.finding, open.length - 1)] : undefined;
  const rows: ScrollRow[] = [row('launch-title', 2, <Title>Your launch</Title>)];
  for (const [label, value] of specLines(spec)) {
    rows.push(
      row(
        `spec-${label}`,
        linesOf(value, width - 10),
        <LabelledRow label={label} width={10}>
          {value}
        </LabelledRow>,
      ),
    );
  }
  if (context.cost) rows.push(...costRows(context.cost, width, Boolean(state.costsOpen)));
  if (problems.length > 0) {
    rows.push(row('problems-title', 2, <Title>Problems to fix (esc to go back)</Title>));
    for (const problem of problems)
      rows.push(row(`problem-${problem.field}`, linesOf(`✗ ${problem.field}: ${problem.message}`, width), <Para color="red">{`✗ ${problem.field}: ${problem.message}`}</Para>));
  }
  // Three nested boxes (six border lines), a line per resource, the role and the owner counts.
  const boxes = 6 + 4 + (keyLabel(spec.storage) ? 1 : 0) + (spec.keyPair.mode !== 'none' ? 1 : 0) + 1;
  rows.push(
    row(
      'drawing',
      2 + boxes + 1 + 1,
      <Box flexDirection="column">
        <Title>Resources and who owns them</Title>
        <ResourceDrawing spec={spec} />
        <OwnerCounts spec={spec} />
      </Box>,
    ),
  );
  rows.push(row('findings-title', 2, <Title>{`Findings (${findings.length})`}</Title>));
  if (findings.length === 0) rows.push(row('no-findings', 1, <Text dimColor>none</Text>));
  let focusKey: string | undefined;
  for (const finding of findings) {
    const selected = current?.id === finding.id;
    const opened = selected || (state.input?.kind === 'accept' && state.input.findings.length === 1 && state.input.findings[0] === finding.id);
    // The finding being looked at (or asked about) is what the details keep on screen.
    if (opened) focusKey = `finding-${finding.id}`;
    const lines =
      linesOf(`${finding.severity} ${finding.title}${finding.accepted ? `  accepted: ${finding.accepted.reason}` : ''}`, width - 3) +
      (opened ? linesOf(finding.explanation, width - 3) + (finding.checkers.length ? linesOf(checkerList(finding), width - 3) : 0) : 0);
    rows.push(row(`finding-${finding.id}`, lines, <FindingView finding={finding} selected={selected} open={opened} />));
  }
  const help = 'tab to the findings, then a to accept one as a risk, with your reason';
  if (open.length > 0) rows.push(row('findings-help', linesOf(help, width), <Para dimColor>{help}</Para>));
  if (problems.length === 0) rows.push(...failureRows(spec, width));
  rows.push(row('calls-title', 2, <Title>{`API calls, in order (${steps.length})`}</Title>));
  steps.forEach((step, index) => {
    const text = `${step.service}:${step.action} ${step.summary}`;
    rows.push(
      row(
        `call-${step.id}`,
        linesOf(text, width - 4),
        <Box>
          <Box width={4} flexShrink={0}>
            <Text dimColor>{String(index + 1).padStart(2)}.</Text>
          </Box>
          <Box flexGrow={1} flexShrink={1}>
            <Prose spans={[{text: `${step.service}:${step.action} `}, {text: step.summary, dimColor: true}]} />
          </Box>
        </Box>,
      ),
    );
  });
  return {rows, focusKey};
}

/**
 * The cost line: the total (or why there is none yet) and where the prices come from; c opens the
 * breakdown under it, a line per resource with its usage, unit price and month, and the notes.
 */
function costRows(cost: NonNullable<ReviewContext['cost']>, width: number, open: boolean): ScrollRow[] {
  const total = `Cost: ${totalText(cost)}`;
  const why = cost.monthly === null ? cost.notes.find((note) => note.startsWith('usage only') || note.startsWith('prices are being fetched')) : undefined;
  const source = `${why ?? `${sourceText(cost)}; ${HOURS_PER_MONTH} hours a month`}${open ? '' : ` (c: the ${cost.lines.length} lines)`}`;
  const rows = [
    row(
      'cost-total',
      1 + linesOf(total, width),
      <Box marginTop={1}>
        <Para bold>{total}</Para>
      </Box>,
    ),
    row('cost-source', linesOf(source, width), <Para dimColor>{source}</Para>),
  ];
  if (!open) return rows;
  const details = [...cost.lines.map(lineText), ...cost.notes.filter((note) => note !== why).map((note) => `Note: ${note}`)];
  // Each line indented as a whole, so a wrapped line reads as the one before it continued.
  details.forEach((text, index) =>
    rows.push(
      row(
        `cost-line-${index}`,
        linesOf(text, width - 2),
        <Box paddingLeft={2}>
          <Para dimColor={text.startsWith('Note: ')}>{text}</Para>
        </Box>,
      ),
    ),
  );
  return rows;
}

/** Every check of the three tools the plan will fail, each with the tool's id and severity. */
function failureRows(spec: ReviewContext['spec'], width: number): ScrollRow[] {
  const failures = predictedFailures(checkerVerdicts(spec));
  const rows = [row('failures-title', 2, <Title>{`Checks this plan will fail (${failures.length})`}</Title>)];
  if (failures.length === 0) rows.push(row('no-failures', 1, <Text dimColor>none</Text>));
  for (const failure of failures) {
    const text = failureLine(failure);
    rows.push(row(`failure-${failure.tool}-${failure.id}`, linesOf(`  ${text}`, width), <Para dimColor={Boolean(failure.accepted)}>{`  ${text}`}</Para>));
  }
  return rows;
}

function acceptQuestion(findings: readonly string[]): string {
  return findings.length === 1 ? `Why is "${findings[0]}" acceptable here?` : `Why are these ${findings.length} high risks acceptable here?`;
}

function Prompt({state, tight}: {state: ReviewState; tight: boolean}) {
  const input = state.input;
  if (!input) return null;
  const question = input.kind === 'accept' ? acceptQuestion(input.findings) : input.kind === 'overwrite' ? `A profile named "${input.name}" exists. Type yes to replace it` : 'Profile name';
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

/**
 * How the review shares `lines` in a terminal short of them: the details get what the actions,
 * the prompt and the notice leave, never under three lines (a mark, a line, a mark). The actions
 * drop their title, then go to a line each, then scroll with marks, before the details go short.
 */
export function tightLayout(options: {lines: number; actions: number; actionLines: number; onActions: boolean; input: boolean; notice: boolean}) {
  const {lines, actions, actionLines, onActions, input, notice} = options;
  const title = lines >= 12 ? 1 : 0;
  const budget = lines - title - (notice ? 1 : 0) - (input ? 3 : 0);
  let list = {title: false, lines: actions, oneLine: true};
  if (input) list = {title: false, lines: 0, oneLine: true};
  else if (!onActions) list = {title: false, lines: 1, oneLine: true};
  else if (budget - 1 - actionLines >= 3) list = {title: true, lines: actionLines, oneLine: false};
  else if (budget - actions < 3) list = {title: false, lines: Math.min(actions, Math.max(3, budget - 3)), oneLine: true};
  return {title: title === 1, list, details: budget - list.lines - (list.title ? 1 : 0)};
}

export function ReviewScreen(props: {state: ReviewState; context: ReviewContext; columns: number; lines: number; dispatch: (message: ReviewMessage) => void}) {
  const {state, context, columns, lines, dispatch} = props;
  const actions = reviewActions(context);
  const intro = context.live ? 'Nothing has been created yet. Check everything below, then launch.' : 'Explain mode: this is the complete plan; nothing will be created.';
  const body = bodyRows(state, context, columns);
  const tight = lines !== Infinity;
  const onActions = state.zone === 'actions' && !state.input;
  const chosen = currentAction(state, context);
  const options = actions.map((item) => ({value: item.action, label: item.disabled ? `${item.label} — ${item.disabled}` : item.label}));
  const listOf = (shown: number, oneLine: boolean) => (
    <ChoiceList
      options={options}
      value={chosen}
      focused={onActions}
      width={columns}
      lines={shown}
      oneLine={oneLine}
      onHighlight={(action) => dispatch({type: 'highlight', action: action as (typeof actions)[number]['action']})}
    />
  );
  const onWindow = useCallback(
    (window: LineWindow & {height: number; span?: [number, number]}) =>
      dispatch({type: 'viewport', offset: window.offset, viewport: {height: window.height, view: window.view, max: window.max, span: window.span}}),
    [dispatch],
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
        {listOf(Infinity, false)}
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
  // them while typing, and the details above scroll by the line around the finding looked at.
  const rows = [
    row('intro', linesOf(intro, columns), <Para dimColor>{intro}</Para>),
    ...(context.references ? referencesRows(context.references, columns) : []),
    ...(context.preflight ? preflightRows(context.preflight, columns) : []),
    ...body.rows,
  ];
  const actionLines = options.reduce((sum, option) => sum + linesOf(option.label, columns - 3), 0);
  const layout = tightLayout({lines, actions: actions.length, actionLines, onActions, input: Boolean(state.input), notice: Boolean(state.notice)});
  const label = actions.find((item) => item.action === chosen)?.label ?? '';
  return (
    <Box flexDirection="column">
      {layout.title ? <Text bold>Review</Text> : null}
      {layout.details >= 3 ? <DetailsWindow rows={rows} height={layout.details} offset={state.scroll} focusKey={body.focusKey} toTop={Boolean(state.toFinding)} onWindow={onWindow} /> : null}
      {state.input ? null : onActions ? (
        <>
          {layout.list.title ? <Text bold>What next</Text> : null}
          {listOf(layout.list.lines, layout.list.oneLine)}
        </>
      ) : (
        <Text dimColor>{truncate(`What next: ${label} (tab to go back to the actions)`, columns)}</Text>
      )}
      <Prompt state={state} tight />
      {state.notice ? <Text color="green">{truncate(state.notice, columns)}</Text> : null}
    </Box>
  );
}
