// --accept-risk FINDING[,FINDING...]=REASON (repeatable): accepting findings on the command line,
// exactly as a profile's acceptedRisks entries do, so the reason is recorded with the launch. One
// flag may name several findings for one reason, since a public web server carries several high
// risks for the same cause; a bare FINDING takes the reason tandem offers for it, where it offers one.
import {FINDING_IDS, acceptRisk, findingsFor, isFindingId} from '../domain/findings.js';
import type {LaunchSpec} from '../domain/spec.js';
import {UsageError} from './types.js';

export function withAcceptedRisks(spec: LaunchSpec, values: readonly string[] | undefined): LaunchSpec {
  let next = spec;
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const ids = (at < 0 ? value : value.slice(0, at)).split(',').map((id) => id.trim());
    const given = at < 0 ? '' : value.slice(at + 1).trim();
    for (const finding of ids) {
      if (!isFindingId(finding)) {
        throw new UsageError(`--accept-risk: unknown finding "${finding || '(empty)'}"; known: ${FINDING_IDS.join(', ')}`);
      }
      // A finding tandem cannot fix by design comes with a reason ready: the bare id accepts it with that.
      const reason = given || (findingsFor(next).find((item) => item.id === finding)?.readyReason ?? '');
      if (!reason) throw new UsageError(`--accept-risk ${finding} needs a reason: --accept-risk ${finding}="why it is acceptable here"`);
      next = acceptRisk(next, finding, reason);
    }
  }
  return next;
}
