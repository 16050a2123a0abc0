// `tandem destroy LAUNCH_ID [--yes] [--output json]`: removes exactly what the launch's journal
// recorded, in dependency order, and is safe to run again. Without --yes it asks on a terminal
// and refuses (exit 2) in a script. Afterwards it reports anything still tagged with the launch
// id; tandem never deletes by tag alone.
import {createInterface} from 'node:readline';
import type {LaunchEvent} from '../domain/cloud.js';
import {destroyOpening, destroySummary, type DestroyStart} from '../domain/removal-text.js';
import {nextStepsForCode} from '../aws/errors.js';
import {cell, createOutput, t, type Output} from '../output.js';
import {tandemHome} from '../store/home.js';
import {createJournal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {openCloudForLaunch, targetRefusal} from './launch-cloud.js';
import {eventText} from './launch-headless.js';
import {deletionProtectionNotice} from '../domain/controls/load-balancer.js';
import {EXIT, UsageError, isInteractive, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem destroy LAUNCH_ID [--yes] [--output json]';

function ask(context: CommandContext, out: Output, question: string): Promise<string> {
  const prompt = createInterface({input: context.io.stdin, output: context.io.stderr, terminal: false});
  return new Promise((resolve) => {
    let answered = false;
    out.ask(question);
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

function describeRecord(record: LaunchRecord, out: Output): void {
  out.say(t`Launch ${record.launchId} (${record.region}, ${record.status}) recorded ${record.resources.length} resources:`);
  for (const resource of record.resources) out.say(t`  ${resource.kind.padEnd(20)} ${resource.id}`);
  // Asked about with the rest: a yes also lifts the load balancer's deletion protection.
  const protection = deletionProtectionNotice(record.spec, record.resources);
  if (protection) out.say(protection);
}

async function destroy(context: CommandContext, out: Output): Promise<number> {
  const {args, flags, io} = context;
  const output = flags.output ?? 'text';
  if (output !== 'json' && output !== 'text') throw new UsageError(`--output must be json or text, not "${output}"`);
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a LAUNCH_ID is needed; ${USAGE}` : `destroy takes one LAUNCH_ID; ${USAGE}`);
  const record = createJournal(tandemHome(io.env)).read(args[0]);
  // Said before the prompt: a yes would change nothing when the run points elsewhere.
  const refused = targetRefusal('destroy', context, record);
  if (refused) {
    out.say(`tandem destroy: ${refused}`);
    return EXIT.usage;
  }

  if (!flags.yes) {
    if (!isInteractive(io)) {
      out.say(t`tandem destroy: add --yes to remove the ${record.resources.length} resources of launch ${record.launchId} without a prompt`);
      return EXIT.usage;
    }
    describeRecord(record, out);
    const answer = (await ask(context, out, `Remove them? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      // Declining is an answer, not a failure.
      out.say(t`Nothing removed: launch ${record.launchId} is left as it is.`);
      return EXIT.ok;
    }
  }

  const opened = await openCloudForLaunch('destroy', context, record);
  if (!opened.cloud) {
    out.say(`tandem destroy: ${opened.reason}`);
    return opened.code;
  }
  const {cloud} = opened;

  // Progress is for a person: stderr, in both output modes (stdout stays one JSON object).
  const onEvent = (event: LaunchEvent) => {
    const text = eventText(event, new Map());
    if (text) out.say(text);
  };
  const start: DestroyStart = {launchId: record.launchId, recorded: record.resources.length, unanswered: record.pending?.length ?? 0};
  const opening = destroyOpening(start);
  if (output === 'text' && opening) out.say(opening);
  const result = await cloud.destroy(record.launchId, onEvent);

  if (output === 'json') {
    out.json({
      type: 'destroy',
      launchId: record.launchId,
      deleted: result.deleted,
      alreadyGone: result.alreadyGone ?? [],
      // Each failure with what the operator can do about it, as the launch's failure events have.
      failed: result.failed.map((failure) => ({...failure, next: nextStepsForCode(failure.code)})),
      leftovers: result.leftovers,
      ...(result.leftoversUnread ? {leftoversUnread: result.leftoversUnread} : {}),
      status: result.failed.length === 0 ? 'destroyed' : record.status,
    });
  } else {
    out.print(destroySummary(start, result).join('\n'));
    if (result.leftovers.length > 0) {
      out.print(t`Still tagged tandem:launch-id=${record.launchId} but not in its journal (remove by hand if they are yours):`);
      for (const leftover of result.leftovers) out.print(t`  ${cell(leftover.resourceType).padEnd(20)} ${leftover.id}`);
    }
    if (result.leftoversUnread) out.print(t`Not checked: ${result.leftoversUnread}.`);
  }
  return result.failed.length === 0 ? EXIT.ok : EXIT.failed;
}

export const run: CommandRunner = async (context) => {
  const out = createOutput(context.io);
  try {
    return await destroy(context, out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(error, 'tandem destroy');
    return EXIT.usage;
  }
};
