// `tandem profiles list|show NAME|rm NAME|export NAME|import FILE [--name N] [--force]`.
// Data goes to stdout (a table, YAML or JSON) so it can be piped or redirected; messages and
// warnings go to stderr. Bad usage and bad profiles exit 2 with one line per problem.
import path from 'node:path';
import {cell, createOutput, jsonLine, t, trusted} from '../output.js';
import {readProfileFile, serializeProfile} from '../store/profile-file.js';
import {openProfileStore, profileNameProblem, type SavedProfile} from '../store/profiles.js';
import {EXIT, UsageError, type CommandContext, type CommandRunner} from './types.js';

export const PROFILES_USAGE = 'usage: tandem profiles list | show NAME | rm NAME | export NAME | import FILE [--name N] [--force]';

function outputFormat(context: CommandContext): 'text' | 'json' {
  const output = context.flags.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be json or text, not "${output}"`);
  return output;
}

function oneName(args: string[], sub: string, what = 'NAME'): string {
  if (args.length !== 1) throw new UsageError(`tandem profiles ${sub} takes one ${what}${args.length > 1 ? `, got ${args.length}: ${args.join(' ')}` : ''}`);
  return args[0];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function summary(profile: SavedProfile) {
  const {spec} = profile;
  return {
    name: profile.name,
    savedAt: profile.savedAt,
    region: spec.region,
    instance: {name: spec.instance.name, type: spec.instance.type, image: spec.instance.image},
    acceptedRisks: spec.acceptedRisks.length,
  };
}

export const run: CommandRunner = async (context) => {
  const {io, flags} = context;
  const [sub, ...args] = context.args;
  const out = createOutput(io);
  const store = openProfileStore({env: io.env, onNotice: (message) => out.say(`tandem profiles: warning: ${message}`)});
  // Data for stdout: exit 1 with one sentence when it cannot be written (not for a closed pipe).
  const document = async (text: string | ReturnType<typeof trusted>): Promise<number> => {
    const problem = await out.document(text);
    if (problem === undefined) return EXIT.ok;
    out.say(`tandem profiles: ${problem}`);
    return EXIT.failed;
  };
  const need = (name: string): SavedProfile => {
    const profile = store.get(name);
    if (!profile) throw new UsageError(`no saved profile named "${name}"; see tandem profiles list`);
    return profile;
  };

  try {
    switch (sub) {
      case 'list':
      case 'ls': {
        if (args.length > 0) throw new UsageError(`tandem profiles list takes no arguments, got: ${args.join(' ')}`);
        const format = outputFormat(context);
        const profiles = store.list();
        if (format === 'json') return document(trusted(`${jsonLine({profiles: profiles.map(summary)})}\n`));
        if (profiles.length === 0) {
          out.say('no saved profiles yet; save one from the review screen, or run tandem profiles import FILE');
          return EXIT.ok;
        }
        const rows = profiles.map((profile) => {
          const s = summary(profile);
          return [s.name, s.region, s.instance.name, s.instance.type, s.instance.image, s.savedAt.replace(/\.\d+Z$/, 'Z')].map(cell);
        });
        // Cells are inert before they are measured, so the columns line up as printed.
        return document(trusted(table([['NAME', 'REGION', 'INSTANCE', 'TYPE', 'IMAGE', 'SAVED'], ...rows])));
      }
      case 'show': {
        const name = oneName(args, 'show');
        const profile = need(name);
        if (outputFormat(context) === 'json') return document(trusted(`${jsonLine({...summary(profile), spec: profile.spec})}\n`));
        return document(serializeProfile(profile.spec, `profile ${name}, saved ${profile.savedAt}`));
      }
      case 'export': {
        const name = oneName(args, 'export');
        // Only the spec: the file imports anywhere and diffs cleanly in git.
        return document(serializeProfile(need(name).spec, `profile ${name}; import with: tandem profiles import FILE --name ${name}`));
      }
      case 'rm':
      case 'remove': {
        const name = oneName(args, 'rm');
        const removed = store.remove(name);
        if (!removed) throw new UsageError(`no saved profile named "${name}"; see tandem profiles list`);
        out.say(t`removed profile ${name} (${removed.spec.region}, ${removed.spec.instance.name} ${removed.spec.instance.type})`);
        return EXIT.ok;
      }
      case 'import': {
        const file = oneName(args, 'import', 'FILE');
        const name = flags.name ?? path.basename(file).replace(/\.ya?ml$/i, '');
        const nameProblem = profileNameProblem(name);
        if (nameProblem) throw new UsageError(`${nameProblem}${flags.name ? '' : '; choose one with --name'}`);
        const spec = readProfileFile(file);
        const existed = store.has(name);
        store.save(name, spec, {force: flags.force});
        out.say(t`${trusted(existed ? 'replaced' : 'imported')} profile ${name} from ${file}; launch it with: tandem launch ${name}`);
        return EXIT.ok;
      }
      case undefined:
        throw new UsageError(`tandem profiles needs a subcommand\n${PROFILES_USAGE}`);
      default:
        throw new UsageError(`unknown profiles subcommand "${sub}"\n${PROFILES_USAGE}`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(error, 'tandem profiles');
    return EXIT.usage;
  }
};
