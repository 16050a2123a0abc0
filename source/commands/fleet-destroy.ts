// `tandem fleet destroy NAME [--yes] [--output json]`: deletes every stack instance of the fleet
// (and with it each target's stack and resources), then the StackSet. Safe to run again. Without
// --yes it asks on a terminal and refuses (exit 2) in a script.
import type {FleetTarget} from '../domain/fleet.js';
import {inert} from '../domain/sanitize.js';
import {describeError} from '../errors.js';
import {openFleetStore} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';
import {confirm, fleetContext, fleetTargetRefusal, guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem fleet destroy NAME [--yes] [--output json]';

async function destroy(context: CommandContext): Promise<number> {
  const {io, args, flags} = context;
  const output = outputOf(context, 'destroy');
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a fleet NAME is needed; ${USAGE}` : `fleet destroy takes one NAME; ${USAGE}`);
  const record = openFleetStore(tandemHome(io.env)).read(args[0]);
  // Said before the prompt: a yes would change nothing when the run points elsewhere.
  const refused = fleetTargetRefusal('destroy', context, record);
  if (refused) {
    io.stderr.write(`tandem fleet destroy: ${refused}\n`);
    return EXIT.usage;
  }
  if (!flags.yes) {
    if (!isInteractive(io)) {
      io.stderr.write(`tandem fleet destroy: add --yes to remove fleet ${record.name} from every account and region without a prompt\n`);
      return EXIT.usage;
    }
    const where = targetList(record.targets) || record.orgUnits.join(', ');
    if (!(await confirm(context, `Remove fleet ${inert(record.name)} (${inert(where)}) and its StackSet? [y/N] `))) {
      io.stderr.write('Nothing was removed.\n');
      return EXIT.failed;
    }
  }
  const opened = await fleetContext(context, output, {record, command: 'destroy'});
  if ('reason' in opened) {
    io.stderr.write(`tandem fleet destroy: ${opened.reason}\n`);
    return EXIT.usage;
  }
  const {destroyFleet} = await import('../aws/fleet.js');
  const again = `tandem fleet destroy ${inert(record.name)} --yes`;
  let outcome;
  try {
    outcome = await destroyFleet(opened.fleet, record.name);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Whatever stopped this run, the next one starts from what StackSets still lists.
    const where = targetList(record.targets) || record.orgUnits.join(', ');
    io.stderr.write(`tandem fleet destroy: ${describeError(error)}\n  fleet ${inert(record.name)} may still have stack instances in ${inert(where || 'its targets')}\n  finish removing it: ${again}\n`);
    return EXIT.failed;
  }
  const {record: after, remaining} = outcome;
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify({type: 'summary', fleet: record.name, status: after.status, remaining, ...(remaining.length ? {next: again} : {})})}\n`);
  } else if (remaining.length === 0) {
    io.stdout.write(`Removed fleet ${inert(record.name)}: every stack instance and the StackSet.\n`);
  } else {
    const lines = remaining.map((target) => `  account ${target.account}, region ${target.region}: ${inert(target.reason ?? `stack instance is ${target.status}`)}`);
    io.stdout.write(`${remaining.length} stack instances of fleet ${inert(record.name)} could not be removed:\n${lines.join('\n')}\n  the StackSet stays until they are gone; once the cause is fixed: ${again}\n`);
  }
  return remaining.length === 0 ? EXIT.ok : EXIT.failed;
}

/** "111122223333/us-east-1, …" from the record's targets. */
function targetList(targets: FleetTarget[]): string {
  return targets.map((target) => `${target.account}/${target.region}`).join(', ');
}

export const run: CommandRunner = (context) => guarded(context, 'destroy', () => destroy(context));
