// The review mode's hooks: its own reducer (review/state.ts) with the context it reads (the
// pre-flight and reference checks it runs), its keys, and the effects it asks for (launch, save
// as profile, record a risk, back, quit), carried out by the callbacks it is given. What the
// checks find reaches the reducer as messages; store errors end up as a notice, answers kept.
import {useCallback, useEffect, useReducer, useState} from 'react';
import type {Cloud} from '../../domain/cloud.js';
import {acceptRisk} from '../../domain/findings.js';
import type {NameField} from '../../domain/preflight.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {describe} from '../../errors.js';
import {usePreflight} from '../hooks/use-preflight.js';
import {usePrices, type Prices} from '../hooks/use-prices.js';
import {useReferenceCheck} from '../hooks/use-reference-check.js';
import {quietly, type ProfileStoreLike} from '../hooks/store.js';
import type {KeyContext} from '../keymap.js';
import {useKeys} from '../use-keys.js';
import {initialReview, openFindings, reviewReducer, type PreflightState, type ReviewContext, type ReviewMessage, type ReviewState, type SaveMode} from './state.js';

export interface ReviewCallbacks {
  onSpec: (spec: LaunchSpec) => void;
  onLaunch: (spec: LaunchSpec) => void;
  onBack: () => void;
  onQuit: (code: number) => void;
  /** Runs pre-flight again (the account may have been fixed outside tandem). */
  onRecheck?: () => void;
  /** Asks the price list again what it failed to answer. */
  onRetryPrices?: () => void;
  /** Saves without a name (no profile store); may return the line to show. */
  onSave?: (spec: LaunchSpec) => Promise<string | void>;
  store?: ProfileStoreLike;
}

export function reviewKeys(state: ReviewState, context: ReviewContext, rows: number): KeyContext {
  const findings = openFindings(context.spec).length;
  return {
    screen: 'review',
    typing: Boolean(state.input),
    fields: findings > 0 ? 2 : 1,
    choosing: !state.input,
    // On the actions the list (ink-select-input) moves its own highlight; on the findings the reducer does.
    listKeys: state.zone === 'actions' && !state.input,
    canGoBack: true,
    onFinding: state.zone === 'findings' && findings > 0 && !state.input,
    scrolls: rows !== Infinity && state.zone === 'actions' && !state.input,
    rechecks: context.live && Boolean(context.preflight) && !state.input,
    costs: Boolean(context.cost?.lines.length) && !state.input,
    costsOpen: Boolean(state.costsOpen),
    retriesPrices: Boolean(context.pricesFailed) && !state.input,
  };
}

function save(store: ProfileStoreLike | undefined, name: string | undefined, spec: LaunchSpec, force: boolean | undefined, onSave: ReviewCallbacks['onSave']): Promise<string | void> {
  if (!store || !name) return Promise.resolve().then(() => onSave?.(spec));
  return Promise.resolve()
    .then(() => store.save(name, spec, {force}))
    .then(() => {
      // Saved under a name, the answers are no longer an unfinished run.
      quietly(() => store.clearDraft?.());
      return `saved as profile "${name}"; run it again with: tandem launch ${name}`;
    });
}

/** The review's state and keys; the reducer always sees the latest context. */
export function useReview(context: ReviewContext, rows: number, isActive: boolean) {
  const [state, dispatch] = useReducer((current: ReviewState, message: ReviewMessage) => reviewReducer(current, message, context), initialReview);
  const keys = reviewKeys(state, context, rows);
  useKeys(keys, dispatch, isActive);
  return {state, dispatch, keys};
}

export interface ReviewModeOptions {
  spec: LaunchSpec;
  live: boolean;
  saveMode: SaveMode;
  cloud?: Cloud;
  /** The run's book of prices (hooks/use-prices.ts), shared with the wizard's differences. */
  prices: Prices;
  /** The wizard is on its review screen: the checks run (even while another mode is shown over it). */
  onReview: boolean;
  /** Started from a saved profile: check that what it reuses still exists. */
  checkReferences: boolean;
  /** Names tandem made up that pre-flight may renumber when taken. */
  proposeNames: readonly NameField[];
  rows: number;
  isActive: boolean;
}

/**
 * The whole review mode: its state and keys, the checks of the account it shows (references,
 * pre-flight), and its effects. Pre-flight's answers arrive as messages: renamed names as a
 * notice (and the new spec through onSpec), a settled check so a Launch waiting on it goes ahead.
 */
export function useReviewMode(options: ReviewModeOptions, callbacks: Omit<ReviewCallbacks, 'onRecheck' | 'onRetryPrices'>) {
  const {spec, live, cloud, onReview} = options;
  const [preflight, setPreflight] = useState<PreflightState | undefined>();
  const [round, setRound] = useState(0);
  const references = useReferenceCheck(spec, {enabled: options.checkReferences, live, onReview, cloud});
  const cost = usePrices(spec, {onReview, prices: options.prices});
  // A question the price list failed to answer (throttled, timed out, refused) can be asked again.
  const pricesFailed = !options.prices.unavailable && options.prices.book.failures.size > 0;
  const context: ReviewContext = {spec, live, saveMode: options.saveMode, references, preflight, ...(cost ? {cost} : {}), ...(pricesFailed ? {pricesFailed} : {})};
  const review = useReview(context, options.rows, options.isActive);
  const {dispatch} = review;
  const {onSpec} = callbacks;
  const onState = useCallback(
    (next: PreflightState) => {
      setPreflight(next);
      if (next.status !== 'checking') dispatch({type: 'preflight-settled'});
    },
    [dispatch],
  );
  const onNames = useCallback(
    (next: LaunchSpec, notice: string) => {
      onSpec(next);
      dispatch({type: 'notice', notice});
    },
    [onSpec, dispatch],
  );
  usePreflight(spec, {onReview, live, fields: options.proposeNames, cloud, round, onState, onNames});
  const onRecheck = useCallback(() => setRound((current) => current + 1), []);
  useReviewEffects(review.state, dispatch, spec, {...callbacks, onRecheck, onRetryPrices: options.prices.retry});
  return {...review, context};
}

/** Carries out what the review asked for. */
export function useReviewEffects(state: ReviewState, dispatch: (message: ReviewMessage) => void, spec: LaunchSpec, callbacks: ReviewCallbacks): void {
  const {effect} = state;
  const {onSpec, onLaunch, onBack, onQuit, onRecheck, onRetryPrices, onSave, store} = callbacks;
  useEffect(() => {
    if (!effect) return;
    if (effect.kind === 'quit') return onQuit(effect.code);
    dispatch({type: 'effect-done'});
    if (effect.kind === 'back') return onBack();
    if (effect.kind === 'launch') return onLaunch(spec);
    if (effect.kind === 'accept') return onSpec(effect.findings.reduce((next, finding) => acceptRisk(next, finding, effect.reason), spec));
    if (effect.kind === 'recheck') return onRecheck?.();
    if (effect.kind === 'retry-prices') return onRetryPrices?.();
    // A store that cannot even be read (an unwritable home) answers here, on the review.
    let taken = false;
    try {
      taken = Boolean(store && effect.name && !effect.force && store.has?.(effect.name));
    } catch (error) {
      dispatch({type: 'effect-done', notice: `could not save: ${describe(error).message}`});
      return;
    }
    if (taken && effect.name) {
      dispatch({type: 'confirm-overwrite', name: effect.name});
      return;
    }
    save(store, effect.name, spec, effect.force, onSave).then(
      (notice) => dispatch({type: 'effect-done', notice: notice || 'saved'}),
      (error: unknown) => dispatch({type: 'effect-done', notice: `could not save: ${describe(error).message}`}),
    );
  }, [effect, dispatch, spec, onSpec, onLaunch, onBack, onQuit, onRecheck, onRetryPrices, onSave, store]);
}
