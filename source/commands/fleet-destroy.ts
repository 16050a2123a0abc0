// `tandem fleet destroy NAME [--yes] [--output json]`: deletes every stack instance of the fleet
// (and with it each target's stack and resources), then the StackSet. Safe to run again. Without
// --yes it asks on a terminal and refuses (exit 2) in a script.
import {inert} from '../domain/sanitize.js';
import {openFleetStore} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';
import {confirm, fleetContext, guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem fleet destroy NAME [--yes] [--output json]';

async function destroy(context: CommandContext): Promise<number> {
  const {io, args, flags} = context;
  const output = outputOf(context, 'destroy');
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a fleet NAME is needed; ${USAGE}` : `fleet destroy takes one NAME; ${USAGE}`);
  const record = openFleetStore(tandemHome(io.env)).read(args[0]!);
  if (!flags.yes) {
    if (!isInteractive(io)) {
      io.stderr.write(`tandem fleet destroy: add --yes to remove fleet ${record.name} from every account and region without a prompt\n`);
      return EXIT.usage;
    }
    const where = record.targets.map((target) => `${target.account}/${target.region}`).join(', ') || record.orgUnits.join(', ');
    if (!(await confirm(context, `Remove fleet ${inert(record.name)} (${inert(where)}) and its StackSet? [y/N] `))) {
      io.stderr.write('Nothing was removed.\n');
      return EXIT.failed;
    }
  }
  const opened = await fleetContext(context, output, record);
  if ('reason' in opened) {
    io.stderr.write(`tandem fleet destroy: ${opened.reason}\n`);
    return EXIT.usage;
  }
  const {destroyFleet} = await import('../aws/fleet.js');
  const {record: after, remaining} = await destroyFleet(opened.fleet, record.name);
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify({type: 'summary', fleet: record.name, status: after.status, remaining: remaining.map(({account, region, status}) => ({account, region, status}))})}\n`);
  } else if (remaining.length === 0) {
    io.stdout.write(`Removed fleet ${inert(record.name)}: every stack instance and the StackSet.\n`);
  } else {
    io.stdout.write(`${remaining.length} stack instances of fleet ${inert(record.name)} could not be removed; run tandem fleet destroy ${inert(record.name)} again.\n`);
  }
  return remaining.length === 0 ? EXIT.ok : EXIT.failed;
}

export const run: CommandRunner = (context) => guarded(context, 'destroy', () => destroy(context));
