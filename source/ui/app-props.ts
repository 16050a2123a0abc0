// What the interactive app is given (run.tsx renders it, and re-renders it with what arrives
// later: credentials, the account, the profile store).
import type {CallerIdentity, Cloud} from '../domain/cloud.js';
import type {NameField} from '../domain/preflight.js';
import type {LaunchSpec} from '../domain/spec.js';
import type {ProfileStoreLike} from './hooks/store.js';
import type {LeftLaunch} from './hooks/use-launch.js';
import type {LookUpAddress} from './hooks/use-my-address.js';

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
  /** The profile store while it is still loading: a draft kept before it arrives is written once it does. */
  profilesLater?: Promise<ProfileStoreLike>;
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
