// The wizard mode's hooks: its state (the reducer in wizard/reducer.ts, with what the connection
// decides laid over it), its keys, and leaving on q or Ctrl+C. Keys go through the keymap straight
// into the reducer. The focused list is an ink-select-input list, which owns ↑/↓ itself (and
// reports its highlight through onHighlight); a filtered list of account items is the reducer's
// to move. Enter, Tab, Esc and the rest come here.
import {useEffect, useMemo, useReducer} from 'react';
import type {LaunchSpec} from '../../domain/spec.js';
import type {KeyContext} from '../keymap.js';
import {useKeys} from '../use-keys.js';
import {wizardReducer, type WizardAction} from './reducer.js';
import {currentFields, focusedField, initialWizard, isFiltering, isTyping, screenToggle, type WizardState} from './state.js';

export function wizardKeys(state: WizardState): KeyContext {
  const fields = currentFields(state);
  const choosing = focusedField(state)?.kind === 'choice';
  const toggle = screenToggle(state);
  return {
    ...(toggle ? {toggle: {key: toggle.key, help: toggle.help}} : {}),
    screen: 'wizard',
    typing: isTyping(state),
    fields: fields.length,
    choosing,
    listKeys: choosing && !isFiltering(state),
    canGoBack: state.step > 0 || (isTyping(state) && fields.some((field) => field.kind === 'choice')),
  };
}

/**
 * The wizard's state as the connection has it: live once there is a Cloud, and the spec in the
 * region the credentials resolved to. Derived on every render (and before every action), never
 * copied into the state by an effect, so no frame shows one without the other.
 */
export function connected(state: WizardState, live: boolean, region: string | undefined): WizardState {
  const spec = region && state.spec.region !== region ? {...state.spec, region} : state.spec;
  return state.live === live && spec === state.spec ? state : {...state, live, spec};
}

export function useWizard(options: {spec: LaunchSpec; startAtReview?: boolean; live: boolean; region?: string}) {
  const {live, region} = options;
  const [kept, dispatch] = useReducer(
    (current: WizardState, action: WizardAction) => wizardReducer(connected(current, live, region), action),
    undefined,
    () => initialWizard({spec: options.spec, live, startAtReview: options.startAtReview}),
  );
  const state = useMemo(() => connected(kept, live, region), [kept, live, region]);
  return {state, dispatch};
}

export function useWizardKeys(state: WizardState, dispatch: (action: WizardAction) => void, isActive: boolean): KeyContext {
  const keys = wizardKeys(state);
  useKeys(keys, dispatch, isActive);
  return keys;
}

/** q or Ctrl+C set `quit`: the answers are kept (unless untouched), then the app leaves. */
export function useWizardQuit(state: WizardState, keepOnQuit: (state: WizardState) => void, exit: (code: number) => void): void {
  useEffect(() => {
    if (state.quit === undefined) return;
    keepOnQuit(state);
    exit(state.quit);
  }, [state, keepOnQuit, exit]);
}
