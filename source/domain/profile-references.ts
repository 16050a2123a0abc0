// What a saved profile points at in the account without creating it. Before a profile is
// replayed, each of these must still exist (a VPC deleted last week, a key pair renamed, a KMS
// key scheduled for deletion): the AWS side of that check lives in source/aws/, this is the list.
import {existingKeyOf} from './controls/storage.js';
import {DEFAULT_ROLE_NAME} from './plan-iam.js';
import type {LaunchSpec} from './spec.js';

export type ReferenceKind = 'image' | 'vpc' | 'subnet' | 'iam-role' | 'iam-instance-profile' | 'kms-key' | 'security-group' | 'key-pair';

export interface ProfileReference {
  kind: ReferenceKind;
  /** The id or name as the profile writes it (a KMS key may be an alias, id or ARN). */
  id: string;
  /** The spec field it comes from, so a missing one can be reported against the profile. */
  field: string;
}

/** Existing resources the spec names, in wizard order; resources it creates are not included. */
export function referencesOf(spec: LaunchSpec): ProfileReference[] {
  const refs: ProfileReference[] = [];
  const {instance, network, role, storage, securityGroup, keyPair} = spec;
  if (instance.image === 'ami' && instance.amiId) refs.push({kind: 'image', id: instance.amiId, field: 'instance.amiId'});
  if (network.vpc !== 'default' && network.vpc !== 'new') refs.push({kind: 'vpc', id: network.vpc, field: 'network.vpc'});
  if (network.vpc !== 'new' && network.subnet !== 'default') refs.push({kind: 'subnet', id: network.subnet, field: 'network.subnet'});
  if (role.mode === 'existing') {
    const roleName = role.name || DEFAULT_ROLE_NAME;
    refs.push({kind: 'iam-role', id: roleName, field: 'role.name'});
    refs.push({kind: 'iam-instance-profile', id: role.instanceProfile || roleName, field: role.instanceProfile ? 'role.instanceProfile' : 'role.name'});
  }
  const key = existingKeyOf(storage);
  if (key) refs.push({kind: 'kms-key', id: key, field: 'storage.kmsKey'});
  if (securityGroup.mode === 'existing' && securityGroup.groupId) {
    refs.push({kind: 'security-group', id: securityGroup.groupId, field: 'securityGroup.groupId'});
  }
  if (keyPair.mode === 'existing' && keyPair.name) refs.push({kind: 'key-pair', id: keyPair.name, field: 'keyPair.name'});
  return refs;
}
