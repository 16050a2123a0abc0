// The one input hook every mode uses: it resolves a keypress through the keymap and hands the
// mode's reducer the binding's action as it is. Only the active mode listens (isActive), and text
// for a focused field arrives as one 'input' action, however it was typed or pasted. The keys the
// keymap gives the focused list (↑/↓ on an ink-select-input list) never reach the mode.
import {createContext, useCallback, useContext, useEffect, useRef, useState} from 'react';
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

/**
 * Actions that can move the focus or change the screen, and with them the owner of ↑/↓: the next
 * input waits for their frame (see InputGate). Others (scrolling, typing, Ctrl+C) do not wait.
 */
const FOCUS_MOVES: ReadonlySet<KeyAction['type']> = new Set(['next', 'back', 'nextField', 'prevField', 'accept', 'up', 'down']);

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
  const hold = useInputGate();
  const handler = useCallback(
    (input: string, key: Key) => {
      const handle = (input: string, key: Key) => {
        if (!latest.current.isActive) return;
        const action = keyAction(input, key, latest.current.context);
        if (!action) return;
        latest.current.onKey(action);
        if (FOCUS_MOVES.has(action.type)) hold();
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
    },
    [hold],
  );
  useInput(handler);
  useInputsInkKnows();
}

/** The key context of the mode on screen (the frame provides it), which says who owns ↑/↓. */
export const ActiveKeys = createContext<KeyContext | undefined>(undefined);

/**
 * Whether a focused list may take ↑/↓ (and j/k) itself: only when the keymap gives them to the
 * list in the active mode's context, so a list and the mode never both move on one press. A list
 * drawn outside any screen (no context) listens while focused.
 */
export function useListKeys(focused: boolean): boolean {
  const keys = useContext(ActiveKeys);
  return focused && (keys === undefined || Boolean(keys.listKeys));
}

/** The longest an input waits for a frame (the app went away meanwhile, a frame that threw). */
const HOLD_MS = 1000;

/**
 * Keys that arrive in one read are handed to Ink's listeners one after another, before React has
 * drawn what the first one did, and a list takes the keys or lets go of them only once that
 * frame's effects have run. So once a handler has acted on a key that may move the focus, or a
 * list has moved its highlight (hold), later inputs wait until the frame it produced is drawn and
 * its effects have run (release): each such key lands on the screen the previous one produced,
 * with that screen's owner of ↑/↓, and never on the list it just left.
 * Holding also draws a frame (useInputGate), so a key that changed nothing releases too.
 */
class InputGate {
  /** The last hold; only a frame drawn for it (or later) releases. */
  private holds = 0;
  private released = 0;
  private readonly waiting: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emit: (input: string) => boolean) {}

  private get held(): boolean {
    return this.released < this.holds;
  }

  pass(input: string): boolean {
    if (!this.held && this.waiting.length === 0) return this.emit(input);
    this.waiting.push(input);
    return true;
  }

  /** A key was acted on; returns the hold's number, which the frame drawn for it carries. */
  hold(): number {
    this.holds += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.release(this.holds), HOLD_MS);
    // The last key (Enter on the end screen) must not keep tandem from exiting.
    this.timer.unref();
    return this.holds;
  }

  /** The frame drawn for hold `drawn` is on screen with its effects run. */
  release(drawn: number): void {
    if (drawn <= this.released) return;
    this.released = drawn;
    if (this.held) return;
    clearTimeout(this.timer);
    while (!this.held && this.waiting.length > 0) this.emit(this.waiting.shift()!);
  }
}

const gates = new WeakMap<EventEmitter, InputGate>();

/**
 * For a component that acts on keys: `hold` says it acted on one, so the next input waits for the
 * frame this key produces; the component draws that frame even when the key changed nothing, and
 * every frame it draws releases what waits, once the frame's effects have all run.
 */
export function useInputGate(): () => void {
  const {internal_eventEmitter: inputs} = useStdin();
  // The last hold this component drew a frame for: earlier frames' effects, flushed late, release nothing.
  const [frame, drawn] = useState(0);
  useEffect(() => {
    const gate = gates.get(inputs);
    // After the effects of the whole frame (a list's subscription among them), not just this one's.
    if (gate && frame > 0) queueMicrotask(() => gate.release(frame));
  });
  return useCallback(() => {
    const gate = gates.get(inputs);
    if (gate) drawn(gate.hold());
  }, [inputs]);
}

/**
 * Every input Ink hands its useInput listeners (tandem's and ink-select-input's) goes through
 * inputAsInkKnowsIt first: Ink's key naming throws on escape sequences it does not know, and no
 * byte on stdin may end tandem. Then through the gate above, so keys reach the screen one frame
 * at a time. Ink has no hook for this, so its input emitter's emit is wrapped, once per app.
 */
function useInputsInkKnows(): void {
  const {internal_eventEmitter: inputs} = useStdin();
  useEffect(() => {
    if (gates.has(inputs)) return;
    const emit = inputs.emit.bind(inputs);
    const gate = new InputGate((input) => emit('input', input));
    gates.set(inputs, gate);
    inputs.emit = (event: string | symbol, ...args: unknown[]) => {
      if (event !== 'input' || typeof args[0] !== 'string') return emit(event, ...args);
      const input = inputAsInkKnowsIt(args[0]);
      return input === undefined ? false : gate.pass(input);
    };
  }, [inputs]);
}
