// Command-line parsing with Node's own util.parseArgs: AWS CLI style long flags, one command word,
// positional arguments after it. Bad flags are usage errors (exit 2) with the flag named.
import type {GlobalFlags} from './context.js';
import {endpointUrlProblem} from './domain/launch-target.js';
import {UsageError} from './exit.js';

// Taken from the CommonJS side of node:util: a named ESM import from a builtin evaluates every
// lazy export of it, which on Node 24 loads worker_threads, util.diff and a dozen more internal
// modules before the first frame.
const {parseArgs} = process.getBuiltinModule('node:util');

export interface ParsedArgv {
  command: string;
  args: string[];
  flags: GlobalFlags;
  help: boolean;
  version: boolean;
}

export const OPTIONS = {
  region: {type: 'string'},
  profile: {type: 'string'},
  'endpoint-url': {type: 'string'},
  output: {type: 'string'},
  format: {type: 'string'},
  name: {type: 'string'},
  regions: {type: 'string'},
  accounts: {type: 'string'},
  'org-units': {type: 'string'},
  'max-concurrent': {type: 'string'},
  'failure-tolerance': {type: 'string'},
  'accept-risk': {type: 'string', multiple: true},
  yes: {type: 'boolean', short: 'y'},
  'dry-run': {type: 'boolean'},
  force: {type: 'boolean'},
  keep: {type: 'boolean'},
  strict: {type: 'boolean'},
  // Node 20's parseArgs has no negation, so --no-color is a flag of its own.
  'no-color': {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
  version: {type: 'boolean'},
} as const;

export function parseArgv(argv: string[], env: NodeJS.ProcessEnv): ParsedArgv {
  let parsed;
  try {
    parsed = parseArgs({args: argv, options: OPTIONS, allowPositionals: true, strict: true});
  } catch (error) {
    // Node's messages name the flag ("Unknown option '--bogus'"); drop its internal hints.
    const message = error instanceof Error ? error.message.split('. To specify')[0] : String(error);
    throw new UsageError(`${message}; run tandem --help for the flags`);
  }
  const {values, positionals} = parsed;
  for (const [flag, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${flag} needs a value`);
    if (Array.isArray(value) && value.some((item) => item.trim() === '')) throw new UsageError(`--${flag} needs a value`);
  }
  // A malformed endpoint would otherwise be retried for seconds as an endpoint that does not answer.
  const endpointProblem = values['endpoint-url'] === undefined ? undefined : endpointUrlProblem(values['endpoint-url']);
  if (endpointProblem) throw new UsageError(`--endpoint-url: ${endpointProblem}`);
  const [command = 'launch', ...args] = positionals;
  return {
    command,
    args,
    help: Boolean(values.help),
    version: Boolean(values.version),
    flags: {
      region: values.region,
      profile: values.profile,
      endpointUrl: values['endpoint-url'],
      output: values.output,
      format: values.format,
      name: values.name,
      regions: values.regions,
      accounts: values.accounts,
      orgUnits: values['org-units'],
      maxConcurrent: values['max-concurrent'],
      failureTolerance: values['failure-tolerance'],
      ...(values['accept-risk'] ? {acceptRisk: values['accept-risk']} : {}),
      yes: Boolean(values.yes),
      dryRun: Boolean(values['dry-run']),
      force: Boolean(values.force),
      keep: Boolean(values.keep),
      strict: Boolean(values.strict),
      color: !values['no-color'] && !env.NO_COLOR,
    },
  };
}
