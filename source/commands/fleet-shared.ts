// What the fleet subcommands share: --output, opening the AWS side where the fleet lives, and the
// progress of StackSets operations as text (stderr) or JSON lines (stdout).
import type {FleetContext} from '../aws/fleet.js';
import {problemText, targetKey, type FleetEvent} from '../domain/fleet.js';
import {givenTargetProblem, identityProblem, type RecordedTarget} from '../domain/launch-target.js';
import {createOutput, t, trusted, type Output as Writer, type Text} from '../output.js';
import {tandemHome} from '../store/home.js';
import type {FleetRecord} from '../store/fleets.js';
import {givenTarget} from './launch-cloud.js';
import {UsageError, type CommandContext} from './types.js';

export type Output = 'text' | 'json';

export function outputOf(context: CommandContext, command: string): Output {
  const value = context.flags.output ?? 'text';
  if (value === 'json' || value === 'text') return value;
  throw new UsageError(`--output "${value}" is not supported by fleet ${command}; use json or text`);
}

/** Where a fleet's StackSet lives, as its record says, for the checks shared with single launches. */
function recordedTarget(record: FleetRecord): RecordedTarget {
  return {
    fleet: record.name,
    region: record.region,
    ...(record.endpointUrl ? {endpointUrl: record.endpointUrl} : {}),
    ...(record.account ? {account: record.account} : {}),
    ...(record.partition ? {partition: record.partition} : {}),
  };
}

/**
 * Why this run must not act on the recorded fleet (told another endpoint or region than its
 * record holds), or undefined. Needs no call, so it is said before any prompt and any request.
 */
export function fleetTargetRefusal(command: string, context: CommandContext, record: FleetRecord): string | undefined {
  return givenTargetProblem(`fleet ${command}`, recordedTarget(record), givenTarget(context));
}

/**
 * Settings for the administration account, or a reason (refused, no credentials) for exit 2.
 * With a fleet record, the record's endpoint and region and nothing else: a fleet "destroyed"
 * through another endpoint would still run where it was made. Credentials for another account
 * or partition are refused by the first call (GetCallerIdentity), before anything is changed.
 */
export async function fleetContext(context: CommandContext, output: Output, recorded?: {record: FleetRecord; command: string}): Promise<{fleet: FleetContext} | {reason: string}> {
  const {flags, io} = context;
  const {resolveSettings, probeCredentials} = await import('../aws/settings.js');
  let settingsInput: Parameters<typeof resolveSettings>[0] = {flags, env: io.env};
  let checkIdentity: FleetContext['identityProblem'];
  if (recorded) {
    const {record, command} = recorded;
    const refused = fleetTargetRefusal(command, context, record);
    if (refused) return {reason: refused};
    const {endpointUrl: _given, region: _region, ...rest} = flags;
    settingsInput = {
      flags: {...rest, region: record.region, ...(record.endpointUrl ? {endpointUrl: record.endpointUrl} : {})},
      // The recorded endpoint, or AWS's own: never one from the environment the record did not keep.
      env: {...io.env, AWS_ENDPOINT_URL: undefined},
    };
    checkIdentity = (identity) => identityProblem(`fleet ${command}`, recordedTarget(record), identity);
  }
  const settings = await resolveSettings(settingsInput);
  const probe = await probeCredentials(settings);
  if (!probe.ok) return {reason: probe.reason};
  const pollMs = Number(io.env.TANDEM_FLEET_POLL_MS);
  const out = createOutput(context.io, output);
  return {
    fleet: {
      settings,
      home: tandemHome(io.env),
      onEvent: (event) => report(out, event),
      ...(Number.isInteger(pollMs) && pollMs > 0 ? {pollMs} : {}),
      ...(checkIdentity ? {identityProblem: checkIdentity} : {}),
    },
  };
}

const STATUS_MARK: Record<string, string> = {succeeded: '✓', failed: '✗', cancelled: '–', running: '…', pending: '·'};

/** ` (: reason)` when there is one. */
const because = (reason: string | undefined) => (reason ? t`: ${reason}` : '');

export function eventText(event: FleetEvent): Text | undefined {
  switch (event.type) {
    case 'preflight':
      if (event.ok) return 'pre-flight: roles, regions and names checked in every target';
      return trusted(['pre-flight refused the fleet; nothing was created:', ...event.problems.map((problem) => t`  ${problemText(problem)}`.text)].join('\n'));
    case 'recovered':
      return t`picked up ${event.kind}${event.operationId ? ` ${event.operationId}` : ''} left by an earlier tandem: ${event.status}`;
    case 'stack-set':
      return t`StackSet ${event.name} ${event.action}`;
    case 'operation-started':
      return t`StackSets ${event.action} operation ${event.operationId}${event.targets.length ? ` on ${event.targets.length} targets` : ''}`;
    case 'target':
      return t`  ${STATUS_MARK[event.status] ?? '?'} ${targetKey(event)} ${event.status}${because(event.reason)}`;
    case 'operation-done':
      return t`operation ${event.operationId} ${event.status}${because(event.reason)}`;
    case 'rollback-started':
      return `failure tolerance exceeded: removing the stack instances this deploy created`;
  }
}

export function report(out: Writer, event: FleetEvent): void {
  if (out.mode === 'json') {
    out.json(event);
    return;
  }
  const text = eventText(event);
  if (text) out.say(text);
}

/** Runs a subcommand, turning bad input into one line and exit 2. */
export async function guarded(context: CommandContext, command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    createOutput(context.io).error(error, `tandem fleet ${command}`);
    return 2;
  }
}

/** A yes/no question on stderr, answered on stdin (only asked on a terminal). */
export function confirm(context: CommandContext, question: Text): Promise<boolean> {
  return import('node:readline').then(
    ({createInterface}) =>
      new Promise((resolve) => {
        const prompt = createInterface({input: context.io.stdin, output: context.io.stderr, terminal: false});
        let answered = false;
        createOutput(context.io).ask(question);
        prompt.once('line', (line) => {
          answered = true;
          prompt.close();
          resolve(['y', 'yes'].includes(line.trim().toLowerCase()));
        });
        prompt.once('close', () => {
          if (!answered) resolve(false);
        });
      }),
  );
}
