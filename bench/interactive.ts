// 2. Keystroke-to-frame latency through the real app in a pty, and 3a. memory of an
// interactive session walked from the first frame to the review (no credentials: explain mode).
import type {NodeBinary} from './nodes.js';
import {percentile, median, round} from './stats.js';
import {FIRST_FRAME_TEXT, SETTLED_TEXT} from './startup.js';
import {CLI, Terminal, cleanEnv, memoryOf, pause, type Memory} from './terminal.js';

const DOWN = '\u001B[B';
const UP = '\u001B[A';
const STEPS = 12;

export interface KeyFigures {
  node: string;
  presses: number;
  /** Presses after which nothing was drawn within 2 s (counted, not timed). */
  missed: number;
  intervalMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Alternates ↓ and ↑ on the image list. Each press waits until the previous frame is complete
 * and at least `intervalMs` have passed since the previous press: Ink draws at most 30 frames a
 * second, so presses closer than 34 ms would measure that cap (and a queue), not the app.
 */
export async function measureKeys(node: NodeBinary, presses: number, intervalMs: number): Promise<KeyFigures> {
  const terminal = new Terminal(node.path, [CLI], cleanEnv());
  const latencies: number[] = [];
  let missed = 0;
  try {
    await terminal.waitFor(FIRST_FRAME_TEXT);
    await terminal.waitFor(SETTLED_TEXT);
    await pause(300);
    for (let press = 0; press < presses; press++) {
      const started = performance.now();
      const latency = await terminal.keyToFrame(press % 2 === 0 ? DOWN : UP);
      if (latency === undefined) missed += 1;
      else latencies.push(latency);
      // The next press comes after the frame is drawn, and never sooner than intervalMs.
      const rest = intervalMs - (performance.now() - started);
      await pause(Math.max(rest, 5));
    }
    terminal.write('q');
    await terminal.exit;
  } finally {
    terminal.kill();
  }
  return {
    node: node.label,
    presses,
    missed,
    intervalMs,
    p50Ms: round(percentile(latencies, 50), 2),
    p95Ms: round(percentile(latencies, 95), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    maxMs: round(Math.max(...latencies), 2),
  };
}

export interface WalkFigures {
  runs: number;
  atFrame: {medianRssMB: number; medianHwmMB: number};
  atReview: {medianRssMB: number; medianHwmMB: number};
  samples: Array<{atFrame: Memory; atReview: Memory}>;
}

async function walkOnce(): Promise<{atFrame: Memory; atReview: Memory}> {
  const terminal = new Terminal(process.execPath, [CLI], cleanEnv());
  let atFrame: Memory = {rssMB: Number.NaN, hwmMB: Number.NaN};
  try {
    await terminal.waitFor(FIRST_FRAME_TEXT, 20_000, () => {
      atFrame = memoryOf(terminal.pid);
    });
    await terminal.waitFor(SETTLED_TEXT);
    for (let step = 2; step <= STEPS; step++) {
      await pause(30);
      terminal.write('\r');
      await terminal.waitFor(`step ${step} of ${STEPS}`);
    }
    // The review's details scroll in their own region; its actions are always on screen.
    await terminal.waitFor('What next');
    await pause(200);
    const atReview = memoryOf(terminal.pid);
    terminal.write('q');
    await terminal.exit;
    return {atFrame, atReview};
  } finally {
    terminal.kill();
  }
}

export async function measureWalk(runs: number): Promise<WalkFigures> {
  const samples: WalkFigures['samples'] = [];
  for (let run = 0; run < runs; run++) samples.push(await walkOnce());
  const pick = (key: 'atFrame' | 'atReview') => ({
    medianRssMB: round(median(samples.map((item) => item[key].rssMB))),
    medianHwmMB: round(median(samples.map((item) => item[key].hwmMB))),
  });
  return {runs, atFrame: pick('atFrame'), atReview: pick('atReview'), samples};
}
