// Reading a plan as a graph: execution order, the levels that can run concurrently, and a
// self-check that every StepRef points at a step that is guaranteed to have finished first.
import type {ParamValue, Plan, PlanStep, StepRef} from './plan-types.js';

/** Refs to launch-time values rather than to steps. */
export const SPECIAL_REFS: Readonly<Record<string, readonly string[]>> = {
  $launch: ['id', 'clientToken', 'idempotencyToken'],
  $local: ['publicKeyMaterial'],
};

export function isStepRef(value: unknown): value is StepRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 2 &&
    typeof (value as StepRef).ref === 'string' &&
    typeof (value as StepRef).output === 'string'
  );
}

/** Every StepRef inside a step's params, in document order. */
export function refsIn(value: ParamValue | {[key: string]: ParamValue}): StepRef[] {
  if (isStepRef(value)) return [value];
  if (Array.isArray(value)) return value.flatMap((item) => refsIn(item));
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap((item) => refsIn(item));
  return [];
}

/**
 * Topological order that keeps the plan's own order wherever dependencies allow, so the review
 * screen and the progress screen list steps the same way every time. Steps caught in a cycle
 * (which checkPlan reports) are appended in plan order rather than dropped.
 */
export function orderedSteps(plan: Plan): PlanStep[] {
  const done = new Set<string>();
  const known = new Set(plan.steps.map((step) => step.id));
  const result: PlanStep[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const step of plan.steps) {
      if (done.has(step.id)) continue;
      if (step.dependsOn.every((id) => done.has(id) || !known.has(id))) {
        done.add(step.id);
        result.push(step);
        progressed = true;
        break;
      }
    }
  }
  return [...result, ...plan.steps.filter((step) => !done.has(step.id))];
}

/** Steps grouped by depth: level 0 needs nothing, level n waits only for lower levels. */
export function planLevels(plan: Plan): PlanStep[][] {
  const level = new Map<string, number>();
  for (const step of orderedSteps(plan)) {
    const depths = step.dependsOn.map((id) => level.get(id) ?? -1);
    level.set(step.id, Math.max(-1, ...depths) + 1);
  }
  const levels: PlanStep[][] = [];
  for (const step of orderedSteps(plan)) {
    const index = level.get(step.id) ?? 0;
    (levels[index] ??= []).push(step);
  }
  return levels;
}

/** Length of the longest dependency chain, in steps: the least number of rounds a launch needs. */
export function planDepth(plan: Plan): number {
  return planLevels(plan).length;
}

function findCycle(plan: Plan): string[] | undefined {
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const step of plan.steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Ids a step waits for, directly or through other steps. */
export function transitiveDependencies(plan: Plan, stepId: string): Set<string> {
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const seen = new Set<string>();
  const stack = [...(byId.get(stepId)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return seen;
}

/** Problems with the plan's shape; empty when it is safe to execute. */
export function checkPlan(plan: Plan): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) problems.push(`Step id '${step.id}' is used more than once.`);
    ids.add(step.id);
  }
  for (const step of plan.steps) {
    for (const id of step.dependsOn) {
      if (!ids.has(id)) problems.push(`Step '${step.id}' depends on '${id}', which is not in the plan.`);
      if (id === step.id) problems.push(`Step '${step.id}' depends on itself.`);
    }
    if (step.controls.length === 0) problems.push(`Step '${step.id}' serves no control.`);
    if (step.summary.trim() === '') problems.push(`Step '${step.id}' has no summary.`);
    const before = transitiveDependencies(plan, step.id);
    for (const ref of refsIn(step.params)) {
      const special = SPECIAL_REFS[ref.ref];
      if (special) {
        if (!special.includes(ref.output)) problems.push(`Step '${step.id}' asks for unknown launch value ${ref.ref}.${ref.output}.`);
      } else if (!ids.has(ref.ref)) {
        problems.push(`Step '${step.id}' uses output of '${ref.ref}', which is not in the plan.`);
      } else if (!before.has(ref.ref)) {
        problems.push(`Step '${step.id}' uses output of '${ref.ref}' without waiting for it.`);
      }
      if (ref.output.trim() === '') problems.push(`Step '${step.id}' has a reference to '${ref.ref}' with no output path.`);
    }
  }
  const cycle = findCycle(plan);
  if (cycle) problems.push(`Steps wait for each other in a cycle: ${cycle.join(' → ')}.`);
  return problems;
}
