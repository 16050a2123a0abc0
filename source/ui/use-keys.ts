// The one input hook every mode uses: it resolves a keypress through the keymap and hands the
// mode's reducer the binding's action as it is. Only the active mode listens (isActive), and text
// for a focused field arrives as one 'input' action, however it was typed or pasted.
import {useCallback, useEffect, useRef} from 'react';
import {useStdin, type Key} from 'ink';
import {firstKeyPiece, isKeyRun, keyOf} from './key-pieces.js';
import {resolveKey, type Action, type KeyContext} from './keymap.js';

export type KeyAction = {type: Action; count?: number} | {type: 'input'; text: string};

// Several backspaces that arrive in one read come as one string of DEL (or BS) characters.
const ERASES = /^[\u007F\u0008]+$/;

/** The action one keypress stands for in this context, or undefined. */
export function keyAction(input: string, key: Key, context: KeyContext): KeyAction | undefined {
  if (context.typing && ERASES.test(input)) return {type: 'erase', count: input.length};
  const action = resolveKey(input, key, context);
  if (action) return {type: action, count: 1};
  if (!context.typing || key.ctrl || key.meta) return undefined;
  // Only printable text goes into a field; a stray control character (Tab, CR) never does.
  const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
  return text ? {type: 'input', text} : undefined;
}

/**
 * A mode's input hook. Every mode's hook is called by the app on every render and subscribed
 * for the app's whole life; `isActive` is read from the latest render when a key arrives. Ink
 * (re)subscribes a handler only after a frame's effects have run, so a key arriving between a
 * frame and its effects would otherwise reach the mode that was just left, or no mode at all.
 */
export function useKeys(context: KeyContext, onKey: (action: KeyAction) => void, isActive: boolean): void {
  const latest = useRef({context, onKey, isActive});
  latest.current = {context, onKey, isActive};
  const handler = useCallback((input: string, key: Key) => {
    const handle = (input: string, key: Key) => {
      if (!latest.current.isActive) return;
      const action = keyAction(input, key, latest.current.context);
      if (action) latest.current.onKey(action);
    };
    if (!isKeyRun(input, key, latest.current.context.typing)) return handle(input, key);
    // Several keys in one read: one piece now, the next once this one's frame is drawn (Ink's
    // legacy root commits at the end of each input event), so each sees its own screen.
    const next = (rest: string) => {
      const piece = firstKeyPiece(rest, latest.current.context.typing);
      handle(piece.input, piece.key);
      if (piece.length < rest.length) setImmediate(next, rest.slice(piece.length));
    };
    next(input);
  }, []);
  useRawInput(handler);
}

/**
 * Ink's useInput without its key parser: each input Ink cut from stdin (an escape sequence, or a
 * run of plain characters) is named by keyOf, which takes any bytes without throwing.
 */
function useRawInput(handler: (input: string, key: Key) => void): void {
  const {setRawMode, internal_eventEmitter: inputs} = useStdin();
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const listener = (data: string) => {
      const {input, key} = keyOf(data);
      handler(input, key);
    };
    inputs.on('input', listener);
    return () => {
      inputs.removeListener('input', listener);
    };
  }, [inputs, handler]);
}
