// Before a saved profile or profile file is replayed without prompts: what it reuses must still
// be there. A missing resource stops the run with exit 2 (the profile is bad input now), one line
// per problem naming the profile field; a changed or unknown one is a warning and the run goes on.
import type {Cloud, ReferenceCheck} from '../domain/cloud.js';
import {inert} from '../domain/sanitize.js';
import type {LaunchSpec} from '../domain/spec.js';
import {EXIT, type CommandContext} from './types.js';

export function referenceLine(result: ReferenceCheck): string {
  return `${result.field}: ${inert(result.id)}: ${inert(result.detail)}`;
}

/** Undefined to go on with the launch, or the exit code to stop with. */
export async function checkProfileReferences(
  context: CommandContext,
  cloud: Pick<Cloud, 'checkReferences'>,
  spec: LaunchSpec,
  output: 'text' | 'json',
): Promise<number | undefined> {
  if (!cloud.checkReferences) return undefined;
  const {io} = context;
  const results = await cloud.checkReferences(spec);
  if (results.length === 0) return undefined;
  if (output === 'json') io.stdout.write(`${JSON.stringify({type: 'references', results})}\n`);
  const missing = results.filter((result) => result.status === 'missing');
  for (const result of results) {
    if (result.status === 'changed' || result.status === 'unknown') {
      io.stderr.write(`tandem launch: warning: ${referenceLine(result)}\n`);
    }
  }
  if (missing.length === 0) return undefined;
  for (const result of missing) io.stderr.write(`tandem launch: ${referenceLine(result)}\n`);
  io.stderr.write(`tandem launch: the profile reuses ${missing.length === 1 ? 'a resource that is' : `${missing.length} resources that are`} gone; edit the profile (tandem launch NAME lets you choose again) and retry\n`);
  return EXIT.usage;
}
