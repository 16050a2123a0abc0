// Walks the wizard reducer as a person pressing Enter would, for the reducer-level tests.
import {screenId, wizardReducer, type WizardState} from '../../source/ui/wizard-state.js';

/** Presses Enter until the given screen shows; fails naming the screen it is stuck on. */
export function goTo(state: WizardState, screen: string): WizardState {
  let current = state;
  for (let guard = 0; screenId(current) !== screen; guard++) {
    if (guard > 20) throw new Error(`never reached ${screen}; stuck on ${screenId(current)} with ${JSON.stringify(current.errors)}`);
    current = wizardReducer(current, {type: 'next'});
  }
  return current;
}
