// `tandem explain [PROFILE] [--format text|markdown|json]`: who owns each control of this launch,
// what could be flagged, which API calls a launch would make, and what it would cost. Needs no
// credentials, so it runs anywhere: in CI, for an auditor, without a terminal. Its one AWS call is
// the price list's (pricing:GetProducts), made only when credentials are found, and the document
// says when it made it (docs/cost.md); without credentials the cost shows usage only.
import {estimateCost, planUsage} from '../domain/cost/estimate.js';
import type {CostEstimate} from '../domain/cost/types.js';
import type {Plan} from '../domain/plan-types.js';
import {buildPlan} from '../domain/plan.js';
import {explainDocument, renderMarkdown, renderText} from '../domain/report.js';
import {defaultSpec, type LaunchSpec} from '../domain/spec.js';
import {validateSpec, validationWarnings} from '../domain/validate.js';
import {createOutput, jsonDocument, t, trusted, type Output} from '../output.js';
import {loadProfileArgument} from '../store/resolve.js';
import {planCost} from './launch-cost.js';
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

async function chooseSpec({args, flags, io}: CommandContext, out: Output): Promise<LaunchSpec> {
  if (args.length > 1) throw new UsageError(`explain takes at most one PROFILE, got ${args.length}: ${args.join(' ')}`);
  const [profile] = args;
  if (profile === undefined) return defaultSpec(flags.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1');
  const {spec, written} = await loadProfileArgument(profile, io.env, (message) => out.say(`tandem: ${message}`));
  // As for launch: --region, then the profile's own region, then AWS_REGION.
  const choice = chooseRegion(flags.region, written === 'all' || written.has('region') ? spec.region : undefined, io.env);
  if (choice.note) out.say(`tandem explain: ${choice.note}`);
  const region = choice.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  return region ? {...spec, region} : spec;
}

/** The launch's cost, with prices when credentials are found (the one AWS call explain makes). */
async function costOf({flags, io}: CommandContext, spec: LaunchSpec, plan: Plan): Promise<{estimate: CostEstimate; asked: boolean}> {
  const {resolveSettings} = await import('../aws/settings.js');
  try {
    return await planCost(await resolveSettings({flags, env: io.env, region: spec.region}), spec, plan, io.env);
  } catch (error) {
    // A malformed endpoint stops a launch; explain still explains, without prices.
    if (error instanceof UsageError) return {estimate: estimateCost(planUsage(plan, spec.region), {status: 'unavailable', reason: error.message}), asked: false};
    throw error;
  }
}

export const run: CommandRunner = async (context) => {
  const out = createOutput(context.io);
  const format = chooseFormat(context.flags);
  const spec = await chooseSpec(context, out);

  const problems = validateSpec(spec);
  if (problems.length > 0) {
    for (const problem of problems) out.say(t`tandem explain: ${problem.field}: ${problem.message}`);
    return EXIT.usage;
  }
  for (const warning of validationWarnings(spec)) out.say(t`tandem explain: warning: ${warning.field}: ${warning.message}`);

  const plan = buildPlan(spec);
  const doc = explainDocument(spec, plan, await costOf(context, spec, plan));
  // jsonDocument escapes what could drive a terminal and keeps every value as it is.
  const text = format === 'json' ? trusted(jsonDocument(doc)) : format === 'markdown' ? renderMarkdown(doc) : renderText(doc, out.columns(80));
  const problem = await out.document(text);
  if (problem === undefined) return EXIT.ok;
  out.say(`tandem explain: ${problem}`);
  return EXIT.failed;
};
