// `tandem explain [PROFILE] [--format text|markdown|json]`: who owns each control of this launch,
// what could be flagged, and which API calls a launch would make. Needs no credentials and makes
// no AWS calls, so it runs anywhere: in CI, for an auditor, without a terminal.
import {writeDocument} from '../closed-pipes.js';
import {buildPlan} from '../domain/plan.js';
import {explainDocument, renderMarkdown, renderText} from '../domain/report.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {validateSpec, validationWarnings} from '../domain/validate.js';
import {loadProfileArgument} from '../store/resolve.js';
import {chooseRegion} from './region.js';
import {EXIT, UsageError, type CommandContext, type CommandRunner} from './types.js';

const FORMATS = ['text', 'markdown', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** --format wins; `--output json` (the AWS CLI habit) means json too. */
function chooseFormat(flags: CommandContext['flags']): Format {
  const [flag, value] = flags.format !== undefined ? ['--format', flags.format] : flags.output !== undefined ? ['--output', flags.output] : ['', 'text'];
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`${flag} "${value}" is not supported by explain; use one of: ${FORMATS.join(', ')}`);
}

async function chooseSpec({args, flags, io}: CommandContext): Promise<LaunchSpec> {
  if (args.length > 1) throw new UsageError(`explain takes at most one PROFILE, got ${args.length}: ${args.join(' ')}`);
  const [profile] = args;
  if (profile === undefined) return defaultSpec(flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1');
  const {spec, written} = await loadProfileArgument(profile, io.env, (message) => io.stderr.write(`tandem: ${message}\n`));
  // As for launch: --region, then the profile's own region, then AWS_REGION.
  const choice = chooseRegion(flags.region, written === 'all' || written.has('region') ? spec.region : undefined, io.env);
  if (choice.note) io.stderr.write(`tandem explain: ${choice.note}\n`);
  const region = choice.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  return region ? {...spec, region} : spec;
}

export const run: CommandRunner = async (context) => {
  const {io} = context;
  const format = chooseFormat(context.flags);
  const spec = await chooseSpec(context);

  const problems = validateSpec(spec);
  if (problems.length > 0) {
    for (const problem of problems) io.stderr.write(`tandem explain: ${problem.field}: ${problem.message}\n`);
    return EXIT.usage;
  }
  for (const warning of validationWarnings(spec)) io.stderr.write(`tandem explain: warning: ${warning.field}: ${warning.message}\n`);

  const doc = explainDocument(spec, buildPlan(spec));
  const text = format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : format === 'markdown' ? renderMarkdown(doc) : renderText(doc, io.stdout.columns || 80);
  const problem = await writeDocument(io.stdout, text);
  if (problem === undefined) return EXIT.ok;
  io.stderr.write(`tandem explain: ${problem}\n`);
  return EXIT.failed;
};
