// Profile files: YAML text in, a checked LaunchSpec out, and every problem reported as
// `FILE:LINE:COL field.path: message` so an editor or CI log points straight at it. Hostile input
// (huge files, deep nesting, alias bombs) is refused before it can hang or crash the parser.
import {readFileSync, statSync} from 'node:fs';
import {Document, LineCounter, isMap, isScalar, isSeq, parseDocument, type Node} from 'yaml';
import {UsageError} from '../exit.js';
import {cell} from '../domain/safe-text.js';
import type {LaunchSpec} from '../domain/spec.js';
import {checkProfile, formatPath, type ProfileProblem} from './profile-schema.js';
import {brandFor} from '../tandem-error.js';

/** Far above any real profile (they are a few hundred bytes), far below what strains the parser. */
export const MAX_PROFILE_BYTES = 64 * 1024;
/** A profile is four levels deep at most; the limits leave room for style, not for attacks. */
const MAX_FLOW_DEPTH = 16;
const MAX_INDICATORS_PER_LINE = 8;
const MAX_ANCHORS_OR_TAGS = 64;
const MAX_ALIAS_COUNT = 100;
const MAX_VALUE_DEPTH = 16;

export const PROFILE_HEADER = 'tandem launch profile — docs: README';

/** Bad profile input; the message holds one `FILE:LINE:COL field: message` line per problem. */
export class ProfileFileError extends UsageError {
  static override readonly brand = brandFor('ProfileFileError');
  readonly problems: string[];
  constructor(problems: string[]) {
    // Each line echoes the file's name and its values: nothing in them may drive the terminal.
    const lines = problems.map((problem) => cell(problem));
    super(lines.join('\n'));
    this.problems = lines;
  }
}

interface Located {
  line: number;
  col: number;
}

/**
 * Walks to the node a path names and returns where it starts: the key for an unknown field (so
 * the line shows the misspelt word), else the value. A path that is not in the file (a default
 * that turned out wrong) points at the deepest part that is.
 */
function locate(doc: Document, path: ReadonlyArray<string | number>, lines: LineCounter, preferKey: boolean): Located {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const [index, part] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === part);
      if (!pair) break;
      const keyStart = (pair.key as Node | null)?.range?.[0];
      const valueStart = (pair.value as Node | null)?.range?.[0];
      offset = (last && preferKey ? keyStart : (valueStart ?? keyStart)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const {line, col} = lines.linePos(offset);
  return {line, col};
}

function format(file: string, at: Located, problem: ProfileProblem): string {
  const field = formatPath(problem.path);
  return `${file}:${at.line}:${at.col} ${field ? `${field}: ` : ''}${problem.message}`;
}

/**
 * A cheap lexical pass that bounds the work the YAML parser will do: the parser recurses per
 * nesting level and some shapes (long `? ? ?` chains, thousands of `[`) take it minutes or
 * crash the process, so such input is refused here with a line number instead.
 */
function structureProblem(text: string): {offset: number; message: string} | undefined {
  let flowDepth = 0;
  let anchors = 0;
  let indicators = 0;
  let quote: '"' | "'" | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const prev = i === 0 ? '\n' : text[i - 1];
    const next = text[i + 1] ?? '\n';
    if (char === '\n') {
      comment = false;
      indicators = 0;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (char === '\\' && quote === '"') i += 1;
      else if (char === quote) {
        if (quote === "'" && next === "'") i += 1;
        else quote = undefined;
      }
      continue;
    }
    const atTokenStart = /[\s[{,]/.test(prev);
    if (char === '#' && /\s/.test(prev)) comment = true;
    else if ((char === '"' || char === "'") && (atTokenStart || /[:]/.test(prev))) quote = char;
    else if ((char === '[' || char === '{') && (atTokenStart || flowDepth > 0)) {
      flowDepth += 1;
      if (flowDepth > MAX_FLOW_DEPTH) return {offset: i, message: `nested more than ${MAX_FLOW_DEPTH} levels deep; a profile needs four at most`};
    } else if ((char === ']' || char === '}') && flowDepth > 0) flowDepth -= 1;
    else if ((char === '&' || char === '!') && atTokenStart) {
      anchors += 1;
      if (anchors > MAX_ANCHORS_OR_TAGS) return {offset: i, message: `more than ${MAX_ANCHORS_OR_TAGS} YAML anchors and tags; a profile needs none`};
    } else if ((char === '-' || char === '?' || char === ':') && /\s/.test(next) && (atTokenStart || char === ':') && flowDepth === 0) {
      indicators += 1;
      if (indicators > MAX_INDICATORS_PER_LINE) return {offset: i, message: `nested too deeply on one line (more than ${MAX_INDICATORS_PER_LINE} levels)`};
    }
  }
  return undefined;
}

function depthOf(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit <= 0) return 1;
  let deepest = 0;
  for (const item of Object.values(value)) deepest = Math.max(deepest, depthOf(item, limit - 1));
  return deepest + 1;
}

/** Parses and checks profile text; `file` names it in every message. Throws ProfileFileError. */
export function parseProfileText(text: string, file: string): LaunchSpec {
  return parseProfile(text, file).spec;
}

/** The dotted fields a profile wrote itself (region, securityGroup.name...), as opposed to defaults. */
export type WrittenFields = ReadonlySet<string>;

function writtenFields(raw: unknown, prefix = ''): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return prefix ? [prefix] : [];
  return Object.entries(raw).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return prefix ? [path] : [path, ...writtenFields(value, path)];
  });
}

function parseProfile(text: string, file: string): {spec: LaunchSpec; written: WrittenFields} {
  const fail = (line: number, col: number, message: string): never => {
    throw new ProfileFileError([`${file}:${line}:${col} ${message}`]);
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_PROFILE_BYTES) {
    fail(1, 1, `the file is larger than ${MAX_PROFILE_BYTES / 1024} KiB; a profile is a short YAML file, is this the right file?`);
  }
  if (text.includes('\u0000')) fail(1, 1, 'the file contains NUL bytes; a profile is a YAML text file, is this the right file?');
  if (text.trim() === '' || text.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#'))) {
    fail(1, 1, 'the file is empty; a profile needs at least `version: 1`');
  }
  const lines = new LineCounter();
  const structure = structureProblem(text);
  if (structure) {
    // The LineCounter is filled by the parser; count lines by hand for text it never sees.
    const before = text.slice(0, structure.offset);
    const line = before.split('\n').length;
    fail(line, structure.offset - before.lastIndexOf('\n'), structure.message);
  }

  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true});
  // One syntax slip (a missing or extra bracket) makes the parser stumble over everything after
  // it; only the first error is real, the rest are echoes of it. Report that one.
  const [syntax] = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  if (syntax) {
    const {line, col} = lines.linePos(syntax.pos[0]);
    const reason = syntax.code === 'RESOURCE_EXHAUSTION' ? 'nested too deeply to be a profile' : syntax.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
    fail(line, col, `not valid YAML: ${reason}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT});
  } catch (error) {
    // yaml throws a ReferenceError when aliases would expand beyond maxAliasCount (a "billion laughs").
    const reason = error instanceof Error && /alias/i.test(error.message) ? 'YAML aliases expand too far (a possible alias bomb); write the values out' : 'cannot be read as data';
    fail(1, 1, reason);
  }
  if (depthOf(raw, MAX_VALUE_DEPTH + 1) > MAX_VALUE_DEPTH) fail(1, 1, `nested more than ${MAX_VALUE_DEPTH} levels deep; a profile needs four at most`);

  const result = checkProfile(raw);
  if (result.ok) return {spec: result.spec, written: new Set(writtenFields(raw))};
  throw new ProfileFileError(
    result.problems.map((problem) => {
      const unknownField = problem.message.startsWith('unknown field');
      return format(file, locate(doc, problem.path, lines, unknownField), problem);
    }),
  );
}

/** Reads and checks a profile file; every failure is a ProfileFileError naming the file. */
export function readProfileFile(file: string): LaunchSpec {
  return readProfileFileFields(file).spec;
}

/** readProfileFile, plus which fields the file wrote itself. */
export function readProfileFileFields(file: string): {spec: LaunchSpec; written: WrittenFields} {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) throw new ProfileFileError([`${file}: not a file`]);
    size = stats.size;
  } catch (error) {
    if (error instanceof ProfileFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfileFileError([`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read'}`]);
  }
  if (size > MAX_PROFILE_BYTES) {
    throw new ProfileFileError([`${file}:1:1 the file is larger than ${MAX_PROFILE_BYTES / 1024} KiB; a profile is a short YAML file, is this the right file?`]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ProfileFileError([`${file}: cannot be read`]);
  }
  return parseProfile(text, file);
}

/** Drops undefined fields, which YAML would print as `null`. */
function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The spec as a profile file, with a header comment; `note` adds a line (e.g. the profile name). */
export function serializeProfile(spec: LaunchSpec, note?: string): string {
  const doc = new Document(clean(spec));
  doc.commentBefore = [` ${PROFILE_HEADER}`, ...(note ? [` ${note.replace(/[\r\n]+/g, ' ')}`] : [])].join('\n');
  return doc.toString({lineWidth: 0});
}
