// 3b. Peak RSS at the end of a headless launch (`tandem launch FILE --yes`) against moto, and
// 5. whole-process times of `tandem explain FILE --format json` and `tandem verify LAUNCH_ID`,
// each beside `node -e 0` started the same way (a plain child process, no terminal).
import {execFile} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {stringify} from 'yaml';
import {credentialsFor, freshAccountId, warmAccount, type Credentials} from './accounts.js';
import {everythingNewSpec, WEB_SERVER_RISKS} from '../test/support/launch-specs.js';
import {median, ratio, round} from './stats.js';
import {CLI, ROOT, cleanEnv, tempDir} from './terminal.js';

const RSS_PRELOAD = path.join(ROOT, 'bench', 'rss-at-exit.mjs');

interface Finished {
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
}

function node(args: string[], env: Record<string, string>): Promise<Finished> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, {env, maxBuffer: 16 * 1024 * 1024}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({code, ms: performance.now() - started, stdout, stderr});
    });
  });
}

function profileFile(label: string): string {
  const dir = tempDir('tandem-bench-profile-');
  const file = path.join(dir, `${label}.yaml`);
  writeFileSync(file, stringify(everythingNewSpec(dir, {acceptedRisks: WEB_SERVER_RISKS})));
  return file;
}

const awsEnv = (home: string, motoEndpoint: string, credentials: Credentials, extra: Record<string, string> = {}) =>
  cleanEnv({TANDEM_HOME: home, AWS_ENDPOINT_URL: motoEndpoint, AWS_REGION: 'us-east-1', ...credentials, ...extra});

function timed(label: string, results: Finished[], baselineMs: number) {
  const ms = median(results.map((result) => result.ms));
  return {
    label,
    runs: results.length,
    wallMs: results.map((result) => round(result.ms)),
    medianMs: round(ms),
    ratioToNode: ratio(ms, baselineMs),
    exitCodes: [...new Set(results.map((result) => result.code))],
  };
}

export type CommandTiming = ReturnType<typeof timed>;

export interface CommandFigures {
  nodeMedianMs: number;
  explain: CommandTiming;
  verify: CommandTiming;
  launch: CommandTiming & {medianPeakRssMB: number; medianEndRssMB: number; peakRssMB: number[]};
}

export async function measureCommands(motoEndpoint: string, runs: number, launches: number, log: (line: string) => void): Promise<CommandFigures> {
  const nodeRuns: Finished[] = [];
  for (let index = 0; index <= runs; index++) nodeRuns.push(await node(['-e', '0'], cleanEnv()));
  const nodeMedianMs = median(nodeRuns.slice(1).map((result) => result.ms));

  const explainFile = profileFile('explain');
  const explainRuns: Finished[] = [];
  for (let index = 0; index <= runs; index++) explainRuns.push(await node([CLI, 'explain', explainFile, '--format', 'json'], cleanEnv()));
  const badExplain = explainRuns.find((result) => result.code !== 0);
  if (badExplain) throw new Error(`tandem explain exited ${badExplain.code}: ${badExplain.stderr.trim()}`);

  // Launches share one TANDEM_HOME so verify finds their records; each uses its own account.
  const home = path.join(tempDir('tandem-bench-home-'), 'tandem');
  const launchRuns: Array<Finished & {peak: number; end: number; launchId: string; credentials: Credentials}> = [];
  for (let index = 0; index < launches; index++) {
    const account = freshAccountId();
    await warmAccount(motoEndpoint, account);
    const credentials = await credentialsFor(motoEndpoint, account);
    const rssFile = path.join(tempDir('tandem-bench-rss-'), 'status');
    const result = await node(
      ['--import', RSS_PRELOAD, CLI, 'launch', profileFile(`launch-${index}`), '--yes', '--output', 'json'],
      awsEnv(home, motoEndpoint, credentials, {TANDEM_BENCH_RSS: rssFile}),
    );
    const started = result.stdout.split('\n').find((line) => line.includes('"launch-started"'));
    if (!started || (result.code !== 0 && result.code !== 3)) {
      throw new Error(`tandem launch --yes exited ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
    }
    const status = readFileSync(rssFile, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    launchRuns.push({...result, peak: kb('VmHWM') / 1024, end: kb('VmRSS') / 1024, launchId: (JSON.parse(started) as {launchId: string}).launchId, credentials});
    log(`  headless launch ${index + 1}/${launches}: exit ${result.code}, ${round(result.ms)} ms, peak RSS ${round(launchRuns.at(-1)!.peak)} MB`);
  }

  const first = launchRuns[0];
  const verifyRuns: Finished[] = [];
  for (let index = 0; index <= runs; index++) {
    verifyRuns.push(await node([CLI, 'verify', first.launchId, '--output', 'json'], awsEnv(home, motoEndpoint, first.credentials)));
  }
  const badVerify = verifyRuns.find((result) => result.code !== 0 && result.code !== 3);
  if (badVerify) throw new Error(`tandem verify exited ${badVerify.code}: ${badVerify.stderr.trim()}`);

  // The first run of each command is a warm-up (file cache) and is left out.
  return {
    nodeMedianMs: round(nodeMedianMs),
    explain: timed('tandem explain FILE --format json', explainRuns.slice(1), nodeMedianMs),
    verify: timed('tandem verify LAUNCH_ID', verifyRuns.slice(1), nodeMedianMs),
    launch: {
      ...timed('tandem launch FILE --yes (moto, no added delay)', launchRuns, nodeMedianMs),
      medianPeakRssMB: round(median(launchRuns.map((result) => result.peak))),
      medianEndRssMB: round(median(launchRuns.map((result) => result.end))),
      peakRssMB: launchRuns.map((result) => round(result.peak)),
    },
  };
}
