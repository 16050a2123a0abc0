// The spec a launch starts from, the same with or without prompts: the defaults in the region the
// flags or environment name, or a saved profile (the PROFILE argument), with --accept-risk applied
// and the profile's region weighed against the environment's (region.ts).
import type {CommandContext} from '../context.js';
import {NAME_FIELDS, type NameField} from '../domain/preflight.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {withAcceptedRisks} from './accept-risk.js';
import {chooseRegion, type RegionChoice} from './region.js';

export interface PreparedLaunch {
  spec: LaunchSpec;
  /** Started from a profile: what it reuses is checked against the account first. */
  fromProfile: boolean;
  /** Names the profile did not write, which may be renumbered when taken. */
  proposeNames: NameField[];
  region: RegionChoice;
}

export async function prepareLaunch({args, flags, io}: CommandContext): Promise<PreparedLaunch> {
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
  const wrote = (field: string) => written === 'all' || written.has(field);
  const regionChoice = chooseRegion(flags.region, wrote('region') ? spec.region : undefined, io.env);
  if (regionChoice.region) spec = {...spec, region: regionChoice.region};
  // Names the profile wrote are kept as written (and checked); the others may be renumbered.
  const proposeNames = NAME_FIELDS.filter((field) => !wrote(field) && !(field === 'role.name' && wrote('role.instanceProfile')));
  return {spec, fromProfile: Boolean(profile), proposeNames, region: regionChoice};
}
