// Verification of the load-balanced web tier (controls/load-balancer.ts, docs/load-balancer.md) by
// Describe calls of its own: the load balancer, its attributes, listeners and target health as
// Elastic Load Balancing reports them, and the two groups' rules as EC2 reports them. A launch
// without a load balancer gets no rows here (the checks answer undefined).
import type {AwsClients} from './clients.js';
import type {CheckerFacts} from '../domain/checker-facts.js';
import type {VerificationStatus} from '../domain/cloud.js';
import {LB_STEP, TARGET_PORT} from '../domain/controls/load-balancer.js';
import {judgeCertificate, judgeChainedGroups, judgeLoadBalancer, type LoadBalancerState, type RequestedCertificate} from '../domain/controls/load-balancer-verify.js';
import {behindLoadBalancer, loadBalancerOf} from '../domain/spec.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {call} from './errors.js';
import {attachedGroupIds} from './verify-facts.js';
import type {CheckOutcome} from './verify-checks.js';
import type {VerifyContext} from './verify-context.js';
import {Missing} from './verify-context.js';
import {fromSdkRule} from './verify-rules.js';

type OptionalCheck = (context: VerifyContext) => Promise<CheckOutcome | undefined>;

async function readState(clients: AwsClients, record: LaunchRecord): Promise<LoadBalancerState | undefined> {
  const arn = record.resources.find((resource) => resource.kind === 'load-balancer')?.id;
  if (!behindLoadBalancer(record.spec)) return undefined;
  if (!arn) throw new Missing('no load balancer recorded for this launch');
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const {elbv2} = clients;
  const described = await call('DescribeLoadBalancers', () => elbv2.send(new sdk.DescribeLoadBalancersCommand({LoadBalancerArns: [arn]})));
  const lb = described.LoadBalancers?.[0];
  if (!lb) throw new Missing(`load balancer ${arn} not found`);
  const [attributes, listeners] = await Promise.all([
    call('DescribeLoadBalancerAttributes', () => elbv2.send(new sdk.DescribeLoadBalancerAttributesCommand({LoadBalancerArn: arn}))),
    call('DescribeListeners', () => elbv2.send(new sdk.DescribeListenersCommand({LoadBalancerArn: arn}))),
  ]);
  const targetGroup = record.resources.find((resource) => resource.kind === 'target-group')?.id;
  const health = targetGroup ? await call('DescribeTargetHealth', () => elbv2.send(new sdk.DescribeTargetHealthCommand({TargetGroupArn: targetGroup}))) : undefined;
  return {
    scheme: lb.Scheme ?? '?',
    zones: (lb.AvailabilityZones ?? []).map((zone) => zone.ZoneName ?? '?'),
    subnets: (lb.AvailabilityZones ?? []).map((zone) => zone.SubnetId ?? '?'),
    groups: lb.SecurityGroups ?? [],
    attributes: Object.fromEntries((attributes.Attributes ?? []).map((attribute) => [attribute.Key ?? '', attribute.Value ?? ''])),
    listeners: (listeners.Listeners ?? []).map((listener) => {
      const action = listener.DefaultActions?.[0];
      const redirect = action?.RedirectConfig;
      return {
        protocol: listener.Protocol ?? '?',
        port: listener.Port ?? 0,
        // Only an HTTPS listener has a policy (moto 5.2.1 also names one on HTTP listeners).
        ...(listener.SslPolicy && listener.Protocol === 'HTTPS' ? {sslPolicy: listener.SslPolicy} : {}),
        certificates: (listener.Certificates ?? []).flatMap((certificate) => (certificate.CertificateArn ? [certificate.CertificateArn] : [])),
        action: action?.Type ?? 'none',
        ...(redirect ? {redirect: {protocol: redirect.Protocol, port: redirect.Port, statusCode: redirect.StatusCode}} : {}),
      };
    }),
    targets: (health?.TargetHealthDescriptions ?? []).map((target) => ({id: target.Target?.Id ?? '?', state: target.TargetHealth?.State})),
  };
}

/** The certificate this launch asked ACM for, as ACM describes it now; undefined when it requested none. */
async function requestedCertificate(clients: AwsClients, record: LaunchRecord): Promise<RequestedCertificate | undefined> {
  const lb = loadBalancerOf(record.spec);
  if (lb?.certificate !== 'request') return undefined;
  const arn = record.resources.find((resource) => resource.kind === 'certificate')?.id;
  if (!arn) throw new Missing('no requested certificate recorded for this launch');
  const {DescribeCertificateCommand} = await import('@aws-sdk/client-acm');
  const described = await call('DescribeCertificate', () => clients.acm.send(new DescribeCertificateCommand({CertificateArn: arn})));
  return {arn, status: described.Certificate?.Status ?? '?', domain: described.Certificate?.DomainName ?? '?'};
}

/** Read once, shared by the three rows and the checkers' facts. */
export function loadBalancerLookups(clients: AwsClients, record: LaunchRecord) {
  let state: Promise<LoadBalancerState | undefined> | undefined;
  let certificate: Promise<RequestedCertificate | undefined> | undefined;
  return {
    loadBalancerState: () => (state ??= readState(clients, record)),
    requestedCertificate: () => (certificate ??= requestedCertificate(clients, record)),
  };
}

const statusOf = (ok: boolean): VerificationStatus => (ok ? 'pass' : 'fail');

export const checkLoadBalancer: OptionalCheck = async (context) => {
  const state = await context.loadBalancerState();
  if (!state) return undefined;
  const {expected, actual, ok} = judgeLoadBalancer(context.spec, state, context.resolved.instanceId);
  return {expected, actual, status: statusOf(ok)};
};

export const checkCertificate: OptionalCheck = async (context) => {
  const state = await context.loadBalancerState();
  if (!state) return undefined;
  const requested = await context.requestedCertificate();
  const {expected, actual, ok, info} = judgeCertificate(context.spec, state, requested);
  return {expected, actual, status: info && ok ? 'info' : statusOf(ok)};
};

export const checkChainedGroups: OptionalCheck = async (context) => {
  const state = await context.loadBalancerState();
  if (!state) return undefined;
  const instance = await context.instance();
  const instanceRules = (await Promise.all(attachedGroupIds(instance).map((id) => context.ingressRules(id)))).flat().map(fromSdkRule);
  const lbRules = (await Promise.all(state.groups.map((id) => context.ingressRules(id)))).flat().map(fromSdkRule);
  const instanceWebSources = instanceRules.filter((rule) => rule.fromPort <= TARGET_PORT && rule.toPort >= TARGET_PORT).map((rule) => rule.source);
  const {expected, actual, ok} = judgeChainedGroups(context.spec, {loadBalancerGroups: state.groups, instanceWebSources, loadBalancerPorts: lbRules.map((rule) => rule.fromPort)});
  return {expected, actual, status: statusOf(ok)};
};

/** The load balancer as the checkers read it, from what AWS reported. */
export async function loadBalancerFacts(context: VerifyContext): Promise<CheckerFacts['loadBalancer']> {
  const state = await context.loadBalancerState();
  if (!state) return undefined;
  const lbRules = (await Promise.all(state.groups.map((id) => context.ingressRules(id)))).flat().map(fromSdkRule);
  const attribute = (key: string) => state.attributes[key];
  // The load balancer's ARN, as Prowler and Security Hub name it in their findings.
  const arn = context.record.resources.find((resource) => resource.kind === 'load-balancer')?.id;
  return {
    id: arn ?? LB_STEP.loadBalancer,
    scheme: state.scheme === 'internal' ? 'internal' : 'internet-facing',
    zones: new Set(state.zones).size,
    dropInvalidHeaders: attribute('routing.http.drop_invalid_header_fields.enabled') === 'true',
    deletionProtection: attribute('deletion_protection.enabled') === 'true',
    accessLogs: attribute('access_logs.s3.enabled') === 'true',
    desyncMitigation: attribute('routing.http.desync_mitigation_mode') || 'defensive',
    // No WAF client here: the association is read by the conformance suite's Prowler run.
    webAcl: false,
    openToWorldOnAllPorts: lbRules.some(
      (rule) => (rule.source === '0.0.0.0/0' || rule.source === '::/0') && (rule.protocol === 'all' || rule.protocol === 'tcp') && rule.fromPort <= 0 && rule.toPort >= 65535,
    ),
    listeners: state.listeners.map((listener) => ({
      protocol: listener.protocol === 'HTTPS' ? 'HTTPS' : 'HTTP',
      port: listener.port,
      ...(listener.sslPolicy ? {sslPolicy: listener.sslPolicy} : {}),
      redirectsToHttps: listener.action === 'redirect' && listener.redirect?.protocol === 'HTTPS',
    })),
  };
}
