// `tandem` / `tandem launch [PROFILE] [--yes] [--dry-run] [--output json]`.
// With --yes, --dry-run or --output json the launch runs without prompts (launch-headless.ts);
// otherwise the interactive wizard runs, which needs a terminal. Ink and the AWS SDK are both
// imported lazily so the other paths never pay for them.
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {NAME_FIELDS} from '../domain/preflight.js';
import {withAcceptedRisks} from './accept-risk.js';
import {chooseRegion} from './region.js';
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
  let written: ReadonlySet<string> | 'all' = new Set();
  if (profile) {
    // Profile loading pulls in yaml, zod and conf (about 1.5 MB); a plain `tandem` needs none
    // of it before its first frame.
    const {loadProfileArgument} = await import('../store/resolve.js');
    ({spec, written} = await loadProfileArgument(profile, io.env));
  }
  spec = withAcceptedRisks(spec, flags.acceptRisk);
  // A replayed profile is checked against the account first: what it reuses may be gone.
  const fromProfile = Boolean(profile);
  const wrote = (field: string) => written === 'all' || written.has(field);
  const regionChoice = chooseRegion(flags.region, wrote('region') ? spec.region : undefined, io.env);
  if (regionChoice.region) spec = {...spec, region: regionChoice.region};
  // Names the profile wrote are kept as written (and checked); the others may be renumbered.
  const proposeNames = NAME_FIELDS.filter((field) => !wrote(field) && !(field === 'role.name' && wrote('role.instanceProfile')));

  if (headless) {
    const {runHeadless} = await import('./launch-headless.js');
    return runHeadless(context, spec, {fromProfile, proposeNames, region: regionChoice});
  }
  // A profile's `ssh: me` is found before the wizard opens, so its review shows the real /32.
  const {resolveMyAddress} = await import('./my-address.js');
  const mine = await resolveMyAddress(spec, io);
  if (!mine.ok) return EXIT.usage;
  spec = mine.spec;
  const {runInteractive} = await import('../ui/run.js');
  if (regionChoice.note) io.stderr.write(`tandem launch: ${regionChoice.note}\n`);
  // The wizard connects where the profile (or --region) says; its header repeats the note.
  const connectTo = regionChoice.region ?? flags.region;
  return runInteractive({
    context: {...context, flags: {...flags, ...(connectTo ? {region: connectTo} : {})}},
    spec,
    startAtReview: fromProfile,
    checkReferences: fromProfile,
    offerResume: !fromProfile,
    proposeNames,
    regionNote: regionChoice.note,
  });
};
