// Placeholder: the profile store (issue 4) replaces this with real loading of a saved profile
// name or a YAML profile file. Throws UsageError with field and line on a bad profile.
import type {LaunchSpec} from '../domain/spec.js';
import {UsageError} from '../commands/types.js';

export interface LoadedProfile {
  spec: LaunchSpec;
  /** Profile name or file path it came from. */
  source: string;
}

export async function loadProfileArgument(argument: string, _env: NodeJS.ProcessEnv = process.env): Promise<LoadedProfile> {
  throw new UsageError(`profile "${argument}" not found (saved profiles are not available in this build yet)`);
}
