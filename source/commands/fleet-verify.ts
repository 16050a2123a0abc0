// `tandem fleet verify NAME [--output json]`: in every account and region of the fleet, as the
// StackSets execution role, the same verification rules as `tandem verify`, shown as one table of
// control × account/region, with the checkers' verdicts counted below it. Exit 3 when a control
// fails anywhere (or a target cannot be read); with --strict also when a checker would fail
// something no accepted risk covers.
import {fleetCounts, renderFleetTable, type TargetVerification} from '../domain/fleet-table.js';
import {createOutput, t, type Output as Writer} from '../output.js';
import {openFleetStore} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';
import {fleetContext, guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem fleet verify NAME [--strict] [--output json]';

function printJson(out: Writer, name: string, targets: TargetVerification[]): void {
  for (const target of targets) {
    if (target.problem) out.json({type: 'target-unverified', fleet: name, account: target.account, region: target.region, problem: target.problem});
    for (const result of target.results) out.json({type: 'verification', fleet: name, account: target.account, region: target.region, ...result});
  }
  out.json({type: 'summary', fleet: name, ...fleetCounts(targets)});
}

async function verify(context: CommandContext): Promise<number> {
  const {io, args} = context;
  const output = outputOf(context, 'verify');
  const out = createOutput(io, output);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a fleet NAME is needed; ${USAGE}` : `fleet verify takes one NAME; ${USAGE}`);
  const record = openFleetStore(tandemHome(io.env)).read(args[0]);
  if (record.status === 'destroyed' || record.status === 'rolled-back') throw new UsageError(`fleet ${record.name} was ${record.status}; nothing is left to verify`);
  const opened = await fleetContext(context, output, {record, command: 'verify'});
  if ('reason' in opened) {
    out.say(`tandem fleet verify: ${opened.reason}`);
    return EXIT.usage;
  }
  const {verifyFleetByName} = await import('../aws/fleet.js');
  const {targets} = await verifyFleetByName(opened.fleet, record.name);
  if (output === 'json') {
    printJson(out, record.name, targets);
  } else {
    out.print(t`Verification of fleet ${record.name} (StackSet in ${record.region}, ${targets.length} targets)\n`);
    out.print(renderFleetTable(targets, out.columns(100)));
  }
  const counts = fleetCounts(targets);
  // --strict, as for tandem verify: a checker failure no accepted risk covers fails the fleet too.
  const strictFailure = context.flags.strict === true && counts.checkerUnaccepted > 0;
  return counts.failed > 0 || counts.unverified > 0 || targets.length === 0 || strictFailure ? EXIT.verificationFailed : EXIT.ok;
}

export const run: CommandRunner = (context) => guarded(context, 'verify', () => verify(context));
