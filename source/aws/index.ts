// The real Cloud: the SDK-backed implementation of the port in domain/cloud.ts. openCloud
// resolves settings the way the AWS CLI does and checks that the credential chain finds
// something; createCloud wires discovery, the executor, verification, dry run and teardown.
import {partitionOfArn} from '../domain/launch-target.js';
import {loginHint, sessionCommand} from '../domain/login-hint.js';
import type {GlobalFlags} from '../context.js';
import type {Cloud, LaunchEvent, LaunchOptions, LaunchResult, VerificationResult} from '../domain/cloud.js';
import type {Plan} from '../domain/plan-types.js';
import type {LaunchSpec} from '../domain/spec.js';
import {keyToDescribe} from '../domain/controls/storage.js';
import {UsageError} from '../exit.js';
import {tandemHome} from '../store/home.js';
import {createJournal, type Journal} from '../store/journal.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {send} from './actions.js';
import {makeClients, type AwsClients, type AwsSettings} from './clients.js';
import {dryRunPlan} from './dry-run.js';
import {describeAwsError} from './errors.js';
import {executePlan, settleUnfinished, type ExecutorTuning} from './executor.js';
import {checkReferences} from './references.js';
import {probeCredentials, resolveSettings} from './settings.js';
import {destroyLaunch, type TeardownResult} from './teardown.js';
import {LB_STEP} from '../domain/controls/load-balancer.js';

export type {AwsSettings} from './clients.js';

/** The Cloud port plus what the commands of this adapter need beyond it. */
export interface AwsCloud extends Cloud {
  clients: AwsClients;
  journal: Journal;
  destroy(launchId: string, onEvent?: (event: LaunchEvent) => void): Promise<TeardownResult>;
  preflight: NonNullable<Cloud['preflight']>;
  proposeNames: NonNullable<Cloud['proposeNames']>;
  /** Behind a load balancer in an existing VPC: the spec with the subnets pre-flight would choose written in (unchanged otherwise). */
  placeLoadBalancer(spec: LaunchSpec): Promise<LaunchSpec>;
}

export async function openCloud(options: {flags: GlobalFlags; env: NodeJS.ProcessEnv; region?: string}): Promise<{cloud: AwsCloud; settings: AwsSettings} | {cloud: null; reason: string}> {
  let settings: AwsSettings;
  try {
    settings = await resolveSettings(options);
  } catch (error) {
    // A malformed AWS_ENDPOINT_URL: a reason for every caller (the TUI shows it, commands exit 2).
    if (error instanceof UsageError) return {cloud: null, reason: error.message};
    throw error;
  }
  const probe = await probeCredentials(settings);
  if (!probe.ok) return {cloud: null, reason: probe.reason};
  const cloud = await createCloud(settings, tandemHome(options.env));
  return {cloud, settings};
}

/** The account and partition the launch runs in, for its journal: verify and destroy check them. */
async function accountOf(clients: AwsClients): Promise<{account?: string; partition?: string}> {
  try {
    const identity = await send(clients, 'sts', 'GetCallerIdentity', {});
    const partition = typeof identity.Arn === 'string' ? partitionOfArn(identity.Arn) : undefined;
    return {
      ...(typeof identity.Account === 'string' ? {account: identity.Account} : {}),
      ...(partition ? {partition} : {}),
    };
  } catch {
    return {};
  }
}

/** The ARN of the key that encrypts the root volume, when the plan named it by alias, id or not at all. */
async function canonicalKey(clients: AwsClients, record: LaunchRecord): Promise<string | undefined> {
  const current = record.resolved.kmsKeyId;
  const keyId = keyToDescribe(record.spec.storage, current);
  if (keyId === undefined) return undefined;
  if (current?.startsWith('arn:')) return current;
  try {
    const described = await send(clients, 'kms', 'DescribeKey', {KeyId: keyId});
    return (described.KeyMetadata as {Arn?: string} | undefined)?.Arn ?? current;
  } catch {
    return current;
  }
}

async function instanceAddress(clients: AwsClients, instanceId: string): Promise<{publicIp?: string; publicDns?: string}> {
  try {
    const described = await send(clients, 'ec2', 'DescribeInstances', {InstanceIds: [instanceId]});
    const instance = (described.Reservations as Array<{Instances?: Array<{PublicIpAddress?: string; PublicDnsName?: string}>}>)?.[0]?.Instances?.[0];
    return {publicIp: instance?.PublicIpAddress || undefined, publicDns: instance?.PublicDnsName || undefined};
  } catch {
    return {};
  }
}

/**
 * The DNS name of the launch's load balancer, where its site answers, from CreateLoadBalancer's own
 * answer (the executor keeps every step's); none without a load balancer.
 */
function loadBalancerDns(outputs: ReadonlyMap<string, Record<string, unknown>>): {loadBalancerDns?: string} {
  const created = outputs.get(LB_STEP.loadBalancer)?.LoadBalancers as Array<{DNSName?: string}> | undefined;
  const dns = created?.[0]?.DNSName;
  return dns ? {loadBalancerDns: dns} : {};
}

async function verify(clients: AwsClients, record: LaunchRecord, tuning?: ExecutorTuning): Promise<VerificationResult[]> {
  const {verifyLaunch} = await import('./verifier.js');
  return verifyLaunch(clients, record, undefined, {ssmWait: tuning?.ssmWait});
}

/** A launch that worked but could not be described back is not a verified launch (exit 3). */
function verificationBroke(error: unknown): VerificationResult {
  const info = describeAwsError(error);
  return {
    control: 'verification',
    title: 'Verification could not run',
    owner: 'Customer',
    expected: 'every control described back from AWS',
    actual: `${info.code}: ${info.message}`,
    status: 'fail',
    checkers: [],
    checkerVerdicts: [],
  };
}

/**
 * A load-balanced spec for an existing VPC whose subnets are not chosen yet (the review's launch
 * passes the profile as written): chosen now, before the journal records the spec, so the plan,
 * the journal and verification name the same subnets. Unplaceable, it stays as given.
 */
async function placed(clients: AwsClients, spec: LaunchSpec, plan: Plan): Promise<{spec: LaunchSpec; plan: Plan}> {
  const {needsPlacement} = await import('../domain/controls/load-balancer-placement.js');
  if (!needsPlacement(spec)) return {spec, plan};
  const outcome = await (await import('./load-balancer-placement.js')).placeLoadBalancer(clients, spec);
  const {buildPlan} = await import('../domain/plan.js');
  return 'spec' in outcome ? {spec: outcome.spec, plan: buildPlan(outcome.spec)} : {spec, plan};
}

export async function createCloud(settings: AwsSettings, home: string = tandemHome(), tuning?: ExecutorTuning): Promise<AwsCloud> {
  const clients = await makeClients(settings);
  const journal = createJournal(home);
  const {createDiscovery} = await import('./discovery.js');

  const launch = async (given: LaunchSpec, givenPlan: Plan, options: LaunchOptions): Promise<LaunchResult> => {
    const {spec, plan} = await placed(clients, given, givenPlan);
    const {onEvent, launchId} = options;
    const record = journal.start({
      launchId,
      region: settings.region,
      ...(settings.endpointUrl ? {endpointUrl: settings.endpointUrl} : {}),
      ...(await accountOf(clients)),
      spec,
      ...(options.myAddress ? {myAddress: options.myAddress} : {}),
      status: 'launching',
      resources: [],
      resolved: {},
    });
    onEvent({
      type: 'launch-started',
      launchId,
      steps: plan.steps.map((step) => ({id: step.id, action: step.action, controls: step.controls})),
    });
    const executing = {clients, journal, record, onEvent, keepOnFailure: options.keepOnFailure, rollbackSignal: options.rollbackSignal, tuning};
    let outcome = await executePlan({...executing, spec, plan, signal: options.signal, proposedNames: options.proposedNames});
    let current = outcome.record;
    let result: LaunchResult = {launchId, status: outcome.status, resources: current.resources};
    if (outcome.status === 'launched') {
      const kmsKeyId = await canonicalKey(clients, current);
      if (kmsKeyId) {
        current = journal.update(launchId, (next) => {
          next.resolved.kmsKeyId = kmsKeyId;
        });
      }
      const instanceId = current.resolved.instanceId;
      Object.assign(result, {instanceId, keyPath: current.resolved.keyPath}, instanceId ? await instanceAddress(clients, instanceId) : {}, loadBalancerDns(outcome.outputs));
      const reach = {host: result.publicDns || result.publicIp, instanceId, keyPath: result.keyPath, region: settings.region, profile: settings.profile};
      result.login = loginHint(spec, reach);
      result.session = sessionCommand(spec, reach);
      if (!options.signal?.aborted) {
        const results = await verify(clients, current, tuning).catch((error: unknown) => [verificationBroke(error)]);
        current = journal.update(launchId, (next) => {
          next.lastVerification = results;
        });
        result.verification = results;
        onEvent({type: 'verification', results});
      }
    }
    // A stop that came after the last step, while tandem still verified the launch and had not
    // reported it: the person stopped a launch that was not finished for them (and was told it
    // would be removed), so it is settled like a stop during the plan.
    if (outcome.status === 'launched' && options.signal?.aborted) {
      outcome = await settleUnfinished({...executing, interrupted: true, outputs: outcome.outputs});
      current = outcome.record;
      result = {launchId, status: outcome.status, resources: current.resources};
    }
    result.resources = current.resources;
    onEvent({
      type: 'summary',
      launchId,
      status: outcome.status,
      ...(result.instanceId ? {instanceId: result.instanceId} : {}),
      ...(result.publicIp ? {publicIp: result.publicIp} : {}),
      ...(result.loadBalancerDns ? {loadBalancerDns: result.loadBalancerDns} : {}),
      ...(result.keyPath ? {keyPath: result.keyPath} : {}),
      ...(result.login ? {login: result.login} : {}),
      ...(result.session ? {session: result.session} : {}),
    });
    return result;
  };

  return {
    clients,
    journal,
    discovery: createDiscovery(clients),
    launch,
    dryRun: (spec, plan) => dryRunPlan(clients, spec, plan),
    checkReferences: (spec) => checkReferences(clients, spec),
    prices: async (queries) => (await (await import('./pricing.js')).fetchPrices(queries, {settings, env: {TANDEM_HOME: home}})).state,
    preflight: async (spec) => (await import('./preflight.js')).runPreflight(clients, spec),
    placeLoadBalancer: async (spec) => {
      const outcome = await (await import('./load-balancer-placement.js')).placeLoadBalancer(clients, spec);
      // Unplaceable: the spec stays as it was, and pre-flight refuses it by name.
      return 'spec' in outcome ? outcome.spec : spec;
    },
    proposeNames: async (spec, fields) => {
      const {proposeFreeNames, defaultVpcId} = await import('./names.js');
      return proposeFreeNames(clients, spec, fields, {vpcId: await defaultVpcId(clients, spec)});
    },
    async verify(launchId) {
      const record = journal.read(launchId);
      const results = await verify(clients, record, tuning);
      journal.update(launchId, (next) => {
        next.lastVerification = results;
      });
      return results;
    },
    destroy: (launchId, onEvent) => destroyLaunch({clients, journal, launchId, onEvent, deletes: tuning?.deletes}),
  };
}
