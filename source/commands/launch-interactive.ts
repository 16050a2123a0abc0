// `tandem` / `tandem launch [PROFILE]` in a terminal: the spec, then the wizard. This module is the
// entry of the wizard's own bundle (scripts/build.mjs), so a plain `tandem` reaches its first frame
// through one file.
import type {CommandContext} from '../context.js';
import {runInteractive} from '../ui/run.js';
import {createOutput} from '../output.js';
import {prepareLaunch} from './launch-spec.js';
import {resolveMyAddress} from './my-address.js';
import {EXIT} from './types.js';

export async function runWizard(context: CommandContext): Promise<number> {
  const {flags, io} = context;
  const {spec: prepared, fromProfile, proposeNames, region} = await prepareLaunch(context);
  // A profile's `ssh: me` is found before the wizard opens, so its review shows the real /32.
  const mine = await resolveMyAddress(prepared, io);
  if (!mine.ok) return EXIT.usage;
  if (region.note) createOutput(io).say(`tandem launch: ${region.note}`);
  // The wizard connects where the profile (or --region) says; its header repeats the note.
  const connectTo = region.region ?? flags.region;
  return runInteractive({
    context: {...context, flags: {...flags, ...(connectTo ? {region: connectTo} : {})}},
    spec: mine.spec,
    // A replayed profile is checked against the account first: what it reuses may be gone.
    startAtReview: fromProfile,
    checkReferences: fromProfile,
    offerResume: !fromProfile,
    proposeNames,
    regionNote: region.note,
  });
}
