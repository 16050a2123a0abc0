// `tandem` / `tandem launch [PROFILE] [--yes] [--dry-run] [--output json]`.
// With --yes, --dry-run or --output json the launch runs without prompts (launch-headless.ts);
// otherwise the interactive wizard runs, which needs a terminal. Ink and the AWS SDK are both
// imported lazily so the other paths never pay for them.
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {EXIT, UsageError, isInteractive, type CommandRunner} from './types.js';

export const NEEDS_TERMINAL =
  'tandem launch needs a terminal; for scripts use `tandem launch PROFILE --yes` or `tandem explain --format json`';

export const run: CommandRunner = async (context) => {
  const {args, flags, io} = context;
  if (args.length > 1) throw new UsageError(`launch takes at most one PROFILE, got ${args.length}: ${args.join(' ')}`);
  if (flags.output !== undefined && flags.output !== 'json' && flags.output !== 'text') {
    throw new UsageError(`--output must be json or text, not "${flags.output}"`);
  }
  const headless = flags.yes || flags.dryRun || flags.output === 'json';
  if (!headless && !isInteractive(io)) {
    io.stderr.write(`${NEEDS_TERMINAL}\n`);
    return EXIT.usage;
  }

  const region = flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  let spec: LaunchSpec = defaultSpec(region);
  const profile = args[0];
  if (profile) {
    // Profile loading pulls in yaml, zod and conf (about 1.5 MB); a plain `tandem` needs none
    // of it before its first frame.
    const {loadProfileArgument} = await import('../store/resolve.js');
    spec = (await loadProfileArgument(profile, io.env)).spec;
  }
  // A replayed profile is checked against the account first: what it reuses may be gone.
  const fromProfile = Boolean(profile);

  if (headless) {
    const {runHeadless} = await import('./launch-headless.js');
    return runHeadless(context, spec, {fromProfile});
  }
  const {runInteractive} = await import('../ui/run.js');
  return runInteractive({context, spec, startAtReview: fromProfile, checkReferences: fromProfile, offerResume: !fromProfile});
};
