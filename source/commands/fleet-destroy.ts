// `tandem fleet destroy NAME [--yes] [--output json]`: deletes every stack instance of the fleet
// (and with it each target's stack and resources), then the StackSet. Safe to run again. Without
// --yes it asks on a terminal and refuses (exit 2) in a script.
import type {FleetTarget} from '../domain/fleet.js';
import {loadBalancerOf} from '../domain/spec.js';
import {createOutput, t, type Output as Writer} from '../output.js';
import {openFleetStore} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';
import {confirm, fleetContext, fleetTargetRefusal, guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem fleet destroy NAME [--yes] [--output json]';

async function destroy(context: CommandContext): Promise<number> {
  const {io, args, flags} = context;
  const output = outputOf(context, 'destroy');
  const out = createOutput(io, output);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a fleet NAME is needed; ${USAGE}` : `fleet destroy takes one NAME; ${USAGE}`);
  const record = openFleetStore(tandemHome(io.env)).read(args[0]);
  // Said before the prompt: a yes would change nothing when the run points elsewhere.
  const refused = fleetTargetRefusal('destroy', context, record);
  if (refused) {
    out.say(`tandem fleet destroy: ${refused}`);
    return EXIT.usage;
  }
  if (!flags.yes) {
    if (!isInteractive(io)) {
      out.say(t`tandem fleet destroy: add --yes to remove fleet ${record.name} from every account and region without a prompt`);
      return EXIT.usage;
    }
    const where = targetList(record.targets) || record.orgUnits.join(', ');
    // Said before the yes, as tandem destroy says it: the StackSet is updated before anything goes.
    const lifting = loadBalancerOf(record.spec)?.deletionProtection ? " Its load balancers' deletion protection is turned off first." : '';
    if (!(await confirm(context, t`Remove fleet ${record.name} (${where}) and its StackSet?${lifting} [y/N] `))) {
      out.say('Nothing was removed.');
      return EXIT.failed;
    }
  }
  const opened = await fleetContext(context, output, {record, command: 'destroy'});
  if ('reason' in opened) {
    out.say(`tandem fleet destroy: ${opened.reason}`);
    return EXIT.usage;
  }
  const {destroyFleet} = await import('../aws/fleet.js');
  const again = `tandem fleet destroy ${record.name} --yes`;
  let outcome;
  try {
    outcome = await destroyFleet(opened.fleet, record.name);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Whatever stopped this run, the next one starts from what StackSets still lists.
    const where = targetList(record.targets) || record.orgUnits.join(', ');
    out.error(error, 'tandem fleet destroy');
    out.say(t`  fleet ${record.name} may still have stack instances in ${where || 'its targets'}\n  finish removing it: ${again}`);
    return EXIT.failed;
  }
  const {record: after, remaining} = outcome;
  if (output === 'json') out.json({type: 'summary', fleet: record.name, status: after.status, remaining, ...(remaining.length ? {next: again} : {})});
  else printOutcome(out, record.name, remaining, again);
  return remaining.length === 0 ? EXIT.ok : EXIT.failed;
}

function printOutcome(out: Writer, name: string, remaining: Array<FleetTarget & {status: string; reason?: string}>, again: string): void {
  if (remaining.length === 0) {
    out.print(t`Removed fleet ${name}: every stack instance and the StackSet.`);
    return;
  }
  out.print(t`${remaining.length} stack instances of fleet ${name} could not be removed:`);
  for (const target of remaining) out.print(t`  account ${target.account}, region ${target.region}: ${target.reason ?? `stack instance is ${target.status}`}`);
  out.print(t`  the StackSet stays until they are gone; once the cause is fixed: ${again}`);
}

/** "111122223333/us-east-1, …" from the record's targets. */
function targetList(targets: FleetTarget[]): string {
  return targets.map((target) => `${target.account}/${target.region}`).join(', ');
}

export const run: CommandRunner = (context) => guarded(context, 'destroy', () => destroy(context));
