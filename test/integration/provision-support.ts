// Shared helpers for the provisioning integration tests: a temp TANDEM_HOME, an all-"create new"
// spec, a cloud with small backoffs, and independent SDK clients for checking results.
import {mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {LaunchEvent} from '../../source/domain/cloud.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import type {AwsSettings} from '../../source/aws/clients.js';
import {createCloud} from '../../source/aws/index.js';
import type {ExecutorTuning} from '../../source/aws/executor.js';

export function tempDir(prefix = 'tandem-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Fast retries for tests; production waits much longer. */
export const FAST: ExecutorTuning = {
  profileRetry: {firstDelayMs: 20, maxDelayMs: 80, maxTotalMs: 1500},
  runningWaitSeconds: 60,
  deletes: {terminateWaitSeconds: 60, dependencyRetry: {delayMs: 20, maxTotalMs: 500}},
};

export function everythingNewSpec(keyDir: string): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    network: {vpc: 'new', subnet: 'public', cidr: '10.20.0.0/16', publicIp: true},
    role: {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'},
    storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'new'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: false, ssh: '203.0.113.7/32'},
    keyPair: {mode: 'create', name: 'web-key', type: 'ed25519', path: path.join(keyDir, 'web-key.pem')},
  };
}

export async function testCloud(settings: AwsSettings, home = tempDir('tandem-home-')) {
  return {home, cloud: await createCloud(settings, home, FAST)};
}

export function collect(): {events: LaunchEvent[]; onEvent: (event: LaunchEvent) => void} {
  const events: LaunchEvent[] = [];
  return {events, onEvent: (event) => events.push(event)};
}
