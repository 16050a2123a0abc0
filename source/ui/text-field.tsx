// A text input as the wizard and the review draw it: label, the typed text with a block cursor
// (or a dim placeholder), and the inline error under it. Editing happens in the reducers, through
// editText, so every field shares Ctrl+U, Ctrl+W and batched backspaces.
import {Box} from 'ink';
import {Text} from './text.js';
import {isPrivateKeyText} from '../domain/key-material.js';
import {CursorRow} from './cursor-row.js';
import {FieldError} from './widgets.js';

export function TextField(props: {label: string; value: string; focused: boolean; placeholder?: string; error?: string; hint?: string}) {
  const {label, value, focused, placeholder, error, hint} = props;
  return (
    <Box flexDirection="column">
      <Text bold={focused} wrap="truncate-end">
        {label}
      </Text>
      <CursorRow mark={focused ? '›' : ' '} color={focused ? 'cyan' : undefined}>
        <Text wrap="wrap">
          {value}
          {focused ? <Text inverse> </Text> : null}
          {!value && placeholder ? <Text dimColor>{` ${placeholder}`}</Text> : null}
        </Text>
      </CursorRow>
      {error ? (
        <FieldError error={error} />
      ) : hint ? (
        <Box paddingLeft={3}>
          <Text dimColor>{hint}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** Typed text after one edit: text appends, erase removes `count` characters, a word or all. */
export function editText(text: string, edit: {type: 'input'; text: string} | {type: 'erase'; count?: number} | {type: 'eraseWord'} | {type: 'clearLine'}): string {
  switch (edit.type) {
    case 'input':
      // Pasted text arrives in one piece; keep it on one line.
      return text + edit.text.replace(/[\r\n\t]/g, '');
    case 'erase':
      return [...text].slice(0, -(edit.count ?? 1)).join('');
    case 'eraseWord':
      return text.replace(/\S*\s*$/, '');
    case 'clearLine':
      return '';
  }
}

/** What a field says instead of a private key pasted into it. */
export function privateKeyTyped(fieldId: string): string {
  return fieldId === 'keyPair.path.import'
    ? 'that is a private key (withheld, not shown); give the path to a public key file, e.g. ~/.ssh/id_ed25519.pub'
    : 'that is a private key (withheld, not shown); it has no place in this field';
}

export type FieldEdit = {text: string; withheld?: undefined} | {text: ''; withheld: string};

/**
 * Every field's edit (the wizard's and the review's): like editText, except that a private key
 * pasted into it is never kept, shown or saved: the field empties and `withheld` says why.
 */
export function editField(fieldId: string, text: string, edit: Parameters<typeof editText>[1]): FieldEdit {
  const edited = editText(text, edit);
  return isPrivateKeyText(edited) ? {text: '', withheld: privateKeyTyped(fieldId)} : {text: edited};
}
