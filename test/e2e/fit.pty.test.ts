// tandem at 80×24, 60×20 and 40×15, walked screen by screen in a real pseudo-terminal and read
// back through a terminal emulator: on every screen the header, the row under the cursor and the
// key help must all be on screen at once.
import {afterEach, describe, expect, test} from 'vitest';
import {cleanEnv, removeTempHomes, requireBuild, STEPS, tempHome} from './pty-session.js';
import {SizedScreen} from './pty-screen.js';

afterEach(() => removeTempHomes());

const SIZES: Array<[number, number]> = [
  [80, 24],
  [60, 20],
  [40, 15],
];

const ENTER = '\r';
const TAB = '\t';
const ESC = '\u001B';

/** Header on the first row, the cursor row (›) in the body, the help line at the bottom. */
/** Steps with nothing to choose (isolation, after launch) have no cursor row. */
const NO_INPUTS = new Set([2, 11]);

function fits(lines: string[], step?: number): boolean {
  const filled = lines.map((line) => line.trimEnd());
  const last = filled.map((line, index) => (line ? index : -1)).reduce((a, b) => Math.max(a, b), -1);
  const help = filled.slice(Math.max(0, last - 3), last + 1).join(' ');
  return (
    filled[0].startsWith('tandem') &&
    (step === undefined || filled.slice(0, 3).some((line) => line.includes(`step ${step} of ${STEPS}`))) &&
    (NO_INPUTS.has(step ?? 0) || filled.slice(1, last).some((line) => line.includes('›'))) &&
    /\bq quit\b|ctrl\+c quit/.test(help)
  );
}

describe.each(SIZES)('at %i×%i columns and rows', (columns, rows) => {
  test('every wizard step, the review, its findings and its prompt keep header, cursor row and help on screen', async () => {
    requireBuild();
    const screen = new SizedScreen(columns, rows, [], cleanEnv(tempHome()));
    try {
      for (let step = 1; step <= STEPS; step++) {
        await screen.until((lines) => fits(lines, step), `step ${step} with header, cursor row and help`);
        if (step < STEPS) await screen.press(ENTER);
      }
      // The review: the cursor arrives on the primary action (Save as profile in explain mode).
      await screen.until((lines) => lines.some((line) => line.includes('› Save as profile')), 'the cursor on Save as profile');
      await screen.press(TAB);
      await screen.until(
        (lines) => fits(lines, STEPS) && lines.some((line) => /› (HIGH|MEDIUM|LOW)/.test(line)) && lines.join(' ').includes('a accept this risk'),
        'a finding under the cursor',
      );
      await screen.press('a');
      await screen.until((lines) => lines.some((line) => line.includes('acceptable here?')) && lines.some((line) => line.includes(' › ')), 'the reason prompt');
      await screen.press(ESC);
      await screen.until((lines) => fits(lines, STEPS) && !lines.some((line) => line.includes('acceptable here?')), 'the prompt closed');
      await screen.press('q');
      expect(await screen.exitWithin()).toBe(0);
    } finally {
      screen.kill();
    }
  }, 120_000);
});

const PGDN = '\u001B[6~';
const DOWN = '\u001B[B';

describe.each([
  [80, 24],
  [40, 15],
] as Array<[number, number]>)('the review at %i×%i', (columns, rows) => {
  test('PgDn brings every section of the review on screen, down to the last API call, and ↓ reaches Quit', async () => {
    requireBuild();
    const screen = new SizedScreen(columns, rows, [], cleanEnv(tempHome()));
    try {
      for (let step = 1; step <= STEPS; step++) {
        await screen.until((lines) => fits(lines, step), `step ${step}`);
        if (step < STEPS) await screen.press(ENTER);
      }
      await screen.until((lines) => lines.some((line) => line.includes('› Save as profile')), 'the review');
      // The last API call is the root volume's first snapshot, taken once the instance runs.
      const wanted = ['Your launch', 'Resources and who owns them', 'Findings (', 'API calls, in order', 'ec2:CreateSnapshot'];
      const seen = new Set<string>();
      // One page at a time: each press is read off the screen before the next. A screen that
      // stops moving three presses in a row is at the end (or does not scroll at all).
      for (let page = 0, still = 0; page < 400 && still < 3 && seen.size < wanted.length; page++) {
        const text = screen.text();
        for (const section of wanted) if (text.includes(section)) seen.add(section);
        if (seen.size === wanted.length) break;
        await screen.press(PGDN);
        const moved = await screen
          .until((lines) => lines.join('\n') !== text, 'the details to move', 4000)
          .then(
            () => true,
            () => false,
          );
        still = moved ? 0 : still + 1;
      }
      expect(wanted.filter((section) => !seen.has(section))).toEqual([]);
      for (const action of ['Back', 'Quit']) {
        await screen.press(DOWN);
        await screen.until((lines) => fits(lines, STEPS) && lines.some((line) => line.includes(`› ${action}`)), `the cursor on ${action}`);
      }
      await screen.press(ENTER);
      expect(await screen.exitWithin()).toBe(0);
    } finally {
      screen.kill();
    }
  }, 120_000);
});

test('the resume offer fits at 40×15 and names the launch it resumes in the header', async () => {
  requireBuild();
  const home = tempHome();
  const first = new SizedScreen(40, 15, [], cleanEnv(home));
  try {
    await first.until((lines) => fits(lines, 1), 'step 1');
    await first.press(ENTER);
    await first.until((lines) => fits(lines, 2), 'step 2');
    await first.press('q');
    await first.exit;
  } finally {
    first.kill();
  }
  const second = new SizedScreen(40, 15, [], cleanEnv(home));
  try {
    await second.until((lines) => fits(lines) && lines.some((line) => line.includes('› Resume')), 'the resume offer');
    expect(second.lines()[0]).toContain('launch web-1');
  } finally {
    second.kill();
  }
}, 120_000);

test('resizing 120→80→60→40→120 redraws a whole screen each time', async () => {
  requireBuild();
  const screen = new SizedScreen(120, 40, [], cleanEnv(tempHome()));
  try {
    await screen.until((lines) => fits(lines, 1), 'the first step at 120×40');
    for (const [columns, rows] of [
      [80, 24],
      [60, 20],
      [40, 15],
      [120, 40],
    ] as const) {
      screen.resize(columns, rows);
      await screen.until((lines) => fits(lines, 1) && lines.every((line) => line.length <= columns), `a clean frame at ${columns}×${rows}`);
    }
  } finally {
    screen.kill();
  }
}, 120_000);
