// The interactive app. It only routes: the resume offer, the wizard, the review, and with a Cloud
// the launch progress and end screen. Each mode is a state hook, an input hook (active only while
// its mode is shown) and a view, in its own folder; drafts, discovery and the launch are hooks.
// Modes talk through explicit messages and callbacks, never through refs read on render.
import {useCallback, useReducer, useRef} from 'react';
import {NAME_FIELDS} from '../domain/preflight.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import type {AppProps} from './app-props.js';
import {Screen, type HeaderProps} from './frame.js';
import {useChoiceCosts} from './hooks/use-choice-costs.js';
import {useDiscovery} from './hooks/use-discovery.js';
import {useDraft} from './hooks/use-draft.js';
import {useLaunch} from './hooks/use-launch.js';
import {useMyAddress} from './hooks/use-my-address.js';
import {usePriceBook} from './hooks/use-prices.js';
import {useStopSignals} from './hooks/use-stop-signals.js';
import {useLayout} from './layout.js';
import {useProgressKeys} from './progress/mode.js';
import {ProgressScreen} from './progress/view.js';
import {useResumeEffects, useResumeKeys} from './resume/mode.js';
import {initialResume, resumeReducer, type ResumeOffer, type ResumeState} from './resume/state.js';
import {ResumeScreen} from './resume/view.js';
import {useReviewMode} from './review/mode.js';
import type {SaveMode} from './review/state.js';
import {ReviewScreen} from './review/view.js';
import {useWizard, useWizardKeys, useWizardQuit} from './wizard/mode.js';
import type {WizardAction} from './wizard/reducer.js';
import {SCREEN_IDS, screenId, type WizardState} from './wizard/state.js';
import {StepScreen} from './wizard/step-screen.js';

export type {AppProps} from './app-props.js';
export type {ProfileStoreLike} from './hooks/store.js';

type Mode = 'progress' | 'resume' | 'review' | 'wizard';

function saveModeOf(props: AppProps): SaveMode {
  if (props.profiles) return 'named';
  return props.onSave ? 'direct' : 'unavailable';
}

/** onExit, called once however many ways out are taken at the same time. */
function useExitOnce(onExit: AppProps['onExit']) {
  const exited = useRef(false);
  return useCallback(
    (code: number, note?: string) => {
      if (exited.current) return;
      exited.current = true;
      onExit(code, note);
    },
    [onExit],
  );
}

function headerOf(props: AppProps, live: boolean, mode: Mode, state: WizardState, resume: ResumeState): HeaderProps {
  return {
    identity: props.identity,
    status: props.identity ? '' : (props.status ?? (live ? 'AWS account' : 'explain mode — nothing will be created')),
    // The offer names the launch it would resume, and so does the header above it.
    launchName: resume.offer?.draft?.spec.instance.name ?? state.spec.instance.name,
    regionNote: props.regionNote,
    step: mode === 'wizard' || mode === 'review' ? {index: state.step + 1, total: SCREEN_IDS.length} : undefined,
  };
}

export function App(props: AppProps) {
  const {cloud, identity, profiles: store} = props;
  const live = props.mode === 'live' && Boolean(cloud);
  const layout = useLayout();
  const exit = useExitOnce(props.onExit);
  // Discovery and launch happen in the region the credentials resolved to; the spec says so too.
  const {state, dispatch} = useWizard({spec: props.initialSpec ?? defaultSpec(), startAtReview: props.startAtReview, live, region: live ? identity?.region : undefined});
  const [resume, toResume] = useReducer(resumeReducer, initialResume);
  const launch = useLaunch(cloud, store, {makeLaunchId: props.makeLaunchId, proposeNames: props.proposeNames ?? NAME_FIELDS, onLeft: props.onLaunchLeft});
  const onOffer = useCallback((offer: ResumeOffer) => toResume({type: 'offered', offer}), []);
  const {touch, keepOnQuit} = useDraft({store, storeLater: props.profilesLater, offerResume: props.offerResume, state, onOffer, launching: Boolean(launch.progress)});
  useDiscovery(state, dispatch, cloud);
  useMyAddress(state, dispatch, props.lookUpAddress);
  // One book of prices for the run: the wizard's differences and the review's cost read the same answers.
  const prices = usePriceBook({live, cloud});
  const screen = screenId(state);
  const mode: Mode = launch.progress ? 'progress' : resume.offer ? 'resume' : screen === 'review' ? 'review' : 'wizard';

  // What the operator does in the wizard ends the chance of an offer to resume.
  const operate = useCallback(
    (action: WizardAction) => {
      touch();
      dispatch(action);
    },
    [touch, dispatch],
  );
  const onQuit = useCallback(
    (code: number) => {
      keepOnQuit(state);
      exit(code);
    },
    [state, keepOnQuit, exit],
  );
  const onSpec = useCallback((spec: LaunchSpec) => dispatch({type: 'spec', spec}), [dispatch]);
  const onBack = useCallback(() => dispatch({type: 'back'}), [dispatch]);
  const onResume = useCallback((spec: LaunchSpec, step: number) => dispatch({type: 'resume', spec, step}), [dispatch]);
  const reviewOptions = {spec: state.spec, live: state.live, saveMode: saveModeOf(props), cloud, prices, onReview: screen === 'review', rows: layout.rows};
  const review = useReviewMode(
    {...reviewOptions, checkReferences: Boolean(props.checkReferences), proposeNames: props.proposeNames ?? NAME_FIELDS, isActive: mode === 'review'},
    {onSpec, onLaunch: launch.start, onBack, onQuit, onSave: props.onSave, store},
  );
  const {dispatch: toReview} = review;
  const onResumedAtReview = useCallback(() => toReview({type: 'resumed'}), [toReview]);
  const resumeKeys = useResumeKeys(toResume, mode === 'resume');
  useResumeEffects(resume, toResume, {store, onResume, onResumedAtReview, onQuit: exit});
  const wizardKeys = useWizardKeys(state, operate, mode === 'wizard');
  const choiceCosts = useChoiceCosts(state, prices, mode === 'wizard' && !props.firstFrame);
  useWizardQuit(state, keepOnQuit, exit);
  const progressKeys = useProgressKeys(launch.progress, layout.rows, launch, exit);
  useStopSignals(launch.progress, launch, exit);

  const keys = {progress: progressKeys.keys, resume: resumeKeys, review: review.keys, wizard: wizardKeys}[mode];
  return (
    <Screen header={headerOf(props, live, mode, state, resume)} keys={keys} layout={layout} firstFrame={props.firstFrame}>
      {(lines) =>
        launch.progress ? (
          <ProgressScreen
            state={launch.progress}
            spec={state.spec}
            width={layout.columns}
            lines={lines}
            scroll={progressKeys.scroll}
            {...(review.context.cost ? {cost: review.context.cost} : {})}
          />
        ) : resume.offer ? (
          <ResumeScreen offer={resume.offer} choice={resume.choice} width={layout.columns} dispatch={toResume} />
        ) : screen === 'review' ? (
          <ReviewScreen state={review.state} context={review.context} columns={layout.columns} lines={lines} dispatch={toReview} />
        ) : (
          <StepScreen state={state} step={screen} columns={layout.columns} lines={lines} dispatch={operate} withPanel={!props.firstFrame} costs={choiceCosts} />
        )
      }
    </Screen>
  );
}
