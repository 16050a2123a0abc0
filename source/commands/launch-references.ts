// Before a saved profile or profile file is replayed without prompts: what it reuses must still
// be there. The checks run inside pre-flight (aws/preflight.ts), which stops the run with exit 2
// naming the profile field; this reports them as the profile's references.
import type {ReferenceCheck} from '../domain/cloud.js';
import {t, type Output, type Trusted} from '../output.js';

export function referenceLine(result: ReferenceCheck): Trusted {
  return t`${result.field}: ${result.id}: ${result.detail}`;
}

/** With --output json, a replayed profile's references are one event of their own (before pre-flight's). */
export function reportReferences(out: Output, results: ReferenceCheck[]): void {
  if (out.mode === 'json' && results.length > 0) out.json({type: 'references', results});
}
