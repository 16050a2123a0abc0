// PROFILE arguments: `tandem launch web` reads the saved profile "web"; `tandem launch
// ./web.yaml` (anything with a slash or a .yaml/.yml ending, or an existing file) reads a
// profile file, so profiles can live in git. Bad input is a UsageError naming file, line and field.
import {statSync} from 'node:fs';
import path from 'node:path';
import {UsageError} from '../exit.js';
import {processOutput} from '../output.js';
import {t} from '../domain/safe-text.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateSpec} from '../domain/validate.js';
import {readProfileFileFields, type WrittenFields} from './profile-file.js';
import {openProfileStore} from './profiles.js';

export interface LoadedProfile {
  spec: LaunchSpec;
  /** Profile name or file path it came from. */
  source: string;
  kind: 'saved' | 'file';
  /** Fields the profile wrote itself; a saved profile wrote every one (it is a whole spec). */
  written: WrittenFields | 'all';
}

export function looksLikePath(argument: string): boolean {
  return argument.includes('/') || argument.includes(path.sep) || /\.ya?ml$/i.test(argument);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function fromFile(file: string): LoadedProfile {
  const {spec, written} = readProfileFileFields(file);
  return {spec, source: file, kind: 'file', written};
}

export async function loadProfileArgument(
  argument: string,
  env: NodeJS.ProcessEnv = process.env,
  onNotice: (message: string) => void = (message) => processOutput().say(`tandem: ${message}`),
): Promise<LoadedProfile> {
  if (argument === '') throw new UsageError('the profile argument is empty; give a saved profile name or a path to a profile file');
  if (looksLikePath(argument)) return fromFile(argument);

  const saved = openProfileStore({env, onNotice}).get(argument);
  if (saved) {
    // The store checked the shape; the rules may have grown stricter since it was saved.
    const problems = validateSpec(saved.spec);
    if (problems.length > 0) {
      throw new UsageError(problems.map((problem) => t.text`profile ${argument}: ${problem.field}: ${problem.message}`).join('\n'));
    }
    return {spec: saved.spec, source: argument, kind: 'saved', written: 'all'};
  }
  if (isFile(argument)) return fromFile(argument);
  throw new UsageError(t.text`profile "${argument}" not found: no saved profile by that name (see tandem profiles list) and no such file`);
}
