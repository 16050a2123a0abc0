// What the two exports share when they render the plan (docs/design.md section 2): the plan's
// steps are SDK inputs, and each export writes every step in its own language. These helpers
// read a plan the way both renderers need: a step by id, the steps of one kind, the tag lists
// with the export's own profile tag, and region-specific text made region-neutral, so one
// template or script works in any region it is deployed to.
import {isStepRef} from './plan-graph.js';
import {LAUNCH_ID_TAG} from './plan-tags.js';
import type {ParamValue, Plan, PlanStep, StepRef} from './plan-types.js';

export const PROFILE_TAG = 'tandem:profile';

export type Params = {[key: string]: ParamValue};

/** The plan's steps by id, and the steps of one SDK action, in plan order. */
export class PlanIndex {
  readonly byId: Map<string, PlanStep>;
  constructor(readonly plan: Plan) {
    this.byId = new Map(plan.steps.map((step) => [step.id, step]));
  }
  step(id: string): PlanStep | undefined {
    return this.byId.get(id);
  }
  ofAction(...actions: string[]): PlanStep[] {
    return this.plan.steps.filter((step) => actions.includes(step.action));
  }
  first(action: string): PlanStep | undefined {
    return this.ofAction(action)[0];
  }
  /**
   * The new subnets no route table is associated with (the plan leaves them on the VPC's main
   * table); both exports give each one a route table of its own.
   */
  subnetsWithoutRouteTable(): PlanStep[] {
    const associated = new Set(this.ofAction('AssociateRouteTable').map((step) => asRef(step.params.SubnetId)?.ref));
    return this.ofAction('CreateSubnet').filter((step) => !associated.has(step.id));
  }
  /** The step a StepRef names, when it names a step (not a launch-time value). */
  target(value: ParamValue | undefined): PlanStep | undefined {
    return isStepRef(value) ? this.byId.get(value.ref) : undefined;
  }
}

export function asRef(value: ParamValue | undefined): StepRef | undefined {
  return isStepRef(value) ? value : undefined;
}

export const text = (value: ParamValue | undefined): string => (typeof value === 'string' ? value : '');

export function params(value: ParamValue | undefined): Params {
  return value && typeof value === 'object' && !Array.isArray(value) && !isStepRef(value) ? value : {};
}

export function list(value: ParamValue | undefined): ParamValue[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A step's tag list (EC2 and IAM: Key/Value; KMS: TagKey/TagValue) with the export's
 * tandem:profile tag after the launch id, so a stack or a script run names the profile it came from.
 */
export function tagsWithProfile(tags: ParamValue[], profile: string): ParamValue[] {
  const result: ParamValue[] = [];
  for (const tag of tags) {
    result.push(tag);
    const entry = params(tag);
    const keyField = 'TagKey' in entry ? 'TagKey' : 'Key';
    if (entry[keyField] === LAUNCH_ID_TAG) result.push({[keyField]: PROFILE_TAG, [keyField === 'Key' ? 'Value' : 'TagValue']: profile});
  }
  return result;
}

/** The tags of the first TagSpecifications entry (the resource the call creates). */
export function specTags(step: PlanStep): ParamValue[] {
  return list(params(list(step.params.TagSpecifications)[0]).Tags);
}

/** The Name tag a step gives what it creates. */
export function nameTag(tags: ParamValue[]): string {
  for (const tag of tags) {
    const entry = params(tag);
    if (entry.Key === 'Name') return text(entry.Value);
    if (entry.TagKey === 'Name') return text(entry.TagValue);
  }
  return '';
}

/** `com.amazonaws.REGION.service` split around the region, or undefined for other text. */
export function splitRegion(value: string, region: string): [string, string] | undefined {
  const marker = `.${region}.`;
  const at = value.indexOf(marker);
  if (!value.startsWith('com.amazonaws.') || at < 0) return undefined;
  return [value.slice(0, at + 1), value.slice(at + marker.length - 1)];
}

/** The last dash-separated part of a step id: 'ssm-endpoint-ssmmessages' → 'ssmmessages', 'subnet-public' → 'public'. */
export function lastPart(id: string): string {
  return id.slice(id.lastIndexOf('-') + 1);
}
