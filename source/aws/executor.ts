// Runs a plan graph for real. Every step starts as soon as the steps it depends on are done, so
// independent branches (network, IAM, KMS, key pair) proceed concurrently. Each created resource
// is written to the journal before any step that could depend on it starts, so a crash or Ctrl+C
// can always be cleaned up. On failure or abort no new step starts, in-flight ones settle (their
// resources are recorded), and then everything is rolled back in dependency order unless kept.
import {randomUUID} from 'node:crypto';
import type {CreatedResource, LaunchEvent, LaunchStatus} from '../domain/cloud.js';
import type {Plan, PlanStep} from '../domain/plan-types.js';
import type {LaunchSpec} from '../domain/spec.js';
import {ebsKeyProblem} from '../domain/kms-key.js';
import type {Journal} from '../store/journal.js';
import type {LaunchRecord, ResolvedIds} from '../store/journal-types.js';
import type {AwsClients} from './clients.js';
import {createdResources, deleteResource, type DeleteOptions, send} from './actions.js';
import {describeAwsError, errorCode, errorMessage, StepError} from './errors.js';
import {nextNumberedName, type NameField} from '../domain/preflight.js';
import {getImageParameter, isImageParameter} from './image.js';
import {assertKeyPathFree, expandHome, keyFileDigest, writePrivateKey} from './key-file.js';
import {needsAccountId, referencedSteps, resolveParams} from './refs.js';
import {FLOW_LOG_STEP} from '../domain/controls/flow-logs.js';
import {pendingCreate} from './pending.js';
import {publicKeyFileProblem} from '../store/public-key-file.js';
import {rollback} from './rollback.js';
import type {SsmWait} from '../domain/controls/ways-in.js';
import {certificateWaitFailure, recordToCreate, writeValidationRecord, type RecordPoll, type ValidationAnswer} from './certificate.js';
import {DEFAULT_VALIDATION_WAIT_MINUTES, LB_STEP, validationWaitSeconds} from '../domain/controls/load-balancer.js';
import {loadBalancerOf} from '../domain/spec.js';

export const PROFILE_WAIT_REASON = 'EC2 is waiting for IAM to publish the instance profile';

export interface ExecutorTuning {
  /** Backoff for RunInstances while EC2 cannot see a new instance profile yet. */
  profileRetry?: {firstDelayMs: number; maxDelayMs: number; maxTotalMs: number};
  /** Seconds the instance-running waiter may take. */
  runningWaitSeconds?: number;
  deletes?: DeleteOptions;
  /** How long verification waits for the Session Manager agent to register. */
  ssmWait?: SsmWait;
  /** Seconds the wait for a requested certificate may take; the profile's validationWaitMinutes otherwise. */
  certificateWaitSeconds?: number;
  /** How often and how long the validation step asks ACM for the record it wants. */
  certificateRecordPoll?: RecordPoll;
}

const DEFAULT_TUNING: Required<Pick<ExecutorTuning, 'profileRetry' | 'runningWaitSeconds'>> = {
  profileRetry: {firstDelayMs: 2000, maxDelayMs: 15_000, maxTotalMs: 60_000},
  runningWaitSeconds: 600,
};

export interface ExecuteOptions {
  clients: AwsClients;
  journal: Journal;
  record: LaunchRecord;
  spec: LaunchSpec;
  plan: Plan;
  onEvent: (event: LaunchEvent) => void;
  signal?: AbortSignal;
  keepOnFailure?: boolean;
  clientToken?: string;
  tuning?: ExecutorTuning;
  /** A second stop: the rollback starts no further delete. */
  rollbackSignal?: AbortSignal;
  /** Names that were tandem's proposal, with their base name: a create that finds one taken moves on to the next. */
  proposedNames?: Partial<Record<NameField, string>>;
}

/** How many taken names in a row a create moves past before it gives up. */
const NAME_TRIES = 5;

type Tag = {Key?: string; Value?: string};

/**
 * The creates whose name tandem may have proposed: the error that says the name is taken, the
 * field that proposed it, the parameter that carries it, and how the journal's spec follows.
 * Later steps take these names from the create's answer, so they follow too.
 */
const RENAMEABLE: Record<string, {code: string; field: NameField; param: string; what: string; follow: (spec: LaunchSpec, name: string) => void}> = {
  'ec2:CreateSecurityGroup': {
    code: 'InvalidGroup.Duplicate',
    field: 'securityGroup.name',
    param: 'GroupName',
    what: 'security group',
    follow: (spec, name) => {
      spec.securityGroup.name = name;
    },
  },
  'iam:CreateRole': {
    code: 'EntityAlreadyExists',
    field: 'role.name',
    param: 'RoleName',
    what: 'role',
    follow: (spec, name) => {
      spec.role.name = name;
    },
  },
  'iam:CreateInstanceProfile': {
    code: 'EntityAlreadyExists',
    field: 'role.name',
    param: 'InstanceProfileName',
    what: 'instance profile',
    follow: (spec, name) => {
      spec.role.instanceProfile = name;
    },
  },
};

/** The create input with another name, in its parameter and in the Name tag that repeats it. */
function rename(input: Record<string, unknown>, param: string, from: string, to: string): void {
  input[param] = to;
  const tagSpecs = (input.TagSpecifications as Array<{Tags?: Tag[]}> | undefined) ?? [];
  const tags = [...((input.Tags as Tag[] | undefined) ?? []), ...tagSpecs.flatMap((tagSpec) => tagSpec.Tags ?? [])];
  for (const tag of tags) if (tag.Key === 'Name' && tag.Value === from) tag.Value = to;
}

export interface ExecuteResult {
  status: LaunchStatus;
  record: LaunchRecord;
  failure?: {stepId: string; code: string; message: string};
  /** Responses by step id (KeyMaterial removed), for callers that need more than the record. */
  outputs: Map<string, Record<string, unknown>>;
}

const isProfileRace = (error: unknown) => errorCode(error) === 'InvalidParameterValue' && /Invalid IAM Instance Profile/i.test(errorMessage(error));

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, {once: true});
  });
}

/** Ids the spec already names (existing VPC, role, key…); the run fills in the rest. */
export function initialResolved(spec: LaunchSpec): ResolvedIds {
  const resolved: ResolvedIds = {};
  if (spec.instance.image === 'ami' && spec.instance.amiId) resolved.imageId = spec.instance.amiId;
  if (spec.network.vpc.startsWith('vpc-')) resolved.vpcId = spec.network.vpc;
  if (spec.network.subnet.startsWith('subnet-')) resolved.subnetId = spec.network.subnet;
  if (spec.securityGroup.mode === 'existing' && spec.securityGroup.groupId) resolved.securityGroupId = spec.securityGroup.groupId;
  if (spec.role.mode !== 'none' && spec.role.name) {
    resolved.roleName = spec.role.name;
    resolved.instanceProfileName = spec.role.instanceProfile ?? spec.role.name;
  }
  if (spec.keyPair.mode !== 'none' && spec.keyPair.name) resolved.keyName = spec.keyPair.name;
  if (spec.keyPair.mode === 'create' && spec.keyPair.path) resolved.keyPath = expandHome(spec.keyPair.path);
  return resolved;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** What a finished step tells verification about the launch. */
function learn(step: PlanStep, input: Record<string, unknown>, response: Record<string, unknown>, resolved: ResolvedIds): void {
  const set = (key: keyof ResolvedIds, value: unknown) => {
    const text = str(value);
    if (text) resolved[key] = text;
  };
  switch (`${step.service}:${step.action}`) {
    case 'ssm:GetParameter':
      if (isImageParameter(input.Name)) set('imageId', (response.Parameter as {Value?: string} | undefined)?.Value);
      break;
    case 'ec2:DescribeImages':
      set('imageId', (response.Images as Array<{ImageId?: string}> | undefined)?.[0]?.ImageId);
      break;
    case 'ec2:CreateVpc':
      set('vpcId', (response.Vpc as {VpcId?: string} | undefined)?.VpcId);
      break;
    case 'ec2:DescribeVpcs':
      set('vpcId', (response.Vpcs as Array<{VpcId?: string}> | undefined)?.[0]?.VpcId);
      break;
    case 'ec2:CreateSecurityGroup':
      set('securityGroupId', response.GroupId);
      break;
    case 'ec2:DescribeManagedPrefixLists':
      set('instanceConnectPrefixListId', (response.PrefixLists as Array<{PrefixListId?: string}> | undefined)?.[0]?.PrefixListId);
      break;
    case 'iam:CreateRole':
      // The flow logs' delivery role is not the instance's.
      if (step.id !== FLOW_LOG_STEP.role) set('roleName', (response.Role as {RoleName?: string} | undefined)?.RoleName);
      break;
    case 'ec2:CreateFlowLogs':
      set('flowLogId', (response.FlowLogIds as string[] | undefined)?.[0]);
      break;
    case 'iam:CreateInstanceProfile':
      set('instanceProfileName', (response.InstanceProfile as {InstanceProfileName?: string} | undefined)?.InstanceProfileName);
      break;
    case 'kms:CreateKey':
    case 'kms:DescribeKey':
      set('kmsKeyId', (response.KeyMetadata as {Arn?: string} | undefined)?.Arn);
      break;
    case 'ec2:CreateKeyPair':
    case 'ec2:ImportKeyPair':
      set('keyName', response.KeyName ?? input.KeyName);
      set('keyFingerprint', response.KeyFingerprint);
      break;
    case 'ec2:AllocateHosts':
      set('hostId', (response.HostIds as string[] | undefined)?.[0]);
      break;
    case 'ec2:RunInstances': {
      const instance = (response.Instances as Array<Record<string, unknown>> | undefined)?.[0] ?? {};
      set('instanceId', instance.InstanceId);
      set('imageId', instance.ImageId ?? input.ImageId);
      set('subnetId', instance.SubnetId ?? input.SubnetId);
      set('vpcId', instance.VpcId);
      set('keyName', instance.KeyName ?? input.KeyName);
      const nic = (input.NetworkInterfaces as Array<{SubnetId?: string; Groups?: string[]}> | undefined)?.[0];
      set('subnetId', nic?.SubnetId);
      set('securityGroupId', (input.SecurityGroupIds as string[] | undefined)?.[0] ?? nic?.Groups?.[0]);
      set('instanceProfileName', (input.IamInstanceProfile as {Name?: string} | undefined)?.Name);
      set('hostId', (input.Placement as {HostId?: string} | undefined)?.HostId);
      const ebs = (input.BlockDeviceMappings as Array<{Ebs?: {KmsKeyId?: string}}> | undefined)?.[0]?.Ebs;
      if (ebs?.KmsKeyId && !resolved.kmsKeyId) set('kmsKeyId', ebs.KmsKeyId);
      break;
    }
    default:
      break;
  }
}

/** Plan sanity the executor relies on: known dependencies, refs covered by dependsOn, no cycles. */
export function planProblems(plan: Plan): string[] {
  const ids = new Set(plan.steps.map((step) => step.id));
  const problems: string[] = [];
  if (ids.size !== plan.steps.length) problems.push('two steps share an id');
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const upstream = (step: PlanStep): Set<string> => {
    const seen = new Set<string>();
    const queue = [...step.dependsOn];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(byId.get(id)?.dependsOn ?? []));
    }
    return seen;
  };
  for (const step of plan.steps) {
    for (const dep of step.dependsOn) if (!ids.has(dep)) problems.push(`step ${step.id} depends on unknown step ${dep}`);
    const before = upstream(step);
    for (const ref of referencedSteps(step.params)) {
      if (!before.has(ref)) problems.push(`step ${step.id} uses the output of ${ref} without depending on it`);
    }
  }
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const step of plan.steps) {
      if (!done.has(step.id) && step.dependsOn.every((dep) => done.has(dep))) {
        done.add(step.id);
        progress = true;
      }
    }
  }
  if (done.size !== plan.steps.length && problems.length === 0) problems.push('the plan has a dependency cycle');
  return problems;
}

/** What the steps of one run share: its options, the outputs so far and the first failure. */
interface Run {
  options: ExecuteOptions;
  tuning: ExecutorTuning & typeof DEFAULT_TUNING;
  launchId: string;
  outputs: Map<string, Record<string, unknown>>;
  refContext: Parameters<typeof resolveParams>[1];
  failure?: ExecuteResult['failure'];
}

type RunFailure = NonNullable<ExecuteResult['failure']>;

/** The first failure is the one reported; later ones are consequences of stopping. */
function fail(run: Run, stepId: string, code: string, message: string): void {
  if (!run.failure) run.failure = {stepId, code, message};
}

const stopping = (run: Run) => Boolean(run.failure) || Boolean(run.options.signal?.aborted);

// Journal writes are synchronous, so each one completes before the scheduler runs again.
function recordResources(run: Run, resources: CreatedResource[], step: PlanStep, input: Record<string, unknown>, response: Record<string, unknown>): void {
  // When the SDK had to retry a create (timeout, reset), an earlier attempt may have made the
  // resource too, unseen: keep the intent so destroy also looks for such a twin.
  const attempts = (response.$metadata as {attempts?: number} | undefined)?.attempts ?? 1;
  run.options.journal.update(run.launchId, (current) => {
    current.resources.push(...resources);
    if (attempts <= 1) current.pending = (current.pending ?? []).filter((item) => item.stepId !== step.id);
    learn(step, input, response, current.resolved);
  });
}

// Written before a create call goes out: if the answer never comes back (crash, lost
// connection), rollback and destroy look for what the call may have made. A failed call's
// entry stays; resolving it costs a lookup, forgetting it could cost an orphaned resource.
function recordIntent(run: Run, step: PlanStep, input: Record<string, unknown>): void {
  if (step.creates.length === 0) return;
  run.options.journal.update(run.launchId, (current) => {
    current.pending = [...(current.pending ?? []).filter((item) => item.stepId !== step.id), pendingCreate(step, input)];
  });
}

/**
 * Why the run cannot start, found before anything is created, so there is nothing to roll back:
 * an inconsistent plan, a private key that could not be written afterwards, or an imported "public"
 * key that is not one. `eventStepId` is where the progress view shows it.
 */
function startProblem(plan: Plan, spec: LaunchSpec): {eventStepId: string; failure: RunFailure} | undefined {
  const problems = planProblems(plan);
  if (problems.length > 0) {
    return {eventStepId: 'plan', failure: {stepId: '', code: 'InvalidPlan', message: `the plan cannot run: ${problems.join('; ')}`}};
  }
  const keyStep = plan.steps.find((step) => step.service === 'ec2' && step.action === 'CreateKeyPair');
  if (keyStep) {
    try {
      if (!spec.keyPair.path) throw new StepError('NoKeyPath', 'a created key pair needs keyPair.path for its private key');
      assertKeyPathFree(spec.keyPair.path);
    } catch (error) {
      return {eventStepId: keyStep.id, failure: {stepId: keyStep.id, ...describeAwsError(error)}};
    }
  }
  const importStep = plan.steps.find((step) => step.service === 'ec2' && step.action === 'ImportKeyPair');
  const importProblem = importStep && spec.keyPair.mode === 'import' && spec.keyPair.path ? publicKeyFileProblem(spec.keyPair.path) : undefined;
  if (importStep && importProblem) return {eventStepId: importStep.id, failure: {stepId: importStep.id, code: 'NotAPublicKey', message: importProblem}};
  return undefined;
}

/**
 * Policy documents that name the account (the flow logs' role) need its id: one STS read before
 * anything is created, so a failure here leaves nothing to roll back.
 */
async function learnAccount(run: Run): Promise<{eventStepId: string; failure: RunFailure} | undefined> {
  const {plan, clients} = run.options;
  const first = plan.steps.find((step) => needsAccountId(step.params));
  if (!first) return undefined;
  try {
    const account = (await send(clients, 'sts', 'GetCallerIdentity', {})).Account;
    if (typeof account !== 'string' || !account) throw new StepError('NoAccountId', 'STS GetCallerIdentity answered without an account id');
    run.refContext.accountId = account;
    return undefined;
  } catch (error) {
    return {eventStepId: first.id, failure: {stepId: first.id, ...describeAwsError(error)}};
  }
}

/** A run refused at the start: said on the progress view and in the journal, nothing created. */
function refuse(run: Run, refused: {eventStepId: string; failure: RunFailure}): ExecuteResult {
  const {code, message} = refused.failure;
  run.options.onEvent({type: 'step-failed', stepId: refused.eventStepId, code, message, ms: 0});
  const record = run.options.journal.update(run.launchId, (current) => {
    current.status = 'failed';
  });
  return {status: 'failed', record, failure: refused.failure, outputs: run.outputs};
}

/** One step's AWS call, with the waits and retries its action needs. */
async function callStep(run: Run, step: PlanStep, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const {clients, signal} = run.options;
  if (step.service === 'ssm' && step.action === 'GetParameter' && isImageParameter(input.Name)) {
    return getImageParameter(clients, input);
  }
  // The record to create, when tandem cannot write it, is said by the wait for ISSUED: that row stays on screen while it waits.
  if (step.service === 'route53' && step.action === 'WriteValidationRecord') {
    return {...(await writeValidationRecord(clients, input, {onNote: () => undefined, poll: run.tuning.certificateRecordPoll, signal}))};
  }
  if (step.service === 'acm' && step.action === 'WaitUntilCertificateValidated') return waitForCertificate(run, step, input);
  if (step.action.startsWith('WaitUntil')) {
    return send(clients, step.service, step.action, input, {abortSignal: signal, maxWaitSeconds: run.tuning.runningWaitSeconds});
  }
  if (step.service === 'ec2' && step.action === 'RunInstances') return runInstances(run, step, input);
  // Only the instance's role follows a proposed name; the flow logs' role has a name of its own.
  const renameable = step.id === FLOW_LOG_STEP.role ? undefined : RENAMEABLE[`${step.service}:${step.action}`];
  const base = renameable ? run.options.proposedNames?.[renameable.field] : undefined;
  if (renameable && base) return createWithFreeName(run, step, input, renameable, base);
  return send(clients, step.service, step.action, input);
}

/**
 * The bounded wait for ACM to issue a requested certificate (the SDK's waiter). When the bound runs
 * out the launch stops, and the operator is told what to do: rollback deletes the certificate and
 * the record tandem wrote like anything else.
 */
async function waitForCertificate(run: Run, step: PlanStep, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const lb = loadBalancerOf(run.options.spec);
  const seconds = run.tuning.certificateWaitSeconds ?? (lb ? validationWaitSeconds(lb) : DEFAULT_VALIDATION_WAIT_MINUTES * 60);
  const validation = run.outputs.get(LB_STEP.certificateRecord) as Partial<ValidationAnswer> | undefined;
  if (validation?.ResourceRecord && !validation.Written && !validation.Present) {
    run.options.onEvent({type: 'step-waiting', stepId: step.id, reason: recordToCreate(lb?.domain ?? '', validation.ResourceRecord), attempt: 1});
  }
  try {
    return await send(run.options.clients, 'acm', step.action, input, {abortSignal: run.options.signal, maxWaitSeconds: seconds});
  } catch (error) {
    if (run.options.signal?.aborted) throw error;
    throw certificateWaitFailure(error, {seconds, domain: lb?.domain ?? '', validation});
  }
}

// A new instance profile takes a while to reach EC2 (IAM is eventually consistent): RunInstances
// is retried with backoff, within a bound, while EC2 says the profile is invalid.
async function runInstances(run: Run, step: PlanStep, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const {clients, signal, onEvent} = run.options;
  const {firstDelayMs, maxDelayMs, maxTotalMs} = run.tuning.profileRetry;
  const started = Date.now();
  let delay = firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(clients, 'ec2', 'RunInstances', input);
    } catch (error) {
      if (!isProfileRace(error) || signal?.aborted || Date.now() - started + delay > maxTotalMs) throw error;
      onEvent({type: 'step-waiting', stepId: step.id, reason: PROFILE_WAIT_REASON, attempt});
      await abortableSleep(delay, signal);
      if (signal?.aborted) throw error;
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

// Two launches started together propose the same free name; the one that creates second moves
// on to the next name (bounded) instead of failing and rolling back. Nothing is made by a clash.
async function createWithFreeName(run: Run, step: PlanStep, input: Record<string, unknown>, how: (typeof RENAMEABLE)[string], base: string): Promise<Record<string, unknown>> {
  const {clients, signal, onEvent, journal} = run.options;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send(clients, step.service, step.action, input);
    } catch (error) {
      if (errorCode(error) !== how.code || attempt >= NAME_TRIES || signal?.aborted) throw error;
      const taken = String(input[how.param]);
      const next = nextNumberedName(base, taken);
      rename(input, how.param, taken, next);
      onEvent({type: 'step-waiting', stepId: step.id, reason: `${how.what} name ${taken} was taken meanwhile; trying ${next}`, attempt});
      recordIntent(run, step, input);
      journal.update(run.launchId, (current) => how.follow(current.spec, next));
    }
  }
}

/** The chosen key is read before launch (discovery lists keys without their state): one EBS cannot use stops here. */
function checkChosenKey(step: PlanStep, input: Record<string, unknown>, response: Record<string, unknown>): void {
  if (step.service !== 'kms' || step.action !== 'DescribeKey') return;
  const meta = response.KeyMetadata as {KeyState?: string; KeyUsage?: string; KeySpec?: string} | undefined;
  const problem = ebsKeyProblem({state: meta?.KeyState, usage: meta?.KeyUsage, spec: meta?.KeySpec});
  if (problem) throw new StepError('KeyNotUsable', `EBS cannot encrypt with KMS key ${str(input.KeyId) ?? ''}: ${problem}`);
}

/**
 * CreateFlowLogs answers success with the resources it could not log listed (Unsuccessful): the
 * flow logs it did make are recorded first, then the step fails.
 */
function unsuccessfulFlowLogs(step: PlanStep, response: Record<string, unknown>): StepError | undefined {
  if (step.service !== 'ec2' || step.action !== 'CreateFlowLogs') return undefined;
  const failed = (response.Unsuccessful as Array<{ResourceId?: string; Error?: {Code?: string; Message?: string}}> | undefined) ?? [];
  const first = failed[0];
  if (!first) return undefined;
  return new StepError(first.Error?.Code ?? 'CreateFlowLogsFailed', `no flow log for ${first.ResourceId ?? 'the VPC'}: ${first.Error?.Message ?? 'AWS gave no reason'}`);
}

/** Writes a created key pair's private key to its file; a pair whose key could not be kept is deleted. */
async function keepPrivateKey(run: Run, resources: CreatedResource[], material: string | undefined): Promise<void> {
  const {clients, journal, spec} = run.options;
  try {
    if (!material) throw new StepError('NoKeyMaterial', 'CreateKeyPair returned no private key');
    // The digest goes first: rollback and destroy remove the file only if it is still this one.
    journal.update(run.launchId, (current) => {
      current.resolved.keyFileSha256 = keyFileDigest(material);
    });
    writePrivateKey(spec.keyPair.path ?? '', material);
  } catch (error) {
    // Without its private key the pair is useless and must not linger.
    for (const resource of resources) {
      await deleteResource(clients, resource, run.tuning.deletes).catch(() => undefined);
    }
    journal.update(run.launchId, (current) => {
      current.resources = current.resources.filter((item) => !resources.some((r) => r.id === item.id && r.kind === item.kind));
      delete current.resolved.keyFingerprint;
      delete current.resolved.keyFileSha256;
    });
    throw error;
  }
}

/** Runs one step; a failure is reported and recorded as the run's, never thrown. */
async function runStep(run: Run, step: PlanStep): Promise<void> {
  const {onEvent, signal, clients} = run.options;
  // Monotonic: a step's time is never negative, even if the wall clock is set back meanwhile.
  const started = performance.now();
  onEvent({type: 'step-started', stepId: step.id, action: step.action});
  try {
    const input = resolveParams(step.params, run.refContext);
    recordIntent(run, step, input);
    const response = await callStep(run, step, input);
    checkChosenKey(step, input, response);
    // The private key exists only here: take it out of the response before anything can see it.
    const material = typeof response.KeyMaterial === 'string' ? response.KeyMaterial : undefined;
    delete response.KeyMaterial;
    const resources = createdResources(step, input, response, clients.settings.region);
    recordResources(run, resources, step, input, response);
    if (step.service === 'ec2' && step.action === 'CreateKeyPair') await keepPrivateKey(run, resources, material);
    const unlogged = unsuccessfulFlowLogs(step, response);
    if (unlogged) throw unlogged;
    run.outputs.set(step.id, response);
    onEvent({type: 'step-done', stepId: step.id, resources, ms: Math.round(performance.now() - started)});
  } catch (error) {
    const interrupted = signal?.aborted && (errorCode(error) === 'AbortError' || step.action.startsWith('WaitUntil'));
    const info = interrupted ? {code: 'Interrupted', message: 'stopped by the operator'} : describeAwsError(error);
    onEvent({type: 'step-failed', stepId: step.id, code: info.code, message: info.message, ms: Math.round(performance.now() - started)});
    if (!interrupted) fail(run, step.id, info.code, info.message);
  }
}

/**
 * Starts every step whose dependencies are done, as soon as they are, until all are done or the
 * run stops; resolves once nothing is in flight. Answers the ids of the steps that finished.
 */
async function runGraph(run: Run): Promise<Set<string>> {
  const steps = run.options.plan.steps;
  const done = new Set<string>();
  const startedIds = new Set<string>();
  await new Promise<void>((finish) => {
    let running = 0;
    const pump = () => {
      for (const step of steps) {
        // Checked per step: an abort raised while starting one step stops the rest of this wave.
        if (stopping(run)) break;
        if (startedIds.has(step.id) || !step.dependsOn.every((dep) => done.has(dep))) continue;
        startedIds.add(step.id);
        running += 1;
        void runStep(run, step).then(() => {
          if (run.outputs.has(step.id)) done.add(step.id);
          running -= 1;
          pump();
        });
      }
      if (running === 0) finish();
    };
    pump();
  });
  return done;
}

export async function executePlan(options: ExecuteOptions): Promise<ExecuteResult> {
  const {journal, spec, plan, signal} = options;
  const launchId = options.record.launchId;
  const outputs = new Map<string, Record<string, unknown>>();
  journal.update(launchId, (current) => {
    current.status = 'launching';
    current.resolved = {...initialResolved(spec), ...current.resolved};
  });
  const run: Run = {
    options,
    tuning: {...DEFAULT_TUNING, ...options.tuning},
    launchId,
    outputs,
    refContext: {
      launchId,
      clientToken: options.clientToken ?? randomUUID(),
      publicKeyPath: spec.keyPair.mode === 'import' ? spec.keyPair.path : undefined,
      outputs,
    },
  };

  const refused = startProblem(plan, spec);
  if (refused) return refuse(run, refused);
  const unknownAccount = await learnAccount(run);
  if (unknownAccount) return refuse(run, unknownAccount);

  const done = await runGraph(run);
  const {failure, tuning} = run;
  if (!failure && !signal?.aborted && done.size === plan.steps.length) {
    const record = journal.update(launchId, (current) => {
      current.status = 'launched';
    });
    return {status: 'launched', record, outputs};
  }

  return settleUnfinished({...options, tuning, interrupted: !failure && Boolean(signal?.aborted), failure, outputs});
}

export interface UnfinishedOptions extends Omit<ExecuteOptions, 'spec' | 'plan' | 'signal' | 'clientToken'> {
  /** Stopped by the operator (else it failed). */
  interrupted: boolean;
  failure?: ExecuteResult['failure'];
  outputs: ExecuteResult['outputs'];
}

/** A launch that did not finish, failed or stopped: kept as it is with --keep, else rolled back. */
export async function settleUnfinished(options: UnfinishedOptions): Promise<ExecuteResult> {
  const {clients, journal, onEvent, interrupted, failure, outputs} = options;
  const launchId = options.record.launchId;
  if (options.keepOnFailure) {
    const record = journal.update(launchId, (current) => {
      current.status = interrupted ? 'interrupted' : 'kept';
    });
    return {status: interrupted ? 'interrupted' : 'kept', record, failure, outputs};
  }
  const rolled = await rollback({clients, journal, launchId, onEvent, deletes: {...options.tuning?.deletes, signal: options.rollbackSignal}});
  const cleaned = rolled.failed.length === 0 && !rolled.stopped;
  // An interrupted launch whose rollback finished is rolled back like any other; one whose
  // rollback was cut short stays 'interrupted' with what is left, for tandem destroy.
  const recorded = cleaned ? 'rolled-back' : interrupted || rolled.stopped ? 'interrupted' : 'failed';
  const record = journal.update(launchId, (current) => {
    current.status = recorded;
  });
  const status: LaunchStatus = interrupted || rolled.stopped ? 'interrupted' : recorded;
  return {status, record, failure, outputs};
}
