// The interactive app. It only routes: the resume offer, the wizard, the review, and with a Cloud
// the launch progress and end screen. Each mode is a state hook, an input hook (active only while
// its mode is shown) and a view; drafts, discovery, the reference check and the launch are hooks.
import {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import type {CallerIdentity, Cloud} from '../domain/cloud.js';
import {NAME_FIELDS, type NameField} from '../domain/preflight.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {Screen} from './frame.js';
import type {ProfileStoreLike} from './hooks/store.js';
import {useDiscovery} from './hooks/use-discovery.js';
import {useDraft, type ResumeChoice} from './hooks/use-draft.js';
import {useLaunch, type LeftLaunch} from './hooks/use-launch.js';
import {useMyAddress, type LookUpAddress} from './hooks/use-my-address.js';
import {usePreflight} from './hooks/use-preflight.js';
import {useReferenceCheck} from './hooks/use-reference-check.js';
import {useStopSignals} from './hooks/use-stop-signals.js';
import type {KeyContext} from './keymap.js';
import {useLayout} from './layout.js';
import {useProgressKeys} from './progress/mode.js';
import {ProgressScreen} from './progress/view.js';
import {resumeChoices, ResumeScreen} from './resume/view.js';
import {useReview, useReviewEffects} from './review/mode.js';
import type {SaveMode} from './review/state.js';
import {ReviewScreen} from './review/view.js';
import {useKeys} from './use-keys.js';
import {useWizardKeys} from './wizard/mode.js';
import {wizardReducer} from './wizard/reducer.js';
import {initialWizard, REVIEW_INDEX, SCREEN_IDS, screenId} from './wizard/state.js';
import {StepScreen} from './wizard/step-screen.js';

export type {ProfileStoreLike} from './hooks/store.js';

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
  /** Finds the operator's public address (checkip) for "SSH only from your address"; none: typed only. */
  lookUpAddress?: LookUpAddress;
  /**
   * The very first frame in a terminal: the step without its responsibility panel and help line,
   * only as tall as it is; the next frame adds them (runInteractive clears this once the first
   * frame is out). Laying out and styling them, on code not yet warm, adds about 9 ms.
   */
  firstFrame?: boolean;
  /**
   * The app went away while a launch ran (Ink unmounts it when a render throws): the launch was
   * stopped and rolls back; the caller waits for it and says what is left.
   */
  onLaunchLeft?: (launch: LeftLaunch) => void;
}

const OFFER_KEYS: KeyContext = {screen: 'resume', typing: false, fields: 1, choosing: true, canGoBack: false};

function saveModeOf(props: AppProps): SaveMode {
  if (props.profiles) return 'named';
  return props.onSave ? 'direct' : 'unavailable';
}

export function App(props: AppProps) {
  const {cloud, onExit, identity, profiles: store} = props;
  const live = props.mode === 'live' && Boolean(cloud);
  const layout = useLayout();
  const [state, dispatch] = useReducer(wizardReducer, undefined, () => initialWizard({spec: props.initialSpec ?? defaultSpec(), live, startAtReview: props.startAtReview}));
  const exited = useRef(false);
  const exit = useCallback(
    (code: number, note?: string) => {
      if (exited.current) return;
      exited.current = true;
      onExit(code, note);
    },
    [onExit],
  );

  useEffect(() => {
    if (live !== state.live) dispatch({type: 'live', live});
  }, [live, state.live]);
  // Discovery and launch happen in the region the credentials resolved to; the spec says so too.
  const region = live ? identity?.region : undefined;
  useEffect(() => {
    if (region) dispatch({type: 'region', region});
  }, [region]);

  const screen = screenId(state);
  const launch = useLaunch(cloud, store, {makeLaunchId: props.makeLaunchId, proposeNames: props.proposeNames ?? NAME_FIELDS, onLeft: props.onLaunchLeft});
  const draft = useDraft({store, offerResume: props.offerResume, state, dispatch, launching: Boolean(launch.progress)});
  useDiscovery(state, dispatch, cloud);
  useMyAddress(state, dispatch, props.lookUpAddress);
  const references = useReferenceCheck(state.spec, {enabled: Boolean(props.checkReferences), live: state.live, onReview: screen === 'review', cloud});
  const offer = launch.progress ? undefined : draft.offer;
  const mode = launch.progress ? 'progress' : offer ? 'resume' : screen === 'review' ? 'review' : 'wizard';

  // Resume offer: the list reports its highlight; Enter, q and Ctrl+C come here.
  const [choice, setChoice] = useState<ResumeChoice>('resume');
  const reviewResumed = useRef<(() => void) | undefined>(undefined);
  useKeys(
    OFFER_KEYS,
    (action) => {
      if (action.type === 'interrupt') exit(130);
      else if (action.type === 'quit') exit(0);
      else if (action.type === 'next' && offer) {
        const answer = resumeChoices(offer).includes(choice) ? choice : 'fresh';
        draft.answer(answer, state.live, state.spec.region);
        // Resumed at the review (a launch that failed or was stopped): back to its findings.
        if (answer === 'resume' && (offer.draft?.stepIndex ?? 0) >= REVIEW_INDEX) reviewResumed.current?.();
      }
    },
    mode === 'resume',
  );

  // Wizard: q or Ctrl+C keeps the answers (unless untouched), then leaves.
  const wizardKeys = useWizardKeys(state, dispatch, draft.touch, mode === 'wizard');
  const {keepOnQuit} = draft;
  useEffect(() => {
    if (state.quit === undefined) return;
    keepOnQuit(state);
    exit(state.quit);
  }, [state, keepOnQuit, exit]);

  // Review, and the pre-flight check it shows (taken names tandem made up are renumbered first).
  const onNames = useCallback((spec: LaunchSpec, notice: string) => {
    dispatch({type: 'spec', spec});
    reviewNotice.current?.({type: 'notice', notice});
  }, []);
  const reviewNotice = useRef<((message: {type: 'notice'; notice: string}) => void) | undefined>(undefined);
  const [preflightRound, setPreflightRound] = useState(0);
  const onRecheck = useCallback(() => setPreflightRound((round) => round + 1), []);
  const preflight = usePreflight(state.spec, {onReview: screen === 'review', live: state.live, fields: props.proposeNames ?? NAME_FIELDS, cloud, onNames, round: preflightRound});
  const reviewContext = {spec: state.spec, live: state.live, saveMode: saveModeOf(props), references, preflight};
  const review = useReview(reviewContext, layout.rows, mode === 'review');
  reviewNotice.current = review.dispatch;
  reviewResumed.current = () => review.dispatch({type: 'resumed'});
  const {dispatch: reviewDispatch} = review;
  const preflightStatus = preflight?.status;
  useEffect(() => {
    if (preflightStatus && preflightStatus !== 'checking') reviewDispatch({type: 'preflight-settled'});
  }, [preflightStatus, reviewDispatch]);
  const onQuit = useCallback(
    (code: number) => {
      keepOnQuit(state);
      exit(code);
    },
    [state, keepOnQuit, exit],
  );
  const onSpec = useCallback((spec: LaunchSpec) => dispatch({type: 'spec', spec}), []);
  const onBack = useCallback(() => dispatch({type: 'back'}), []);
  useReviewEffects(review.state, review.dispatch, state.spec, {onSpec, onLaunch: launch.start, onBack, onQuit, onRecheck, onSave: props.onSave, store});

  // Launch progress.
  const progressKeys = useProgressKeys(launch.progress, layout.rows, launch, exit);
  useStopSignals(launch.progress, launch, exit);

  const header = {
    identity,
    status: identity ? '' : (props.status ?? (live ? 'AWS account' : 'explain mode — nothing will be created')),
    // The offer names the launch it would resume, and so does the header above it.
    launchName: offer?.draft?.spec.instance.name ?? state.spec.instance.name,
    regionNote: props.regionNote,
    step: mode === 'wizard' || mode === 'review' ? {index: state.step + 1, total: SCREEN_IDS.length} : undefined,
  };
  const keys = mode === 'progress' ? progressKeys.keys : mode === 'resume' ? OFFER_KEYS : mode === 'review' ? review.keys : wizardKeys;
  return (
    <Screen header={header} keys={keys} layout={layout} firstFrame={props.firstFrame}>
      {(lines) =>
        launch.progress ? (
          <ProgressScreen state={launch.progress} width={layout.columns} lines={lines} scroll={progressKeys.scroll} />
        ) : offer ? (
          <ResumeScreen offer={offer} width={layout.columns} choice={choice} onHighlight={setChoice} />
        ) : screen === 'review' ? (
          <ReviewScreen state={review.state} context={reviewContext} columns={layout.columns} lines={lines} dispatch={review.dispatch} />
        ) : (
          <StepScreen state={state} step={screen} columns={layout.columns} lines={lines} dispatch={dispatch} withPanel={!props.firstFrame} />
        )
      }
    </Screen>
  );
}
