// Random and hostile input for fuzz tests, from a seeded generator so that a failure can be
// replayed: every test that uses it prints its seed, and TANDEM_FUZZ_SEED replays one.

/** mulberry32: a small, fast 32-bit generator; the same seed gives the same runs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed a fuzz test uses: TANDEM_FUZZ_SEED when given, else a fresh one. */
export function fuzzSeed(): number {
  const given = Number(process.env.TANDEM_FUZZ_SEED);
  return Number.isInteger(given) && given > 0 ? given : 1 + Math.floor(Math.random() * 0x7fff_ffff);
}

/** Pieces a terminal, a paste or a broken link can put on stdin. */
export const HOSTILE_PIECES: readonly string[] = [
  '\u001B', // a lone ESC
  '\u001B\u001B',
  '\u001B[', // a CSI cut short
  '\u001B[3',
  '\u001B[31m', // colour codes, as in a paste from a coloured terminal
  '\u001B[0m',
  '\u001B[1;31;4m',
  '\u001B[38;2;255;0;0m',
  '\u001B[200~', // bracketed paste markers
  '\u001B[201~',
  '\u001B[?2004h',
  '\u001B[?25l',
  '\u001B[6n', // a cursor position request, and a report
  '\u001B[12;40R',
  '\u001B]0;title\u0007', // an OSC (window title), and one never ended
  '\u001B]52;c;aGVsbG8=',
  '\u001BP1$r0m\u001B\\', // DCS
  '\u001BOA', // SS3
  '\u001BO',
  '\u001B[1;5A', // Ctrl+Up
  '\u001B[99;99;99;99~',
  '\u001B[<0;10;10M', // mouse reports
  '\u001B[M !!',
  '\u001B[9999999999999999999999A',
  '\u001B[[A',
  '\u001B[[5~',
  '\u001B[5$',
  '\u001B[1;2:3A', // kitty-style
  '\u001B[97;5u',
  '\u0000',
  '\u0007',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001C',
  '\u001F',
  '\u007F',
  '\u0080',
  '\u009B31m', // an 8-bit CSI
  '\uFFFD', // what invalid UTF-8 decodes to
  '\uD800', // lone surrogates
  '\uDC00',
  '😀',
  'é',
  '\u200B',
  '\u202E', // right-to-left override
  'a',
  'Z',
  ' ',
];

export interface ByteRunOptions {
  /** Characters never sent (keys that would rightly quit or leave the screen under test). */
  without?: readonly string[];
  /** The longest run of one repeated piece. */
  longest?: number;
}

/** A run of random and hostile input: pieces above, random code units, long repeats of one piece. */
export function hostileRun(random: () => number, length: number, options: ByteRunOptions = {}): string {
  const without = options.without ?? [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  let run = '';
  while (run.length < length) {
    const roll = random();
    if (roll < 0.5) run += pick(HOSTILE_PIECES);
    else if (roll < 0.85) run += String.fromCharCode(Math.floor(random() * 256));
    else if (roll < 0.95) run += String.fromCharCode(Math.floor(random() * 0x10000));
    else run += pick(HOSTILE_PIECES).repeat(1 + Math.floor(random() * (options.longest ?? 200)));
  }
  for (const character of without) run = run.split(character).join('');
  return run;
}

/**
 * Raw bytes for a terminal: hostile runs as UTF-8 mixed with stray bytes that are not UTF-8 at
 * all (0x80–0xFF alone). `without` drops single bytes (UTF-8 never uses ASCII inside a character).
 */
export function hostileBytes(random: () => number, length: number, without: readonly number[] = []): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < length) {
    const part = random() < 0.7 ? Buffer.from(hostileRun(random, 1 + Math.floor(random() * 40)), 'utf8') : Buffer.from([Math.floor(random() * 256)]);
    parts.push(part);
    size += part.length;
  }
  return Buffer.from([...Buffer.concat(parts)].filter((byte) => !without.includes(byte)));
}
