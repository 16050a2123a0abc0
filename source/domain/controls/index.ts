// The registry of control modules, in wizard order (docs/design.md sections 1 and 2). Adding a
// control is one module and one line here; the catalog, the side panel and the findings ask this
// list instead of knowing any control themselves.
import type {StepId} from '../catalog-types.js';
import type {LaunchSpec} from '../spec.js';
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';
import type {PlanStep} from '../plan-types.js';
import {afterLaunchControl} from './after-launch.js';
import {imageControl} from './image.js';
import {instanceTypeControl} from './instance-type.js';
import {isolationControl} from './isolation.js';
import {keyPairControl} from './key-pair.js';
import {metadataControl} from './metadata.js';
import {networkControl} from './network.js';
import {roleControl} from './role.js';
import {securityGroupControl} from './security-group.js';
import {storageControl} from './storage.js';
import {tenancyControl} from './tenancy.js';
import {waysInControl} from './ways-in.js';

export const REGISTRY = [
  imageControl,
  isolationControl,
  instanceTypeControl,
  networkControl,
  roleControl,
  tenancyControl,
  storageControl,
  securityGroupControl,
  keyPairControl,
  waysInControl,
  metadataControl,
  afterLaunchControl,
] as const;

type FindingIdOf<M> = M extends ControlModule<infer Id> ? Id : never;
/** Every finding id any control may raise. */
export type FindingId = FindingIdOf<(typeof REGISTRY)[number]>;
export const FINDING_IDS: readonly FindingId[] = REGISTRY.flatMap((control): readonly FindingId[] => control.findingIds);

const modules: readonly ControlModule[] = REGISTRY;

/**
 * The order the plan lists its steps in. Dependencies, not this order, decide what waits for what;
 * it only keeps the listing (the review, the dry run, the progress screen) as it has always been.
 * A control whose module has plan steps is listed here too.
 */
export const PLAN_ORDER: readonly ControlModule[] = [imageControl, networkControl, waysInControl, roleControl, storageControl, securityGroupControl, keyPairControl, tenancyControl];

/** Every module's steps of the plan, in PLAN_ORDER. */
export const moduleSteps = (spec: LaunchSpec, context: PlanContext): PlanStep[] => PLAN_ORDER.flatMap((control) => control.planSteps?.(spec, context) ?? []);

/** The modules whose controls a step's screen shows. */
export const controlsOfStep = (step: StepId): ControlModule[] => modules.filter((control) => control.step === step);

/** Every risk the spec shows before launch, in registry order. */
export const specFindings = (spec: LaunchSpec): FindingDraft[] => modules.flatMap((control) => control.findings?.(spec) ?? []);

/** The option the step's screen would highlight given what the spec holds. */
export function optionOfStep(step: StepId, spec: LaunchSpec): string | undefined {
  return controlsOfStep(step)
    .find((control) => typeof control.option === 'function')
    ?.option?.(spec);
}

/** The panel edits of every module on the step, for the highlighted option. */
export function panelEdits(step: StepId, option: string | undefined, spec: LaunchSpec): PanelEdits {
  return Object.assign({}, ...controlsOfStep(step).map((control) => control.panel?.(option, spec) ?? {})) as PanelEdits;
}
