// `tandem export PROFILE --format markdown|cloudformation|cli`: the same launch as paper for an
// auditor (the customer responsibility matrix), as a CloudFormation template for teams that
// deploy with stacks and StackSets, or as a script of AWS CLI calls. Needs no credentials and
// makes no AWS calls; the document goes to stdout so `> file` works.
import {cliScript} from '../domain/export-cli.js';
import {profileLabel} from '../domain/export-cloudformation.js';
import {cloudFormationTemplate} from '../domain/export-cloudformation-yaml.js';
import {buildPlan} from '../domain/plan.js';
import {explainDocument, renderMarkdown} from '../domain/report.js';
import {t} from '../domain/safe-text.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateSpec} from '../domain/validate.js';
import {needsPlacement, UNPLACED_EXPORT} from '../domain/controls/load-balancer-placement.js';
import {createOutput} from '../output.js';
import {loadProfileArgument} from '../store/resolve.js';
import {EXIT, UsageError, type CommandRunner} from './types.js';

export const EXPORT_FORMATS = ['markdown', 'cloudformation', 'cli'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_USAGE = 'usage: tandem export PROFILE --format markdown|cloudformation|cli';

/** The auditor's file: who exported what and when, then the explain document one level down. */
export function markdownExport(spec: LaunchSpec, profile: string, generatedAt: string): string {
  const body = renderMarkdown(explainDocument(spec, buildPlan(spec))).replace(/^(#+) /gm, '#$1 ');
  return [
    t.text`# Customer responsibility matrix: launch profile ${profile}`,
    '',
    t.text`Exported ${generatedAt} by \`tandem export ${profile} --format markdown\`. It lists every security control of this`,
    'launch with who owns it under the AWS shared responsibility model, what AWS does, what the customer',
    'does, how tandem verifies it after launch, the checker ids, and the accepted risks with their reasons.',
    '',
    body,
  ].join('\n');
}

export const run: CommandRunner = async ({args, flags, io}) => {
  const out = createOutput(io);
  try {
    if (args.length !== 1)
      throw new UsageError(args.length === 0 ? `tandem export needs a PROFILE\n${EXPORT_USAGE}` : `tandem export takes one PROFILE, got ${args.length}: ${args.join(' ')}\n${EXPORT_USAGE}`);
    const format = flags.format;
    if (format === undefined) throw new UsageError(`tandem export needs --format: ${EXPORT_FORMATS.join(', ')}`);
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format "${format}" is not supported by export; use one of: ${EXPORT_FORMATS.join(', ')}`);
    }
    const loaded = await loadProfileArgument(args[0], io.env, (message) => out.say(`tandem export: warning: ${message}`));
    // As everywhere: an explicit --region or AWS_REGION outranks the profile's region.
    const region = flags.region ?? io.env.AWS_REGION;
    const spec: LaunchSpec = region ? {...loaded.spec, region} : loaded.spec;
    const problems = validateSpec(spec);
    if (problems.length > 0) throw new UsageError(problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n'));
    // A launch chooses these subnets against the account; a template or script cannot.
    if (format !== 'markdown' && needsPlacement(spec)) throw new UsageError(`network.loadBalancerSubnets: ${UNPLACED_EXPORT}`);

    const profile = profileLabel(loaded.source, loaded.kind);
    const generatedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const output =
      format === 'markdown'
        ? markdownExport(spec, profile, generatedAt)
        : format === 'cloudformation'
          ? cloudFormationTemplate(spec, {profile, generatedAt})
          : cliScript(spec, {profile, generatedAt});
    const problem = await out.document(output);
    if (problem === undefined) return EXIT.ok;
    out.say(`tandem export: ${problem}`);
    return EXIT.failed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(error, 'tandem export');
    return EXIT.usage;
  }
};
