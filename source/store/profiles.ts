// The profile store: saved launch profiles by name, plus one draft slot for a wizard run that did
// not finish. Layout under TANDEM_HOME:
//   profiles/profiles.json   {"profiles": {"<name>": {"savedAt": ISO time, "spec": LaunchSpec}}}
//   profiles/draft.json      {"draft": {"savedAt", "stepIndex", "spec"}}
// Both files are mode 0600 in a 0700 directory and hold no credentials or key material (the
// schema has no field for them). A file that is not JSON or fails the schema is never replaced
// silently: it is renamed to `<file>.corrupt-<time>` and the caller is told where it went.
import {chmodSync, existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import {z} from 'zod';
import {UsageError} from '../exit.js';
import {t} from '../domain/safe-text.js';
import type {LaunchSpec} from '../domain/spec.js';
import {withDefaultAccess} from '../domain/controls/ways-in.js';
import {ensureDir, tandemHome} from './home.js';
import {formatPath, launchSpecSchema, schemaProblems} from './profile-schema.js';
import type {ProfileDraft, ProfileStore, SavedProfile} from './profile-store-types.js';

export type {ProfileDraft, ProfileStore, SavedProfile} from './profile-store-types.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Why a name cannot be a profile name, or undefined when it can. */
export function profileNameProblem(name: string): string | undefined {
  if (!NAME.test(name)) {
    return t.text`profile name "${name}" is not valid; use 1–64 letters, digits, dots, underscores or hyphens`;
  }
  // Such a name would be read as a file path by `tandem launch NAME`.
  if (/\.ya?ml$/i.test(name) || name === '.' || name === '..') {
    return `profile name "${name}" would be taken for a file; drop the .yaml/.yml ending`;
  }
  return undefined;
}

export function profilesDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(tandemHome(env), 'profiles');
}

const savedEntry = z.strictObject({savedAt: z.string(), spec: launchSpecSchema});
// Loose at the top so conf's own bookkeeping keys never count as corruption.
const profilesFile = z.object({profiles: z.record(z.string(), savedEntry).optional()});
const draftFile = z.object({
  draft: z.strictObject({savedAt: z.string(), stepIndex: z.number().int().min(0), spec: launchSpecSchema}).optional(),
});

type ProfilesData = {profiles?: Record<string, {savedAt: string; spec: LaunchSpec}>};
type DraftData = {draft?: ProfileDraft};

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

export interface ProfileStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** Called once per problem found (also kept for notices()). */
  onNotice?: (message: string) => void;
  now?: () => Date;
}

/** What the store's file handling shares: its folder, its clock, and how it reports a file set aside. */
interface StoreFiles {
  dir: string;
  now: () => Date;
  notice: (message: string) => void;
}

/** A free `<file>.corrupt-<time>` name: damaged bytes are moved there, never overwritten. */
function asideName(files: StoreFiles, file: string): string {
  let aside = `${file}.corrupt-${stamp(files.now())}`;
  for (let n = 2; existsSync(aside); n += 1) aside = `${file}.corrupt-${stamp(files.now())}-${n}`;
  return aside;
}

function firstProblem(error: z.ZodError, data: unknown): string {
  const [first] = schemaProblems(error, data);
  return first ? `${formatPath(first.path) || 'top level'}: ${first.message}` : 'unknown problem';
}

/**
 * profiles.json holds many profiles: one that fails the schema (edited by hand, written by a
 * newer tandem) is moved alone to `<file>.corrupt-<time>`, and the others stay where they are.
 * Returns true when the whole file is sound or was repaired that way.
 */
function setAsideBadEntries(files: StoreFiles, file: string, data: unknown): boolean {
  const top = z.object({profiles: z.record(z.string(), z.unknown()).optional()}).safeParse(data);
  if (!top.success) return false;
  const entries = top.data.profiles ?? {};
  const bad: Record<string, unknown> = {};
  const reasons: string[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const alone = {profiles: {[name]: entry}};
    const parsed = profilesFile.safeParse(alone);
    if (parsed.success) continue;
    bad[name] = entry;
    reasons.push(t.text`"${name}" (${firstProblem(parsed.error, alone)})`);
  }
  if (reasons.length === 0) return true;
  const good = Object.fromEntries(Object.entries(entries).filter(([name]) => !Object.hasOwn(bad, name)));
  const aside = asideName(files, file);
  writeFileSync(aside, JSON.stringify({profiles: bad}), {mode: 0o600, flag: 'wx'});
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({...(data as object), profiles: good}, null, '\t')}\n`, {mode: 0o600});
  renameSync(temp, file);
  const which = reasons.length === 1 ? `profile ${reasons[0]} does` : `profiles ${reasons.join(', ')} do`;
  files.notice(`in the profile store file ${file}, ${which} not match the profile schema; moved to ${aside} (nothing deleted), the other profiles are kept`);
  return true;
}

/** Moves a damaged file out of the way, so Conf starts empty and the old bytes are kept. */
function setAsideIfCorrupt(files: StoreFiles, file: string, schema: z.ZodType): void {
  if (!existsSync(file)) return;
  let reason: string | undefined;
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const parsed = schema.safeParse(data);
    if (!parsed.success && !(schema === profilesFile && setAsideBadEntries(files, file, data))) {
      reason = `it does not match the profile schema (${firstProblem(parsed.error, data)})`;
    }
  } catch (error) {
    reason = error instanceof SyntaxError ? 'it is not valid JSON' : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (reason === undefined) return;
  const aside = asideName(files, file);
  renameSync(file, aside);
  files.notice(`the profile store file ${file} was damaged: ${reason}; it was moved to ${aside} (nothing deleted) and an empty one started`);
}

/** The store folder, created 0700 on first write; a home that cannot hold it is bad input (exit 2). */
function storeDir(dir: string): string {
  try {
    return ensureDir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`profiles cannot be kept in ${dir} (${code}); set TANDEM_HOME to a folder you can write`);
  }
}

/** One of the store's files through Conf, once a damaged one has been set aside. */
function openFile<T extends Record<string, unknown>>(files: StoreFiles, configName: 'profiles' | 'draft', schema: z.ZodType): {conf: Conf<T>; file: string} {
  storeDir(files.dir);
  const file = path.join(files.dir, `${configName}.json`);
  setAsideIfCorrupt(files, file, schema);
  const conf = new Conf<T>({
    cwd: files.dir,
    configName,
    projectName: 'tandem',
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
  });
  return {conf, file};
}

/** For reading only: no file means nothing saved, and nothing is created (a read-only home works). */
function readKey<T extends Record<string, unknown>, K extends keyof T & string>(files: StoreFiles, configName: 'profiles' | 'draft', schema: z.ZodType, key: K): T[K] | undefined {
  if (!existsSync(path.join(files.dir, `${configName}.json`))) return undefined;
  return openFile<T>(files, configName, schema).conf.get(key);
}

// A file written before this version, or copied in by hand, may have looser permissions.
function tighten(file: string): void {
  if (existsSync(file)) chmodSync(file, 0o600);
}

// The schema accepts a spec stored before `access` existed; it reads back with the meaning it had.
const toSaved = (name: string, entry: {savedAt: string; spec: LaunchSpec}): SavedProfile => ({name, savedAt: entry.savedAt, spec: withDefaultAccess(entry.spec)});

function checkName(name: string): void {
  const problem = profileNameProblem(name);
  if (problem) throw new UsageError(problem);
}

/** The spec as the schema stores it; one that does not fit cannot be saved (exit 2, with the first problem). */
function storableSpec(name: string, spec: LaunchSpec): LaunchSpec {
  const stored = launchSpecSchema.safeParse(spec);
  if (stored.success) return stored.data;
  const [first] = schemaProblems(stored.error, spec);
  throw new UsageError(`cannot save profile "${name}": ${first ? `${formatPath(first.path)}: ${first.message}` : 'the launch settings are incomplete'}`);
}

export function openProfileStore(options: ProfileStoreOptions = {}): ProfileStore {
  const notices: string[] = [];
  const now = options.now ?? (() => new Date());
  const files: StoreFiles = {
    dir: profilesDir(options.env ?? process.env),
    now,
    notice: (message) => {
      notices.push(message);
      options.onNotice?.(message);
    },
  };

  const readProfiles = () => {
    const {conf, file} = openFile<ProfilesData>(files, 'profiles', profilesFile);
    return {conf, file, profiles: {...(conf.get('profiles') ?? {})}};
  };
  const savedProfiles = () => ({...(readKey<ProfilesData, 'profiles'>(files, 'profiles', profilesFile, 'profiles') ?? {})});

  return {
    list() {
      const profiles = savedProfiles();
      return Object.keys(profiles)
        .sort()
        .map((name) => toSaved(name, profiles[name]));
    },
    get(name) {
      const profiles = savedProfiles();
      return Object.hasOwn(profiles, name) ? toSaved(name, profiles[name]) : undefined;
    },
    has(name) {
      return Object.hasOwn(savedProfiles(), name);
    },
    save(name, spec, saveOptions = {}) {
      checkName(name);
      const stored = storableSpec(name, spec);
      const {conf, file, profiles} = readProfiles();
      if (Object.hasOwn(profiles, name) && !saveOptions.force) {
        throw new UsageError(`profile "${name}" already exists; pass --force to replace it, or choose another name`);
      }
      const entry = {savedAt: now().toISOString(), spec: stored};
      conf.set('profiles', {...profiles, [name]: entry});
      tighten(file);
      return toSaved(name, entry);
    },
    remove(name) {
      const {conf, file, profiles} = readProfiles();
      if (!Object.hasOwn(profiles, name)) return undefined;
      const removed = toSaved(name, profiles[name]);
      delete profiles[name];
      conf.set('profiles', profiles);
      tighten(file);
      return removed;
    },
    saveDraft(spec, stepIndex) {
      const {conf, file} = openFile<DraftData>(files, 'draft', draftFile);
      const draft = draftFile.shape.draft.safeParse({savedAt: now().toISOString(), stepIndex, spec});
      // Never throw into the wizard over a draft; the caller learns it was not kept.
      if (!draft.success) return false;
      conf.set('draft', draft.data as ProfileDraft);
      tighten(file);
      return true;
    },
    loadDraft() {
      const draft = readKey<DraftData, 'draft'>(files, 'draft', draftFile, 'draft');
      return draft ? {...draft, spec: withDefaultAccess(draft.spec)} : undefined;
    },
    clearDraft() {
      const {conf} = openFile<DraftData>(files, 'draft', draftFile);
      conf.delete('draft');
    },
    notices() {
      return [...notices];
    },
  };
}
