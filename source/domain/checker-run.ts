// Working out every checker's verdicts for one launch: the live checks read what AWS reports (or
// what the spec predicts), Checkov reads the CloudFormation template rendered from the plan. Kept
// apart from the verdicts' wording (checker-verdicts.ts) so the screens do not load the renderer.
import {factsFromSpec, type CheckerFacts} from './checker-facts.js';
import type {CheckerVerdict} from './checker-verdicts.js';
import {CHECKERS, checkerKey} from './checkers.js';
import type {CfnTemplate} from './checker-template.js';
import {cloudFormationObject} from './export-cloudformation.js';
import {findingsFor} from './findings.js';
import {buildPlan} from './plan.js';
import type {Plan} from './plan-types.js';
import type {LaunchSpec} from './spec.js';

/** The template Checkov would scan for this spec: the export's rendering of the plan, once. */
export function templateFor(spec: LaunchSpec, plan: Plan = buildPlan(spec)): CfnTemplate {
  return cloudFormationObject(spec, {profile: spec.instance.name}, plan);
}

/**
 * Every checker's verdicts for one launch. `facts` are what AWS reports after launch; without them
 * the live checkers are predicted from the spec. Checkov reads the template rendered from the
 * plan; a caller that has rendered it already passes it in.
 */
export function checkerVerdicts(spec: LaunchSpec, facts: CheckerFacts = factsFromSpec(spec), template: CfnTemplate = templateFor(spec)): Array<CheckerVerdict & {row: string}> {
  const acceptedBy = new Map<string, {finding: string; reason: string}>();
  for (const finding of findingsFor(spec)) {
    if (!finding.accepted) continue;
    for (const checker of finding.checkers) {
      if (!acceptedBy.has(checkerKey(checker))) acceptedBy.set(checkerKey(checker), {finding: finding.id, reason: finding.accepted.reason});
    }
  }
  return CHECKERS.flatMap((checker) => {
    const results = checker.evaluates === 'live' ? checker.verdicts(facts) : checker.verdicts(template);
    return (results ?? []).map(({resource, verdict}) => ({
      row: checker.row,
      tool: checker.tool,
      id: checker.id,
      verdict,
      resource,
      accepted: verdict === 'fail' ? (acceptedBy.get(checkerKey(checker)) ?? null) : null,
    }));
  });
}
