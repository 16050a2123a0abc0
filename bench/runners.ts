// The three ways the benchmark provisions the same launch:
//  tandem      the real executor (source/aws/executor.ts), steps concurrent where the graph allows;
//  sequential  baseline (a): the same SDK calls, one after another in orderedSteps(plan) order,
//              with the same ref resolution, image fallback, waiter and key-file write;
//  cli         baseline (b): one `aws` process per call with --cli-input-json, outputs fed to
//              later calls, i.e. what a shell script from `tandem export --format cli` does.
//              (`tandem export` is not implemented yet, so the calls are generated from the plan.)
import {execFile} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {promisify} from 'node:util';
import {send} from '../source/aws/actions.js';
import type {AwsSettings} from '../source/aws/clients.js';
import {makeClients} from '../source/aws/clients.js';
import {executePlan} from '../source/aws/executor.js';
import {getImageParameter, isImageParameter} from '../source/aws/image.js';
import {writePrivateKey} from '../source/aws/key-file.js';
import {resolveParams} from '../source/aws/refs.js';
import type {LaunchEvent} from '../source/domain/cloud.js';
import {orderedSteps} from '../source/domain/plan.js';
import type {Plan, PlanStep} from '../source/domain/plan-types.js';
import type {LaunchSpec} from '../source/domain/spec.js';
import {createJournal, newLaunchId} from '../source/store/journal.js';
import type {Credentials} from './accounts.js';

const run = promisify(execFile);

export interface StepTiming {
  id: string;
  start: number;
  end: number;
}

export interface RunResult {
  wallMs: number;
  steps: StepTiming[];
}

const isImageStep = (step: PlanStep, input: Record<string, unknown>) => step.service === 'ssm' && step.action === 'GetParameter' && isImageParameter(input.Name);

export async function runTandem(settings: AwsSettings, spec: LaunchSpec, plan: Plan, home: string): Promise<RunResult> {
  const clients = await makeClients(settings);
  const journal = createJournal(home);
  const launchId = newLaunchId();
  const record = journal.start({launchId, region: 'us-east-1', spec, status: 'launching', resources: [], resolved: {}});
  const started = new Map<string, number>();
  const steps: StepTiming[] = [];
  const failures: string[] = [];
  const onEvent = (event: LaunchEvent) => {
    const now = performance.now();
    if (event.type === 'step-started') started.set(event.stepId, now);
    if (event.type === 'step-done') steps.push({id: event.stepId, start: started.get(event.stepId)!, end: now});
    if (event.type === 'step-failed') failures.push(`${event.stepId}: ${event.code}: ${event.message}`);
  };
  const begin = performance.now();
  const outcome = await executePlan({clients, journal, record, spec, plan, onEvent});
  const wallMs = performance.now() - begin;
  if (outcome.status !== 'launched') throw new Error(`tandem launch ended ${outcome.status}: ${failures.join('; ')}`);
  return {wallMs, steps: steps.map((step) => ({...step, start: step.start - begin, end: step.end - begin}))};
}

export async function runSequential(settings: AwsSettings, spec: LaunchSpec, plan: Plan): Promise<RunResult> {
  const clients = await makeClients(settings);
  const outputs = new Map<string, Record<string, unknown>>();
  // A script that writes the account into a role's trust policy (the flow-log role's
  // aws:SourceAccount) asks whose credentials it runs with first, as tandem does.
  const accountId = String((await send(clients, 'sts', 'GetCallerIdentity', {})).Account);
  const context = {launchId: newLaunchId(), clientToken: randomUUID(), outputs, accountId};
  const steps: StepTiming[] = [];
  const begin = performance.now();
  for (const step of orderedSteps(plan)) {
    const start = performance.now();
    const input = resolveParams(step.params, context);
    let response: Record<string, unknown>;
    if (isImageStep(step, input)) response = await getImageParameter(clients, input);
    else if (step.action.startsWith('WaitUntil')) response = await send(clients, step.service, step.action, input, {maxWaitSeconds: 60});
    else response = await send(clients, step.service, step.action, input);
    if (typeof response.KeyMaterial === 'string') {
      writePrivateKey(spec.keyPair.path!, response.KeyMaterial);
      delete response.KeyMaterial;
    }
    outputs.set(step.id, response);
    steps.push({id: step.id, start: start - begin, end: performance.now() - begin});
  }
  return {wallMs: performance.now() - begin, steps};
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The `aws` arguments for one plan step with its refs already resolved. */
export function cliArguments(step: PlanStep, input: Record<string, unknown>): string[] {
  if (step.action.startsWith('WaitUntil')) {
    const ids = (input.InstanceIds as string[] | undefined) ?? [];
    return [step.service, 'wait', kebab(step.action.slice('WaitUntil'.length)), '--instance-ids', ...ids];
  }
  return [step.service, kebab(step.action), '--cli-input-json', JSON.stringify(input), '--output', 'json'];
}

export async function runCli(aws: string, endpoint: string, credentials: Credentials, spec: LaunchSpec, plan: Plan): Promise<RunResult & {calls: number}> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...credentials,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const outputs = new Map<string, Record<string, unknown>>();
  const identity = await run(aws, ['--endpoint-url', endpoint, 'sts', 'get-caller-identity', '--output', 'json'], {env});
  const accountId = String((JSON.parse(identity.stdout) as {Account?: string}).Account);
  const context = {launchId: newLaunchId(), clientToken: randomUUID(), outputs, accountId};
  const steps: StepTiming[] = [];
  const begin = performance.now();
  for (const step of orderedSteps(plan)) {
    const start = performance.now();
    const input = resolveParams(step.params, context);
    const {stdout} = await run(aws, ['--endpoint-url', endpoint, ...cliArguments(step, input)], {env, maxBuffer: 16 * 1024 * 1024});
    const response = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
    if (typeof response.KeyMaterial === 'string') {
      writeFileSync(spec.keyPair.path!, response.KeyMaterial, {mode: 0o600, flag: 'wx'});
      delete response.KeyMaterial;
    }
    outputs.set(step.id, response);
    steps.push({id: step.id, start: start - begin, end: performance.now() - begin});
  }
  return {wallMs: performance.now() - begin, steps, calls: steps.length};
}
