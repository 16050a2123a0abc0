// The wizard's state and reducer (wizard/state.ts, wizard/reducer.ts), under the name the tests
// and older modules know.
export * from './wizard/state.js';
export {wizardReducer, type WizardAction} from './wizard/reducer.js';
