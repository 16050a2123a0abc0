// Shared helpers for the provisioning integration tests: a temp TANDEM_HOME, an all-"create new"
// spec, a cloud with small backoffs, and independent SDK clients for checking results.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, expect, vi} from 'vitest';
import type {Cloud, LaunchEvent} from '../../source/domain/cloud.js';
import {buildPlan} from '../../source/domain/plan.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import type {AwsSettings} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import type {ExecutorTuning} from '../../source/aws/executor.js';
import {motoEndpoint} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';

export {everythingNewSpec} from '../support/launch-specs.js';

export function tempDir(prefix = 'tandem-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Fast retries for tests; production waits much longer. */
export const FAST: ExecutorTuning = {
  profileRetry: {firstDelayMs: 20, maxDelayMs: 80, maxTotalMs: 1500},
  runningWaitSeconds: 60,
  deletes: {terminateWaitSeconds: 60, dependencyRetry: {delayMs: 20, maxTotalMs: 500}},
  ssmWait: {polls: 2, intervalMs: 10},
};

let strictProxy: Promise<FaultProxy> | undefined;

/**
 * A cloud for tests. Calls meant for moto go through a strict fault proxy (one per test file),
 * so every launch, rollback and destroy here meets AWS's delete rules and has its request bodies
 * scanned for secrets.
 */
/**
 * The endpoint tandem's launches in these tests talk to: the strict proxy in front of moto, whose
 * test doubles answer the AWS Backup calls moto lacks (selections), so a checker run there reads
 * the same account.
 */
export async function strictEndpoint(): Promise<string> {
  strictProxy ??= startFaultProxy(motoEndpoint());
  return (await strictProxy).endpoint;
}

export async function testCloud(settings: AwsSettings, home = tempDir('tandem-home-')) {
  let routed = settings;
  if (settings.endpointUrl === motoEndpoint()) {
    strictProxy ??= startFaultProxy(motoEndpoint());
    routed = {...settings, endpointUrl: (await strictProxy).endpoint};
  }
  return {home, cloud: await createCloud(routed, home, FAST)};
}

/** Launches `spec` under a new launch id and expects it to go through with no failed step. */
export async function launchCleanly(cloud: Pick<Cloud, 'launch'>, spec: LaunchSpec) {
  const launchId = newLaunchId();
  const {events, onEvent} = collect();
  const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent});
  expect(events.filter((event) => event.type === 'step-failed')).toEqual([]);
  expect(result.status).toBe('launched');
  return {launchId, result};
}

export function collect(): {events: LaunchEvent[]; onEvent: (event: LaunchEvent) => void} {
  const events: LaunchEvent[] = [];
  return {events, onEvent: (event) => events.push(event)};
}

/**
 * For each test, the shell a user runs tandem from: test credentials in the environment the SDK's
 * credential chain reads, no profile, us-east-1. Returns the command's own environment, a fresh
 * TANDEM_HOME for each test.
 */
export function shellPerTest(): () => NodeJS.ProcessEnv {
  let env: NodeJS.ProcessEnv = {};
  beforeEach(() => {
    env = {TANDEM_HOME: tempDir('tandem-home-')};
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  return () => env;
}
