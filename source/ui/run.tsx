// Runs the interactive app in the terminal: the first frame appears at once in "checking" state,
// and only then is the AWS SDK loaded and the credential chain consulted. Without credentials the
// wizard stays in explain mode and the header says why. Resolves with the exit code after Ink has
// unmounted (raw mode off, cursor shown again).
import {render} from 'ink';
import type {CommandContext} from '../context.js';
import type {CallerIdentity, Cloud} from '../domain/cloud.js';
import type {LaunchSpec} from '../domain/spec.js';
import {describeError} from '../errors.js';
import {createOutput} from '../output.js';
import {checkipUrl} from '../domain/my-address.js';
import {onStopSignals, SIGNAL_EXIT} from '../stop-signals.js';
import {App, type AppProps, type ProfileStoreLike} from './app.js';
import type {LeftLaunch} from './hooks/use-launch.js';
import {cutShortNote, leftLaunchNote} from './progress-state.js';

export interface InteractiveOptions {
  context: CommandContext;
  spec: LaunchSpec;
  startAtReview: boolean;
  /** A plain `tandem`: offer to resume the last unfinished run, if one was kept. */
  offerResume?: boolean;
  /** Started from a profile: check what it reuses once connected, and show it on the review. */
  checkReferences?: boolean;
  /** Names that may be renumbered when taken in the account (see AppProps). */
  proposeNames?: AppProps['proposeNames'];
  /** Which region source won, for the header. */
  regionNote?: string;
  /** Where "save as profile" writes; defaults to the store under TANDEM_HOME, opened after the first frame. */
  profiles?: ProfileStoreLike;
  /** Connects to AWS; defaults to the real adapter, loaded lazily after the first frame. */
  connect?: (onStatus: (status: string) => void) => Promise<{cloud: Cloud; identity?: CallerIdentity} | {cloud: null; reason: string}>;
}

async function connectToAws(
  context: CommandContext,
  spec: LaunchSpec,
  onStatus: (status: string) => void,
): Promise<{cloud: Cloud; identity?: CallerIdentity} | {cloud: null; reason: string}> {
  const [{openCloud}, {firstContact}] = await Promise.all([import('../aws/index.js'), import('../aws/first-contact.js')]);
  const opened = await openCloud({flags: context.flags, env: context.io.env, region: spec.region});
  if (!opened.cloud) return {cloud: null, reason: opened.reason};
  // A silent endpoint is named in the header while tandem waits; credentials are called refused only when AWS says so.
  const contact = await firstContact(opened.cloud.clients, {onWaiting: onStatus});
  if (!contact.ok) return {cloud: null, reason: contact.message};
  try {
    const identity = await opened.cloud.discovery.identity();
    return {cloud: opened.cloud, identity};
  } catch (error) {
    return {cloud: null, reason: `could not read the account (${describeError(error)})`};
  }
}

/** How the run ends: the exit code once known, the line to print after the screen, what is left. */
interface Ending {
  code: Promise<number>;
  finish: (code: number) => void;
  /** A line to print once the screen is gone. */
  note?: string;
  /** onExit was called: the app ended the run itself. */
  done: boolean;
  /** Ink unmounted the app on its own (a render threw, the screen closed). */
  unmounted: boolean;
  /** A launch still running when Ink unmounted the app on its own. */
  left?: LeftLaunch;
}

function ending(): Ending {
  let finish: (code: number) => void = () => {};
  const code = new Promise<number>((resolve) => {
    finish = resolve;
  });
  return {code, finish, done: false, unmounted: false};
}

/** The app's props for the first frame: explain mode while credentials are checked. */
function firstProps(options: InteractiveOptions, end: Ending): AppProps {
  const {io} = options.context;
  return {
    mode: 'explain',
    status: 'checking for AWS credentials…',
    initialSpec: options.spec,
    startAtReview: options.startAtReview,
    offerResume: options.offerResume,
    checkReferences: options.checkReferences,
    proposeNames: options.proposeNames,
    regionNote: options.regionNote,
    profiles: options.profiles,
    // The lookup module (and fetch) load only when "SSH only from your address" is highlighted.
    lookUpAddress: () => ({url: checkipUrl(io.env), result: import('../net/checkip.js').then(({lookUpMyAddress}) => lookUpMyAddress({env: io.env}))}),
    firstFrame: true,
    onLaunchLeft: (launch) => {
      end.left = launch;
    },
    onExit: (code, message) => {
      end.done = true;
      end.note = message;
      end.finish(code);
    },
  };
}

function renderApp(io: CommandContext['io'], props: AppProps) {
  return render(<App {...props} />, {
    stdin: io.stdin as NodeJS.ReadStream,
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    // Ink redraws at most maxFps times a second (30 by default). A keypress that lands inside the
    // window opened by the previous redraw waits for it to close; 60 keeps that wait under 17 ms.
    maxFps: 60,
  });
}

/**
 * Ink unmounted the app on its own (a render failed, restoring the terminal): report it as a
 * failure. A launch that was running has been stopped by then: wait for its rollback and say
 * what is left; a stop signal meanwhile leaves at once, naming what removes the rest.
 */
async function stoppedByInk(io: CommandContext['io'], end: Ending, error?: unknown): Promise<void> {
  // A later rerender would mount the app again, with no screen to show it on.
  end.unmounted = true;
  const reason = error === undefined ? 'the screen closed' : describeError(error);
  if (error !== undefined) end.note = `tandem: ${reason}`;
  const launch = end.done ? undefined : end.left;
  if (launch) {
    createOutput(io).say(`tandem: the screen stopped during launch ${launch.launchId} (${reason}); stopping it and removing what it created…`);
    let signalled = false;
    const stopListening = onStopSignals((signal) => {
      signalled = true;
      end.note = cutShortNote(launch.launchId);
      end.finish(SIGNAL_EXIT[signal]);
    });
    const result = await launch.settled;
    stopListening();
    if (!signalled) end.note = leftLaunchNote(launch.launchId, result, reason);
  }
  end.finish(1);
}

/**
 * What arrives after the first frame, as new props on the same app: the profile store (unless
 * given) and the connection to AWS. Returns the store's notices, printed after the screen,
 * and when the store has arrived.
 */
function loadAfterFirstFrame(options: InteractiveOptions, update: (patch: Partial<AppProps>) => void): {notices: string[]; storeLoaded: Promise<unknown>} {
  const {io} = options.context;
  const notices: string[] = [];
  let storeLoaded: Promise<unknown> = Promise.resolve();
  if (!options.profiles) {
    const later = import('../store/profiles.js').then(({openProfileStore}) => openProfileStore({env: io.env, onNotice: (message) => notices.push(message)}));
    update({profilesLater: later});
    storeLoaded = later.then(
      (profiles) => update({profiles}),
      () => undefined,
    );
  }
  const connect = options.connect ?? ((onStatus) => connectToAws(options.context, options.spec, onStatus));
  connect((status) => update({status})).then(
    (connected) =>
      connected.cloud
        ? update({mode: 'live', cloud: connected.cloud, identity: connected.identity, status: undefined})
        : update({status: `explain mode — nothing will be created (${connected.reason})`}),
    (error: unknown) => update({status: `explain mode — nothing will be created (${describeError(error)})`}),
  );
  return {notices, storeLoaded};
}

export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const {io} = options.context;
  const end = ending();
  let props = firstProps(options, end);
  const instance = renderApp(io, props);
  instance.waitUntilExit().then(
    () => stoppedByInk(io, end),
    (error: unknown) => stoppedByInk(io, end, error),
  );
  // Later knowledge (credentials, the profile store) arrives as new props on the same app.
  const update = (patch: Partial<AppProps>) => {
    if (end.done || end.unmounted) return;
    props = {...props, ...patch};
    instance.rerender(<App {...props} />);
  };
  // Let the first frame reach the terminal before loading the SDK or the profile store; the
  // responsibility panel and the help line come in the frame after it.
  await new Promise((resolve) => setImmediate(resolve));
  update({firstFrame: false});
  const {notices, storeLoaded} = loadAfterFirstFrame(options, update);

  const code = await end.code;
  end.done = true;
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  // A draft kept before the store arrived is written when it does; wait for that.
  await storeLoaded;
  const out = createOutput(io);
  for (const line of [...notices.map((notice) => `tandem: ${notice}`), ...(end.note ? [end.note] : [])]) out.say(line);
  return code;
}
