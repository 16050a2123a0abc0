// Verification of the load-balanced tier (docs/load-balancer.md section 2): what AWS reports about
// the load balancer, its listeners, certificate and groups, as plain facts (source/aws/
// verify-load-balancer.ts reads them with Describe calls of its own), judged here against the spec.
// Kept apart from load-balancer.ts, which holds the controls' options, plan, panel and findings.
import {LOAD_BALANCER_DEFAULTS, servesHttps, TARGET_PORT, TLS_POLICY} from './load-balancer.js';
import {loadBalancerOf, type LaunchSpec, type LoadBalancerSpec} from '../spec.js';

/** The load balancer as DescribeLoadBalancers, its attributes, listeners and target health show it. */
export interface LoadBalancerState {
  scheme: string;
  zones: string[];
  subnets: string[];
  groups: string[];
  attributes: Record<string, string>;
  listeners: Array<{protocol: string; port: number; sslPolicy?: string; certificates: string[]; action: string; redirect?: {protocol?: string; port?: string; statusCode?: string}}>;
  /** Registered targets and their health (moto and AWS before the first check: 'initial' or 'unused'). */
  targets: Array<{id: string; state?: string}>;
}

export interface Judgement {
  expected: string;
  actual: string;
  ok: boolean;
}

const listenerText = (listener: LoadBalancerState['listeners'][number]) =>
  `${listener.protocol} ${listener.port} ${listener.action === 'redirect' ? `redirect to ${listener.redirect?.protocol ?? '?'} ${listener.redirect?.port ?? '?'}` : listener.action}${listener.sslPolicy ? ` (${listener.sslPolicy})` : ''}`;

/** The listeners the plan creates, as text: what verification expects to read back. */
export function plannedListeners(lb: LoadBalancerSpec): string[] {
  if (!servesHttps(lb)) return ['HTTP 80 forward'];
  return [`HTTPS 443 forward (${TLS_POLICY})`, 'HTTP 80 redirect to HTTPS 443'];
}

/** The load balancer row: internet-facing in two zones, the planned listeners and attributes, the instance registered. */
export function judgeLoadBalancer(spec: LaunchSpec, state: LoadBalancerState, instanceId: string | undefined): Judgement {
  const lb = loadBalancerOf(spec) ?? LOAD_BALANCER_DEFAULTS;
  const listeners = state.listeners.map(listenerText).sort();
  const planned = plannedListeners(lb).sort();
  const attribute = (key: string) => state.attributes[key];
  const logs = lb.accessLogs === false ? 'false' : 'true';
  const target = state.targets.find((item) => item.id === instanceId);
  const checks: Array<[boolean, string]> = [
    [state.scheme === 'internet-facing', `scheme ${state.scheme}`],
    [new Set(state.zones).size >= 2, `${new Set(state.zones).size} zone(s)`],
    [JSON.stringify(listeners) === JSON.stringify(planned), `listeners ${listeners.join(', ') || 'none'}`],
    [attribute('routing.http.drop_invalid_header_fields.enabled') === 'true', `drop invalid headers ${attribute('routing.http.drop_invalid_header_fields.enabled') ?? '?'}`],
    [attribute('deletion_protection.enabled') === String(lb.deletionProtection), `deletion protection ${attribute('deletion_protection.enabled') ?? '?'}`],
    [(attribute('access_logs.s3.enabled') ?? 'false') === logs, `access logs ${attribute('access_logs.s3.enabled') ?? 'false'}`],
    // Healthy where the endpoint reports health; a target still in its first checks counts as registered.
    [target !== undefined && target.state !== 'unhealthy' && target.state !== 'draining', target ? `target ${target.id} ${target.state ?? 'registered'}` : 'instance not registered'],
  ];
  const expected = `internet-facing, 2 zones, listeners ${planned.join(', ')}, invalid headers dropped, deletion protection ${lb.deletionProtection}, access logs ${logs}, the instance registered`;
  return {expected, actual: checks.map(([, text]) => text).join('; '), ok: checks.every(([ok]) => ok)};
}

/** The certificate a launch requested, as ACM describes it at verification. */
export interface RequestedCertificate {
  arn: string;
  status: string;
  domain: string;
}

/**
 * The certificate row: the HTTPS listener holds the chosen certificate under the TLS policy, and
 * 80 redirects to it; a requested certificate is also ISSUED, for the profile's domain.
 */
export function judgeCertificate(spec: LaunchSpec, state: LoadBalancerState, requested?: RequestedCertificate): Judgement & {info: boolean} {
  const lb = loadBalancerOf(spec) ?? LOAD_BALANCER_DEFAULTS;
  const https = state.listeners.find((listener) => listener.protocol === 'HTTPS');
  if (!servesHttps(lb)) return {expected: 'no certificate: HTTP only (finding lb-http-only)', actual: https ? 'an HTTPS listener exists' : 'no HTTPS listener', ok: !https, info: true};
  const http = state.listeners.find((listener) => listener.protocol === 'HTTP');
  const redirects = http?.action === 'redirect' && http.redirect?.protocol === 'HTTPS' && http.redirect.port === '443';
  const isRequest = lb.certificate === 'request';
  const certificateOk = isRequest
    ? requested !== undefined && https?.certificates.includes(requested.arn) === true && requested.status === 'ISSUED' && requested.domain === lb.domain
    : https?.certificates.includes(lb.certificate);
  const wanted = isRequest ? `the requested certificate, ISSUED for ${lb.domain ?? '?'}` : lb.certificate;
  const expected = `HTTPS 443 with ${wanted} and ${TLS_POLICY}; HTTP 80 redirects to 443`;
  const issued = requested ? `; certificate ${requested.arn} ${requested.status} for ${requested.domain}` : '';
  const actual = https
    ? `HTTPS 443 with ${https.certificates.join(', ') || 'no certificate'} and ${https.sslPolicy ?? 'no policy'}; HTTP 80 ${redirects ? 'redirects to 443' : 'does not redirect'}${issued}`
    : `no HTTPS listener${issued}`;
  return {expected, actual, ok: Boolean(https && certificateOk && https.sslPolicy === TLS_POLICY && redirects), info: false};
}

/** The chained groups row: the instance's web rule admits the load balancer's group and no range; that group admits the web ports. */
export function judgeChainedGroups(spec: LaunchSpec, facts: {loadBalancerGroups: string[]; instanceWebSources: string[]; loadBalancerPorts: number[]}): Judgement {
  const lb = loadBalancerOf(spec) ?? LOAD_BALANCER_DEFAULTS;
  const ports = servesHttps(lb) ? [80, 443] : [80];
  const lbGroup = facts.loadBalancerGroups[0];
  const sourcesOk = facts.instanceWebSources.length > 0 && facts.instanceWebSources.every((source) => source === lbGroup);
  const portsOk = ports.every((port) => facts.loadBalancerPorts.includes(port));
  const expected = `the instance's port ${TARGET_PORT} admits only the load balancer's group; that group admits ${ports.join(' and ')}`;
  const actual = `port ${TARGET_PORT} from ${facts.instanceWebSources.join(', ') || 'nothing'}; the load balancer's group ${lbGroup ?? '(none)'} admits ${[...new Set(facts.loadBalancerPorts)].sort((a, b) => a - b).join(', ') || 'nothing'}`;
  return {expected, actual, ok: Boolean(lbGroup) && sourcesOk && portsOk};
}
