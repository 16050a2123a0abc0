// Design-time findings: risks visible in the launch spec before anything is created. Each control
// module (controls/) raises its own. Several are expected for a public web server, and the
// checkers do not agree about them, so each finding says why it fires and lists every tool that
// flags it, and only those (checkers.ts holds their rules; a tool that passes a risky-looking
// choice is named in the explanation, not in the list). The operator may record a finding as an
// accepted risk; this file sorts them and applies those records.
import {FINDING_IDS, specFindings, type FindingId} from './controls/index.js';
import type {Finding, FindingDraft, Severity} from './controls/control.js';
import {findChecker} from './checkers.js';
import type {CheckerSeverity} from './checker-kit.js';
import type {LaunchSpec} from './spec.js';

export type {Finding} from './controls/control.js';
export {FINDING_IDS} from './controls/index.js';

export function isFindingId(id: string): id is FindingId {
  return (FINDING_IDS as readonly string[]).includes(id);
}

const SEVERITY_ORDER: Record<Severity, number> = {high: 0, medium: 1, low: 2, info: 3};

/** Said with every finding that only an architecture change removes (FindingDraft.architectureOnly). */
export const ARCHITECTURE_NOTE =
  'No setting of this launch removes it, only an architecture change: put the server behind a load balancer, so that the load balancer alone faces the internet and the instance takes traffic only from it (a later version of tandem builds that).';

function finding({architectureOnly, ...draft}: FindingDraft, reason: string | undefined): Finding {
  const explanation = architectureOnly ? `${draft.explanation} ${ARCHITECTURE_NOTE}` : draft.explanation;
  return reason === undefined ? {...draft, explanation} : {...draft, explanation, accepted: {reason}};
}

/**
 * A tool's severity on tandem's scale. Critical (Security Hub EC2.19, Prowler's inline-admin check)
 * becomes high: high already means "refused until accepted", so a fifth level would gate the same
 * and change the findings' JSON for nothing. Informational stays info.
 */
const FROM_TOOL: Record<CheckerSeverity, Severity> = {critical: 'high', high: 'high', medium: 'medium', low: 'low', informational: 'info'};

/**
 * A finding is as severe as the highest severity any tool gives the checks it lists
 * (docs/checkers.md): the operator's gate then agrees with the auditor's report. A finding no tool
 * rates (none listed, or only Checkov, whose checks carry no severity) keeps tandem's own.
 */
export function toolSeverity(draft: FindingDraft): Severity {
  const rated = draft.checkers.map((ref) => findChecker(ref.tool, ref.id)?.severity).filter((severity): severity is CheckerSeverity => severity !== undefined && severity !== 'unrated');
  if (rated.length === 0) return draft.severity;
  return rated.map((severity) => FROM_TOOL[severity]).sort((a, b) => SEVERITY_ORDER[a] - SEVERITY_ORDER[b])[0];
}

/** Every finding the spec triggers, most severe first, marked accepted where the spec says so. */
export function findingsFor(spec: LaunchSpec): Finding[] {
  const accepted = new Map(spec.acceptedRisks.map((risk) => [risk.finding, risk.reason]));
  return specFindings(spec)
    .map((draft) => ({...draft, severity: toolSeverity(draft)}))
    .map((draft, index) => ({draft, index}))
    .sort((a, b) => SEVERITY_ORDER[a.draft.severity] - SEVERITY_ORDER[b.draft.severity] || a.index - b.index)
    .map(({draft}) => finding(draft, accepted.get(draft.id)));
}

/**
 * The risks nobody may launch past unaccepted: high-severity findings without a recorded reason.
 * `launch --yes` and a fleet refuse them, and the review asks for a reason for each before Launch.
 */
export function unacceptedHighRisks(spec: LaunchSpec): Finding[] {
  return findingsFor(spec).filter((finding) => finding.severity === 'high' && !finding.accepted);
}

/** A copy of `spec` that records `findingId` as an accepted risk (replacing an earlier reason). */
export function acceptRisk(spec: LaunchSpec, findingId: string, reason: string): LaunchSpec {
  if (!isFindingId(findingId)) throw new RangeError(`unknown finding "${findingId}"; known: ${FINDING_IDS.join(', ')}`);
  const text = reason.trim();
  if (!text) throw new RangeError(`accepting "${findingId}" needs a reason`);
  const others = spec.acceptedRisks.filter((risk) => risk.finding !== findingId);
  return {...spec, acceptedRisks: [...others, {finding: findingId, reason: text}]};
}
