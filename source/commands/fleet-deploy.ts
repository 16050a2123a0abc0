// `tandem fleet deploy PROFILE --regions R1,R2 (--accounts A1,A2 | --org-units OU) [--max-concurrent N]
// [--failure-tolerance N] [--name NAME] [--yes] [--keep] [--output json]`: the profile's
// CloudFormation export as a StackSet, with a stack instance in every account and region.
// Exit 0 every target deployed; 1 a target failed (rolled back when the failure tolerance was
// exceeded, unless --keep); 2 bad input, pre-flight refused, or a high finding not accepted.
import {blockingFindings, fleetNameFor, fleetProfileProblems, isFleetName, parseCount, parseList, targetKey, targetsOf} from '../domain/fleet.js';
import {fleetLoadBalancerProblems} from '../domain/controls/load-balancer.js';
import {profileLabel} from '../domain/export-cloudformation.js';
import {cloudFormationTemplate} from '../domain/export-cloudformation-yaml.js';
import type {LaunchSpec} from '../domain/spec.js';
import {createOutput, t, trusted, type Output as Writer, type Trusted} from '../output.js';
import {loadProfileArgument, type LoadedProfile} from '../store/resolve.js';
import type {FleetContext} from '../aws/fleet.js';
import {resolveMyAddress} from './my-address.js';
import {withAcceptedRisks} from './accept-risk.js';
import {confirm, fleetContext, fleetTargetRefusal, guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';
import {onStopSignals, SIGNAL_EXIT, type StopSignal} from '../stop-signals.js';
import {openFleetStore, type FleetRecord} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';

const USAGE = 'usage: tandem fleet deploy PROFILE --regions R1,R2 (--accounts A1,A2 | --org-units OU1) [--max-concurrent N] [--failure-tolerance N] [--yes]';

function parseFlags(context: CommandContext) {
  const {flags, args} = context;
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a PROFILE is needed; ${USAGE}` : `fleet deploy takes one PROFILE; ${USAGE}`);
  const check = <T>(value: T | string): T => {
    if (typeof value === 'string') throw new UsageError(value);
    return value;
  };
  if (!flags.regions) throw new UsageError(`--regions is needed (comma-separated, like us-east-1,eu-west-1); ${USAGE}`);
  if (Boolean(flags.accounts) === Boolean(flags.orgUnits)) throw new UsageError(`give either --accounts or --org-units (not both); ${USAGE}`);
  const regions = check(parseList('regions', flags.regions, 'region'));
  const accounts = check(parseList('accounts', flags.accounts, 'account'));
  const orgUnits = check(parseList('org-units', flags.orgUnits, 'org-unit'));
  const maxConcurrent = check(parseCount('max-concurrent', flags.maxConcurrent, 1));
  const failureTolerance = check(parseCount('failure-tolerance', flags.failureTolerance, 0)) ?? 0;
  return {profile: args[0], regions, accounts, orgUnits, preferences: {...(maxConcurrent !== undefined ? {maxConcurrent} : {}), failureTolerance}};
}

type Parsed = ReturnType<typeof parseFlags>;

/** What a deploy works from, once the flags, the profile and the fleet's record agree. */
interface Prepared {
  parsed: Parsed;
  loaded: LoadedProfile;
  spec: LaunchSpec;
  name: string;
  store: ReturnType<typeof openFleetStore>;
  recorded?: {record: FleetRecord; command: string};
}

/** The profile as the fleet's template, or an exit code: bad input, a refused target, open findings. */
async function prepare(context: CommandContext, out: Writer): Promise<Prepared | number> {
  const {io, flags} = context;
  const parsed = parseFlags(context);
  const loaded = await loadProfileArgument(parsed.profile, io.env, (message) => out.say(`tandem: ${message}`));
  // --accept-risk records a finding as accepted, with its reason, exactly as the profile would.
  const spec = withAcceptedRisks(loaded.spec, flags.acceptRisk);
  const name = flags.name ?? fleetNameFor(loaded.source);
  if (!isFleetName(name)) throw new UsageError(`--name "${name}" is not a StackSet name (a letter, then letters, digits and hyphens, at most 128)`);
  // A fleet of this name whose StackSet may still exist is deployed where its record says, or not at all.
  const store = openFleetStore(tandemHome(io.env));
  const known = store.exists(name) ? store.read(name) : undefined;
  const recorded = known && mayStillExist(known) ? {record: known, command: 'deploy'} : undefined;
  const refused = recorded ? fleetTargetRefusal('deploy', context, recorded.record) : undefined;
  if (refused) {
    out.say(`tandem fleet deploy: ${refused}`);
    return EXIT.usage;
  }

  const unfit = [...fleetProfileProblems(spec), ...fleetLoadBalancerProblems(spec, parsed)];
  if (unfit.length > 0) throw new UsageError(`profile ${loaded.source} cannot be one template for every target:\n  ${unfit.join('\n  ')}`);
  const blocking = blockingFindings(spec);
  if (blocking.length > 0) {
    throw new UsageError(
      `high findings block the fleet, as they block --yes; nothing was created. Fix them, or accept each with a reason (profile acceptedRisks, or --accept-risk FINDING=REASON; FINDING1,FINDING2=REASON for one reason):\n  ${blocking.map((finding) => `${finding.id}: ${finding.title}`).join('\n  ')}`,
    );
  }
  // `ssh: me` is the operator's address, the same for every target: found once, before any AWS call.
  const mine = await resolveMyAddress(spec, io, 'tandem fleet deploy');
  if (!mine.ok) return EXIT.usage;
  return {parsed, loaded, spec: mine.spec, name, store, ...(recorded ? {recorded} : {})};
}

/** Without --yes, a person on a terminal says yes; undefined to go on, or the exit code. */
async function confirmed(context: CommandContext, out: Writer, {parsed, loaded, name}: Prepared): Promise<number | undefined> {
  if (context.flags.yes) return undefined;
  const planned =
    parsed.orgUnits.length > 0 ? `${parsed.orgUnits.length} organizational units × ${parsed.regions.length} regions` : `${targetsOf(parsed.accounts, parsed.regions).length} targets`;
  if (!isInteractive(context.io)) {
    out.say(t`tandem fleet deploy: add --yes to deploy ${name} to ${planned} without a prompt`);
    return EXIT.usage;
  }
  if (await confirm(context, t`Deploy StackSet ${name} from ${loaded.source} to ${planned}? [y/N] `)) return undefined;
  out.say('Nothing was deployed.');
  return EXIT.failed;
}

type Outcome = Awaited<ReturnType<(typeof import('../aws/fleet.js'))['deployFleet']>> | {kind: 'interrupted'; signal: StopSignal};

/** Sends the StackSet and its stack instances, drawn on a terminal; Ctrl+C stops watching. */
async function send(context: CommandContext, out: Writer, prepared: Prepared, fleet: FleetContext): Promise<Outcome> {
  const {io, flags} = context;
  const {parsed, loaded, spec, name} = prepared;
  const {deployFleet} = await import('../aws/fleet.js');
  // On a terminal the targets are drawn and redrawn as StackSets answers; scripts get lines.
  const view =
    out.mode === 'text' && isInteractive(io)
      ? (await import('../ui/fleet-run.js')).startFleetView(io, name, parsed.orgUnits.length > 0 ? [] : targetsOf(parsed.accounts, parsed.regions))
      : undefined;
  if (view) fleet.onEvent = view.onEvent;
  // Ctrl+C (and SIGTERM, SIGHUP) stops tandem between calls; StackSets goes on with what was sent.
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const stopListening = onStopSignals((signal) => {
    stoppedBy ??= signal;
    controller.abort();
  });
  fleet.signal = controller.signal;
  // AWS gets the profile's name (tags, template, description); the local path stays in the record.
  const label = profileLabel(loaded.source, loaded.kind);
  return deployFleet(fleet, {
    name,
    profile: loaded.source,
    profileLabel: label,
    spec,
    template: cloudFormationTemplate(spec, {profile: label}),
    description: `tandem fleet ${name} from launch profile ${label}`.slice(0, 1024),
    permissionModel: parsed.orgUnits.length > 0 ? 'SERVICE_MANAGED' : 'SELF_MANAGED',
    accounts: parsed.accounts,
    orgUnits: parsed.orgUnits,
    regions: parsed.regions,
    preferences: parsed.preferences,
    keep: flags.keep,
  })
    .catch((error: unknown): Outcome => {
      if (stoppedBy) return {kind: 'interrupted' as const, signal: stoppedBy};
      throw error;
    })
    .finally(() => {
      stopListening();
      // Ink's unmount draws the last frame at once; the promise only settles its exit, nothing to wait for.
      void view?.stop();
    });
}

/** The summary line (JSON) or text for how the deploy ended, and its exit code. */
function finish(out: Writer, prepared: Prepared, outcome: Outcome): number {
  const {name, store, parsed, loaded} = prepared;
  if (outcome.kind === 'interrupted') {
    const left = interruptedReport(name, store.exists(name) ? store.read(name) : undefined, outcome.signal);
    if (out.mode === 'json') out.json({type: 'summary', fleet: name, status: 'interrupted', ...left.json});
    out.say(left.text);
    return SIGNAL_EXIT[outcome.signal];
  }
  if (outcome.kind === 'refused') {
    // The pre-flight event has named every problem with its account and region.
    if (out.mode === 'json') out.json({type: 'summary', fleet: name, status: 'refused', problems: outcome.problems});
    return EXIT.usage;
  }
  const {record, failed, rolledBack} = outcome;
  if (out.mode === 'json') {
    out.json({type: 'summary', fleet: name, status: record.status, targets: record.targets, failed});
  } else if (record.status === 'deployed') {
    out.print(
      t`Deployed fleet ${name} to ${record.targets.filter((target) => target.status === 'succeeded').length} targets.\n  check every control: tandem fleet verify ${name}\n  remove it all:       tandem fleet destroy ${name}`,
    );
  } else {
    out.print(
      rolledBack
        ? t`Fleet ${name} failed beyond its failure tolerance (${parsed.preferences.failureTolerance}); what this deploy created was removed (${record.status}).`
        : t`Fleet ${name} is ${record.status}: ${failed.length} targets failed.`,
    );
    for (const target of failed) out.print(t`  ${targetKey(target)}: ${target.reason ?? target.status}`);
    if (!rolledBack) out.print(t`  retry them: tandem fleet deploy ${loaded.source} again · remove it all: tandem fleet destroy ${name}`);
  }
  return record.status === 'deployed' ? EXIT.ok : EXIT.failed;
}

async function deploy(context: CommandContext): Promise<number> {
  const output = outputOf(context, 'deploy');
  const out = createOutput(context.io, output);
  const prepared = await prepare(context, out);
  if (typeof prepared === 'number') return prepared;
  const declined = await confirmed(context, out, prepared);
  if (declined !== undefined) return declined;
  const opened = await fleetContext(context, output, prepared.recorded);
  if ('reason' in opened) {
    out.say(`tandem fleet deploy: ${opened.reason}`);
    return EXIT.usage;
  }
  await reportCost(context, out, prepared, opened.fleet);
  return finish(out, prepared, await send(context, out, prepared, opened.fleet));
}

/** What the fleet will cost a month, × its targets, before anything is sent (docs/cost.md); never stops the deploy. */
async function reportCost(context: CommandContext, out: Writer, {parsed, spec}: Prepared, fleet: FleetContext): Promise<void> {
  const {fleetPlanCost, printFleetCost} = await import('./launch-cost.js');
  const cost = await fleetPlanCost(fleet.settings, spec, parsed.regions, parsed.orgUnits.length > 0 ? null : parsed.accounts.length, context.io.env);
  if (out.mode === 'json') out.json({type: 'cost', ...cost});
  else printFleetCost(out, cost);
}

/**
 * False only when the record says nothing of the fleet is left (destroyed, or rolled back with the
 * StackSet it created deleted and no operation in flight): a new deploy of the name may go anywhere.
 */
function mayStillExist(record: FleetRecord): boolean {
  if (record.status === 'destroyed') return false;
  return !(record.status === 'rolled-back' && !record.stackSetCreated && !record.operation);
}

/**
 * What a stopped deploy leaves, from the fleet record (written before every call): whether the
 * StackSet exists, the operation StackSets is still running and on which targets, the targets
 * that already have stack instances, and the commands that finish or remove it.
 */
export function interruptedReport(name: string, record: FleetRecord | undefined, signal: StopSignal): {text: Trusted; json: Record<string, unknown>} {
  const destroy = `tandem fleet destroy ${name} --yes`;
  const operation = record?.operation;
  const setMayExist = Boolean(record?.stackSetCreated || operation?.kind === 'create-stack-set');
  const deployed = (record?.targets ?? []).filter((target) => target.status === 'succeeded').map(targetKey);
  if (!setMayExist) {
    return {text: t`tandem fleet deploy: stopped by ${signal} before the StackSet was created; nothing was created.`, json: {signal, stackSet: null, inFlight: null, stackInstances: []}};
  }
  const lines = [
    t`tandem fleet deploy: stopped by ${signal}. StackSets goes on with what was already sent; tandem stopped watching.`,
    record?.stackSetCreated
      ? t`  StackSet ${name} exists (account ${record.account ?? '?'}, region ${record.region})`
      : t`  StackSet ${name} may exist: its creation was sent (account ${record?.account ?? '?'}, region ${record?.region ?? '?'})`,
  ];
  if (operation?.operationId && operation.kind !== 'create-stack-set') {
    const where = operation.targets.length > 0 ? operation.targets.map(targetKey).join(', ') : (record?.orgUnits ?? []).join(', ');
    lines.push(t`  in flight: StackSets ${operation.kind} operation ${operation.operationId} on ${where}`);
  }
  if (deployed.length > 0) lines.push(t`  stack instances deployed: ${deployed.join(', ')}`);
  lines.push(t`  remove it all: ${destroy} (it first waits for the operation in flight)`, t`  or run the same tandem fleet deploy again to finish it`);
  return {
    text: trusted(lines.map((line) => line.text).join('\n')),
    json: {
      signal,
      stackSet: name,
      inFlight: operation?.operationId ? {kind: operation.kind, operationId: operation.operationId, targets: operation.targets} : null,
      stackInstances: deployed,
      next: destroy,
    },
  };
}

export const run: CommandRunner = (context) => guarded(context, 'deploy', () => deploy(context));
