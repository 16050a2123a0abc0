// --accept-risk FINDING=REASON (repeatable; a bare FINDING when tandem offers a ready reason): accepting a finding on the command line, exactly as
// a profile's acceptedRisks entry does, so the reason is recorded with the launch.
import {FINDING_IDS, acceptRisk, findingsFor, isFindingId} from '../domain/findings.js';
import type {LaunchSpec} from '../domain/spec.js';
import {UsageError} from './types.js';

export function withAcceptedRisks(spec: LaunchSpec, values: readonly string[] | undefined): LaunchSpec {
  let next = spec;
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const finding = (at < 0 ? value : value.slice(0, at)).trim();
    // A finding tandem cannot fix by design comes with a reason ready: the bare id accepts it with that.
    const ready = at < 0 ? findingsFor(next).find((item) => item.id === finding)?.readyReason : undefined;
    const reason = ready ?? (at < 0 ? '' : value.slice(at + 1).trim());
    if (!isFindingId(finding)) {
      throw new UsageError(`--accept-risk: unknown finding "${finding}"; known: ${FINDING_IDS.join(', ')}`);
    }
    if (!reason) throw new UsageError(`--accept-risk ${finding} needs a reason: --accept-risk ${finding}="why it is acceptable here"`);
    next = acceptRisk(next, finding, reason);
  }
  return next;
}
