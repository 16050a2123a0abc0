// 1. Time to the first interactive frame of `tandem` in a pty, on each Node under test, against
// the smallest Ink app bundled the same way (bench/ink-hello.tsx) and `node -e 0`, all spawned the
// same way, runs interleaved so drift hits all alike: tandem warm (Node's compile cache filled by
// an earlier run, where Node has one) and cold (NODE_DISABLE_COMPILE_CACHE=1, as a user's very
// first run); memory at that frame; and, in runs of their own, the main thread's CPU time to that
// frame. One extra untimed run with a module-load trace
// shows which chunks load before the frame and when the SDK loads.
import {readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';
import {isSdkModule, modulesIn} from './bundle.js';
import type {NodeBinary} from './nodes.js';
import {median, ratio, round} from './stats.js';
import {CLI, INK_HELLO, ROOT, Terminal, cleanEnv, memoryOf, tempDir, type Memory} from './terminal.js';

export const FIRST_FRAME_TEXT = 'step 1 of';
export const HELLO_TEXT = 'hello';
export const SETTLED_TEXT = 'explain mode — nothing will be created';
const CPU_PRELOAD = path.join(ROOT, 'bench', 'cpu-at-frame.mjs');

export interface StartupFigures {
  node: string;
  runs: number;
  nodeMs: number[];
  helloMs: number[];
  tandemMs: number[];
  medianNodeMs: number;
  medianHelloMs: number;
  medianTandemMs: number;
  /** tandem / Ink hello: the target. */
  ratioToHello: number;
  /** tandem without Node's compile cache (a user's very first run), and its ratio to the hello-world. */
  tandemColdMs: number[];
  medianTandemColdMs: number;
  coldRatioToHello: number;
  ratioToNode: number;
  /** Main-thread CPU ms from process start to the first frame, from separate runs with a preload. */
  cpu: {helloMs: number[]; tandemMs: number[]; medianHelloMs: number; medianTandemMs: number; ratioToHello: number};
  memoryAtFrame: {medianRssMB: number; medianHwmMB: number; samples: Memory[]};
}

async function nodeBaseline(node: string): Promise<number> {
  const started = performance.now();
  const terminal = new Terminal(node, ['-e', '0'], cleanEnv());
  await terminal.exit;
  return performance.now() - started;
}

/** Spawns `script` and resolves when `text` is on the terminal; `onFrame` runs in that same handler. */
async function firstFrame(node: string, args: string[], text: string, env: Record<string, string>, onFrame?: (terminal: Terminal) => void): Promise<number> {
  const terminal = new Terminal(node, args, env);
  try {
    const at = await terminal.waitFor(text, 20_000, () => onFrame?.(terminal));
    return at - terminal.started;
  } finally {
    terminal.kill();
    await terminal.exit;
  }
}

async function tandemFirstFrame(node: string, extraEnv: Record<string, string> = {}): Promise<{ms: number; memory: Memory}> {
  let memory: Memory = {rssMB: Number.NaN, hwmMB: Number.NaN};
  // Memory is read inside the output handler, before tandem's next turn can load the SDK.
  const ms = await firstFrame(node, [CLI], FIRST_FRAME_TEXT, cleanEnv(extraEnv), (terminal) => {
    memory = memoryOf(terminal.pid);
  });
  return {ms, memory};
}

const helloFirstFrame = (node: string) => firstFrame(node, [INK_HELLO], HELLO_TEXT, cleanEnv());

/** Without Node's compile cache: how a user's very first run starts. */
const COLD = {NODE_DISABLE_COMPILE_CACHE: '1'};

/**
 * A run of tandem as a user's first: it stays until the wizard has settled and then quits, so Node
 * writes its compile cache (where it has one) and the timed warm runs start as a user's later ones.
 */
async function tandemWarmUp(node: NodeBinary): Promise<void> {
  const terminal = new Terminal(node.path, [CLI], cleanEnv());
  try {
    await terminal.waitFor(SETTLED_TEXT, 20_000);
    terminal.write('q');
    await terminal.exit;
  } finally {
    terminal.kill();
    await terminal.exit;
  }
}

/** Main-thread CPU ms until the frame's first write, as bench/cpu-at-frame.mjs records it. */
async function cpuToFrame(node: string, script: string, text: string): Promise<number> {
  const file = path.join(tempDir('tandem-bench-cpu-'), 'ns');
  await firstFrame(node, ['--import', CPU_PRELOAD, script], text, cleanEnv({TANDEM_BENCH_CPU: file, TANDEM_BENCH_FRAME_TEXT: text}));
  const ns = Number(readFileSync(file, 'utf8'));
  rmSync(file);
  return ns / 1e6;
}

export async function measureStartup(node: NodeBinary, runs: number): Promise<StartupFigures> {
  // One warm-up of each fills the OS file cache and Node's compile cache, as on any machine that
  // ran tandem before.
  await nodeBaseline(node.path);
  await helloFirstFrame(node.path);
  await tandemWarmUp(node);
  const nodeMs: number[] = [];
  const helloMs: number[] = [];
  const tandemMs: number[] = [];
  const tandemColdMs: number[] = [];
  const samples: Memory[] = [];
  for (let run = 0; run < runs; run++) {
    nodeMs.push(await nodeBaseline(node.path));
    helloMs.push(await helloFirstFrame(node.path));
    const {ms, memory} = await tandemFirstFrame(node.path);
    tandemMs.push(ms);
    samples.push(memory);
    tandemColdMs.push((await tandemFirstFrame(node.path, COLD)).ms);
  }
  const cpuHello: number[] = [];
  const cpuTandem: number[] = [];
  for (let run = 0; run < runs; run++) {
    cpuHello.push(await cpuToFrame(node.path, INK_HELLO, HELLO_TEXT));
    cpuTandem.push(await cpuToFrame(node.path, CLI, FIRST_FRAME_TEXT));
  }
  const medianNodeMs = median(nodeMs);
  const medianHelloMs = median(helloMs);
  const medianTandemMs = median(tandemMs);
  return {
    node: node.label,
    runs,
    nodeMs: nodeMs.map((value) => round(value)),
    helloMs: helloMs.map((value) => round(value)),
    tandemMs: tandemMs.map((value) => round(value)),
    medianNodeMs: round(medianNodeMs),
    medianHelloMs: round(medianHelloMs),
    medianTandemMs: round(medianTandemMs),
    ratioToHello: ratio(medianTandemMs, medianHelloMs),
    tandemColdMs: tandemColdMs.map((value) => round(value)),
    medianTandemColdMs: round(median(tandemColdMs)),
    coldRatioToHello: ratio(median(tandemColdMs), medianHelloMs),
    ratioToNode: ratio(medianTandemMs, medianNodeMs),
    cpu: {
      helloMs: cpuHello.map((value) => round(value)),
      tandemMs: cpuTandem.map((value) => round(value)),
      medianHelloMs: round(median(cpuHello)),
      medianTandemMs: round(median(cpuTandem)),
      ratioToHello: ratio(median(cpuTandem), median(cpuHello)),
    },
    memoryAtFrame: {
      medianRssMB: round(median(samples.map((item) => item.rssMB))),
      medianHwmMB: round(median(samples.map((item) => item.hwmMB))),
      samples: samples.map((item) => ({rssMB: round(item.rssMB), hwmMB: round(item.hwmMB)})),
    },
  };
}

export interface TraceFigures {
  chunksBeforeFrame: string[];
  modulesBeforeFrame: number;
  sdkModulesBeforeFrame: number;
  chunksAfterFrame: number;
  /** ms from the first frame to the first chunk with AWS SDK code (negative would be a failure). */
  firstSdkChunkAfterFrameMs: number | null;
}

/** One untimed run with a loader hook that logs each module load (bench/trace-hooks.mjs). */
export async function traceStartup(): Promise<TraceFigures> {
  const traceFile = path.join(tempDir('tandem-trace-'), 'modules.log');
  const register = path.join(ROOT, 'bench', 'trace-register.mjs');
  const terminal = new Terminal(process.execPath, ['--import', register, CLI], cleanEnv({TANDEM_BENCH_TRACE: traceFile}));
  let frameAt = 0;
  try {
    await terminal.waitFor(FIRST_FRAME_TEXT, 20_000, () => {
      frameAt = Date.now();
    });
    await terminal.waitFor(SETTLED_TEXT, 20_000);
  } finally {
    terminal.kill();
    await terminal.exit;
  }
  const dist = path.dirname(CLI);
  const loads = readFileSync(traceFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [at, url] = line.split(' ');
      return {at: Number(at), file: fileURLToPath(url)};
    })
    .filter((load) => load.file.startsWith(dist));
  const before = loads.filter((load) => load.at <= frameAt);
  const after = loads.filter((load) => load.at > frameAt);
  const modulesBefore = before.flatMap((load) => modulesIn(load.file));
  const sdkLoads = loads.filter((load) => modulesIn(load.file).some(isSdkModule));
  return {
    chunksBeforeFrame: before.map((load) => path.relative(dist, load.file)),
    modulesBeforeFrame: modulesBefore.length,
    sdkModulesBeforeFrame: modulesBefore.filter(isSdkModule).length,
    chunksAfterFrame: after.length,
    firstSdkChunkAfterFrameMs: sdkLoads.length > 0 ? Math.min(...sdkLoads.map((load) => load.at)) - frameAt : null,
  };
}
