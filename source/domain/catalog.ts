// The control catalog: for each wizard step, who owns which security control under the AWS shared
// responsibility model, what each side does, and how tandem checks it after launch.
// Each control module (controls/) holds its entries, from docs/design.md section 1; the panel text adapts to the highlighted option
// (panelControls) so the operator sees the consequence of a choice before making it.
import type {CheckerRef, Control, ControlId, StepId} from './catalog-types.js';
import type {CatalogEntry} from './controls/control.js';
import {REGISTRY, STEP_IDS} from './controls/index.js';
import type {LaunchSpec} from './spec.js';
import {adaptControls} from './catalog-options.js';
import {checkersForRow} from './checkers.js';

/** The checkers whose verdicts show on these verification rows (checkers.ts holds their rules). */
const cited = (...rows: string[]): CheckerRef[] => rows.flatMap((row) => checkersForRow(row)).map(({tool, id}) => ({tool, id}));

export {STEP_TITLES} from './controls/index.js';

/** A module's entry as the catalog holds it, with the checkers of the verification rows it names. */
function entry({checkerRows = [], ...control}: CatalogEntry): Control {
  const {id, step, title, owner, kind, aws, customer, verify, compliance} = control;
  return {id, step, title, owner, kind, aws, customer, verify, checkers: cited(...checkerRows), compliance: [...compliance]};
}

const catalog: Control[] = REGISTRY.flatMap((control) => control.catalog.map(entry));

function freeze(control: Control): Control {
  Object.freeze(control.checkers);
  Object.freeze(control.compliance);
  return Object.freeze(control);
}

export const CONTROLS: readonly Control[] = Object.freeze(catalog.map(freeze));

/** A copy callers may change without touching the catalog. */
export function copyControl(control: Control): Control {
  return {...control, checkers: control.checkers.map((c) => ({...c})), compliance: [...control.compliance]};
}

export function controlById(id: ControlId): Control {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new RangeError(`unknown control "${id}"`);
  return control;
}

export function controlsForStep(step: StepId): Control[] {
  return CONTROLS.filter((c) => c.step === step);
}

/** Every control of every step, in wizard order, with text describing what this spec chose. */
export function specControls(spec: LaunchSpec): Control[] {
  return STEP_IDS.flatMap((step) => panelControls(step, undefined, spec));
}

/**
 * The step's controls as the side panel shows them while `option` is highlighted. Without an
 * option (or for steps that have none), the text reflects what `spec` already holds.
 */
export function panelControls(step: StepId, option: string | undefined, spec: LaunchSpec): Control[] {
  return adaptControls(step, controlsForStep(step).map(copyControl), option, spec);
}
