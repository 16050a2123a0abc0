// What a KMS key's row says. The list comes without per-key calls, so state and rotation are
// known only for keys whose details were read (the highlighted one); the row says as much.
import type {DiscoveredKey, KmsKeyDetails} from '../domain/cloud.js';
import {ebsKeyProblem} from '../domain/kms-key.js';
import {t} from '../domain/safe-text.js';

/** The discovery key under which one KMS key's details are kept. */
export const keyDetailsKey = (id: string) => `kms-key-details:${id}`;

export function keyRow(key: DiscoveredKey, details: KmsKeyDetails | undefined): {hint: string; disabled?: string} {
  if (key.managedBy === 'AWS') return {hint: 'AWS managed, AWS rotates it'};
  if (!details) return {hint: 'customer key'};
  if (details.error) return {hint: t.text`customer key; its details were not readable (${details.error.code})`};
  const problem = ebsKeyProblem(details);
  if (problem) return {hint: 'customer key', disabled: problem};
  if (details.rotation === undefined) return {hint: 'customer key, rotation unknown'};
  return {hint: details.rotation ? 'customer key, rotates yearly' : 'customer key, rotation off'};
}
