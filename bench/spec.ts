// The launch every provisioning measurement makes: every "create new" option (new VPC with a
// public subnet, a role with a one-bucket policy and its instance profile, a new KMS key with
// rotation, a security group with HTTP and SSH from one /32, a created ed25519 key pair).
import path from 'node:path';
import {defaultSpec, type LaunchSpec} from '../source/domain/spec.js';

export function everythingNewSpec(keyDir: string): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    network: {vpc: 'new', subnet: 'public', cidr: '10.20.0.0/16', publicIp: true},
    role: {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'},
    storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'new'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: false, ssh: '203.0.113.7/32'},
    keyPair: {mode: 'create', name: 'web-key', type: 'ed25519', path: path.join(keyDir, 'web-key.pem')},
    acceptedRisks: [{finding: 'http-open-to-internet', reason: 'public web server'}],
  };
}
