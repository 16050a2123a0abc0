import {describe, expect, it} from 'vitest';
import {referencesOf} from '../../source/domain/profile-references.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

describe('referencesOf', () => {
  it('the default launch references nothing that must already exist', () => {
    expect(referencesOf(defaultSpec())).toEqual([]);
  });

  it('lists every existing resource a profile names, with its field', () => {
    const base = defaultSpec();
    const spec: LaunchSpec = {
      ...base,
      instance: {...base.instance, image: 'ami', amiId: 'ami-0abcdef1234567890'},
      network: {vpc: 'vpc-0abc1234', subnet: 'subnet-0abc1234', publicIp: false},
      role: {mode: 'existing', name: 'AppRole', instanceProfile: 'AppProfile'},
      storage: {...base.storage, kmsKey: 'alias/app'},
      securityGroup: {...base.securityGroup, mode: 'existing', groupId: 'sg-0abc1234'},
      keyPair: {mode: 'existing', name: 'ops-key'},
    };
    expect(referencesOf(spec)).toEqual([
      {kind: 'image', id: 'ami-0abcdef1234567890', field: 'instance.amiId'},
      {kind: 'vpc', id: 'vpc-0abc1234', field: 'network.vpc'},
      {kind: 'subnet', id: 'subnet-0abc1234', field: 'network.subnet'},
      {kind: 'iam-role', id: 'AppRole', field: 'role.name'},
      {kind: 'iam-instance-profile', id: 'AppProfile', field: 'role.instanceProfile'},
      {kind: 'kms-key', id: 'alias/app', field: 'storage.kmsKey'},
      {kind: 'security-group', id: 'sg-0abc1234', field: 'securityGroup.groupId'},
      {kind: 'key-pair', id: 'ops-key', field: 'keyPair.name'},
    ]);
  });

  it('leaves out what the launch creates and the AWS managed key', () => {
    const base = defaultSpec();
    const spec: LaunchSpec = {
      ...base,
      network: {vpc: 'new', subnet: 'public', publicIp: true},
      role: {mode: 'create', bucket: 'b-1'},
      storage: {...base.storage, kmsKey: 'new'},
      keyPair: {mode: 'create', name: 'k', path: '~/.ssh/k.pem'},
    };
    expect(referencesOf(spec)).toEqual([]);
    expect(referencesOf({...base, storage: {...base.storage, kmsKey: 'alias/aws/ebs'}})).toEqual([]);
    expect(referencesOf({...base, storage: {...base.storage, encrypted: false, kmsKey: 'alias/app'}})).toEqual([]);
  });
});
