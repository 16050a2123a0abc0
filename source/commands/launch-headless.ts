// `tandem launch PROFILE --yes` and `--dry-run`, without prompts. Progress goes to stderr as
// text; with --output json, stdout carries exactly one JSON object per event and nothing else.
// Exit codes: 0 launched and verified, 1 failed (rolled back or kept), 2 bad input or no
// credentials, 3 a control failed verification, 130/143/129 stopped by SIGINT/SIGTERM/SIGHUP
// (after rollback).
// --dry-run exits 0 only when every checkable call would succeed; a denied or failing call is 1.
import type {CreatedResource, DryRunResult, LaunchEvent, LaunchResult} from '../domain/cloud.js';
import {planCost, printCost} from './launch-cost.js';
import {checkerVerdicts, templateFor} from '../domain/checker-run.js';
import {failureCount, failureLine, predictedFailures} from '../domain/predicted-failures.js';
import {findingsFor, unacceptedHighRisks, type Finding} from '../domain/findings.js';
import {buildPlan, checkPlan} from '../domain/plan.js';
import type {Plan} from '../domain/plan-types.js';
import {blocking, createdNames, preflightLine, unreachable, type NameField, type PreflightResult} from '../domain/preflight.js';
import {removedLine, rolledBackSentence} from '../domain/removal-text.js';
import type {LaunchSpec} from '../domain/spec.js';
import {validateField, validateSpec} from '../domain/validate.js';
import {renderVerificationTable} from '../domain/verification-table.js';
import {tandemHome} from '../store/home.js';
import {journalDirProblem, newLaunchId, type Journal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {reportReferences} from './launch-references.js';
import {resolveMyAddress, type FoundAddress} from './my-address.js';
import type {RegionChoice} from './region.js';
import {onStopSignals, onUncaughtErrors, SIGNAL_EXIT, uncaughtText, type StopSignal} from '../stop-signals.js';
import {EXIT, UsageError, type CommandContext} from './types.js';
import type {AwsCloud} from '../aws/index.js';
import {nextStepsForCode} from '../aws/errors.js';
import {cell, createOutput, safeText, t, trusted, type Output, type OutputMode, type Text, type Trusted} from '../output.js';
import {loadBalancedSite} from '../domain/controls/load-balancer.js';

function outputOf(context: CommandContext): OutputMode {
  const value = context.flags.output ?? 'text';
  if (value === 'json' || value === 'text') return value;
  throw new UsageError(`--output must be json or text, not "${value}"`);
}

const seconds = (ms: number) => trusted(`${(ms / 1000).toFixed(1)} s`);

/** ` (code): message` as the events carry them. */
const failure = (code: string, message: string) => t`${code}: ${message}`;

/** One line of progress text for an event, or undefined for events shown another way. */
export function eventText(event: LaunchEvent, actions: Map<string, string>): Trusted | undefined {
  const action = (stepId: string) => actions.get(stepId) ?? stepId;
  switch (event.type) {
    case 'launch-started':
      return t`launch ${event.launchId}: ${event.steps.length} steps`;
    case 'step-started':
      return t`  … ${event.stepId} (${event.action})`;
    case 'step-waiting':
      return t`  … ${event.stepId}: ${event.reason} (attempt ${event.attempt})`;
    case 'step-done': {
      const ids = event.resources.map((resource) => resource.id).join(', ');
      return t`  ✓ ${event.stepId} (${action(event.stepId)})${ids ? t` ${ids}` : ''} in ${seconds(event.ms)}`;
    }
    case 'step-failed':
      return t`  ✗ ${event.stepId} (${action(event.stepId)}) failed: ${failure(event.code, event.message)}`;
    case 'rollback-started':
      return t`rolling back what launch ${event.launchId} created, in dependency order`;
    case 'resource-deleted':
      return t`  ${removedLine(event.resource, event.alreadyGone)}`;
    case 'resource-delete-failed':
      return t`  could not remove ${event.resource.kind} ${event.resource.id}: ${failure(event.code, event.message)}`;
    case 'resource-waiting':
      return t`  … ${event.resource.kind} ${event.resource.id}: ${event.code} (${event.reason}); trying again in ${seconds(event.waitMs)} (attempt ${event.attempt})`;
    case 'rollback-stopped':
      return t`rollback stopped with ${event.remaining} resources left; remove them with: tandem destroy ${event.launchId}`;
    case 'key-file':
      return event.removed ? t`  removed the private key file ${event.path}` : t`  kept the private key file: ${event.reason ?? event.path}`;
    case 'verification':
    case 'summary':
      return undefined;
  }
}

function launchedText(result: LaunchResult, spec: LaunchSpec): Trusted[] {
  const lines = [t`Launched ${result.instanceId ?? ''} (launch ${result.launchId}).`];
  const host = result.publicDns || result.publicIp;
  const site = result.loadBalancerDns ? loadBalancedSite(spec, result.loadBalancerDns) : undefined;
  if (site) lines.push(t`  web:  ${site.url}`, ...(site.note ? [t`        ${site.note}`] : []));
  else if (host && spec.securityGroup.http !== false) lines.push(t`  web:  http://${host}/`);
  if (result.login && result.login !== result.session) lines.push(t`  log in: ${result.login}`);
  if (result.session) lines.push(t`  shell: ${result.session}`);
  lines.push(t`  remove it all: tandem destroy ${result.launchId}`);
  return lines;
}

function closingText(result: LaunchResult, spec: LaunchSpec, removed: CreatedResource[]): Trusted {
  const id = result.launchId;
  const lines: Text[] = [];
  switch (result.status) {
    case 'launched':
      lines.push(...launchedText(result, spec));
      break;
    case 'rolled-back':
      lines.push(...rolledBackSentence(id, removed));
      break;
    case 'kept':
      lines.push(t`Launch ${id} failed; what it created was kept (--keep). Remove it with: tandem destroy ${id}`);
      break;
    case 'interrupted':
      lines.push(t`Launch ${id} was interrupted; ${result.resources.length === 0 ? 'nothing is left behind' : t`some resources remain: tandem destroy ${id}`}.`);
      break;
    case 'failed':
      lines.push(
        result.resources.length === 0
          ? t`Launch ${id} failed before creating anything; nothing is left behind.`
          : t`Launch ${id} failed and some resources could not be removed; retry with: tandem destroy ${id}`,
      );
      break;
  }
  return trusted(lines.map(safeText).join('\n'));
}

function dryRunTable(results: DryRunResult[]): string {
  const label: Record<DryRunResult['outcome'], string> = {
    'would-succeed': 'would succeed',
    denied: 'DENIED',
    'not-checkable': 'not checkable',
    'would-fail': 'would fail',
    error: 'ERROR',
  };
  const rows = results.map((result) => [result.stepId, result.action, label[result.outcome], cell(result.detail ?? '')]);
  const header = ['STEP', 'CALL', 'RESULT', 'DETAIL'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

async function dryRun(out: Output, spec: LaunchSpec, plan: Plan, cloud: AwsCloud, problems: PreflightResult[], env: NodeJS.ProcessEnv): Promise<number> {
  const {dryRunPassed} = await import('../aws/dry-run.js');
  // The cost is asked for beside the dry run, not after it; it never changes the exit code.
  const cost = planCost(cloud.clients.settings, spec, plan, env);
  // EC2's DryRun asks only "may I?"; what pre-flight found would still fail the real call.
  const preflightRows: DryRunResult[] = problems.map((problem) => ({
    stepId: 'pre-flight',
    action: problem.check,
    outcome: 'would-fail',
    detail: preflightLine(problem),
  }));
  const results = [...preflightRows, ...(await cloud.dryRun(spec, plan))];
  const passed = dryRunPassed(results);
  const count = (outcome: DryRunResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
  const counts = {
    wouldSucceed: count('would-succeed'),
    denied: count('denied'),
    notCheckable: count('not-checkable'),
    wouldFail: count('would-fail'),
    error: count('error'),
  };
  // What the checkers will say is a forecast, not a permission: it never changes the exit code.
  const failures = predictedFailures(checkerVerdicts(spec, undefined, templateFor(spec, plan)));
  if (out.mode === 'json') {
    for (const result of results) out.json({type: 'dry-run', ...result});
    for (const failure of failures) out.json({type: 'predicted-failure', ...failure});
    out.json({type: 'cost', ...(await cost).estimate});
    out.json({type: 'dry-run-summary', passed, region: spec.region, ...counts});
  } else {
    out.print(dryRunTable(results));
    out.print(
      t`\n${counts.wouldSucceed} would succeed, ${counts.wouldFail} would fail (pre-flight), ${counts.denied} denied, ${counts.error} failed, ${counts.notCheckable} not checkable by dry run (IAM, KMS, waits)`,
    );
    out.print(t`\nAfter this launch, ${failureCount(failures)}:`);
    for (const failure of failures) out.print(t`  ${failureLine(failure)}`);
    printCost(out, (await cost).estimate);
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

/** An event as its JSON line: the summary as journaled, a failure with what the operator can do next. */
function jsonEvent(event: LaunchEvent, journal: Journal, stoppedBy: StopSignal | undefined): object {
  if (event.type === 'summary') return asJournaled(event, journal, stoppedBy);
  if (event.type === 'step-failed' || event.type === 'resource-delete-failed') return {...event, next: nextStepsForCode(event.code)};
  return event;
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
const acceptLine = (finding: Finding) => `acceptedRisks: [{finding: ${finding.id}, reason: "${finding.readyReason ?? 'why it is acceptable here'}"}]`;

/**
 * --yes never takes a high-severity risk nobody accepted: each is named with the profile line (or
 * --accept-risk flag) that would accept it. Medium and low ones are said on stderr and the launch
 * goes on; info findings are not risks.
 */
function riskGate(spec: LaunchSpec, out: Output): 'go' | 'refuse' {
  const open = findingsFor(spec).filter((finding) => !finding.accepted && finding.severity !== 'info');
  const high = unacceptedHighRisks(spec);
  for (const finding of open.filter((item) => item.severity !== 'high')) {
    out.say(t`tandem launch: warning: ${finding.severity} risk ${finding.id}: ${finding.title}`);
  }
  if (high.length === 0) return 'go';
  for (const finding of high) {
    out.say(
      t`tandem launch: high risk ${finding.id}: ${finding.title}. To accept it, add to the profile: ${acceptLine(finding)} (or pass --accept-risk ${finding.id}${finding.readyReason ? '' : '=REASON'})`,
    );
  }
  if (high.length > 1) out.say(t`tandem launch: to accept all ${high.length} with one reason: --accept-risk ${high.map((finding) => finding.id).join(',')}=REASON`);
  out.say(t`tandem launch: --yes does not take ${high.length === 1 ? 'a high risk' : `${high.length} high risks`} nobody accepted; nothing was created`);
  return 'refuse';
}

/** The private key can only be written once, after CreateKeyPair: a bad path is refused up front. */
async function keyPathRefused(spec: LaunchSpec, dryRun: boolean, out: Output): Promise<boolean> {
  if (spec.keyPair.mode !== 'create' || !spec.keyPair.path || dryRun) return false;
  const {keyPathProblem} = await import('../aws/key-file.js');
  const problem = keyPathProblem(spec.keyPair.path);
  if (problem) out.say(t`tandem launch: keyPair.path: ${problem}; nothing was created`);
  return Boolean(problem);
}

/** What the launch can refuse before any AWS call (exit 2): flags, the spec, the key files, risks, the journal folder. */
async function refusedOffline(context: CommandContext, spec: LaunchSpec, out: Output): Promise<boolean> {
  const {flags, io} = context;
  if (!flags.yes && !flags.dryRun) {
    out.say('tandem launch: add --yes to launch without prompts, or --dry-run to only check permissions');
    return true;
  }
  const problems = validateSpec(spec);
  if (problems.length > 0) {
    for (const problem of problems) out.say(t`tandem launch: ${problem.field}: ${problem.message}`);
    return true;
  }
  // An imported key file is sent to AWS: it must hold the public key, never the private one.
  if (spec.keyPair.mode === 'import' && spec.keyPair.path) {
    const {publicKeyFileProblem} = await import('../store/public-key-file.js');
    const problem = publicKeyFileProblem(spec.keyPair.path);
    if (problem) {
      out.say(t`tandem launch: keyPair.path: ${problem}`);
      return true;
    }
  }
  if (!flags.dryRun && riskGate(spec, out) === 'refuse') return true;
  if (await keyPathRefused(spec, flags.dryRun, out)) return true;
  if (!flags.dryRun) {
    const problem = journalDirProblem(tandemHome(io.env));
    if (problem) {
      out.say(t`tandem launch: ${problem}`);
      return true;
    }
  }
  return false;
}

type Opened = {cloud: AwsCloud; spec: LaunchSpec};

/**
 * The AWS side, where the settings point (the record and IAM ARNs must say the same region), after
 * one harmless call: credentials that exist but are refused (expired session, revoked key) are
 * exit 2; an endpoint that never answers is named within seconds and given up on within a minute
 * (exit 1), never blamed on credentials. Nothing is journaled or created before it answers.
 */
async function openForLaunch(context: CommandContext, specIn: LaunchSpec, options: HeadlessOptions, out: Output): Promise<Opened | number> {
  const {flags, io} = context;
  if (options.region?.note) out.say(`tandem launch: ${options.region.note}`);
  const {openCloud} = await import('../aws/index.js');
  const region = options.region?.region ?? flags.region;
  const opened = await openCloud({flags: {...flags, ...(region ? {region} : {})}, env: io.env, region: specIn.region});
  if (!opened.cloud) {
    out.say(`tandem launch: ${opened.reason}`);
    return EXIT.usage;
  }
  const {cloud, settings} = opened;
  const spec: LaunchSpec = {...specIn, region: settings.region};
  // --region and AWS_REGION bypass the profile's checks: a typo would otherwise surface as a DNS error.
  const regionProblem = validateField('region', spec.region, spec);
  if (regionProblem) {
    out.say(t`tandem launch: region: ${regionProblem}`);
    return EXIT.usage;
  }
  const {firstContact} = await import('../aws/first-contact.js');
  const contact = await firstContact(cloud.clients, {onWaiting: (message) => out.say(t`tandem launch: ${message}`)});
  if (!contact.ok && contact.kind !== 'other') {
    out.say(t`tandem launch: ${contact.message}`);
    return contact.kind === 'silent' ? EXIT.failed : EXIT.usage;
  }
  return {cloud, spec};
}

/** The names tandem chooses, renumbered when taken, with the name each is numbered from. */
async function chooseNames(cloud: AwsCloud, spec: LaunchSpec, fields: readonly NameField[] | undefined, out: Output) {
  const proposedNames: Partial<Record<NameField, string>> = {};
  if (!fields?.length) return {spec, proposedNames};
  const proposed = await cloud.proposeNames(spec, fields);
  const before = createdNames(spec);
  for (const field of fields) if (before[field]) proposedNames[field] = before[field];
  const after = createdNames(proposed);
  for (const field of fields) {
    if (before[field] !== after[field]) out.say(t`tandem launch: ${field} ${before[field] ?? ''} is taken; using ${after[field] ?? ''}`);
  }
  return {spec: proposed, proposedNames};
}

/**
 * Pre-flight, and what it decides: the dry run's report, or whether the launch may go on
 * (undefined) or stops with an exit code (an unread account is 1, a problem in the profile 2).
 */
async function preflightGate(context: CommandContext, cloud: AwsCloud, spec: LaunchSpec, plan: Plan, options: HeadlessOptions, out: Output): Promise<number | undefined> {
  const preflight = await cloud.preflight(spec);
  if (options.fromProfile) reportReferences(out, preflight.references);
  if (out.mode === 'json') out.json({type: 'preflight', results: preflight.results});
  // A read the endpoint never answered checked nothing: launching on it could fail halfway.
  const silent = unreachable(preflight.results);
  if (silent.length > 0 && !context.flags.dryRun) {
    for (const result of silent) out.say(t`tandem launch: ${preflightLine(result)}`);
    out.say(`tandem launch: pre-flight could not read the account (the endpoint did not answer as AWS does); nothing was created. Run again when it answers.`);
    return EXIT.failed;
  }
  for (const result of preflight.results) {
    if (result.status === 'warn' || result.status === 'not-checked') out.say(t`tandem launch: warning: ${preflightLine(result)}`);
  }
  const blockers = blocking(preflight.results);
  if (context.flags.dryRun) return dryRun(out, spec, plan, cloud, blockers, context.io.env);
  if (blockers.length === 0) return undefined;
  for (const problem of blockers) out.say(t`tandem launch: ${preflightLine(problem)}`);
  out.say(t`tandem launch: pre-flight found ${blockers.length === 1 ? 'a problem' : `${blockers.length} problems`}; nothing was created. Fix the profile and run again.`);
  return EXIT.usage;
}

/** What a running launch needs: its id, the plan, the names tandem proposed and the address `ssh: me` found. */
interface Run {
  launchId: string;
  spec: LaunchSpec;
  plan: ReturnType<typeof buildPlan>;
  proposedNames: Partial<Record<NameField, string>>;
  found?: FoundAddress;
}

interface Watched {
  result?: LaunchResult;
  stoppedBy?: StopSignal;
  uncaught?: string;
  removed: CreatedResource[];
}

/**
 * Runs the launch with Ctrl+C, SIGTERM and SIGHUP (and an error nothing caught) stopping it the same
 * way: nothing new starts, what was created is rolled back; a second signal cuts the rollback short.
 * Events go to stdout as JSON lines with --output json, and as text on stderr for a person.
 */
async function watchLaunch(context: CommandContext, cloud: AwsCloud, run: Run, out: Output): Promise<Watched> {
  const {launchId, plan, spec} = run;
  const controller = new AbortController();
  const rollbackStop = new AbortController();
  const watched: Watched = {removed: []};
  const stopListening = onStopSignals((signal) => {
    if (!watched.stoppedBy) {
      watched.stoppedBy = signal;
      out.say(t`tandem launch: ${signal} received; starting nothing new, waiting for calls in flight, then removing what launch ${launchId} created`);
      controller.abort();
    } else if (!rollbackStop.signal.aborted) {
      out.say(t`tandem launch: ${signal} received again; stopping the rollback after the delete in flight. Remove the rest with: tandem destroy ${launchId}`);
      rollbackStop.abort();
    }
  });
  const stopUncaught = onUncaughtErrors((error) => {
    if (watched.uncaught !== undefined) return;
    watched.uncaught = uncaughtText(error);
    out.say(t`tandem launch: unexpected error (${watched.uncaught}); starting nothing new, then removing what launch ${launchId} created`);
    controller.abort();
  });

  const actions = new Map(plan.steps.map((step) => [step.id, step.action]));
  const onEvent = (event: LaunchEvent) => {
    if (event.type === 'resource-deleted') watched.removed.push(event.resource);
    if (out.mode === 'json') out.json(jsonEvent(event, cloud.journal, watched.stoppedBy));
    const text = eventText(event, actions);
    if (text) out.say(text);
  };
  const myAddress = run.found ? {myAddress: {cidr: run.found.cidr, url: run.found.url}} : {};
  try {
    watched.result = await cloud.launch(spec, plan, {
      launchId,
      onEvent,
      signal: controller.signal,
      keepOnFailure: context.flags.keep,
      rollbackSignal: rollbackStop.signal,
      ...myAddress,
      proposedNames: run.proposedNames,
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // The launch itself broke (not a step: those fail and roll back inside it), so what it made is unknown here.
    out.say(t`tandem launch: launch ${launchId} stopped on an unexpected error (${uncaughtText(error)}); remove what it created with: tandem destroy ${launchId}`);
  } finally {
    stopListening();
    stopUncaught();
  }
  return watched;
}

/** The verification table and the closing lines, and the exit code of the launch. */
function finish(run: Run, watched: Watched, out: Output): number {
  const {result, stoppedBy, uncaught} = watched;
  if (!result) return EXIT.failed;
  if (out.mode === 'text' && result.verification) {
    // The table ends with its own pass/fail count line.
    out.print(`${renderVerificationTable(result.verification, out.columns(100))}\n`);
  }
  const closing = closingText(result, run.spec, watched.removed);
  if (out.mode === 'text') out.print(closing);
  else out.say(closing);

  if (uncaught !== undefined) {
    out.say(t`tandem launch: launch ${run.launchId} was stopped by an unexpected error: ${uncaught}`);
    return EXIT.failed;
  }
  if (result.status === 'interrupted') return SIGNAL_EXIT[stoppedBy ?? 'SIGINT'];
  if (result.status !== 'launched') return EXIT.failed;
  return result.verification?.some((item) => item.status === 'fail') ? EXIT.verificationFailed : EXIT.ok;
}

export async function runHeadless(context: CommandContext, specGiven: LaunchSpec, options: HeadlessOptions = {}): Promise<number> {
  const {flags, io} = context;
  let out = createOutput(io);
  try {
    out = createOutput(io, outputOf(context));
  } catch (error) {
    out.error(error, 'tandem launch');
    return EXIT.usage;
  }
  if (await refusedOffline(context, specGiven, out)) return EXIT.usage;

  // `ssh: me` is looked up before any AWS call: a lookup that finds nothing is bad input (exit 2).
  const mine = await resolveMyAddress(specGiven, io);
  if (!mine.ok) return EXIT.usage;
  const opened = await openForLaunch(context, mine.spec, options, out);
  if (typeof opened === 'number') return opened;
  const {cloud} = opened;
  const named = await chooseNames(cloud, opened.spec, options.proposeNames, out);
  const {proposedNames} = named;
  // Behind a load balancer in an existing VPC the subnets are chosen now and recorded in the spec,
  // so the plan, the journal and verification all name the same ones.
  const spec = await cloud.placeLoadBalancer(named.spec);
  const chosen = spec.network.loadBalancerSubnets;
  if (chosen && spec !== named.spec) out.say(t`tandem launch: the load balancer goes in ${chosen.join(' and ')}, the instance in private subnet ${spec.network.subnet}`);

  // A proposed key name may have moved the key file: check the new path too.
  if (spec.keyPair.path !== mine.spec.keyPair.path && (await keyPathRefused(spec, flags.dryRun, out))) return EXIT.usage;

  const plan = buildPlan(spec);
  const planProblems = checkPlan(plan);
  if (planProblems.length > 0) {
    out.say(t`tandem launch: the plan is inconsistent (a bug in tandem): ${planProblems.join('; ')}`);
    return EXIT.failed;
  }
  const stop = await preflightGate(context, cloud, spec, plan, options, out);
  if (stop !== undefined) return stop;

  const run: Run = {launchId: newLaunchId(), spec, plan, proposedNames, ...(mine.found ? {found: mine.found} : {})};
  return finish(run, await watchLaunch(context, cloud, run, out), out);
}
