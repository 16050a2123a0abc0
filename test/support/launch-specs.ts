// The launch that exercises every "create new" option: a new VPC with a public subnet, a role with
// a one-bucket policy and its instance profile, a new KMS key with rotation, a security group with
// HTTP and SSH from one /32, and a created ed25519 key pair. Integration tests, the reliability
// suite and the benchmark all launch this one.
import path from 'node:path';
import {LOAD_BALANCER_DEFAULTS} from '../../source/domain/controls/load-balancer.js';
import {CONFUSED_DEPUTY_REASON} from '../../source/domain/controls/role.js';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {defaultSpec, type AcceptedRisk, type LaunchSpec} from '../../source/domain/spec.js';

export function everythingNewSpec(keyDir: string, options: {name?: string; cidr?: string; acceptedRisks?: AcceptedRisk[]} = {}): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  const created: LaunchSpec = {
    ...spec,
    instance: {...spec.instance, name: options.name ?? spec.instance.name},
    network: {vpc: 'new', subnet: 'public', cidr: options.cidr ?? '10.20.0.0/16', publicIp: true},
    role: {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'},
    storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'new'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: false, ssh: '203.0.113.7/32'},
    keyPair: {mode: 'create', name: 'web-key', type: 'ed25519', path: path.join(keyDir, 'web-key.pem')},
    acceptedRisks: options.acceptedRisks ?? spec.acceptedRisks,
  };
  return withHighRisksRecorded(created);
}

/**
 * The same launch behind a load balancer (docs/load-balancer.md): the instance in the new VPC's
 * private subnet without a public address, a second public subnet, the S3 gateway endpoint, the
 * load balancer's group, a target group, the load balancer with deletion protection on, its HTTP
 * listener and the registered target. Its own high risks are recorded afresh.
 */
export function loadBalancedEverythingSpec(keyDir: string, options: {name?: string; cidr?: string} = {}): LaunchSpec {
  const spec = everythingNewSpec(keyDir, options);
  const balanced: LaunchSpec = {
    ...spec,
    network: {...spec.network, subnet: 'private', publicIp: false},
    instance: {...spec.instance, userData: 'httpd'},
    loadBalancer: {...LOAD_BALANCER_DEFAULTS},
    acceptedRisks: [],
  };
  return withHighRisksRecorded(balanced, 'load-balanced web server');
}

/**
 * The spec with a reason recorded for each high risk it still carries, as its operator must before
 * `--yes` or Launch takes it: this launch is a public web server on purpose (a public address, the
 * web port open on its own group, an instance role), and tests that launch it test other things.
 */
export function withHighRisksRecorded(spec: LaunchSpec, reason = 'public web server'): LaunchSpec {
  const open = unacceptedHighRisks(spec).map((finding) => ({finding: finding.id, reason}));
  return open.length === 0 ? spec : {...spec, acceptedRisks: [...spec.acceptedRisks, ...open]};
}

/** The risk a public web server accepts on purpose: HTTP open to the internet. */
export const WEB_SERVER_RISKS: AcceptedRisk[] = [{finding: 'http-open-to-internet', reason: 'public web server'}];

/**
 * The risks the default launch, a public web server in the default VPC, carries on purpose and
 * that the tools rate high: Security Hub EC2.9 on the public address; Prowler on the default
 * subnet, the internet-facing role, the web port open on the instance, the role's trust policy,
 * and the default VPC's own group and network ACL. Recorded, as an operator would, so tests that
 * launch the defaults pass the risk gate.
 */
export const PUBLIC_WEB_SERVER_RISKS: AcceptedRisk[] = [
  {finding: 'public-ipv4', reason: 'public web server'},
  {finding: 'subnet-auto-public-ip', reason: 'default VPC'},
  {finding: 'public-instance-with-role', reason: 'Session Manager role only'},
  {finding: 'port-open-on-instance', reason: 'public web server'},
  {finding: 'role-trust-unscoped', reason: CONFUSED_DEPUTY_REASON},
  {finding: 'default-security-group-open', reason: 'default VPC, shared'},
  {finding: 'network-acl-open', reason: 'default VPC, shared'},
];

/**
 * The same risks as one --accept-risk flag, one reason for each, as an operator pastes it from the
 * refusal of `--yes` (it names findings a variant of the default may not raise; accepting those is harmless).
 */
export const PUBLIC_WEB_SERVER_FLAGS = [`${PUBLIC_WEB_SERVER_RISKS.map((risk) => risk.finding).join(',')}=public web server`];

/** The default spec with the public web server's risks accepted. */
export function publicWebServerSpec(region = 'us-east-1'): LaunchSpec {
  return {...defaultSpec(region), acceptedRisks: PUBLIC_WEB_SERVER_RISKS};
}
