// The interactive app: the wizard (one screen per step, then the review), and with a Cloud the
// launch progress, verification and end screen. Keys are resolved through the keymap; every
// state change goes through a reducer; the app only carries out effects (discovery, launch, save).
import React, {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import {Box, useInput, type Key} from 'ink';
import type {CallerIdentity, Cloud, LaunchEvent} from '../domain/cloud.js';
import {buildPlan, orderedSteps} from '../domain/plan.js';
import {NAME_FIELDS, createdNames, isMadeUpName, type NameField} from '../domain/preflight.js';
import {referencesOf} from '../domain/profile-references.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {newLaunchId} from '../store/journal.js';
import {wantedFields, type DiscoveryRequest, type Loadable} from './fields.js';
import {SCREENS} from './steps.js';
import {Footer, Header} from './frame.js';
import {resolveKey, type Action, type KeyContext} from './keymap.js';
import {ProgressScreen} from './progress.js';
import {exitCodeOf, initialProgress, isFinished, progressReducer, type ProgressState} from './progress-state.js';
import {chosen, moveOffer, ResumeScreen, type DraftLike, type ResumeOffer} from './resume.js';
import {ReviewScreen} from './review.js';
import {StepScreen} from './step-screen.js';
import {
  currentFields,
  fieldContext,
  focusedField,
  initialWizard,
  isTyping,
  REVIEW_INDEX,
  SCREEN_IDS,
  screenId,
  specWithTyping,
  wizardReducer,
  type SaveMode,
  type WizardAction,
  type WizardState,
} from './wizard-state.js';
import {useColumns} from './widgets.js';

/**
 * What the app needs from the profile store (source/store/profiles.ts satisfies it). Saving from
 * the review uses `has` and `save`; the draft methods keep the answers of an unfinished run
 * (see useDraft) so the next `tandem` can offer to resume them.
 */
export interface ProfileStoreLike {
  has?(name: string): boolean;
  /** May throw (e.g. a bad name); the message is shown on the review. */
  save(name: string, spec: LaunchSpec, options?: {force?: boolean}): unknown;
  loadDraft?(): DraftLike | undefined;
  /** False when the spec could not be kept (it does not fit the profile schema). */
  saveDraft?(spec: LaunchSpec, stepIndex: number): unknown;
  clearDraft?(): void;
}

export interface AppProps {
  mode: 'explain' | 'live';
  cloud?: Cloud;
  identity?: CallerIdentity;
  /** Header text when no account is shown: "checking for AWS credentials…", or why explain mode. */
  status?: string;
  initialSpec?: LaunchSpec;
  startAtReview?: boolean;
  /** Saves the reviewed spec; may return the line to show (e.g. where it was saved). */
  onSave?: (spec: LaunchSpec) => Promise<string | void>;
  profiles?: ProfileStoreLike;
  /** Called once; `note` is a line to print after the screen is gone (e.g. what is left to clean up). */
  onExit: (code: number, note?: string) => void;
  /** Launch ids in the journal's format; injectable so tests are deterministic. */
  makeLaunchId?: () => string;
  /** A plain `tandem`: offer to resume an unfinished run kept in the profile store. */
  offerResume?: boolean;
  /** Started from a saved profile: once connected, check what it reuses still exists. */
  checkReferences?: boolean;
  /** Names that may be renumbered when taken (those a replayed profile did not write); all by default. */
  proposeNames?: readonly NameField[];
  /** Said in the header when the profile's region and the environment's disagree. */
  regionNote?: string;
}

function errorParts(error: unknown): {code: string; message: string} {
  if (error instanceof Error) {
    const code = (error as {Code?: string}).Code ?? error.name;
    return {code: code || 'Error', message: error.message};
  }
  return {code: 'Error', message: String(error)};
}

function saveModeOf(props: AppProps): SaveMode {
  if (props.profiles) return 'named';
  return props.onSave ? 'direct' : 'unavailable';
}

/** Loads what the visible fields need from the account, once per key; lists show their first pages early. */
function useDiscovery(state: WizardState, dispatch: (action: {type: 'discovery'; key: string; state: Loadable}) => void, cloud?: Cloud) {
  const started = useRef(new Set<string>());
  const screen = screenId(state);
  const fields = state.live && cloud && screen !== 'review' ? wantedFields(SCREENS[screen], state.spec, fieldContext(state)) : [];
  const requests = fields.flatMap((field) => field.source?.(state.spec) ?? []);
  // Details of the highlighted item (a KMS key's state) wait until the cursor rests there, so
  // scrolling through a long list does not make a call per item passed.
  const focused = focusedField(state);
  const details = focused?.kind === 'choice' && fields.includes(focused) ? focused.details?.(state.spec) : undefined;
  const keys = requests.map((request) => request.key).join('|');
  const start = (request: DiscoveryRequest) => {
    if (!cloud || started.current.has(request.key)) return;
    started.current.add(request.key);
    dispatch({type: 'discovery', key: request.key, state: {status: 'loading'}});
    const onPage = (soFar: unknown[]) => dispatch({type: 'discovery', key: request.key, state: {status: 'ready', data: soFar, more: true}});
    request.load(cloud.discovery, onPage).then(
      (data) => dispatch({type: 'discovery', key: request.key, state: {status: 'ready', data}}),
      (error: unknown) => dispatch({type: 'discovery', key: request.key, state: {status: 'failed', ...errorParts(error)}}),
    );
  };
  useEffect(() => {
    for (const request of requests) start(request);
    // `keys` names exactly the requests; the objects themselves are rebuilt every render.
  }, [keys, cloud]);
  useEffect(() => {
    if (!details || started.current.has(details.key)) return;
    const timer = setTimeout(() => start(details), DETAILS_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [details?.key, cloud]);
}

/** How long the cursor rests on an item before its details are read. */
const DETAILS_SETTLE_MS = 150;

const OFFER_KEYS: KeyContext = {screen: 'resume', typing: false, fields: 1, choosing: true, canGoBack: false};

/** Never lets a draft problem (a full disk, a read-only home) reach the wizard. */
function quietly<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/** Writes the draft; when what is typed does not fit the schema yet, keeps the last valid answers. */
function keepDraft(store: ProfileStoreLike | undefined, specs: LaunchSpec[], step: number): void {
  if (!store?.saveDraft) return;
  for (const spec of specs) if (quietly(() => store.saveDraft?.(spec, step)) !== false) return;
}

/**
 * After a profile is replayed, asks AWS whether what it reuses still exists: when the review is
 * shown, and again only if the operator went back and changed those references.
 */
function useReferenceCheck(state: WizardState, dispatch: (action: {type: 'references'; state: WizardState['references']}) => void, enabled: boolean, cloud?: Cloud) {
  const references = enabled ? referencesOf(state.spec) : [];
  const key = JSON.stringify(references);
  const onReview = screenId(state) === 'review';
  const latest = useRef('');
  useEffect(() => {
    if (!enabled || !state.live || !cloud?.checkReferences || !onReview || latest.current === key) return;
    latest.current = key;
    if (references.length === 0) {
      // Nothing reused any more: an earlier "missing" must not keep Launch disabled.
      dispatch({type: 'references', state: undefined});
      return;
    }
    dispatch({type: 'references', state: {status: 'checking'}});
    cloud.checkReferences(state.spec).then(
      (results) => {
        if (latest.current === key) dispatch({type: 'references', state: {status: 'done', results}});
      },
      (error: unknown) => {
        if (latest.current === key) dispatch({type: 'references', state: {status: 'failed', message: errorParts(error).message}});
      },
    );
    // `key` names exactly the references; the spec object changes on every keypress.
  }, [enabled, state.live, cloud, key, onReview]);
}

/**
 * On the review, with credentials: names tandem made up that are taken are renumbered first, then
 * pre-flight checks the spec against the account. Runs again whenever the spec changes.
 */
function usePreflight(state: WizardState, dispatch: (action: WizardAction) => void, fields: readonly NameField[], cloud?: Cloud) {
  const onReview = screenId(state) === 'review';
  const key = onReview && state.live ? JSON.stringify({...state.spec, acceptedRisks: []}) : '';
  const latest = useRef('');
  useEffect(() => {
    if (!key || !cloud?.preflight || latest.current === key) return;
    latest.current = key;
    const spec = state.spec;
    dispatch({type: 'preflight', state: {status: 'checking'}});
    const renumber = fields.filter((field) => isMadeUpName(spec, field));
    const proposed = cloud.proposeNames && renumber.length > 0 ? cloud.proposeNames(spec, renumber) : Promise.resolve(spec);
    proposed
      .then(async (next) => {
        if (latest.current !== key) return;
        const before = createdNames(spec);
        const after = createdNames(next);
        const renamed = renumber.filter((field) => before[field] !== after[field]);
        if (renamed.length > 0) {
          // The new spec has a new key: this effect runs again and checks it.
          const said = renamed.map((field) => `${before[field]} is taken, using ${after[field]}`).join('; ');
          dispatch({type: 'names', spec: next, notice: `${said} (esc to go back and rename)`});
          return;
        }
        const report = await cloud.preflight!(spec);
        if (latest.current === key) dispatch({type: 'preflight', state: {status: 'done', results: report.results}});
      })
      .catch((error: unknown) => {
        if (latest.current === key) dispatch({type: 'preflight', state: {status: 'failed', message: errorParts(error).message}});
      });
    // `key` names the spec; the object itself changes on every keypress.
  }, [key, cloud]);
}

export function App(props: AppProps) {
  const {cloud, onExit} = props;
  const live = props.mode === 'live' && Boolean(cloud);
  const [state, dispatch] = useReducer(wizardReducer, undefined, () =>
    initialWizard({spec: props.initialSpec ?? defaultSpec(), live, startAtReview: props.startAtReview, saveMode: saveModeOf(props)}),
  );
  const [progress, setProgress] = useState<ProgressState | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const exited = useRef(false);
  const columns = useColumns();
  // The key handler below always runs from the latest render, so it sees the offer as drawn.
  const [offer, setOffer] = useState<ResumeOffer | undefined>();
  // Drafts: the resume offer is made only before the operator has done anything, and an
  // untouched wizard is never kept as a draft.
  const touched = useRef(false);
  const draftLooked = useRef(false);
  const stepMoved = useRef(false);
  const lastStep = useRef(state.step);
  const firstSpec = useRef(JSON.stringify({...state.spec, region: ''}));
  const store = props.profiles;

  const exit = useCallback(
    (code: number, note?: string) => {
      if (exited.current) return;
      exited.current = true;
      onExit(code, note);
    },
    [onExit],
  );

  /** Quitting before a launch keeps what was answered, unless nothing was. */
  const quit = (code: number) => {
    if (!offer && !progress) {
      const typed = specWithTyping(state);
      // The region follows the connected account, which is not the operator's doing.
      const untouched = !stepMoved.current && JSON.stringify({...typed, region: ''}) === firstSpec.current;
      if (!untouched) keepDraft(store, [typed, state.spec], state.step);
    }
    exit(code);
  };

  // The store arrives after the first frame; if the last run left a draft, offer it first.
  useEffect(() => {
    if (!props.offerResume || !store?.loadDraft || draftLooked.current) return;
    draftLooked.current = true;
    if (touched.current) return;
    const draft = quietly(() => store.loadDraft?.());
    if (draft) setOffer({draft, cursor: 0});
  }, [store, props.offerResume]);

  // Moving between screens keeps the answers so far, written after the frame is drawn.
  useEffect(() => {
    if (state.step === lastStep.current) return;
    lastStep.current = state.step;
    stepMoved.current = true;
    if (progress) return;
    const spec = state.spec;
    const step = state.step;
    const timer = setTimeout(() => keepDraft(store, [spec], step), 0);
    return () => clearTimeout(timer);
  }, [state.step]);

  const answerOffer = (current: ResumeOffer) => {
    setOffer(undefined);
    if (chosen(current) === 'fresh') {
      quietly(() => store?.clearDraft?.());
      return;
    }
    // The account's region wins over the one the draft was written in, as for a fresh spec.
    const spec = {...current.draft.spec, region: state.live ? state.spec.region : current.draft.spec.region};
    dispatch({type: 'resume', spec, step: current.draft.stepIndex});
  };

  useEffect(() => {
    if (live !== state.live) dispatch({type: 'live', live});
  }, [live, state.live]);

  // The profile store may arrive after the first frame.
  const saveMode = saveModeOf(props);
  useEffect(() => {
    if (saveMode !== state.saveMode) dispatch({type: 'save-mode', mode: saveMode});
  }, [saveMode, state.saveMode]);

  // Discovery and launch happen in the region the credentials resolved to; the spec says so too.
  const region = live ? props.identity?.region : undefined;
  useEffect(() => {
    if (region) dispatch({type: 'region', region});
  }, [region]);

  useDiscovery(state, dispatch, cloud);
  useReferenceCheck(state, dispatch, Boolean(props.checkReferences), cloud);
  usePreflight(state, dispatch, props.proposeNames ?? NAME_FIELDS, cloud);

  const startLaunch = useCallback(
    (spec: LaunchSpec) => {
      if (!cloud) return;
      const plan = buildPlan(spec);
      const launchId = (props.makeLaunchId ?? newLaunchId)();
      const controller = new AbortController();
      abort.current = controller;
      setProgress(initialProgress(launchId, orderedSteps(plan)));
      const update = (action: Parameters<typeof progressReducer>[1]) => setProgress((current) => (current ? progressReducer(current, action) : current));
      const onEvent = (event: LaunchEvent) => update({type: 'event', event, now: Date.now()});
      // A launched server ends the draft; anything else keeps the answers for another try.
      cloud.launch(spec, plan, {launchId, onEvent, signal: controller.signal}).then(
        (result) => {
          if (result.status === 'launched') quietly(() => store?.clearDraft?.());
          else keepDraft(store, [spec], REVIEW_INDEX);
          update({type: 'result', result});
        },
        (error: unknown) => {
          keepDraft(store, [spec], REVIEW_INDEX);
          const {code, message} = errorParts(error);
          update({type: 'crash', message: `${code}: ${message}`});
        },
      );
    },
    [cloud, props.makeLaunchId, store],
  );

  // Effects the reducer asked for.
  useEffect(() => {
    const effect = state.effect;
    if (!effect) return;
    if (effect.kind === 'quit') {
      quit(0);
      return;
    }
    if (effect.kind === 'launch') {
      dispatch({type: 'effect-done'});
      startLaunch(state.spec);
      return;
    }
    const name = effect.name;
    if (store && name && !effect.force && store.has?.(name)) {
      dispatch({type: 'confirm-overwrite', name});
      return;
    }
    const save =
      store && name
        ? Promise.resolve()
            .then(() => store.save(name, state.spec, {force: effect.force}))
            .then(() => {
              // Saved under a name, the answers are no longer an unfinished run.
              quietly(() => store.clearDraft?.());
              return `saved as profile "${name}"; run it again with: tandem launch ${name}`;
            })
        : Promise.resolve().then(() => props.onSave?.(state.spec));
    save.then(
      (notice) => dispatch({type: 'effect-done', notice: notice || 'saved'}),
      (error: unknown) => dispatch({type: 'effect-done', notice: `could not save: ${errorParts(error).message}`}),
    );
  }, [state.effect]);

  const screen = screenId(state);
  const finished = progress ? isFinished(progress) : false;
  const keyContext: KeyContext = progress
    ? {screen: finished ? 'end' : 'progress', typing: false, fields: 0, choosing: false, canGoBack: false}
    : offer
      ? OFFER_KEYS
      : {
        screen: screen === 'review' ? 'review' : 'wizard',
        typing: isTyping(state),
        fields: screen === 'review' ? 1 : currentFields(state).length,
        choosing: screen === 'review' ? !state.review.input : focusedField(state)?.kind === 'choice',
        canGoBack: state.step > 0 || (screen === 'review' && Boolean(state.review.input)),
      };

  const onProgressKey = (action: Action | undefined) => {
    if (!progress) return;
    if (action === 'interrupt') {
      if (finished) {
        exit(130);
        return;
      }
      if (progress.interrupted) {
        // A second Ctrl+C leaves while rollback still runs; say how to finish the cleanup.
        exit(130, `tandem: stopped while rolling back; remove anything left with: tandem destroy ${progress.launchId}`);
        return;
      }
      abort.current?.abort();
      setProgress((current) => (current ? progressReducer(current, {type: 'interrupt'}) : current));
      return;
    }
    if (finished && (action === 'next' || action === 'quit')) exit(exitCodeOf(progress));
  };

  const onOfferKey = (current: ResumeOffer, action: Action | undefined) => {
    if (action === 'interrupt') exit(130);
    else if (action === 'quit') exit(0);
    else if (action === 'up' || action === 'down') setOffer(moveOffer(current, action === 'up' ? -1 : 1));
    else if (action === 'next') answerOffer(current);
  };

  // Ink re-subscribes a new input handler only after a frame's effects run, so a key that arrives
  // between a frame and its effects would reach the previous handler and act on the previous
  // screen (a Tab typed into a field that has just appeared, say). The subscribed handler is
  // therefore stable and always calls the one from the latest render.
  const onKey = (input: string, key: Key) => {
    const action = resolveKey(input, key, keyContext);
    if (progress) {
      onProgressKey(action);
      return;
    }
    if (offer) {
      onOfferKey(offer, resolveKey(input, key, OFFER_KEYS));
      return;
    }
    touched.current = true;
    switch (action) {
      case 'interrupt':
        quit(130);
        return;
      case 'quit':
        quit(0);
        return;
      case 'up':
        dispatch({type: 'move', delta: -1});
        return;
      case 'down':
        dispatch({type: 'move', delta: 1});
        return;
      case 'next':
        dispatch({type: 'next'});
        return;
      case 'back':
        dispatch({type: 'back'});
        return;
      case 'more':
        dispatch({type: 'toggle-more'});
        return;
      case 'nextField':
        dispatch({type: 'focus', delta: 1});
        return;
      case 'prevField':
        dispatch({type: 'focus', delta: -1});
        return;
    }
    if (!keyContext.typing) return;
    if (key.backspace || key.delete) dispatch({type: 'erase'});
    else if (input && !key.ctrl && !key.meta) {
      // Only printable text goes into a field; a stray control character (Tab, CR) never does.
      const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
      if (text) dispatch({type: 'input', text});
    }
  };
  const latestOnKey = useRef(onKey);
  latestOnKey.current = onKey;
  useInput(useCallback((input: string, key: Key) => latestOnKey.current(input, key), []));

  const status = props.identity ? '' : (props.status ?? (live ? 'AWS account' : 'explain mode — nothing will be created'));
  return (
    <Box flexDirection="column" width={columns}>
      <Header
        identity={props.identity}
        status={status}
        launchName={state.spec.instance.name}
        regionNote={props.regionNote}
        step={progress || offer ? undefined : {index: state.step + 1, total: SCREEN_IDS.length}}
        width={columns}
      />
      {progress ? (
        <ProgressScreen state={progress} width={columns} />
      ) : offer ? (
        <ResumeScreen offer={offer} />
      ) : screen === 'review' ? (
        <ReviewScreen state={state} width={columns} />
      ) : (
        <StepScreen state={state} step={screen} width={columns} />
      )}
      <Footer context={keyContext} width={columns} />
    </Box>
  );
}

