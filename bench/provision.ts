// 4. Provisioning wall time of the all-new launch through the fault proxy (+delayMs per call)
// against two baselines in the same run: (a) the same SDK calls one after another, and (b) the
// equivalent AWS CLI calls. Each run gets a fresh, pre-warmed moto account.
import {readdirSync, readFileSync} from 'node:fs';
import {buildPlan, planDepth, planLevels} from '../source/domain/plan.js';
import type {Plan} from '../source/domain/plan-types.js';
import type {FaultProxy} from '../test/support/fault-proxy.js';
import {credentialsFor, freshAccountId, sdkSettings, warmAccount} from './accounts.js';
import {runCli, runSequential, runTandem, type RunResult, type StepTiming} from './runners.js';
import {everythingNewSpec, WEB_SERVER_RISKS} from '../test/support/launch-specs.js';
import {median, ratio, round} from './stats.js';
import {tempDir} from './terminal.js';

export interface ChainLink {
  id: string;
  ms: number;
  /** Time between the dependency that finished last and this step's start (scheduler overhead). */
  waitedMs: number;
}

export interface ProvisionFigures {
  delayMs: number;
  steps: number;
  depth: number;
  /** Step ids by graph level: level n waits only for steps in lower levels. */
  levels: string[][];
  apiCallsPerRun: number;
  /** Requests that did not get the added delay (must be 0 for the figures to mean anything). */
  undelayedCalls: number;
  /** One call alone (sequential runner), and one call while the other steps of its level are in flight (tandem). */
  medianCallMs: number;
  medianConcurrentCallMs: number;
  criticalPathMs: number;
  /** CPU time per tandem run of this Node process (SDK + proxy) and of moto: both share the machine's cores. */
  cpuPerTandemRun: {nodeMs: number; motoMs: number};
  tandem: {runs: number; wallMs: number[]; medianMs: number};
  sequential: {runs: number; wallMs: number[]; medianMs: number};
  cli: {runs: number; wallMs: number[]; medianMs: number; calls: number; generatedFromPlan: true};
  ratios: {tandemToCriticalPath: number; sequentialToTandem: number; cliToTandem: number};
  achievedChain: {ms: number; links: ChainLink[]};
}

/** Walks back from the last step to finish along the dependency that finished last. */
export function achievedChain(plan: Plan, steps: StepTiming[]): {ms: number; links: ChainLink[]} {
  const timing = new Map(steps.map((step) => [step.id, step]));
  const depsOf = new Map(plan.steps.map((step) => [step.id, step.dependsOn]));
  let current = [...steps].sort((a, b) => b.end - a.end)[0];
  const links: ChainLink[] = [];
  for (;;) {
    const deps = (depsOf.get(current.id) ?? []).map((id) => timing.get(id)!).filter(Boolean);
    const last = deps.sort((a, b) => b.end - a.end)[0];
    links.unshift({id: current.id, ms: round(current.end - current.start), waitedMs: round(current.start - (last?.end ?? 0))});
    if (!last) break;
    current = last;
  }
  return {ms: round(Math.max(...steps.map((step) => step.end))), links};
}

/** The pid of the moto server started by test/support/moto-server.ts, found by its command line. */
function pidListeningOn(port: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes('moto.server') && args[args.indexOf('-p') + 1] === port) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** User+system CPU of a process from /proc/PID/stat, in ms (clock ticks are 10 ms on Linux). */
function cpuTicksMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Context {
  motoEndpoint: string;
  proxy: FaultProxy;
  aws: string;
  runs: number;
  cliRuns: number;
  delayMs: number;
  log: (line: string) => void;
}

export async function measureProvisioning(context: Context): Promise<ProvisionFigures> {
  const {motoEndpoint, proxy, aws, runs, cliRuns, delayMs, log} = context;
  const planOf = (keyDir: string) => {
    const spec = everythingNewSpec(keyDir, {acceptedRisks: WEB_SERVER_RISKS});
    return {spec, plan: buildPlan(spec)};
  };
  const account = async () => {
    const id = freshAccountId();
    await warmAccount(motoEndpoint, id);
    return id;
  };
  const motoPid = pidListeningOn(new URL(motoEndpoint).port);
  const measured = async <T extends RunResult>(body: () => Promise<T>) => {
    const before = proxy.requests.length;
    const cpu = process.cpuUsage();
    const moto = cpuTicksMs(motoPid);
    const result = await body();
    const used = process.cpuUsage(cpu);
    const requests = proxy.requests.slice(before);
    return {
      ...result,
      requests: requests.length,
      undelayed: requests.filter((item) => item.faulted !== 'delay').length,
      nodeCpuMs: (used.user + used.system) / 1000,
      motoCpuMs: cpuTicksMs(motoPid) - moto,
    };
  };

  // Untimed warm-up without delay: loads the SDK into this process and shows every action called.
  const warm = planOf(tempDir('tandem-bench-key-'));
  await runTandem(sdkSettings(proxy.endpoint, await account()), warm.spec, warm.plan, tempDir('tandem-bench-home-'));
  const warm2 = planOf(tempDir('tandem-bench-key-'));
  await runSequential(sdkSettings(proxy.endpoint, await account()), warm2.spec, warm2.plan);
  const actions = new Set([...proxy.requests.map((item) => item.action), ...warm.plan.steps.map((step) => step.action)]);
  for (const action of actions) proxy.add({action, kind: 'delay', delayMs});

  const {plan} = warm;
  const tandem: Array<Awaited<ReturnType<typeof measured<RunResult>>>> = [];
  const sequential: typeof tandem = [];
  for (let index = 0; index < runs; index++) {
    const a = planOf(tempDir('tandem-bench-key-'));
    const tandemAccount = await account();
    tandem.push(await measured(() => runTandem(sdkSettings(proxy.endpoint, tandemAccount), a.spec, a.plan, tempDir('tandem-bench-home-'))));
    const b = planOf(tempDir('tandem-bench-key-'));
    const sequentialAccount = await account();
    sequential.push(await measured(() => runSequential(sdkSettings(proxy.endpoint, sequentialAccount), b.spec, b.plan)));
    log(`  provisioning run ${index + 1}/${runs}: tandem ${round(tandem.at(-1)!.wallMs)} ms, sequential ${round(sequential.at(-1)!.wallMs)} ms`);
  }
  const cli: typeof tandem = [];
  for (let index = 0; index < cliRuns; index++) {
    const c = planOf(tempDir('tandem-bench-key-'));
    const credentials = await credentialsFor(motoEndpoint, await account());
    cli.push(await measured(() => runCli(aws, proxy.endpoint, credentials, c.spec, c.plan)));
    log(`  AWS CLI run ${index + 1}/${cliRuns}: ${round(cli.at(-1)!.wallMs)} ms`);
  }

  const wall = (results: typeof tandem) => results.map((result) => round(result.wallMs));
  const medianOf = (results: typeof tandem) => median(results.map((result) => result.wallMs));
  // One uncontended call: the sequential runner's per-step times (each step is one API call).
  const medianCallMs = median(sequential.flatMap((result) => result.steps.map((step) => step.end - step.start)));
  const depth = planDepth(plan);
  const criticalPathMs = depth * medianCallMs;
  const tandemMedian = medianOf(tandem);
  const typical = [...tandem].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(tandem.length / 2)];
  return {
    delayMs,
    steps: plan.steps.length,
    depth,
    levels: planLevels(plan).map((level) => level.map((step) => step.id)),
    apiCallsPerRun: median(tandem.map((result) => result.requests)),
    undelayedCalls: [...tandem, ...sequential, ...cli].reduce((sum, result) => sum + result.undelayed, 0),
    medianCallMs: round(medianCallMs),
    medianConcurrentCallMs: round(median(tandem.flatMap((result) => result.steps.map((step) => step.end - step.start)))),
    cpuPerTandemRun: {nodeMs: round(median(tandem.map((result) => result.nodeCpuMs))), motoMs: round(median(tandem.map((result) => result.motoCpuMs)))},
    criticalPathMs: round(criticalPathMs),
    tandem: {runs, wallMs: wall(tandem), medianMs: round(tandemMedian)},
    sequential: {runs, wallMs: wall(sequential), medianMs: round(medianOf(sequential))},
    cli: {runs: cliRuns, wallMs: wall(cli), medianMs: round(medianOf(cli)), calls: median(cli.map((result) => result.requests)), generatedFromPlan: true},
    ratios: {
      tandemToCriticalPath: ratio(tandemMedian, criticalPathMs),
      sequentialToTandem: ratio(medianOf(sequential), tandemMedian),
      cliToTandem: ratio(medianOf(cli), tandemMedian),
    },
    achievedChain: achievedChain(plan, typical.steps),
  };
}
