// `tandem fleet list [--output json]`: the fleets recorded under TANDEM_HOME, oldest first, with
// their targets and state (an operation a killed tandem left in flight shows as "in flight").
import {cell, createOutput, t} from '../output.js';
import {openFleetStore, type FleetRecord} from '../store/fleets.js';
import {tandemHome} from '../store/home.js';
import {guarded, outputOf} from './fleet-shared.js';
import {EXIT, UsageError, type CommandRunner} from './types.js';

export function fleetSummary(record: FleetRecord) {
  return {
    name: record.name,
    profile: record.profile,
    createdAt: record.createdAt,
    status: record.status,
    permissionModel: record.permissionModel,
    accounts: record.accounts,
    orgUnits: record.orgUnits,
    regions: record.regions,
    succeeded: record.targets.filter((target) => target.status === 'succeeded').length,
    failed: record.targets.filter((target) => target.status === 'failed').length,
    operationInFlight: record.operation?.operationId ?? (record.operation ? record.operation.kind : null),
  };
}

export const run: CommandRunner = (context) =>
  guarded(context, 'list', async () => {
    const {io, args} = context;
    const output = outputOf(context, 'list');
    const out = createOutput(io, output);
    if (args.length > 0) throw new UsageError(`takes no arguments (got ${args.join(' ')})`);
    const store = openFleetStore(tandemHome(io.env));
    const records = store.list();
    if (output === 'json') {
      out.json(records.map(fleetSummary));
      return EXIT.ok;
    }
    if (records.length === 0) {
      out.say(t`No fleets recorded yet (kept in ${store.dir}).`);
      return EXIT.ok;
    }
    const header = ['FLEET', 'STATUS', 'TARGETS', 'ACCOUNTS', 'REGIONS', 'PROFILE'];
    const rows = records.map((record) => {
      const summary = fleetSummary(record);
      return [
        summary.name,
        summary.operationInFlight ? `${summary.status} (in flight)` : summary.status,
        `${summary.succeeded} ok${summary.failed ? `, ${summary.failed} failed` : ''}`,
        (summary.orgUnits.length ? summary.orgUnits : summary.accounts).join(','),
        summary.regions.join(','),
        cell(summary.profile),
      ];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd();
    out.print([line(header), ...rows.map(line)].join('\n'));
    return EXIT.ok;
  });
