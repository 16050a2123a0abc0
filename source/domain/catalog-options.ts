// How each wizard option changes what the control panel says. Each control module (controls/)
// writes its own panel text; this file applies the edits of a step's modules to copies of its
// controls.
import type {Control, StepId} from './catalog-types.js';
import type {LaunchSpec} from './spec.js';
import {optionOfStep, panelEdits} from './controls/index.js';

export function adaptControls(step: StepId, controls: Control[], option: string | undefined, spec: LaunchSpec): Control[] {
  const edits = panelEdits(step, option ?? optionOfStep(step, spec), spec);
  return controls.map((control) => {
    const edit = edits[control.id];
    if (!edit) return control;
    const {addCompliance = [], compliance = control.compliance, ...text} = edit;
    return {...control, ...text, compliance: [...compliance, ...addCompliance]};
  });
}
