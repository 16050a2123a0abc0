// `tandem destroy LAUNCH_ID [--yes] [--output json]`: removes exactly what the launch's journal
// recorded, in dependency order, and is safe to run again. Without --yes it asks on a terminal
// and refuses (exit 2) in a script. Afterwards it reports anything still tagged with the launch
// id; tandem never deletes by tag alone.
import {createInterface} from 'node:readline';
import type {LaunchEvent} from '../domain/cloud.js';
import {destroyOpening, destroySummary, type DestroyStart} from '../domain/removal-text.js';
import {inert} from '../domain/sanitize.js';
import {tandemHome} from '../store/home.js';
import {createJournal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {openCloudForLaunch, targetRefusal} from './launch-cloud.js';
import {eventText} from './launch-headless.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem destroy LAUNCH_ID [--yes] [--output json]';

function ask(context: CommandContext, question: string): Promise<string> {
  const prompt = createInterface({input: context.io.stdin, output: context.io.stderr, terminal: false});
  return new Promise((resolve) => {
    let answered = false;
    context.io.stderr.write(question);
    prompt.once('line', (line) => {
      answered = true;
      prompt.close();
      resolve(line);
    });
    prompt.once('close', () => {
      if (!answered) resolve('');
    });
  });
}

function describeRecord(record: LaunchRecord): string {
  const lines = [`Launch ${record.launchId} (${inert(record.region)}, ${record.status}) recorded ${record.resources.length} resources:`];
  for (const resource of record.resources) lines.push(`  ${resource.kind.padEnd(20)} ${inert(resource.id)}`);
  return `${lines.join('\n')}\n`;
}

async function destroy(context: CommandContext): Promise<number> {
  const {args, flags, io} = context;
  const output = flags.output ?? 'text';
  if (output !== 'json' && output !== 'text') throw new UsageError(`--output must be json or text, not "${output}"`);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a LAUNCH_ID is needed; ${USAGE}` : `destroy takes one LAUNCH_ID; ${USAGE}`);
  const record = createJournal(tandemHome(io.env)).read(args[0]);
  // Said before the prompt: a yes would change nothing when the run points elsewhere.
  const refused = targetRefusal('destroy', context, record);
  if (refused) {
    io.stderr.write(`tandem destroy: ${refused}\n`);
    return EXIT.usage;
  }

  if (!flags.yes) {
    if (!isInteractive(io)) {
      io.stderr.write(`tandem destroy: add --yes to remove the ${record.resources.length} resources of launch ${record.launchId} without a prompt\n`);
      return EXIT.usage;
    }
    io.stderr.write(describeRecord(record));
    const answer = (await ask(context, `Remove them? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      // Declining is an answer, not a failure.
      io.stderr.write(`Nothing removed: launch ${record.launchId} is left as it is.\n`);
      return EXIT.ok;
    }
  }

  const opened = await openCloudForLaunch('destroy', context, record);
  if (!opened.cloud) {
    io.stderr.write(`tandem destroy: ${opened.reason}\n`);
    return opened.code;
  }
  const {cloud} = opened;

  // Progress is for a person: stderr, in both output modes (stdout stays one JSON object).
  const onEvent = (event: LaunchEvent) => {
    const text = eventText(event, new Map());
    if (text) io.stderr.write(`${text}\n`);
  };
  const start: DestroyStart = {launchId: record.launchId, recorded: record.resources.length, unanswered: record.pending?.length ?? 0};
  const opening = destroyOpening(start);
  if (output === 'text' && opening) io.stderr.write(`${opening}\n`);
  const result = await cloud.destroy(record.launchId, onEvent);

  if (output === 'json') {
    io.stdout.write(
      `${JSON.stringify({
        type: 'destroy',
        launchId: record.launchId,
        deleted: result.deleted,
        alreadyGone: result.alreadyGone ?? [],
        failed: result.failed,
        leftovers: result.leftovers,
        status: result.failed.length === 0 ? 'destroyed' : record.status,
      })}\n`,
    );
  } else {
    io.stdout.write(`${destroySummary(start, result).join('\n')}\n`);
    if (result.leftovers.length > 0) {
      io.stdout.write(`Still tagged tandem:launch-id=${record.launchId} but not in its journal (remove by hand if they are yours):\n`);
      for (const leftover of result.leftovers) io.stdout.write(`  ${inert(leftover.resourceType).padEnd(20)} ${inert(leftover.id)}\n`);
    }
  }
  return result.failed.length === 0 ? EXIT.ok : EXIT.failed;
}

export const run: CommandRunner = async (context) => {
  try {
    return await destroy(context);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.io.stderr.write(`tandem destroy: ${error.message}\n`);
    return EXIT.usage;
  }
};
