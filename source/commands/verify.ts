// `tandem verify LAUNCH_ID [--output json]`: describe a past launch back from AWS and check every
// control again, so drift made behind tandem's back shows up as FAIL. Exit 3 when a control fails,
// 2 for bad usage or an unknown launch id. The journal remembers the latest results.
import type {VerificationResult} from '../domain/cloud.js';
import {inert} from '../domain/sanitize.js';
import {renderVerificationTable} from '../domain/verification-table.js';
import {tandemHome} from '../store/home.js';
import {createJournal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {openCloudForLaunch} from './launch-cloud.js';
import {EXIT, UsageError, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem verify LAUNCH_ID [--output json]';

function chooseOutput(context: CommandContext): 'text' | 'json' {
  const value = context.flags.output ?? 'text';
  if (value === 'json' || value === 'text') return value;
  throw new UsageError(`--output "${value}" is not supported by verify; use json or text`);
}

function readRecord(context: CommandContext): LaunchRecord {
  const {args} = context;
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a LAUNCH_ID is needed; ${USAGE}` : `verify takes one LAUNCH_ID; ${USAGE}`);
  // The journal refuses ids that are not launch ids and names the folder it looked in.
  const record = createJournal(tandemHome(context.io.env)).read(args[0] as string);
  if (record.status === 'destroyed' || record.status === 'rolled-back') {
    throw new UsageError(`launch ${record.launchId} was ${record.status}; nothing is left to verify`);
  }
  return record;
}

function jsonLines(record: LaunchRecord, results: VerificationResult[]): string {
  const count = (status: VerificationResult['status']) => results.filter((result) => result.status === status).length;
  const lines = results.map((result) => JSON.stringify({type: 'verification', launchId: record.launchId, ...result}));
  lines.push(
    JSON.stringify({type: 'summary', launchId: record.launchId, passed: count('pass'), failed: count('fail'), info: count('info')}),
  );
  return `${lines.join('\n')}\n`;
}

async function verify(context: CommandContext): Promise<number> {
  const {io} = context;
  const output = chooseOutput(context);
  const record = readRecord(context);

  const opened = await openCloudForLaunch('verify', context, record);
  if (!opened.cloud) {
    io.stderr.write(`tandem verify: ${opened.reason}\n`);
    return EXIT.usage;
  }
  const results = await opened.cloud.verify(record.launchId);

  if (output === 'json') {
    io.stdout.write(jsonLines(record, results));
  } else {
    const instance = record.resolved.instanceId ? `, instance ${inert(record.resolved.instanceId)}` : '';
    io.stdout.write(`Verification of launch ${record.launchId} (${inert(record.region)}${instance})\n\n`);
    io.stdout.write(`${renderVerificationTable(results, io.stdout.columns || 100)}\n`);
  }
  return results.some((result) => result.status === 'fail') ? EXIT.verificationFailed : EXIT.ok;
}

export const run: CommandRunner = async (context) => {
  try {
    return await verify(context);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.io.stderr.write(`tandem verify: ${error.message}\n`);
    return EXIT.usage;
  }
};
