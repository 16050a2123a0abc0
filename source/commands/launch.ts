// `tandem` / `tandem launch [PROFILE] [--yes] [--dry-run] [--output json]`.
// With --yes, --dry-run or --output json the launch runs without prompts (launch-headless.ts);
// otherwise the interactive wizard runs (launch-interactive.ts), which needs a terminal. Both start
// from the same spec (launch-spec.ts); Ink and the AWS SDK are imported lazily so the other paths
// never pay for them.
import {EXIT, UsageError, isInteractive, type CommandRunner} from './types.js';

export const NEEDS_TERMINAL = 'tandem launch needs a terminal; for scripts use `tandem launch PROFILE --yes` or `tandem explain --format json`';

export const run: CommandRunner = async (context) => {
  const {args, flags, io} = context;
  if (args.length > 1) throw new UsageError(`launch takes at most one PROFILE, got ${args.length}: ${args.join(' ')}`);
  if (flags.output !== undefined && flags.output !== 'json' && flags.output !== 'text') {
    throw new UsageError(`--output must be json or text, not "${flags.output}"`);
  }
  const headless = flags.yes || flags.dryRun || flags.output === 'json';
  if (!headless && !isInteractive(io)) {
    const {createOutput} = await import('../output.js');
    createOutput(io).say(NEEDS_TERMINAL);
    return EXIT.usage;
  }

  if (headless) {
    const [{prepareLaunch}, {runHeadless}] = await Promise.all([import('./launch-spec.js'), import('./launch-headless.js')]);
    const {spec, fromProfile, proposeNames, region} = await prepareLaunch(context);
    return runHeadless(context, spec, {fromProfile, proposeNames, region});
  }
  const {runWizard} = await import('./launch-interactive.js');
  return runWizard(context);
};
