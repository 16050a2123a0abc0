// Before a saved profile or profile file is replayed without prompts: what it reuses must still
// be there. The checks run inside pre-flight (aws/preflight.ts), which stops the run with exit 2
// naming the profile field; this reports them as the profile's references.
import type {ReferenceCheck} from '../domain/cloud.js';
import {inert} from '../domain/sanitize.js';
import type {CommandContext} from './types.js';

export function referenceLine(result: ReferenceCheck): string {
  return `${result.field}: ${inert(result.id)}: ${inert(result.detail)}`;
}

/** With --output json, a replayed profile's references are one event of their own (before pre-flight's). */
export function reportReferences(context: CommandContext, results: ReferenceCheck[], output: 'text' | 'json'): void {
  if (output === 'json' && results.length > 0) context.io.stdout.write(`${JSON.stringify({type: 'references', results})}\n`);
}
