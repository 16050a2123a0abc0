// `tandem verify LAUNCH_ID [--strict] [--output json]`: describe a past launch back from AWS and
// check every control again, so drift made behind tandem's back shows up as FAIL, and say beside
// each what Security Hub, Prowler and Checkov would. Exit 3 when a control is not as chosen (with
// --strict also when a checker would fail something no accepted risk covers), or when the
// instance is gone; 2 for bad usage or an unknown launch id.
import {checkerSummary, isUnacceptedFailure} from '../domain/checker-verdicts.js';
import {InstanceGone, type VerificationResult} from '../domain/cloud.js';
import {renderVerificationTable} from '../domain/verification-table.js';
import {createOutput, t, type Output} from '../output.js';
import {tandemHome} from '../store/home.js';
import {createJournal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {openCloudForLaunch} from './launch-cloud.js';
import {EXIT, UsageError, type CommandContext, type CommandRunner} from './types.js';

const USAGE = 'usage: tandem verify LAUNCH_ID [--strict] [--output json]';

function chooseOutput(context: CommandContext): 'text' | 'json' {
  const value = context.flags.output ?? 'text';
  if (value === 'json' || value === 'text') return value;
  throw new UsageError(`--output "${value}" is not supported by verify; use json or text`);
}

function readRecord(context: CommandContext): LaunchRecord {
  const {args} = context;
  if (args.length !== 1) throw new UsageError(args.length === 0 ? `a LAUNCH_ID is needed; ${USAGE}` : `verify takes one LAUNCH_ID; ${USAGE}`);
  // The journal refuses ids that are not launch ids and names the folder it looked in.
  const record = createJournal(tandemHome(context.io.env)).read(args[0]);
  if (record.status === 'destroyed' || record.status === 'rolled-back') {
    throw new UsageError(`launch ${record.launchId} was ${record.status}; nothing is left to verify`);
  }
  return record;
}

/** Checker failures per tool, and how many of them no accepted risk covers. */
function checkerCounts(results: VerificationResult[]) {
  const verdicts = results.flatMap((result) => result.checkerVerdicts);
  const failing = verdicts.filter((verdict) => verdict.verdict === 'fail');
  return {
    failed: failing.length,
    unaccepted: failing.filter(isUnacceptedFailure).length,
    byTool: Object.fromEntries((['Security Hub', 'Prowler', 'Checkov'] as const).map((tool) => [tool, failing.filter((verdict) => verdict.tool === tool).length])),
    text: checkerSummary(verdicts),
  };
}

function printJson(out: Output, record: LaunchRecord, results: VerificationResult[]): void {
  const count = (status: VerificationResult['status']) => results.filter((result) => result.status === status).length;
  for (const result of results) out.json({type: 'verification', launchId: record.launchId, ...result});
  const checkers = checkerCounts(results);
  out.json({
    type: 'summary',
    launchId: record.launchId,
    passed: count('pass'),
    failed: count('fail'),
    info: count('info'),
    checkers: {failed: checkers.failed, unaccepted: checkers.unaccepted, byTool: checkers.byTool},
  });
}

/** Exit 3 when a control is not as chosen; with --strict also for an unaccepted checker failure. */
export function verifyExitCode(results: VerificationResult[], strict: boolean): number {
  if (results.some((result) => result.status === 'fail')) return EXIT.verificationFailed;
  if (strict && results.some((result) => result.checkerVerdicts.some(isUnacceptedFailure))) return EXIT.verificationFailed;
  return EXIT.ok;
}

async function verify(context: CommandContext, out: Output): Promise<number> {
  const output = chooseOutput(context);
  const record = readRecord(context);

  const opened = await openCloudForLaunch('verify', context, record);
  if (!opened.cloud) {
    out.say(`tandem verify: ${opened.reason}`);
    return opened.code;
  }
  let results: VerificationResult[];
  try {
    results = await opened.cloud.verify(record.launchId);
  } catch (error) {
    if (!(error instanceof InstanceGone)) throw error;
    // One line instead of a row per control that would each say the same.
    if (output === 'json') out.json({type: 'instance-gone', launchId: record.launchId, instanceId: error.instanceId, state: error.state});
    out.say(t`tandem verify: instance ${error.instanceId} of launch ${record.launchId} is ${error.state}: nothing left to verify; tandem destroy ${record.launchId} removes the rest`);
    return EXIT.verificationFailed;
  }

  if (output === 'json') {
    printJson(out, record, results);
  } else {
    const instance = record.resolved.instanceId ? t`, instance ${record.resolved.instanceId}` : '';
    out.print(t`Verification of launch ${record.launchId} (${record.region}${instance})\n`);
    out.print(renderVerificationTable(results, out.columns(100)));
  }
  return verifyExitCode(results, context.flags.strict === true);
}

export const run: CommandRunner = async (context) => {
  const out = createOutput(context.io);
  try {
    return await verify(context, out);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(error, 'tandem verify');
    return EXIT.usage;
  }
};
