// The wizard mode's input hook: keys go through the keymap straight into the wizard reducer. The
// focused list is an ink-select-input list, which moves its highlight with ↑/↓ itself (and
// reports it through onHighlight); Enter, Tab, Esc and the rest come here.
import type {KeyContext} from '../keymap.js';
import {useKeys} from '../use-keys.js';
import type {WizardAction} from './reducer.js';
import {currentFields, focusedField, isFiltering, isTyping, type WizardState} from './state.js';

export function wizardKeys(state: WizardState): KeyContext {
  const fields = currentFields(state);
  return {
    screen: 'wizard',
    typing: isTyping(state),
    fields: fields.length,
    choosing: focusedField(state)?.kind === 'choice',
    canGoBack: state.step > 0 || (isTyping(state) && fields.some((field) => field.kind === 'choice')),
  };
}

export function useWizardKeys(state: WizardState, dispatch: (action: WizardAction) => void, onKey: () => void, isActive: boolean): KeyContext {
  const keys = wizardKeys(state);
  const filtering = isFiltering(state);
  useKeys(
    keys,
    (action) => {
      onKey();
      // An ink-select-input list moves itself; a filtered list of account items moves in the reducer.
      if (keys.choosing && !filtering && (action.type === 'up' || action.type === 'down')) return;
      dispatch(action);
    },
    isActive,
  );
  return keys;
}
