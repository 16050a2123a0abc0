// `tandem launches [--output json]`: the launches recorded under TANDEM_HOME, oldest first, with
// what each one left in AWS (resources still recorded) so a forgotten launch is easy to find.
import {inert} from '../domain/sanitize.js';
import {tandemHome} from '../store/home.js';
import {createJournal, type UnreadableJournal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {EXIT, UsageError, type CommandRunner} from './types.js';

export function launchSummary(record: LaunchRecord) {
  return {
    launchId: record.launchId,
    createdAt: record.createdAt,
    region: record.region,
    status: record.status,
    name: record.spec.instance.name,
    instanceId: record.resolved.instanceId ?? null,
    resources: record.resources.length,
  };
}

export function launchesTable(records: LaunchRecord[]): string {
  const header = ['LAUNCH ID', 'CREATED', 'REGION', 'STATUS', 'NAME', 'INSTANCE', 'RESOURCES'];
  const rows = records.map((record) => {
    const summary = launchSummary(record);
    return [
      summary.launchId,
      summary.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      inert(summary.region),
      summary.status,
      inert(summary.name),
      inert(summary.instanceId ?? '-'),
      String(summary.resources),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export const run: CommandRunner = async ({args, flags, io}) => {
  const output = flags.output ?? 'text';
  if (output !== 'json' && output !== 'text') {
    io.stderr.write(`tandem launches: --output must be json or text, not "${output}"\n`);
    return EXIT.usage;
  }
  if (args.length > 0) {
    io.stderr.write(`tandem launches: takes no arguments (got ${args.join(' ')}); see tandem verify/destroy LAUNCH_ID\n`);
    return EXIT.usage;
  }
  let records: LaunchRecord[];
  let unreadable: UnreadableJournal[];
  const journal = createJournal(tandemHome(io.env));
  try {
    ({records, unreadable} = journal.scan());
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`tandem launches: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (output === 'json') {
    // An unreadable journal still names a launch that may have left resources behind.
    const broken = unreadable.map(({launchId, file, reason}) => ({launchId, status: 'unreadable', journal: file, problem: reason}));
    io.stdout.write(`${JSON.stringify([...records.map(launchSummary), ...broken])}\n`);
    return EXIT.ok;
  }
  if (records.length === 0 && unreadable.length === 0) {
    io.stderr.write(`No launches recorded yet (journals are kept in ${journal.dir}).\n`);
    return EXIT.ok;
  }
  if (records.length > 0) io.stdout.write(launchesTable(records));
  if (unreadable.length > 0) {
    io.stdout.write(`${records.length > 0 ? '\n' : ''}Unreadable journals (their launches may still have resources in AWS):\n`);
    for (const item of unreadable) io.stdout.write(`  ${item.launchId}  ${inert(item.file)} ${item.reason}\n`);
  }
  return EXIT.ok;
};
