// `tandem launches [--output json]`: the launches recorded under TANDEM_HOME, oldest first, with
// what each one left in AWS (resources still recorded) so a forgotten launch is easy to find.
import stringWidth from 'string-width';
import {cell, createOutput, t, trusted} from '../output.js';
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

/** Columns the NAME column may take: one long name must not push the others off the screen. */
export const NAME_COLUMNS = 24;

/** `text` cut to `columns` terminal columns (CJK and emoji take two), marked with "…". */
export function fitColumns(text: string, columns: number): string {
  if (stringWidth(text) <= columns) return text;
  let kept = '';
  for (const char of new Intl.Segmenter().segment(text)) {
    if (stringWidth(kept + char.segment) > columns - 1) break;
    kept += char.segment;
  }
  return `${kept}…`;
}

/** `text` padded with spaces to `columns` terminal columns. */
function padColumns(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

export function launchesTable(records: LaunchRecord[]): string {
  const header = ['LAUNCH ID', 'CREATED', 'REGION', 'STATUS', 'NAME', 'INSTANCE', 'RESOURCES'];
  const rows = records.map((record) => {
    const summary = launchSummary(record);
    return [
      summary.launchId,
      summary.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      cell(summary.region),
      summary.status,
      fitColumns(cell(summary.name), NAME_COLUMNS),
      cell(summary.instanceId ?? '-'),
      String(summary.resources),
    ];
  });
  // Widths are display columns, not string length: a CJK or emoji name takes two per character.
  const widths = header.map((title, column) => Math.max(stringWidth(title), ...rows.map((row) => stringWidth(row[column]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => padColumns(cell, widths[column]))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export const run: CommandRunner = async ({args, flags, io}) => {
  const out = createOutput(io);
  const output = flags.output ?? 'text';
  if (output !== 'json' && output !== 'text') {
    out.say(t`tandem launches: --output must be json or text, not "${output}"`);
    return EXIT.usage;
  }
  if (args.length > 0) {
    out.say(t`tandem launches: takes no arguments (got ${args.join(' ')}); see tandem verify/destroy LAUNCH_ID`);
    return EXIT.usage;
  }
  let records: LaunchRecord[];
  let unreadable: UnreadableJournal[];
  const journal = createJournal(tandemHome(io.env));
  try {
    ({records, unreadable} = journal.scan());
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(error, 'tandem launches');
      return EXIT.usage;
    }
    throw error;
  }
  if (output === 'json') {
    // An unreadable journal still names a launch that may have left resources behind.
    const broken = unreadable.map(({launchId, file, reason}) => ({launchId, status: 'unreadable', journal: file, problem: reason}));
    out.json([...records.map(launchSummary), ...broken]);
    return EXIT.ok;
  }
  if (records.length === 0 && unreadable.length === 0) {
    out.say(t`No launches recorded yet (journals are kept in ${journal.dir}).`);
    return EXIT.ok;
  }
  // The table ends with a line break of its own; its cells were made inert before being measured.
  if (records.length > 0) out.print(launchesTable(records).slice(0, -1));
  if (unreadable.length > 0) {
    out.print(t`${trusted(records.length > 0 ? '\n' : '')}Unreadable journals (their launches may still have resources in AWS):`);
    for (const item of unreadable) out.print(t`  ${item.launchId}  ${item.file} ${item.reason}`);
  }
  return EXIT.ok;
};
