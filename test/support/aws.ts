// Settings for integration tests: the real SDK against the local moto endpoint, one fresh
// 12-digit account per test so tests never see each other's resources.
import {expect, inject} from 'vitest';
import type {AwsSettings} from '../../source/aws/clients.js';

let counter = 0;

/** A new moto account id, unique within this run (moto keeps separate state per account). */
export function freshAccountId(): string {
  counter += 1;
  const random = Math.floor(Math.random() * 1e6);
  return `${(100000 + (process.pid % 900000)).toString()}${String(random).padStart(6, '0')}`.slice(0, 10) + String(counter % 100).padStart(2, '0');
}

/**
 * The local AWS endpoint's URL. Only the system project's global setup starts moto (see
 * vitest.config.ts); a test in the unit project that reaches for it fails here, by name, instead
 * of sending its calls to `undefined`.
 */
export function motoEndpoint(): string {
  const endpoint = inject('motoEndpoint') as string | undefined;
  if (!endpoint) {
    throw new Error(
      `${expect.getState().testPath ?? 'this test'} needs the local AWS endpoint (moto), which the unit project does not start: ` + 'list it in SYSTEM_FILES in vitest.config.ts',
    );
  }
  return endpoint;
}

export function testSettings(options: {accountId?: string; endpointUrl?: string; maxAttempts?: number} = {}): AwsSettings {
  const accountId = options.accountId ?? freshAccountId();
  return {
    region: 'us-east-1',
    endpointUrl: options.endpointUrl ?? motoEndpoint(),
    // moto answers unimplemented calls with HTTP 500; retrying them only slows tests down.
    maxAttempts: options.maxAttempts ?? 1,
    headers: {'x-moto-account-id': accountId},
    credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
  };
}
