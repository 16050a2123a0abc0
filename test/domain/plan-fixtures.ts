// Specs shared by the plan and validation tests.
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

/** Everything tandem can create: new VPC, role, customer key, group with SSH, key pair, host. */
export function allCreateSpec(): LaunchSpec {
  const spec = defaultSpec();
  return {
    ...spec,
    instance: {...spec.instance, name: 'web-2', tenancy: 'host'},
    network: {vpc: 'new', subnet: 'public', cidr: '10.20.0.0/16', publicIp: true},
    role: {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read-write'},
    storage: {sizeGiB: 16, type: 'gp3', encrypted: true, kmsKey: 'new'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: '0.0.0.0/0', ssh: '203.0.113.7/32'},
    keyPair: {mode: 'create', name: 'web-key', type: 'ed25519', path: '~/.ssh/web-key.pem'},
    tags: {owner: 'ops'},
  };
}

/** Reuses what the account already has. */
export function existingSpec(): LaunchSpec {
  const spec = defaultSpec('eu-central-1');
  return {
    ...spec,
    instance: {...spec.instance, image: 'ami', amiId: 'ami-0abcdef1234567890', tenancy: 'dedicated'},
    network: {vpc: 'vpc-0abc1234', subnet: 'subnet-0def5678', publicIp: false},
    role: {mode: 'existing', name: 'AppRole', instanceProfile: 'AppProfile'},
    storage: {sizeGiB: 30, type: 'gp3', encrypted: true, kmsKey: 'alias/team-ebs'},
    securityGroup: {mode: 'existing', groupId: 'sg-0123abcd', name: 'ignored', http: false, https: false, ssh: false},
    keyPair: {mode: 'existing', name: 'team-key'},
  };
}
