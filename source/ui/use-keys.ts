// The one input hook every mode uses: it resolves a keypress through the keymap and hands the
// mode's reducer the binding's action as it is. Only the active mode listens (isActive), and text
// for a focused field arrives as one 'input' action, however it was typed or pasted.
import {useCallback, useEffect, useRef} from 'react';
import {useInput, useStdin, type Key} from 'ink';
import type {EventEmitter} from 'node:events';
import {isPrivateKeyText} from '../domain/key-material.js';
import {firstKeyPiece, inputAsInkKnowsIt, isKeyRun} from './key-pieces.js';
import {resolveKey, type Action, type KeyContext} from './keymap.js';

export type KeyAction = {type: Action; count?: number} | {type: 'input'; text: string};

// Several backspaces that arrive in one read come as one string of DEL (or BS) characters.
const ERASES = /^[\u007F\u0008]+$/;
// The last line of a private key (PEM and OpenSSH armour, PuTTY's file), and the longest pause
// between two reads of one paste.
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----|^Private-MAC:/m;
const PASTE_PAUSE_MS = 500;

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
  const withheldAt = useRef(0);
  latest.current = {context, onKey, isActive};
  const handler = useCallback((input: string, key: Key) => {
    const handle = (input: string, key: Key) => {
      if (!latest.current.isActive) return;
      const action = keyAction(input, key, latest.current.context);
      if (action) latest.current.onKey(action);
    };
    // A pasted private key stays whole, so the field can recognise it and withhold every line of
    // it. A long paste may come in several reads: what follows the key's first lines, until its
    // END line or a pause, is withheld as well.
    const typing = latest.current.context.typing;
    if (typing && Date.now() - withheldAt.current < PASTE_PAUSE_MS) {
      withheldAt.current = KEY_END.test(input) ? 0 : Date.now();
      return undefined;
    }
    if (typing && isPrivateKeyText(input)) {
      withheldAt.current = KEY_END.test(input) ? 0 : Date.now();
      return handle(input, key);
    }
    if (!isKeyRun(input, key, typing)) return handle(input, key);
    // Several keys in one read: one piece now, the next once this one's frame is drawn (Ink's
    // legacy root commits at the end of each input event), so each sees its own screen.
    const next = (rest: string) => {
      const piece = firstKeyPiece(rest, latest.current.context.typing);
      handle(piece.input, piece.key);
      if (piece.length < rest.length) setImmediate(next, rest.slice(piece.length));
    };
    next(input);
  }, []);
  useInput(handler);
  useInputsInkKnows();
}

const guarded = new WeakSet<EventEmitter>();

/**
 * Every input Ink hands its useInput listeners (tandem's and ink-select-input's) goes through
 * inputAsInkKnowsIt first: Ink's key naming throws on escape sequences it does not know, and no
 * byte on stdin may end tandem. Ink has no hook for this, so its input emitter's emit is wrapped,
 * once per app.
 */
function useInputsInkKnows(): void {
  const {internal_eventEmitter: inputs} = useStdin();
  useEffect(() => {
    if (guarded.has(inputs)) return;
    guarded.add(inputs);
    const emit = inputs.emit.bind(inputs);
    inputs.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'input' || typeof args[0] !== 'string') return emit(event, ...args);
      const input = inputAsInkKnowsIt(args[0]);
      return input === undefined ? false : emit(event, input);
    };
  }, [inputs]);
}
