// Whatever arrives on stdin (a paste from a coloured terminal, bracketed paste markers, a cut
// escape sequence, control bytes, invalid UTF-8, a very long run), the screen takes it without
// throwing: unknown sequences are no key at all, and text stays text.
import {act} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {firstKeyPiece, inputAsInkKnowsIt, isKeyRun, keyOf} from '../../source/ui/key-pieces.js';
import {keyAction} from '../../source/ui/use-keys.js';
import type {KeyContext} from '../../source/ui/keymap.js';
import {fuzzSeed, HOSTILE_PIECES, hostileRun, seededRandom} from '../support/hostile-bytes.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const TYPING: KeyContext = {screen: 'wizard', typing: true, fields: 2, choosing: false, canGoBack: true};
const CHOOSING: KeyContext = {screen: 'wizard', typing: false, fields: 2, choosing: true, canGoBack: true};

/** Every action a run of input turns into, the way use-keys.ts feeds it (pieces one by one). */
function actionsOf(data: string, context: KeyContext) {
  const {input, key} = keyOf(data);
  if (!isKeyRun(input, key, context.typing)) return [keyAction(input, key, context)].filter(Boolean);
  const actions = [];
  for (let rest = input; rest.length > 0;) {
    const piece = firstKeyPiece(rest, context.typing);
    if (piece.length < 1) throw new Error(`a piece of ${JSON.stringify(rest.slice(0, 20))} took no character`);
    actions.push(keyAction(piece.input, piece.key, context));
    rest = rest.slice(piece.length);
  }
  return actions.filter(Boolean);
}

describe('keys named from raw input', () => {
  test('the keys tandem binds are named as the terminal sends them', () => {
    expect(keyOf('\u001B[A').key.upArrow).toBe(true);
    expect(keyOf('\u001BOB').key.downArrow).toBe(true);
    expect(keyOf('\u001B[1;5A').key).toMatchObject({upArrow: true, ctrl: true});
    expect(keyOf('\u001B[5~').key.pageUp).toBe(true);
    expect(keyOf('\u001B[[6~').key.pageDown).toBe(true);
    expect(keyOf('\u001B[Z').key).toMatchObject({tab: true, shift: true});
    expect(keyOf('\u001B').key.escape).toBe(true);
    expect(keyOf('\r').key.return).toBe(true);
    expect(keyOf('\t').key.tab).toBe(true);
    expect(keyOf('\u007F').key.backspace).toBe(true);
    expect(keyOf('\u0003')).toMatchObject({input: 'c', key: {ctrl: true}});
    expect(keyOf('Q')).toMatchObject({input: 'Q', key: {shift: true}});
    expect(keyOf('\u001Bx')).toMatchObject({input: 'x', key: {meta: true}});
  });

  test('colour codes, paste markers and cut or unknown sequences are no key at all', () => {
    for (const sequence of [
      '\u001B[31m',
      '\u001B[0m',
      '\u001B[38;2;1;2;3m',
      '\u001B[200~',
      '\u001B[201~',
      '\u001B[',
      '\u001B[3',
      '\u001B]0;t\u0007',
      '\u001B[99;99~',
      '\u001B[6n',
      '\u001B[<0;1;1M',
    ]) {
      const {input, key} = keyOf(sequence);
      expect(input, JSON.stringify(sequence)).toBe(input.replace(/[^[]/g, ''));
      expect(keyAction(input, key, TYPING), JSON.stringify(sequence)).toBeUndefined();
      expect(keyAction(input, key, CHOOSING), JSON.stringify(sequence)).toBeUndefined();
    }
  });

  test('control bytes never reach a field as text, and invalid UTF-8 is only its replacement character', () => {
    const text = actionsOf('a\u0000b\u0007c\u001Cd', TYPING);
    expect(text.map((action) => (action!.type === 'input' ? action!.text : action!.type)).join('')).toBe('abcd');
    const invalid = Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0x62]).toString('utf8');
    expect(actionsOf(invalid, TYPING)).toEqual([{type: 'input', text: invalid}]);
  });

  test('every hostile piece, alone or in a seeded random run, gives keys or nothing, and never throws', () => {
    const seed = fuzzSeed();
    console.log(`hostile key runs: seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const random = seededRandom(seed);
    for (const piece of HOSTILE_PIECES) {
      for (const context of [TYPING, CHOOSING]) expect(() => actionsOf(piece, context), `seed ${seed}: ${JSON.stringify(piece)}`).not.toThrow();
    }
    for (let run = 0; run < 300; run++) {
      const data = hostileRun(random, 1 + Math.floor(random() * 400));
      for (const context of [TYPING, CHOOSING]) expect(() => actionsOf(data, context), `seed ${seed}: ${JSON.stringify(data)}`).not.toThrow();
    }
  });

  test("each escape sequence reaches Ink's key naming in the one form Ink knows for its key, or not at all", () => {
    expect(inputAsInkKnowsIt('plain text\u0007')).toBe('plain text\u0007');
    expect(inputAsInkKnowsIt('\u001BOA')).toBe('\u001B[A');
    expect(inputAsInkKnowsIt('\u001B[1;5B')).toBe('\u001B[B');
    expect(inputAsInkKnowsIt('\u001B[[5~')).toBe('\u001B[5~');
    expect(inputAsInkKnowsIt('\u001B[Z')).toBe('\u001B[Z');
    expect(inputAsInkKnowsIt('\u001B')).toBe('\u001B');
    expect(inputAsInkKnowsIt('\u001Bx')).toBe('\u001Bx');
    for (const sequence of ['\u001B[31m', '\u001B[99;5~', '\u001B[200~', '\u001B[201~', '\u001B[', '\u001B[3', '\u001B]0;t\u0007', '\u001B[<0;1;1M']) {
      expect(inputAsInkKnowsIt(sequence), JSON.stringify(sequence)).toBeUndefined();
    }
    const known = new Set(['\u001B', '\u001B[A', '\u001B[B', '\u001B[C', '\u001B[D', '\u001B[H', '\u001B[F', '\u001B[5~', '\u001B[6~', '\u001B[3~', '\u001B[Z']);
    for (const piece of HOSTILE_PIECES.filter((item) => item.startsWith('\u001B'))) {
      const form = inputAsInkKnowsIt(piece);
      expect(form === undefined || known.has(form) || /^\u001B[a-zA-Z0-9\r\u007F]$/.test(form), `${JSON.stringify(piece)} became ${JSON.stringify(form)}`).toBe(true);
    }
  });

  test('a very long run is taken in pieces that each move on', () => {
    const long = `${'x'.repeat(50_000)}\t${'\u007F'.repeat(50_000)}`;
    expect(actionsOf(long, TYPING).length).toBe(3);
    expect(actionsOf('q'.repeat(2_000), CHOOSING).length).toBe(2_000);
  });
});

/** Writes data as one read from the terminal. */
async function paste(stdin: {write: (data: string) => void}, data: string): Promise<void> {
  await act(async () => {
    stdin.write(data);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  });
}

/** Waits until the frame has stopped changing: keys that came together are fed one frame apart. */
async function settled(app: ReturnType<typeof renderAt>): Promise<void> {
  let last = app.lastFrame();
  let since = Date.now();
  await waitFor(
    () => {
      if (app.lastFrame() !== last) [last, since] = [app.lastFrame(), Date.now()];
      return Date.now() - since > 300;
    },
    'the screen to settle',
    app.lastFrame,
    30_000,
  );
}

async function toAddressField(app: ReturnType<typeof renderAt>) {
  await enterUntil(app, 'SSH (port 22)');
  await press(app.stdin, KEY.tab);
  await press(app.stdin, KEY.down);
  await waitForText(app, 'Your address');
  await press(app.stdin, KEY.tab);
  await waitForText(app, 'esc leave field');
}

describe('a paste with escape sequences in it', () => {
  for (const [name, data] of [
    ['plain', 'a\u001B[31mred'],
    ['bracketed', '\u001B[200~a\u001B[31mred\u001B[201~'],
  ] as const) {
    test(`(${name}) types its text into the field and leaves the sequences out`, async () => {
      const app = renderAt(<App mode="explain" onExit={() => undefined} />, 100);
      await toAddressField(app);
      await paste(app.stdin, data);
      await waitForText(app, 'ared');
      const frame = app.lastFrame() ?? '';
      expect(frame).not.toContain('[31m');
      expect(frame).not.toContain('200~');
      // Still answering keys: clear the field, type a good address, move on.
      await press(app.stdin, '\u0015');
      await type(app.stdin, '203.0.113.7/32');
      await press(app.stdin, KEY.enter);
      await waitForText(app, 'step 9 of 12');
    });
  }

  test('a very long escape sequence and a very long paste leave the field answering', async () => {
    const app = renderAt(<App mode="explain" onExit={() => undefined} />, 100);
    await toAddressField(app);
    await paste(app.stdin, `\u001B[${'1;'.repeat(100_000)}31m`);
    await paste(app.stdin, '9'.repeat(20_000));
    await settled(app);
    await press(app.stdin, '\u0015');
    await type(app.stdin, '203.0.113.7/32');
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'step 9 of 12');
  });

  test('seeded random hostile input on the lists of every step leaves the wizard drawing and answering', async () => {
    const seed = fuzzSeed();
    console.log(`hostile input on the wizard's lists: seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const random = seededRandom(seed);
    const exits: number[] = [];
    const app = renderAt(<App mode="explain" onExit={(code) => exits.push(code)} />, 100);
    await waitForText(app, 'step 1 of 12');
    // Everything but the keys that rightly quit (q, Ctrl+C) or confirm (Enter): lists move, Esc goes back.
    for (let run = 0; run < 12; run++) await paste(app.stdin, hostileRun(random, 60, {without: ['\r', '\n', '\u0003', 'q']}));
    await settled(app);
    expect(exits, `seed ${seed}`).toEqual([]);
    expect(app.lastFrame(), `seed ${seed}`).toMatch(/step \d+ of 12/);
  });

  test('seeded random hostile input in a field leaves the wizard drawing and answering', async () => {
    const seed = fuzzSeed();
    console.log(`hostile input on the wizard: seed ${seed} (replay with TANDEM_FUZZ_SEED=${seed})`);
    const random = seededRandom(seed);
    const exits: number[] = [];
    const app = renderAt(<App mode="explain" onExit={(code) => exits.push(code)} />, 100);
    await toAddressField(app);
    // In the field every printable key is text; only Enter, Esc, Tab and Ctrl keys act.
    for (let run = 0; run < 6; run++) await paste(app.stdin, hostileRun(random, 100, {without: ['\r', '\n', '\u0003', '\u001B', '\t']}));
    await settled(app);
    expect(exits, `seed ${seed}`).toEqual([]);
    await press(app.stdin, '\u0015');
    await type(app.stdin, '203.0.113.7/32');
    await press(app.stdin, KEY.enter);
    await waitFor(() => (app.lastFrame() ?? '').includes('step 9 of 12'), `seed ${seed}: the wizard to move on`, app.lastFrame);
  });
});
