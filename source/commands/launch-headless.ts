// `tandem launch PROFILE --yes` and `--dry-run`, without prompts. Progress goes to stderr as
// text; with --output json, stdout carries exactly one JSON object per event and nothing else.
// Exit codes: 0 launched and verified, 1 failed (rolled back or kept), 2 bad input or no
// credentials, 3 a control failed verification, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP
// (after rollback).
// --dry-run exits 0 only when every checkable call would succeed; a denied or failing call is 1.
import type {CreatedResource, DryRunResult, LaunchEvent, LaunchResult} from '../domain/cloud.js';
import {findingsFor, unacceptedHighRisks, type Finding} from '../domain/findings.js';
import {buildPlan, checkPlan} from '../domain/plan.js';
import {blocking, createdNames, preflightLine, unreachable, type NameField, type PreflightResult} from '../domain/preflight.js';
import {removedLine, rolledBackSentence} from '../domain/removal-text.js';
import {inert} from '../domain/sanitize.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateField, validateSpec} from '../domain/validate.js';
import {renderVerificationTable} from '../domain/verification-table.js';
import {tandemHome} from '../store/home.js';
import {journalDirProblem, newLaunchId, type Journal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {reportReferences} from './launch-references.js';
import {resolveMyAddress} from './my-address.js';
import type {RegionChoice} from './region.js';
import {onStopSignals, onUncaughtErrors, SIGNAL_EXIT, uncaughtText, type StopSignal} from '../stop-signals.js';
import {EXIT, UsageError, type CommandContext} from './types.js';

type Output = 'text' | 'json';

function outputOf(context: CommandContext): Output {
  const value = context.flags.output ?? 'text';
  if (value === 'json' || value === 'text') return value;
  throw new UsageError(`--output must be json or text, not "${value}"`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line of progress text for an event, or undefined for events shown another way. */
export function eventText(event: LaunchEvent, actions: Map<string, string>): string | undefined {
  const action = (stepId: string) => actions.get(stepId) ?? stepId;
  switch (event.type) {
    case 'launch-started':
      return `launch ${event.launchId}: ${event.steps.length} steps`;
    case 'step-started':
      return `  … ${event.stepId} (${event.action})`;
    case 'step-waiting':
      return `  … ${event.stepId}: ${event.reason} (attempt ${event.attempt})`;
    case 'step-done': {
      const ids = event.resources.map((resource) => inert(resource.id)).join(', ');
      return `  ✓ ${event.stepId} (${action(event.stepId)})${ids ? ` ${ids}` : ''} in ${seconds(event.ms)}`;
    }
    case 'step-failed':
      return `  ✗ ${event.stepId} (${action(event.stepId)}) failed: ${inert(event.code)}: ${inert(event.message)}`;
    case 'rollback-started':
      return `rolling back what launch ${event.launchId} created, in dependency order`;
    case 'resource-deleted':
      return `  ${removedLine(event.resource, event.alreadyGone)}`;
    case 'resource-delete-failed':
      return `  could not remove ${event.resource.kind} ${inert(event.resource.id)}: ${inert(event.code)}: ${inert(event.message)}`;
    case 'resource-waiting':
      return `  … ${event.resource.kind} ${inert(event.resource.id)}: ${inert(event.code)} (${inert(event.reason)}); trying again in ${seconds(event.waitMs)} (attempt ${event.attempt})`;
    case 'rollback-stopped':
      return `rollback stopped with ${event.remaining} resources left; remove them with: tandem destroy ${event.launchId}`;
    case 'key-file':
      return event.removed ? `  removed the private key file ${inert(event.path)}` : `  kept the private key file: ${inert(event.reason ?? event.path)}`;
    case 'verification':
    case 'summary':
      return undefined;
  }
}

function closingText(result: LaunchResult, spec: LaunchSpec, removed: CreatedResource[]): string {
  const lines: string[] = [];
  const id = result.launchId;
  switch (result.status) {
    case 'launched': {
      lines.push(`Launched ${inert(result.instanceId ?? '')} (launch ${id}).`);
      const host = result.publicDns || result.publicIp;
      if (host && spec.securityGroup.http !== false) lines.push(`  web:  http://${inert(host)}/`);
      if (result.login && result.login !== result.session) lines.push(`  log in: ${result.login}`);
      if (result.session) lines.push(`  shell: ${result.session}`);
      lines.push(`  remove it all: tandem destroy ${id}`);
      break;
    }
    case 'rolled-back':
      lines.push(...rolledBackSentence(id, removed));
      break;
    case 'kept':
      lines.push(`Launch ${id} failed; what it created was kept (--keep). Remove it with: tandem destroy ${id}`);
      break;
    case 'interrupted':
      lines.push(`Launch ${id} was interrupted; ${result.resources.length === 0 ? 'nothing is left behind' : `some resources remain: tandem destroy ${id}`}.`);
      break;
    case 'failed':
      lines.push(
        result.resources.length === 0
          ? `Launch ${id} failed before creating anything; nothing is left behind.`
          : `Launch ${id} failed and some resources could not be removed; retry with: tandem destroy ${id}`,
      );
      break;
  }
  return `${lines.join('\n')}\n`;
}

function dryRunTable(results: DryRunResult[]): string {
  const label: Record<DryRunResult['outcome'], string> = {
    'would-succeed': 'would succeed',
    denied: 'DENIED',
    'not-checkable': 'not checkable',
    'would-fail': 'would fail',
    error: 'ERROR',
  };
  const rows = results.map((result) => [result.stepId, result.action, label[result.outcome], inert(result.detail ?? '')]);
  const header = ['STEP', 'CALL', 'RESULT', 'DETAIL'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

async function dryRun(
  context: CommandContext,
  spec: LaunchSpec,
  output: Output,
  cloud: {dryRun: (s: LaunchSpec, p: ReturnType<typeof buildPlan>) => Promise<DryRunResult[]>},
  problems: PreflightResult[],
): Promise<number> {
  const {io} = context;
  const {dryRunPassed} = await import('../aws/dry-run.js');
  // EC2's DryRun asks only "may I?"; what pre-flight found would still fail the real call.
  const preflightRows: DryRunResult[] = problems.map((problem) => ({
    stepId: 'pre-flight',
    action: problem.check,
    outcome: 'would-fail',
    detail: preflightLine(problem),
  }));
  const results = [...preflightRows, ...(await cloud.dryRun(spec, buildPlan(spec)))];
  const passed = dryRunPassed(results);
  const count = (outcome: DryRunResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
  const counts = {
    wouldSucceed: count('would-succeed'),
    denied: count('denied'),
    notCheckable: count('not-checkable'),
    wouldFail: count('would-fail'),
    error: count('error'),
  };
  if (output === 'json') {
    for (const result of results) io.stdout.write(`${JSON.stringify({type: 'dry-run', ...result})}\n`);
    io.stdout.write(`${JSON.stringify({type: 'dry-run-summary', passed, region: spec.region, ...counts})}\n`);
  } else {
    io.stdout.write(dryRunTable(results));
    io.stdout.write(
      `\n${counts.wouldSucceed} would succeed, ${counts.wouldFail} would fail (pre-flight), ${counts.denied} denied, ${counts.error} failed, ${counts.notCheckable} not checkable by dry run (IAM, KMS, waits)\n`,
    );
  }
  return passed ? EXIT.ok : EXIT.failed;
}

type Summary = Extract<LaunchEvent, {type: 'summary'}>;

/**
 * The summary as the journal has it: a stopped launch whose rollback finished is `rolled-back`
 * (with `stoppedBy`), one that left resources is `interrupted` with what is left and the command
 * that removes it. The exit code still says the launch was stopped (130, 143, 129).
 */
function asJournaled(event: Summary, journal: Journal, stoppedBy: StopSignal | undefined): Record<string, unknown> {
  if (event.status === 'launched') return event;
  let record: LaunchRecord;
  try {
    record = journal.read(event.launchId);
  } catch {
    return event;
  }
  const status = record.status === 'rolled-back' || record.status === 'interrupted' ? record.status : event.status;
  const left = record.resources.map((resource) => ({kind: resource.kind, id: resource.id}));
  return {
    ...event,
    status,
    ...(stoppedBy ? {stoppedBy} : {}),
    ...(left.length > 0 ? {remaining: left, destroy: `tandem destroy ${event.launchId}`} : {}),
  };
}

export interface HeadlessOptions {
  /** The spec came from a saved profile or a profile file: report what it reuses (references) too. */
  fromProfile?: boolean;
  /** Names the profile did not write: renamed to the next free one when taken in the account. */
  proposeNames?: readonly NameField[];
  /** Where the launch goes, when the profile or --region decided (commands/region.ts). */
  region?: RegionChoice;
}

/** How to accept a finding in a profile file, as a line to paste under acceptedRisks. */
const acceptLine = (finding: Finding) => `acceptedRisks: [{finding: ${finding.id}, reason: "why it is acceptable here"}]`;

/**
 * --yes never takes a high-severity risk nobody accepted: each is named with the profile line (or
 * --accept-risk flag) that would accept it. Medium and low ones are said on stderr and the launch
 * goes on; info findings are not risks.
 */
function riskGate(spec: LaunchSpec, say: (line: string) => void): 'go' | 'refuse' {
  const open = findingsFor(spec).filter((finding) => !finding.accepted && finding.severity !== 'info');
  const high = unacceptedHighRisks(spec);
  for (const finding of open.filter((item) => item.severity !== 'high')) {
    say(`tandem launch: warning: ${finding.severity} risk ${finding.id}: ${finding.title}`);
  }
  if (high.length === 0) return 'go';
  for (const finding of high) {
    say(`tandem launch: high risk ${finding.id}: ${finding.title}. To accept it, add to the profile: ${acceptLine(finding)} (or pass --accept-risk ${finding.id}=REASON)`);
  }
  say(`tandem launch: --yes does not take ${high.length === 1 ? 'a high risk' : `${high.length} high risks`} nobody accepted; nothing was created`);
  return 'refuse';
}

/** The private key can only be written once, after CreateKeyPair: a bad path is refused up front. */
async function keyPathRefused(spec: LaunchSpec, dryRun: boolean, say: (line: string) => void): Promise<boolean> {
  if (spec.keyPair.mode !== 'create' || !spec.keyPair.path || dryRun) return false;
  const {keyPathProblem} = await import('../aws/key-file.js');
  const problem = keyPathProblem(spec.keyPair.path);
  if (problem) say(`tandem launch: keyPair.path: ${inert(problem)}; nothing was created`);
  return Boolean(problem);
}

export async function runHeadless(context: CommandContext, specGiven: LaunchSpec, options: HeadlessOptions = {}): Promise<number> {
  const {flags, io} = context;
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let output: Output;
  try {
    output = outputOf(context);
  } catch (error) {
    say(`tandem launch: ${(error as Error).message}`);
    return EXIT.usage;
  }
  if (!flags.yes && !flags.dryRun) {
    say('tandem launch: add --yes to launch without prompts, or --dry-run to only check permissions');
    return EXIT.usage;
  }

  let specIn = specGiven;
  const problems = validateSpec(specIn);
  if (problems.length > 0) {
    for (const problem of problems) say(`tandem launch: ${problem.field}: ${problem.message}`);
    return EXIT.usage;
  }

  // An imported key file is sent to AWS: it must hold the public key, never the private one.
  if (specIn.keyPair.mode === 'import' && specIn.keyPair.path) {
    const {publicKeyFileProblem} = await import('../store/public-key-file.js');
    const problem = publicKeyFileProblem(specIn.keyPair.path);
    if (problem) {
      say(`tandem launch: keyPair.path: ${inert(problem)}`);
      return EXIT.usage;
    }
  }

  if (!flags.dryRun && riskGate(specIn, say) === 'refuse') return EXIT.usage;
  if (await keyPathRefused(specIn, flags.dryRun, say)) return EXIT.usage;

  if (!flags.dryRun) {
    const problem = journalDirProblem(tandemHome(io.env));
    if (problem) {
      say(`tandem launch: ${inert(problem)}`);
      return EXIT.usage;
    }
  }

  // `ssh: me` is looked up before any AWS call: a lookup that finds nothing is bad input (exit 2).
  const mine = await resolveMyAddress(specIn, io);
  if (!mine.ok) return EXIT.usage;
  specIn = mine.spec;

  if (options.region?.note) say(`tandem launch: ${options.region.note}`);
  const {openCloud} = await import('../aws/index.js');
  const region = options.region?.region ?? flags.region;
  const opened = await openCloud({flags: {...flags, ...(region ? {region} : {})}, env: io.env, region: specIn.region});
  if (!opened.cloud) {
    say(`tandem launch: ${opened.reason}`);
    return EXIT.usage;
  }
  const {cloud, settings} = opened;
  // The launch happens where the settings point; the record and IAM ARNs must say the same.
  let spec: LaunchSpec = {...specIn, region: settings.region};
  // --region and AWS_REGION bypass the profile's checks: a typo would otherwise surface as a DNS error.
  const regionProblem = validateField('region', spec.region, spec);
  if (regionProblem) {
    say(`tandem launch: region: ${inert(regionProblem)}`);
    return EXIT.usage;
  }
  // One harmless call before a journal is started or anything is created: credentials that exist
  // but are refused (expired session, revoked key) are exit 2; an endpoint that never answers is
  // named within seconds and given up on within a minute (exit 1), never blamed on credentials.
  const {firstContact} = await import('../aws/first-contact.js');
  const contact = await firstContact(cloud.clients, {onWaiting: (message) => say(`tandem launch: ${inert(message)}`)});
  if (!contact.ok && contact.kind !== 'other') {
    say(`tandem launch: ${inert(contact.message)}`);
    return contact.kind === 'silent' ? EXIT.failed : EXIT.usage;
  }

  // The names tandem chooses, with the name each is numbered from (for a clash at create time).
  const proposedNames: Partial<Record<NameField, string>> = {};
  if (options.proposeNames?.length) {
    const proposed = await cloud.proposeNames(spec, options.proposeNames);
    const before = createdNames(spec);
    for (const field of options.proposeNames) if (before[field]) proposedNames[field] = before[field];
    const after = createdNames(proposed);
    for (const field of options.proposeNames) {
      if (before[field] !== after[field]) say(`tandem launch: ${field} ${inert(before[field] ?? '')} is taken; using ${inert(after[field] ?? '')}`);
    }
    spec = proposed;
  }

  // A proposed key name may have moved the key file: check the new path too.
  if (spec.keyPair.path !== specIn.keyPair.path && (await keyPathRefused(spec, flags.dryRun, say))) return EXIT.usage;

  const plan = buildPlan(spec);
  const planProblems = checkPlan(plan);
  if (planProblems.length > 0) {
    say(`tandem launch: the plan is inconsistent (a bug in tandem): ${planProblems.join('; ')}`);
    return EXIT.failed;
  }

  const preflight = await cloud.preflight(spec);
  if (options.fromProfile) reportReferences(context, preflight.references, output);
  if (output === 'json') io.stdout.write(`${JSON.stringify({type: 'preflight', results: preflight.results})}\n`);
  // A read the endpoint never answered checked nothing: launching on it could fail halfway.
  const silent = unreachable(preflight.results);
  if (silent.length > 0 && !flags.dryRun) {
    for (const result of silent) say(`tandem launch: ${inert(preflightLine(result))}`);
    say(`tandem launch: pre-flight could not read the account (the endpoint did not answer as AWS does); nothing was created. Run again when it answers.`);
    return EXIT.failed;
  }
  for (const result of preflight.results) {
    if (result.status === 'warn' || result.status === 'not-checked') say(`tandem launch: warning: ${inert(preflightLine(result))}`);
  }
  const blockers = blocking(preflight.results);

  if (flags.dryRun) return dryRun(context, spec, output, cloud, blockers);

  if (blockers.length > 0) {
    for (const problem of blockers) say(`tandem launch: ${inert(preflightLine(problem))}`);
    say(`tandem launch: pre-flight found ${blockers.length === 1 ? 'a problem' : `${blockers.length} problems`}; nothing was created. Fix the profile and run again.`);
    return EXIT.usage;
  }

  const launchId = newLaunchId();
  const controller = new AbortController();
  const rollbackStop = new AbortController();
  // Ctrl+C, SIGTERM and SIGHUP all stop the launch the same way; the first one sets the exit code.
  let stoppedBy: StopSignal | undefined;
  const stopListening = onStopSignals((signal) => {
    if (!stoppedBy) {
      stoppedBy = signal;
      say(`tandem launch: ${signal} received; starting nothing new, waiting for calls in flight, then removing what launch ${launchId} created`);
      controller.abort();
    } else if (!rollbackStop.signal.aborted) {
      say(`tandem launch: ${signal} received again; stopping the rollback after the delete in flight. Remove the rest with: tandem destroy ${launchId}`);
      rollbackStop.abort();
    }
  });

  // An error nothing caught (a bug, a library's stray callback) stops the launch the same way and
  // ends with exit 1: nothing new starts, what was created is rolled back.
  let uncaught: string | undefined;
  const stopUncaught = onUncaughtErrors((error) => {
    if (uncaught !== undefined) return;
    uncaught = uncaughtText(error);
    say(`tandem launch: unexpected error (${uncaught}); starting nothing new, then removing what launch ${launchId} created`);
    controller.abort();
  });

  const actions = new Map(plan.steps.map((step) => [step.id, step.action]));
  const removed: CreatedResource[] = [];
  // stdout carries only JSON lines with --output json; a person still reads progress on stderr.
  const onEvent = (event: LaunchEvent) => {
    if (event.type === 'resource-deleted') removed.push(event.resource);
    if (output === 'json') io.stdout.write(`${JSON.stringify(event.type === 'summary' ? asJournaled(event, cloud.journal, stoppedBy) : event)}\n`);
    const text = eventText(event, actions);
    if (text) say(text);
  };

  let result: LaunchResult;
  try {
    result = await cloud.launch(spec, plan, {launchId, onEvent, signal: controller.signal, keepOnFailure: flags.keep, rollbackSignal: rollbackStop.signal, ...(mine.found ? {myAddress: {cidr: mine.found.cidr, url: mine.found.url}} : {}), proposedNames});
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // The launch itself broke (not a step: those fail and roll back inside it), so what it made is unknown here.
    say(`tandem launch: launch ${launchId} stopped on an unexpected error (${uncaughtText(error)}); remove what it created with: tandem destroy ${launchId}`);
    return EXIT.failed;
  } finally {
    stopListening();
    stopUncaught();
  }

  if (output === 'text' && result.verification) {
    // The table ends with its own pass/fail count line.
    io.stdout.write(`${renderVerificationTable(result.verification, io.stdout.columns || 100)}\n\n`);
  }
  (output === 'text' ? io.stdout : io.stderr).write(closingText(result, spec, removed));

  if (uncaught !== undefined) {
    say(`tandem launch: launch ${launchId} was stopped by an unexpected error: ${uncaught}`);
    return EXIT.failed;
  }
  if (result.status === 'interrupted') return SIGNAL_EXIT[stoppedBy ?? 'SIGINT'];
  if (result.status !== 'launched') return EXIT.failed;
  return result.verification?.some((item) => item.status === 'fail') ? EXIT.verificationFailed : EXIT.ok;
}
