// The command table. Each command lives in its own module and is imported only when run,
// so `tandem explain` never loads Ink and `tandem` never loads the AWS SDK before its first frame.
import type {CommandRunner} from './types.js';

type Loader = () => Promise<{run: CommandRunner}>;

export const commands: Record<string, Loader> = {
  launch: () => import('./launch.js'),
  explain: () => import('./explain.js'),
  verify: () => import('./verify.js'),
  destroy: () => import('./destroy.js'),
  launches: () => import('./launches.js'),
  profiles: () => import('./profiles.js'),
  export: () => import('./export.js'),
  fleet: () => import('./fleet.js'),
};
