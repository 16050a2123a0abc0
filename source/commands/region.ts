// Which region a launch goes to: --region, then the profile's own `region`, then AWS_REGION /
// AWS_DEFAULT_REGION / the credentials profile's config. A profile written for eu-west-1 must not
// land in us-east-1 because a shell happens to export AWS_REGION; when the two disagree, the
// operator is told which one wins (stderr, and the TUI header).
import {t} from '../domain/safe-text.js';

export interface RegionChoice {
  /** The region to pass on as --region; undefined lets the environment and config decide. */
  region?: string;
  /** One sentence when sources disagree. */
  note?: string;
}

export function chooseRegion(flagRegion: string | undefined, profileRegion: string | undefined, env: NodeJS.ProcessEnv): RegionChoice {
  if (flagRegion) {
    if (profileRegion && profileRegion !== flagRegion) {
      return {region: flagRegion, note: t.text`--region ${flagRegion} overrides the profile's region ${profileRegion}`};
    }
    return {region: flagRegion};
  }
  if (!profileRegion) return {};
  const [name, value] = env.AWS_REGION ? ['AWS_REGION', env.AWS_REGION] : ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION];
  if (value && value !== profileRegion) {
    return {
      region: profileRegion,
      note: t.text`the profile's region ${profileRegion} wins over ${name}=${value}; pass --region to choose another`,
    };
  }
  return {region: profileRegion};
}
