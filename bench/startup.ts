// 1. Time to the first interactive frame of `tandem` in a pty against `node -e 0` spawned the
// same way, runs interleaved so drift hits both alike; memory at that frame. One extra untimed
// run with a module-load trace shows which chunks load before the frame and when the SDK loads.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';
import {isSdkModule, modulesIn} from './bundle.js';
import {median, ratio, round} from './stats.js';
import {CLI, ROOT, Terminal, cleanEnv, memoryOf, tempDir, type Memory} from './terminal.js';

export const FIRST_FRAME_TEXT = 'step 1 of';
export const SETTLED_TEXT = 'explain mode — nothing will be created';

export interface StartupFigures {
  runs: number;
  nodeMs: number[];
  tandemMs: number[];
  medianNodeMs: number;
  medianTandemMs: number;
  ratio: number;
  memoryAtFrame: {medianRssMB: number; medianHwmMB: number; samples: Memory[]};
}

async function nodeBaseline(): Promise<number> {
  const started = performance.now();
  const terminal = new Terminal(process.execPath, ['-e', '0'], cleanEnv());
  await terminal.exit;
  return performance.now() - started;
}

async function tandemFirstFrame(): Promise<{ms: number; memory: Memory}> {
  const terminal = new Terminal(process.execPath, [CLI], cleanEnv());
  let memory: Memory = {rssMB: Number.NaN, hwmMB: Number.NaN};
  try {
    // Memory is read inside the output handler, before tandem's next turn can load the SDK.
    const at = await terminal.waitFor(FIRST_FRAME_TEXT, 20_000, () => {
      memory = memoryOf(terminal.pid);
    });
    return {ms: at - terminal.started, memory};
  } finally {
    terminal.kill();
    await terminal.exit;
  }
}

export async function measureStartup(runs: number): Promise<StartupFigures> {
  // One warm-up of each fills the OS file cache, as on any machine that ran tandem before.
  await nodeBaseline();
  await tandemFirstFrame();
  const nodeMs: number[] = [];
  const tandemMs: number[] = [];
  const samples: Memory[] = [];
  for (let run = 0; run < runs; run++) {
    nodeMs.push(await nodeBaseline());
    const {ms, memory} = await tandemFirstFrame();
    tandemMs.push(ms);
    samples.push(memory);
  }
  const medianNodeMs = median(nodeMs);
  const medianTandemMs = median(tandemMs);
  return {
    runs,
    nodeMs: nodeMs.map((ms) => round(ms)),
    tandemMs: tandemMs.map((ms) => round(ms)),
    medianNodeMs: round(medianNodeMs),
    medianTandemMs: round(medianTandemMs),
    ratio: ratio(medianTandemMs, medianNodeMs),
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
      return {at: Number(at), file: fileURLToPath(url!)};
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
