// The table `npm run bench` prints (markdown, so it pastes into docs/performance.md as is).
import type {StaticReport} from './bundle.js';
import type {CommandFigures} from './commands.js';
import type {DiscoveryFigures} from './discovery.js';
import type {FleetFigures} from './fleet.js';
import type {KeyFigures, WalkFigures} from './interactive.js';
import type {ProvisionFigures} from './provision.js';
import type {StartupFigures, TraceFigures} from './startup.js';

export interface Results {
  machine: {date: string; cores: number; cpu: string; node: string; nodes: string[]; platform: string; memoryGB: number; loadAverage: {start: number[]; end: number[]}};
  settings: Record<string, number>;
  bundle: StaticReport;
  /** One per Node under test, the machine's first. */
  startup: StartupFigures[];
  trace: TraceFigures;
  /** One per Node under test. */
  keys: KeyFigures[];
  walk: WalkFigures;
  provisioning: ProvisionFigures;
  commands: CommandFigures;
  discovery: DiscoveryFigures;
  fleet: FleetFigures;
  targets: Array<{id: string; target: string; value: string; holds: boolean}>;
}

const ms = (value: number) => `${value.toFixed(value < 100 ? 1 : 0)} ms`;
const mb = (value: number) => `${value.toFixed(0)} MB`;
const x = (value: number) => `${value.toFixed(2)}x`;

export function targetsOf(r: Omit<Results, 'targets'>): Results['targets'] {
  const p = r.provisioning;
  return [
    ...r.startup.map((s) => ({
      id: `first-frame ${s.node}`,
      target: '≤ 1.25x Ink hello',
      value: `${x(s.ratioToHello)} (${ms(s.medianTandemMs)} vs ${ms(s.medianHelloMs)})`,
      holds: s.ratioToHello <= 1.25,
    })),
    ...r.startup.map((s) => ({
      id: `first-frame-cold ${s.node}`,
      target: '≤ 1.25x Ink hello, no compile cache',
      value: `${x(s.coldRatioToHello)} (${ms(s.medianTandemColdMs)} vs ${ms(s.medianHelloMs)})`,
      holds: s.coldRatioToHello <= 1.25,
    })),
    {
      id: 'sdk-after-frame',
      target: 'no AWS SDK before the first frame',
      value: `${r.trace.sdkModulesBeforeFrame} SDK modules before, ${r.bundle.sdkModules.length} in the static graph`,
      holds: r.trace.sdkModulesBeforeFrame === 0 && r.bundle.sdkModules.length === 0 && (r.trace.firstSdkChunkAfterFrameMs ?? 1) > 0,
    },
    ...r.keys.map((k) => ({id: `key-p95 ${k.node}`, target: 'p95 < 16 ms', value: ms(k.p95Ms), holds: k.p95Ms < 16})),
    {id: 'rss-before-sdk', target: '< 100 MB', value: mb(r.walk.atFrame.medianHwmMB), holds: r.walk.atFrame.medianHwmMB < 100},
    {id: 'rss-after-launch', target: '< 180 MB', value: mb(r.commands.launch.medianPeakRssMB), holds: r.commands.launch.medianPeakRssMB < 180},
    {id: 'critical-path', target: '≤ 1.3x', value: x(p.ratios.tandemToCriticalPath), holds: p.ratios.tandemToCriticalPath <= 1.3},
    {id: 'vs-sequential-sdk', target: '≥ 2x faster', value: x(p.ratios.sequentialToTandem), holds: p.ratios.sequentialToTandem >= 2},
    {id: 'vs-aws-cli', target: '≥ 20x faster', value: x(p.ratios.cliToTandem), holds: p.ratios.cliToTandem >= 20},
    ...discoveryTargets(r.discovery),
  ];
}

/** Issue 16: every list usable within 1 s and complete within 2 s, in at most 20 calls. */
export function discoveryTargets(d: DiscoveryFigures): Results['targets'] {
  return d.lists.flatMap((list) => [
    {id: `discovery-${list.kind}-usable`, target: '≤ 1 s', value: ms(list.tandem.firstMs), holds: list.tandem.firstMs <= 1000},
    {id: `discovery-${list.kind}-complete`, target: '≤ 2 s', value: ms(list.tandem.completeMs), holds: list.tandem.completeMs <= 2000},
    {id: `discovery-${list.kind}-calls`, target: '≤ 20 calls', value: String(list.tandem.calls), holds: list.tandem.calls <= 20},
  ]);
}

export function discoveryRows(d: DiscoveryFigures, targets: Results['targets']): string[][] {
  const holds = (id: string) => {
    const target = targets.find((item) => item.id === id);
    return target ? `${target.target} ${target.holds ? '✓' : '✗'}` : '';
  };
  return d.lists.flatMap((list) => [
    [
      '6',
      `${list.items} ${list.kind}: calls, usable (first page)`,
      `${list.tandem.calls} calls, ${ms(list.tandem.firstMs)}`,
      `one call per item: ${list.perItem.calls} calls, nothing shown before ${ms(list.perItem.completeMs)}`,
      x(list.perItem.completeMs / list.tandem.firstMs),
      `${holds(`discovery-${list.kind}-usable`)}, ${holds(`discovery-${list.kind}-calls`)}`,
    ],
    [
      '6',
      `${list.items} ${list.kind}: complete`,
      ms(list.tandem.completeMs),
      `one call per item: ${ms(list.perItem.completeMs)}`,
      x(list.perItem.completeMs / list.tandem.completeMs),
      holds(`discovery-${list.kind}-complete`),
    ],
  ]);
}

export function fleetRows(f: FleetFigures): string[][] {
  return [
    ['7', '`tandem fleet deploy`, 2 accounts × 2 regions (moto StackSets)', ms(f.medianDeployMs), '', '', ''],
    ['7', '`tandem fleet verify`, 4 targets', ms(f.medianVerifyMs), '', '', ''],
    ['7', 'fleet deploy + verify, 2 × 2', ms(f.medianFleetMs), `four \`launch --yes\` one after another: ${ms(f.medianLaunchesMs)}`, x(f.ratioLaunchesToFleet), ''],
  ];
}

export function renderTable(r: Results): string {
  const p = r.provisioning;
  const c = r.commands;
  const holds = (id: string) => {
    const target = r.targets.find((item) => item.id === id);
    return target ? `${target.target} ${target.holds ? '✓' : '✗'}` : '';
  };
  const rows: string[][] = [
    ...r.startup.flatMap((s) => [
      ['1', `first frame of \`tandem\` in a pty, ${s.node}`, ms(s.medianTandemMs), `Ink hello: ${ms(s.medianHelloMs)}`, x(s.ratioToHello), holds(`first-frame ${s.node}`)],
      [
        '1',
        `the same with no compile cache (a first run), ${s.node}`,
        ms(s.medianTandemColdMs),
        `Ink hello: ${ms(s.medianHelloMs)}`,
        x(s.coldRatioToHello),
        holds(`first-frame-cold ${s.node}`),
      ],
      ['1', `(informative) the same beside \`node -e 0\`, ${s.node}`, ms(s.medianTandemMs), `node -e 0: ${ms(s.medianNodeMs)}`, x(s.ratioToNode), ''],
      ['1', `(informative) main-thread CPU to the first frame, ${s.node}`, ms(s.cpu.medianTandemMs), `Ink hello: ${ms(s.cpu.medianHelloMs)}`, x(s.cpu.ratioToHello), ''],
    ]),
    [
      '1',
      'AWS SDK before the first frame',
      `${r.trace.sdkModulesBeforeFrame} of ${r.trace.modulesBeforeFrame} modules`,
      `first SDK chunk ${r.trace.firstSdkChunkAfterFrameMs === null ? 'never' : `${r.trace.firstSdkChunkAfterFrameMs} ms after`}`,
      '',
      holds('sdk-after-frame'),
    ],
    ...r.keys.flatMap((k) => [
      ['2', `key → frame, ${k.presses} ↓/↑ presses, p50, ${k.node}`, ms(k.p50Ms), `next press after the frame (≥ ${k.intervalMs} ms); ${k.missed} undrawn`, '', ''],
      ['2', `key → frame p95 (p99, max), ${k.node}`, ms(k.p95Ms), `${ms(k.p99Ms)}, ${ms(k.maxMs)}`, '', holds(`key-p95 ${k.node}`)],
    ]),
    ['3', 'peak RSS at the first frame (before the SDK)', mb(r.walk.atFrame.medianHwmMB), `RSS ${mb(r.walk.atFrame.medianRssMB)}`, '', holds('rss-before-sdk')],
    ['3', 'peak RSS walked to the review (SDK loaded)', mb(r.walk.atReview.medianHwmMB), `RSS ${mb(r.walk.atReview.medianRssMB)}`, '', ''],
    ['3', 'peak RSS at the end of `launch FILE --yes`', mb(c.launch.medianPeakRssMB), `RSS at exit ${mb(c.launch.medianEndRssMB)}`, '', holds('rss-after-launch')],
    ['4', `graph: ${p.steps} steps, depth ${p.depth}, ${p.apiCallsPerRun} API calls`, `call ${ms(p.medianCallMs)}`, `critical path ${ms(p.criticalPathMs)}`, '', ''],
    [
      '4',
      'one call alone / with its level in flight',
      ms(p.medianConcurrentCallMs),
      `alone ${ms(p.medianCallMs)}; CPU per launch: moto ${ms(p.cpuPerTandemRun.motoMs)}, SDK+proxy ${ms(p.cpuPerTandemRun.nodeMs)}`,
      x(p.medianConcurrentCallMs / p.medianCallMs),
      '',
    ],
    ['4', `tandem launch (+${p.delayMs} ms per call)`, ms(p.tandem.medianMs), `critical path ${ms(p.criticalPathMs)}`, x(p.ratios.tandemToCriticalPath), holds('critical-path')],
    ['4', '(a) same SDK calls one after another', ms(p.sequential.medianMs), `tandem ${ms(p.tandem.medianMs)}`, x(p.ratios.sequentialToTandem), holds('vs-sequential-sdk')],
    ['4', `(b) AWS CLI, ${p.cli.calls} calls`, ms(p.cli.medianMs), `tandem ${ms(p.tandem.medianMs)}`, x(p.ratios.cliToTandem), holds('vs-aws-cli')],
    ['5', '`tandem explain FILE --format json`', ms(c.explain.medianMs), `node -e 0: ${ms(c.nodeMedianMs)}`, x(c.explain.ratioToNode), ''],
    ['5', '`tandem verify LAUNCH_ID` (moto)', ms(c.verify.medianMs), `node -e 0: ${ms(c.nodeMedianMs)}`, x(c.verify.ratioToNode), ''],
    ...discoveryRows(r.discovery, r.targets),
    ...fleetRows(r.fleet),
  ];
  const header = ['#', 'measure', 'tandem', 'baseline (same run)', 'ratio', 'target'];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const m = r.machine;
  return [
    `${m.date} · ${m.cores} cores · ${m.cpu} · ${m.nodes.join(' and ')} (other rows: Node ${m.node}) · load average ${m.loadAverage.start[0]} → ${m.loadAverage.end[0]} · medians of ${r.settings.runs} runs (AWS CLI: ${r.settings.cliRuns}, launches: ${r.settings.launches}, walks: ${r.settings.walks}, fleets: ${r.settings.fleets})`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
  ].join('\n');
}
