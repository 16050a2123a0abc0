// Driving Ink apps in tests: keys written inside React's act() so every state update has been
// rendered before the test looks at the frame, and a waitFor that says what it waited for.
import React, {act} from 'react';
import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import stringWidth from 'string-width';
import type {ReactElement} from 'react';

(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
} as const;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Presses one key (a raw sequence from KEY or a character) `times` times. */
export async function press(stdin: {write: (data: string) => void}, key: string, times = 1): Promise<void> {
  for (let index = 0; index < times; index++) {
    await act(async () => {
      stdin.write(key);
      // Ink holds a lone ESC for one tick to tell it from the start of an escape sequence.
      await tick();
      await tick();
    });
  }
}

/** Types text one character at a time, like a person. */
export async function type(stdin: {write: (data: string) => void}, text: string): Promise<void> {
  for (const char of text) await press(stdin, char);
}

/** Waits until `check` holds; on timeout fails with `what` and the last frame. */
export async function waitFor(check: () => boolean, what: string, frame: () => string | undefined = () => undefined, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (check()) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n--- last frame ---\n${frame() ?? '(none)'}`);
    }
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 10));
    // Tests that watch a self-rendering app (not wrapped in act) turn the act environment off.
    if ((globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT) await act(sleep);
    else await sleep();
  }
}

/** Waits until the last frame contains `text`. */
export async function waitForText(instance: {lastFrame: () => string | undefined}, text: string, timeoutMs?: number): Promise<void> {
  await waitFor(() => (instance.lastFrame() ?? '').includes(text), `the screen to show "${text}"`, instance.lastFrame, timeoutMs);
}

/** Presses Enter until the last frame contains `text`; fails with the frame it got stuck on. */
export async function enterUntil(app: {stdin: {write: (data: string) => void}; lastFrame: () => string | undefined}, text: string): Promise<void> {
  for (let guard = 0; !(app.lastFrame() ?? '').includes(text); guard++) {
    if (guard > 15) throw new Error(`never reached "${text}"; last frame:\n${app.lastFrame()}`);
    await press(app.stdin, KEY.enter);
  }
}

/** Display width of the widest line of a frame. */
export function widestLine(frame: string): number {
  return Math.max(0, ...frame.split('\n').map((line) => stringWidth(line)));
}

/**
 * Renders with ink-testing-library at a given terminal width (and, when given, height). Its fake
 * stdout reports 100 columns from a getter on its class, which Ink reads while rendering (the
 * layout reads rows too), so the getters are swapped for the duration of the render call and kept
 * for later renders of this instance.
 */
export function renderAt(tree: ReactElement, columns = 100, rows?: number) {
  let proto!: object;
  act(() => {
    const probe = render(React.createElement(Text, null, ''));
    proto = Object.getPrototypeOf(probe.stdout) as object;
    probe.unmount();
    probe.cleanup();
  });
  const size: Array<[string, number]> =
    rows === undefined
      ? [['columns', columns]]
      : [
          ['columns', columns],
          ['rows', rows],
        ];
  const saved = size.map(([name]) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const);
  for (const [name, value] of size) Object.defineProperty(proto, name, {configurable: true, get: () => value});
  let instance!: ReturnType<typeof render>;
  act(() => {
    instance = render(tree);
  });
  for (const [name, value] of size) Object.defineProperty(instance.stdout, name, {configurable: true, get: () => value});
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(proto, name, descriptor);
    else delete (proto as Record<string, unknown>)[name];
  }
  return instance;
}

/** The text of the right-hand column of a side-by-side frame (after the │ divider), on one line. */
export function panelText(frame: string): string {
  return frame
    .split('\n')
    .filter((line) => line.includes('│'))
    .map((line) => line.slice(line.indexOf('│') + 1).trim())
    .join(' ')
    .replace(/\s+/g, ' ');
}

/** Unmounts everything rendered by the test, inside act() so React does not warn. */
export function cleanupAll(): void {
  act(() => {
    cleanup();
  });
}

/** renderAt with the terminal's rows too (the layout reads both on the first render). */
export const renderSized = (tree: ReactElement, columns: number, rows: number) => renderAt(tree, columns, rows);
