// What the rest of tandem reads from the list of control modules (docs/design.md section 2): the
// ids, the step titles, the plan steps in their listing order, the findings and the panel text.
// index.ts holds the list and applies this to it; everything here is derived from the modules, so
// nothing outside a module needs to know which controls exist.
import type {StepId} from '../catalog-types.js';
import type {PlanStep} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';
import type {FieldRules} from '../field-rules.js';
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';

/** The modules with plan steps, in the order the plan lists them (stable: ties keep registry order). */
function planModules(modules: readonly ControlModule[]): ControlModule[] {
  return modules
    .filter((control) => typeof control.planSteps === 'function')
    .map((control, index) => ({control, index}))
    .sort((a, b) => (a.control.planOrder ?? Infinity) - (b.control.planOrder ?? Infinity) || a.index - b.index)
    .map(({control}) => control);
}

/** The ids a list of modules defines, in registry (wizard) order. */
function idsOf(modules: readonly ControlModule[]) {
  const stepIds = [...new Set(modules.map((control) => control.step))];
  const title = (step: StepId) => modules.find((control) => control.step === step && control.stepTitle)?.stepTitle ?? step;
  return {
    FINDING_IDS: modules.flatMap((control) => control.findingIds),
    CONTROL_IDS: modules.flatMap((control) => control.catalog.map((entry) => entry.id)),
    /** Each module's step, once (the key-pair screen holds two modules). */
    STEP_IDS: stepIds,
    /** Each step's title, as the step's first module gives it. */
    STEP_TITLES: Object.fromEntries(stepIds.map((step) => [step, title(step)])) as Record<StepId, string>,
  };
}

/** Everything tandem asks the list of control modules. */
export function readRegistry(modules: readonly ControlModule[]) {
  const planned = planModules(modules);
  /** The modules whose controls a step's screen shows. */
  const controlsOfStep = (step: StepId): ControlModule[] => modules.filter((control) => control.step === step);
  return {
    ...idsOf(modules),
    controlsOfStep,
    /** Every module's steps of the plan, in `planOrder`. */
    moduleSteps: (spec: LaunchSpec, context: PlanContext): PlanStep[] => planned.flatMap((control) => control.planSteps?.(spec, context) ?? []),
    /** Every module's validation rules, by the spec path they check. */
    FIELD_RULES: Object.assign({}, ...modules.map((control) => control.rules ?? {})) as FieldRules,
    /** Every risk the spec shows before launch, in registry order. */
    specFindings: (spec: LaunchSpec): FindingDraft[] => modules.flatMap((control) => control.findings?.(spec) ?? []),
    /** The option the step's screen would highlight given what the spec holds. */
    optionOfStep: (step: StepId, spec: LaunchSpec): string | undefined =>
      controlsOfStep(step)
        .find((control) => typeof control.option === 'function')
        ?.option?.(spec),
    /** The panel edits of every module on the step, for the highlighted option. */
    panelEdits: (step: StepId, option: string | undefined, spec: LaunchSpec): PanelEdits =>
      Object.assign({}, ...controlsOfStep(step).map((control) => control.panel?.(option, spec) ?? {})) as PanelEdits,
  };
}

/** What `readRegistry` gives: the registry's exports but the list itself (index.ts). */
export type RegistryReading = ReturnType<typeof readRegistry>;
