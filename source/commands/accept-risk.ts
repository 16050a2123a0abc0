// --accept-risk FINDING=REASON (repeatable): accepting a finding on the command line, exactly as
// a profile's acceptedRisks entry does, so the reason is recorded with the launch.
import {FINDING_IDS, acceptRisk, isFindingId} from '../domain/findings.js';
import type {LaunchSpec} from '../domain/spec.js';
import {UsageError} from './types.js';

export function withAcceptedRisks(spec: LaunchSpec, values: readonly string[] | undefined): LaunchSpec {
  let next = spec;
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const finding = (at < 0 ? value : value.slice(0, at)).trim();
    const reason = at < 0 ? '' : value.slice(at + 1).trim();
    if (!isFindingId(finding)) {
      throw new UsageError(`--accept-risk: unknown finding "${finding}"; known: ${FINDING_IDS.join(', ')}`);
    }
    if (!reason) throw new UsageError(`--accept-risk ${finding} needs a reason: --accept-risk ${finding}="why it is acceptable here"`);
    next = acceptRisk(next, finding, reason);
  }
  return next;
}
