// The launch spec in a few labelled lines, for the text and markdown reports. Tolerates missing
// optional fields, since a report may be asked for a half-edited profile. The phrases for the ways
// in are exported: the review (ui/review/spec-lines.ts) says them the same way.
import {sshSourceText} from './my-address.js';
import type {LaunchSpec} from './spec.js';
import {keyDescription} from './controls/storage.js';
import {chainedGroupsSummary, loadBalancerSummary} from './controls/load-balancer.js';
import {ENDPOINT_HOURLY_USD, instanceConnectChosen, needsSsmEndpoints, sessionManagerOn, sessionRoleName, SSM_ENDPOINT_SERVICES, SSM_POLICY_NAME} from './controls/ways-in.js';

const IMAGES: Record<string, string> = {
  al2023: 'Amazon Linux 2023, latest',
  al2: 'Amazon Linux 2 (end of support 2026-06-30)',
};
const TENANCY: Record<string, string> = {
  default: 'default (shared hardware)',
  dedicated: 'dedicated instance',
  host: 'dedicated host',
};

function network(spec: LaunchSpec): string {
  const n = spec.network;
  const where = n.vpc === 'default' ? 'default VPC, default subnet' : n.vpc === 'new' ? `${`new VPC ${n.cidr ?? ''}`.trim()}, ${n.subnet} subnet` : `${n.vpc}, ${n.subnet}`;
  return `${where}; ${n.publicIp ? 'public IPv4' : 'no public IPv4'}`;
}

/** The role tandem makes when the spec names none, only so that Session Manager works. */
export function sessionRoleText(spec: LaunchSpec): string {
  return `create ${sessionRoleName(spec)} with ${SSM_POLICY_NAME} only (for Session Manager)`;
}

/** The security group's port-22 rule for EC2 Instance Connect. */
export const INSTANCE_CONNECT_SOURCE = 'SSH from EC2 Instance Connect only (prefix list)';

function role(spec: LaunchSpec): string {
  const r = spec.role;
  const session = sessionManagerOn(spec);
  if (r.mode === 'none') return session ? sessionRoleText(spec) : 'none';
  if (r.mode === 'create') return `create ${r.name ?? 'EC2AccessToS3Role'} (${r.access ?? 'read'} on ${r.bucket ?? '?'})${session ? `, plus ${SSM_POLICY_NAME}` : ''}`;
  return `existing ${r.name ?? r.instanceProfile ?? '?'}${session ? ` (must already carry ${SSM_POLICY_NAME})` : ''}`;
}

/** Every way in the launch leaves, or that there is none. */
export function wayInText(spec: LaunchSpec): string {
  const sg = spec.securityGroup;
  const endpoints = needsSsmEndpoints(spec)
    ? `; interface endpoints ${SSM_ENDPOINT_SERVICES.join(', ')}, about $${ENDPOINT_HOURLY_USD.toFixed(2)} per endpoint-hour each (varies by region)`
    : '';
  const ways = [
    sessionManagerOn(spec) ? `Session Manager (no open port, no key${endpoints})` : undefined,
    // As login-hint.ts judges it: an existing group's rules are the operator's, so its SSH may be open.
    spec.keyPair?.mode !== 'none' && (sg?.mode === 'existing' || sg?.ssh !== false) ? 'SSH with the key pair' : undefined,
    instanceConnectChosen(spec) && sg?.mode === 'create' ? 'EC2 Instance Connect (a one-time key per session)' : undefined,
  ].filter(Boolean);
  return ways.length > 0 ? ways.join('; ') : 'none: no Session Manager and no SSH';
}

function storage(spec: LaunchSpec): string {
  const s = spec.storage;
  const key = keyDescription(s);
  return `${s.sizeGiB} GiB ${s.type}, ${key === undefined ? 'NOT encrypted' : `encrypted with ${key}`}`;
}

/** The firewall behind a load balancer: the two chained groups, with the instance's SSH as chosen; undefined without one. */
export function chainedFirewall(spec: LaunchSpec): string | undefined {
  const {ssh} = spec.securityGroup;
  return chainedGroupsSummary(spec, ssh !== false ? `SSH from ${sshSourceText(ssh) || '?'}` : instanceConnectChosen(spec) ? INSTANCE_CONNECT_SOURCE : 'no SSH');
}

function firewall(spec: LaunchSpec): string {
  const sg = spec.securityGroup;
  if (sg.mode === 'existing') return `existing ${sg.groupId ?? '?'}`;
  const chained = chainedFirewall(spec);
  if (chained) return chained;
  const rules = [
    sg.http !== false ? `HTTP from ${sg.http}` : '',
    sg.https !== false ? `HTTPS from ${sg.https}` : '',
    sg.ssh !== false ? `SSH from ${sshSourceText(sg.ssh)}` : instanceConnectChosen(spec) ? '' : 'no SSH',
    instanceConnectChosen(spec) ? INSTANCE_CONNECT_SOURCE : '',
  ].filter(Boolean);
  return `new ${sg.name}: ${rules.join(', ')}`;
}

function keyPair(spec: LaunchSpec): string {
  const k = spec.keyPair;
  if (k.mode === 'none') return 'none';
  if (k.mode === 'create') return `create ${k.name ?? '?'} (${k.type ?? 'ed25519'}), private key to ${k.path ?? '?'}`;
  if (k.mode === 'import') return `import ${k.name ?? '?'} from ${k.path ?? '?'}`;
  return `existing ${k.name ?? '?'}`;
}

/** [label, value] pairs in wizard order. */
export function launchSummary(spec: LaunchSpec): Array<[string, string]> {
  const i = spec.instance;
  const rows: Array<[string, string]> = [
    ['Instance', `${i.name}, ${i.type}, ${i.arch}`],
    ['Image', i.image === 'ami' ? (i.amiId ?? 'AMI (id not set)') : (IMAGES[i.image] ?? i.image)],
    ['Tenancy', TENANCY[i.tenancy] ?? i.tenancy],
    ['Network', network(spec)],
    ['IAM role', role(spec)],
    ['Storage', storage(spec)],
    ['Firewall', firewall(spec)],
    ...(loadBalancerSummary(spec) ? [['Load balancer', loadBalancerSummary(spec) ?? ''] as [string, string]] : []),
    ['Key pair', keyPair(spec)],
    ['Way in', wayInText(spec)],
    ['Metadata', `${i.imds === 'required' ? 'IMDSv2 required' : 'IMDSv1 allowed'}, hop limit ${i.hopLimit}`],
  ];
  const tags = Object.entries(spec.tags ?? {});
  if (tags.length > 0) rows.push(['Tags', tags.map(([k, v]) => `${k}=${v}`).join(', ')]);
  return rows;
}
