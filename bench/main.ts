// `npm run bench`: measures tandem against baselines run in the same invocation, prints a
// markdown table, and writes bench/results.json. Starts and stops its own moto and fault proxy.
// `node bench/run.mjs --quick` uses fewer runs and writes .bench/results-quick.json instead.
import {writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startFaultProxy} from '../test/support/fault-proxy.js';
import {startMoto} from '../test/support/moto-server.js';
import {ensureAwsCli} from './awscli.js';
import {staticReport} from './bundle.js';
import {measureCommands} from './commands.js';
import {measureDiscovery} from './discovery.js';
import {measureFleet} from './fleet.js';
import {measureKeys, measureWalk} from './interactive.js';
import {measureProvisioning} from './provision.js';
import {discoveryRows, discoveryTargets, fleetRows, renderTable, targetsOf, type Results} from './report.js';
import {nodesUnderTest} from './nodes.js';
import {measureStartup, traceStartup} from './startup.js';
import {round} from './stats.js';
import {ROOT, removeTemps} from './terminal.js';

const quick = process.argv.includes('--quick');
/** `node bench/run.mjs --discovery`: only row 6, written to .bench/results-discovery.json. */
const discoveryOnly = process.argv.includes('--discovery');
const ACCOUNT_AT_SCALE = {roles: 1000, keys: 1000, securityGroups: 500, subnets: 200};
const settings = {
  runs: quick ? 3 : 7,
  cliRuns: quick ? 1 : 3,
  launches: 3,
  walks: 3,
  fleets: quick ? 1 : 3,
  keyPresses: quick ? 200 : 1000,
  keyIntervalMs: 40,
  delayMs: 50,
  discoveryRuns: 3,
};
const log = (line: string) => process.stderr.write(`${line}\n`);

async function discoveryAlone(): Promise<number> {
  const moto = await startMoto();
  try {
    const discovery = await measureDiscovery({motoEndpoint: moto.endpoint, runs: settings.discoveryRuns, delayMs: settings.delayMs, size: ACCOUNT_AT_SCALE, log});
    const targets = discoveryTargets(discovery);
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const table = discoveryRows(discovery, targets).map(line).join('\n');
    process.stdout.write(`\n${table}\n\n`);
    writeFileSync(
      path.join(ROOT, '.bench', 'results-discovery.json'),
      `${JSON.stringify({date: new Date().toISOString(), loadAverage: os.loadavg(), discovery, targets, table}, null, 2)}\n`,
    );
    return 0;
  } finally {
    await moto.stop();
  }
}

/**
 * `node bench/run.mjs --interactive`: only rows 1 and 2 (first frame, key → frame) on every Node,
 * with the module trace and the memory at the first frame; written to .bench/results-interactive.json.
 */
async function interactiveAlone(): Promise<number> {
  const lines: string[] = [];
  const startup = [];
  const keys = [];
  for (const node of nodesUnderTest()) {
    log(`1. ${node.label}: first frame, ${settings.runs} runs each of tandem, the Ink hello-world and node -e 0, then CPU runs…`);
    const figures = await measureStartup(node, settings.runs);
    startup.push(figures);
    log(`2. ${node.label}: ${settings.keyPresses} key presses…`);
    const pressed = await measureKeys(node, settings.keyPresses, settings.keyIntervalMs);
    keys.push(pressed);
    lines.push(
      `| ${figures.node} | first frame: tandem ${figures.medianTandemMs} ms, hello ${figures.medianHelloMs} ms, ${figures.ratioToHello}x; cold ${figures.medianTandemColdMs} ms, ${figures.coldRatioToHello}x; CPU ${figures.cpu.medianTandemMs} vs ${figures.cpu.medianHelloMs} ms, ${figures.cpu.ratioToHello}x | key → frame p50 ${pressed.p50Ms} ms, p95 ${pressed.p95Ms} ms |`,
    );
  }
  const trace = await traceStartup();
  removeTemps();
  lines.push(
    `| AWS SDK before the first frame: ${trace.sdkModulesBeforeFrame} of ${trace.modulesBeforeFrame} modules (${trace.chunksBeforeFrame.length} files); first SDK chunk ${trace.firstSdkChunkAfterFrameMs} ms after |`,
  );
  lines.push(...startup.map((figures) => `| ${figures.node}: peak RSS at the first frame ${figures.memoryAtFrame.medianHwmMB} MB |`));
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  writeFileSync(path.join(ROOT, '.bench', 'results-interactive.json'), `${JSON.stringify({date: new Date().toISOString(), loadAverage: os.loadavg(), startup, keys, trace}, null, 2)}\n`);
  return 0;
}

/** `node bench/run.mjs --fleet`: only row 7, written to .bench/results-fleet.json. */
async function fleetAlone(): Promise<number> {
  const moto = await startMoto();
  try {
    const fleet = await measureFleet(moto.endpoint, settings.fleets, log);
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const table = fleetRows(fleet).map(line).join('\n');
    process.stdout.write(`\n${table}\n\n`);
    writeFileSync(path.join(ROOT, '.bench', 'results-fleet.json'), `${JSON.stringify({date: new Date().toISOString(), loadAverage: os.loadavg(), fleet, table}, null, 2)}\n`);
    return 0;
  } finally {
    await moto.stop();
    removeTemps();
  }
}

async function main(): Promise<number> {
  if (discoveryOnly) return discoveryAlone();
  if (process.argv.includes('--fleet')) return fleetAlone();
  if (process.argv.includes('--interactive')) return interactiveAlone();
  const began = Date.now();
  const aws = ensureAwsCli(log);
  const machine = {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    nodes: [] as string[],
    platform: `${os.platform()} ${os.release()}`,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    // Other work on the machine moves every figure; the table shows the 1-minute load average.
    loadAverage: {start: os.loadavg().map((value) => round(value, 2)), end: [] as number[]},
  };
  log('bundle: static import graph of dist/cli.js…');
  const bundle = staticReport();
  const nodes = nodesUnderTest();
  machine.nodes = nodes.map((node) => node.label);
  const startup = [];
  for (const node of nodes) {
    log(`1. ${node.label}: first frame, ${settings.runs} runs each of tandem, the Ink hello-world and node -e 0, then CPU runs…`);
    startup.push(await measureStartup(node, settings.runs));
  }
  const trace = await traceStartup();
  log(`3. memory, ${settings.walks} walks to the review…`);
  const walk = await measureWalk(settings.walks);
  const keys = [];
  for (const node of nodes) {
    log(`2. ${node.label}: ${settings.keyPresses} key presses…`);
    keys.push(await measureKeys(node, settings.keyPresses, settings.keyIntervalMs));
  }

  log('starting moto and the fault proxy…');
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  try {
    log(`4. provisioning, ${settings.runs} runs (+${settings.delayMs} ms per call), AWS CLI ${settings.cliRuns} runs…`);
    const provisioning = await measureProvisioning({motoEndpoint: moto.endpoint, proxy, aws, runs: settings.runs, cliRuns: settings.cliRuns, delayMs: settings.delayMs, log});
    log(`5. explain and verify, ${settings.runs} runs; ${settings.launches} headless launches…`);
    const commands = await measureCommands(moto.endpoint, settings.runs, settings.launches, log);
    const discovery = await measureDiscovery({motoEndpoint: moto.endpoint, runs: settings.discoveryRuns, delayMs: settings.delayMs, size: ACCOUNT_AT_SCALE, log});
    log(`7. fleet, ${settings.fleets} runs: deploy + verify 2 × 2 beside four single launches…`);
    const fleet = await measureFleet(moto.endpoint, settings.fleets, log);
    machine.loadAverage.end = os.loadavg().map((value) => round(value, 2));
    const partial = {machine, settings, bundle, startup, trace, keys, walk, provisioning, commands, discovery, fleet};
    const results: Results = {...partial, targets: targetsOf(partial)};
    const table = renderTable(results);
    process.stdout.write(`\n${table}\n\n`);
    const failing = results.targets.filter((target) => !target.holds);
    if (failing.length > 0) process.stdout.write(`targets missed: ${failing.map((target) => `${target.id} (${target.value}; ${target.target})`).join(', ')}\n`);
    if (provisioning.undelayedCalls > 0) process.stdout.write(`warning: ${provisioning.undelayedCalls} calls did not get the added delay\n`);
    if (discovery.undelayedCalls > 0) process.stdout.write(`warning: ${discovery.undelayedCalls} discovery calls did not get the added delay\n`);
    const out = quick ? path.join(ROOT, '.bench', 'results-quick.json') : path.join(ROOT, 'bench', 'results.json');
    writeFileSync(out, `${JSON.stringify({...results, table}, null, 2)}\n`);
    log(`bench finished in ${Math.round((Date.now() - began) / 1000)} s; wrote ${path.relative(ROOT, out)}`);
    return 0;
  } finally {
    await proxy.close();
    await moto.stop();
    removeTemps();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    removeTemps();
    process.exitCode = 1;
  },
);
