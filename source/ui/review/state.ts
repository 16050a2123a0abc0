// The review's own state and reducer: the primary actions (a list, with the cursor on Launch on
// arrival, or on Save as profile when nothing can be launched), the findings reached with Tab,
// each accepted as a recorded risk with `a` and a reason, and the name of a profile to save.
// What it decides to do (launch, save, go back, quit, record a risk) is left as `effect`.
import type {CostEstimate} from '../../domain/cost/types.js';
import type {ReferenceCheck} from '../../domain/cloud.js';
import {findingsFor, unacceptedHighRisks} from '../../domain/findings.js';
import {blocking, unreachable, type PreflightResult} from '../../domain/preflight.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {validateSpec} from '../../domain/validate.js';
import {editField} from '../text-field.js';
import type {KeyAction} from '../use-keys.js';

/** How "save as profile" works in this run: ask a name for a store, call back, or not yet. */
export type SaveMode = 'named' | 'direct' | 'unavailable';

/** Pre-flight of the reviewed spec against the account (live only); problems block Launch. */
export type PreflightState = {status: 'checking'} | {status: 'done'; results: PreflightResult[]} | {status: 'failed'; message: string};

/** The check of what a replayed profile reuses (only when the wizard started from a profile). */
export type ReferencesState = {status: 'checking'} | {status: 'done'; results: ReferenceCheck[]} | {status: 'failed'; message: string};

export const REVIEW_ACTIONS = ['launch', 'save', 'back', 'quit'] as const;
export type ReviewActionId = (typeof REVIEW_ACTIONS)[number];
export interface ReviewAction {
  action: ReviewActionId;
  label: string;
  disabled?: string;
}

export type ReviewInput =
  {kind: 'accept'; findings: string[]; draft: string; error?: string} | {kind: 'name'; draft: string; error?: string} | {kind: 'overwrite'; name: string; draft: string; error?: string};

export type ReviewEffect =
  | {kind: 'launch'}
  | {kind: 'save'; name?: string; force?: boolean}
  | {kind: 'back'}
  | {kind: 'quit'; code: number}
  /** One reason, recorded for each finding (Launch asks once for every high risk still open). */
  | {kind: 'accept'; findings: string[]; reason: string}
  /** Ask the account again (pre-flight), after the operator fixed something outside tandem. */
  | {kind: 'recheck'}
  /** Ask the price list again the questions that failed (throttled, timed out). */
  | {kind: 'retry-prices'};

export interface ReviewState {
  zone: 'actions' | 'findings';
  /** The highlighted action (the list reports it); unset means the first available one. */
  action?: ReviewActionId;
  /** Index into the findings not yet accepted. */
  finding: number;
  input?: ReviewInput;
  notice?: string;
  /** Launch was chosen while pre-flight was still checking; it starts once it passes. */
  launchWhenClear?: boolean;
  /** First line of the review's details on screen, in a terminal short of lines (PgUp/PgDn). */
  scroll: number;
  /** The details window last drawn (its height, the largest offset, the opened finding's lines). */
  viewport?: ReviewViewport;
  /** The cursor moved to another finding: the details show it from its top on the next frame. */
  toFinding?: boolean;
  /** The cost's lines are open under its total (c). */
  costsOpen?: boolean;
  effect?: ReviewEffect;
}

export interface ReviewViewport {
  /** Lines the window has, marks included. */
  height: number;
  /** Lines of details it shows. */
  view: number;
  max: number;
  /** Lines [start, end) of the finding under the cursor or asked about. */
  span?: [number, number];
}

/** What the review shows and acts on, from outside its reducer. */
export interface ReviewContext {
  spec: LaunchSpec;
  live: boolean;
  saveMode: SaveMode;
  references?: ReferencesState;
  preflight?: PreflightState;
  /** What the launch costs a month: usage first, prices filled in when the price list answers. */
  cost?: CostEstimate;
  /** A price question failed and may be asked again (p). */
  pricesFailed?: boolean;
}

export type ReviewMessage =
  | KeyAction
  /** The actions list's highlight moved (ink-select-input's onHighlight). */
  | {type: 'highlight'; action: ReviewActionId}
  | {type: 'effect-done'; notice?: string}
  /** The profile name is taken: ask before replacing it. */
  | {type: 'confirm-overwrite'; name: string}
  /** Something happened outside the review worth a line on it (names renumbered). */
  | {type: 'notice'; notice: string}
  /** Pre-flight has an answer (the context holds it). */
  | {type: 'preflight-settled'}
  /** An interrupted run resumed at the review: start on the findings, not on Launch. */
  | {type: 'resumed'}
  /** The view drew the details from line `offset` (it may have moved it to keep the cursor in view). */
  | {type: 'viewport'; offset: number; viewport: ReviewViewport};

export const initialReview: ReviewState = {zone: 'actions', finding: 0, scroll: 0};

/** References of a replayed profile that are gone from the account; a launch would fail on them. */
export function missingReferences(references: ReferencesState | undefined): ReferenceCheck[] {
  return references?.status === 'done' ? references.results.filter((result) => result.status === 'missing') : [];
}

/**
 * Why pre-flight keeps Launch disabled: problems found (shown above), or reads the endpoint never
 * answered (a lost connection, a timeout, a 5xx) or a pass that could not run at all: those
 * checked nothing, and a launch on them could fail halfway, so they stop it as `launch --yes` does.
 */
function preflightBlock(preflight: PreflightState | undefined): string | undefined {
  // While it checks, Launch stays selectable: choosing it launches once pre-flight passes.
  if (preflight?.status === 'failed') return 'pre-flight could not check the account (see above); r re-checks it';
  if (preflight?.status !== 'done') return undefined;
  const silent = unreachable(preflight.results).length;
  if (silent > 0) return `the endpoint did not answer ${silent === 1 ? 'a pre-flight read' : `${silent} pre-flight reads`}, so nothing was checked; r re-checks once it answers`;
  const count = blocking(preflight.results).length;
  if (count === 0) return undefined;
  return `pre-flight found ${count === 1 ? 'a problem' : `${count} problems`} above; esc to go back and fix ${count === 1 ? 'it' : 'them'}`;
}

/** Pre-flight answered and nothing in it stops a launch. */
function preflightClear(preflight: PreflightState | undefined): boolean {
  return preflight?.status === 'done' && preflightBlock(preflight) === undefined;
}

export function openFindings(spec: LaunchSpec) {
  return findingsFor(spec).filter((finding) => !finding.accepted);
}

export function reviewActions(context: ReviewContext): ReviewAction[] {
  const problems = validateSpec(context.spec);
  const gone = missingReferences(context.references);
  const launchDisabled = !context.live
    ? 'explain mode, nothing will be created; run with AWS credentials to launch'
    : problems.length > 0
      ? `fix ${problems.length === 1 ? 'the problem' : `the ${problems.length} problems`} above first`
      : gone.length > 0
        ? `${gone.map((result) => `${result.field} ${result.id}`).join(', ')} no longer ${gone.length === 1 ? 'exists' : 'exist'}; esc to go back and choose again`
        : preflightBlock(context.preflight);
  return [
    {action: 'launch', label: 'Launch', disabled: launchDisabled},
    {action: 'save', label: 'Save as profile'},
    {action: 'back', label: 'Back'},
    {action: 'quit', label: 'Quit'},
  ];
}

/**
 * Where the actions list starts: on Launch with credentials (even while pre-flight or a missing
 * reference holds it back: Enter then says why), on Save as profile in explain mode.
 */
export function firstAction(context: ReviewContext): ReviewActionId {
  return context.live ? 'launch' : 'save';
}

/** The action Enter takes: the highlighted one, else the first. */
export function currentAction(state: ReviewState, context: ReviewContext): ReviewActionId {
  return state.action ?? firstAction(context);
}

function submitInput(state: ReviewState, input: ReviewInput): ReviewState {
  const draft = input.draft.trim();
  const refuse = (error: string): ReviewState => ({...state, input: {...input, error}});
  if (input.kind === 'accept') {
    if (!draft) return refuse('say why this risk is acceptable (it is recorded with the profile)');
    const notice = input.findings.length === 1 ? `accepted "${input.findings[0]}" as a recorded risk` : `accepted ${input.findings.length} findings as recorded risks, each with this reason`;
    return {...state, input: undefined, effect: {kind: 'accept', findings: input.findings, reason: draft}, notice};
  }
  if (input.kind === 'overwrite') {
    if (draft.toLowerCase() !== 'yes') return refuse('type yes to replace it, or press esc to keep it');
    return {...state, input: undefined, effect: {kind: 'save', name: input.name, force: true}};
  }
  if (!draft) return refuse('type a name for the profile');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(draft)) return refuse('use letters, digits, dot, dash or underscore (up to 64)');
  return {...state, input: undefined, effect: {kind: 'save', name: draft}};
}

/** What Launch says when high risks have no reason yet: each named, so the one reason is given knowingly. */
function highRiskNotice(ids: readonly string[]): string {
  if (ids.length === 1) return `${ids[0]} is a high risk: say why it is acceptable here to launch, or esc to cancel`;
  return `${ids.length} high risks have no reason yet (${ids.join(', ')}): one reason is recorded for each (a on a finding gives it its own), or esc to cancel`;
}

function select(state: ReviewState, action: ReviewActionId, context: ReviewContext): ReviewState {
  const item = reviewActions(context).find((candidate) => candidate.action === action);
  if (!item) return state;
  if (item.disabled) return {...state, notice: `${item.label}: ${item.disabled}`};
  switch (action) {
    case 'launch': {
      // The gate `launch --yes` applies: a high risk nobody accepted needs a reason first. A public
      // web server has several (the tools rate them high), so one prompt asks once for all of them
      // and records the reason with each; `a` on a finding gives one its own reason instead.
      const risks = unacceptedHighRisks(context.spec);
      if (risks.length > 0)
        return {
          ...state,
          notice: highRiskNotice(risks.map((risk) => risk.id)),
          input: {kind: 'accept', findings: risks.map((risk) => risk.id), draft: risks.length === 1 ? (risks[0].readyReason ?? '') : ''},
        };
      if (context.preflight?.status === 'checking') return {...state, launchWhenClear: true, notice: 'launching as soon as pre-flight passes…'};
      return {...state, effect: {kind: 'launch'}};
    }
    case 'back':
      return {...state, effect: {kind: 'back'}};
    case 'quit':
      return {...state, effect: {kind: 'quit', code: 0}};
    case 'save':
      if (context.saveMode === 'named') return {...state, notice: undefined, input: {kind: 'name', draft: context.spec.instance.name}};
      if (context.saveMode === 'direct') return {...state, effect: {kind: 'save'}};
      return {...state, notice: 'saving profiles arrives in a later version of tandem'};
  }
}

/** The offset one line on in `direction` while the opened finding runs past the window's edge. */
function readOn(state: ReviewState, direction: -1 | 1): number | undefined {
  const span = state.viewport?.span;
  if (!state.viewport || !span) return undefined;
  const top = state.scroll;
  const bottom = top + state.viewport.view;
  if (direction < 0 && span[0] < top) return top - 1;
  if (direction > 0 && span[1] > bottom && top < state.viewport.max) return top + 1;
  return undefined;
}

export function reviewReducer(state: ReviewState, message: ReviewMessage, context: ReviewContext): ReviewState {
  const findings = openFindings(context.spec);
  const input = state.input;
  switch (message.type) {
    case 'highlight':
      return {...state, action: message.action, notice: undefined};
    case 'notice':
      return {...state, notice: message.notice};
    case 'preflight-settled': {
      if (!state.launchWhenClear || context.preflight?.status === 'checking') return state;
      return preflightClear(context.preflight)
        ? {...state, launchWhenClear: false, notice: undefined, effect: {kind: 'launch'}}
        : {...state, launchWhenClear: false, notice: `nothing was launched: ${preflightBlock(context.preflight) ?? 'pre-flight found problems'}`};
    }
    case 'effect-done':
      return {...state, effect: undefined, notice: message.notice ?? state.notice};
    case 'confirm-overwrite':
      return {...state, effect: undefined, input: {kind: 'overwrite', name: message.name, draft: ''}};
    case 'input':
    case 'erase':
    case 'eraseWord':
    case 'clearLine': {
      if (!input) return state;
      // A private key pasted here is refused like in the wizard's fields: never drawn, recorded or saved.
      const edited = editField(`review.${input.kind}`, input.draft, message.type === 'input' ? message : {type: message.type, count: message.count});
      return {...state, input: {...input, draft: edited.text, error: edited.withheld}};
    }
    case 'next':
      if (input) return submitInput(state, input);
      if (state.zone === 'findings') return {...state, notice: 'press a to accept this finding as a risk, or tab to the actions'};
      return select(state, state.action ?? firstAction(context), context);
    case 'back':
      return input ? {...state, input: undefined, notice: undefined} : {...state, effect: {kind: 'back'}};
    case 'quit':
      return {...state, effect: {kind: 'quit', code: 0}};
    case 'interrupt':
      return {...state, effect: {kind: 'quit', code: 130}};
    case 'nextField':
    case 'prevField':
      if (input || findings.length === 0) return state;
      return {
        ...state,
        zone: state.zone === 'actions' ? 'findings' : 'actions',
        finding: Math.min(state.finding, findings.length - 1),
        notice: undefined,
        toFinding: state.zone === 'actions',
      };
    case 'resumed':
      // The operator sees the plan again from its top; one Enter must not launch it again.
      if (findings.length === 0) return {...initialReview, notice: 'resumed: check the plan again before you launch'};
      return {...initialReview, zone: 'findings', notice: 'resumed: check the plan and its findings again; tab to the actions to launch'};
    case 'viewport': {
      const same = state.scroll === message.offset && JSON.stringify(state.viewport) === JSON.stringify(message.viewport);
      return same && !state.toFinding ? state : {...state, scroll: message.offset, viewport: message.viewport, toFinding: false};
    }
    case 'up':
    case 'down': {
      if (input || state.zone !== 'findings') return state;
      // A finding taller than the window is read line by line before the cursor leaves it.
      const read = readOn(state, message.type === 'up' ? -1 : 1);
      if (read !== undefined) return {...state, scroll: read};
      const finding = Math.max(0, Math.min(findings.length - 1, state.finding + (message.type === 'up' ? -1 : 1)));
      return {...state, finding, notice: undefined, toFinding: finding !== state.finding};
    }
    case 'accept': {
      const finding = findings[Math.min(state.finding, findings.length - 1)];
      if (input || state.zone !== 'findings' || !finding) return state;
      return {...state, notice: undefined, input: {kind: 'accept', findings: [finding.id], draft: finding.readyReason ?? ''}};
    }
    case 'pageUp':
    case 'pageDown': {
      const page = state.viewport ? Math.max(1, state.viewport.view - 1) : 5;
      const max = state.viewport?.max ?? Infinity;
      return {...state, scroll: Math.max(0, Math.min(max, state.scroll + (message.type === 'pageUp' ? -page : page)))};
    }
    case 'recheck':
      if (input || !context.live || !context.preflight) return state;
      return {...state, notice: undefined, effect: {kind: 'recheck'}};
    case 'costs':
      return input ? state : {...state, costsOpen: !state.costsOpen};
    case 'retryPrices':
      return input || !context.pricesFailed ? state : {...state, notice: undefined, effect: {kind: 'retry-prices'}};
    case 'more':
    case 'toggle':
      return state;
  }
}
