// Pre-flight for the load-balanced web tier (controls/load-balancer.ts): the load balancer's and
// target group's names are free in the region (both are unique per account and region), a
// certificate ARN names an ISSUED ACM certificate (a listener refuses any other), and a requested
// certificate's domain and validation zone. Read-only calls.
import type {PreflightResult} from '../domain/preflight.js';
import {certificateDomainProblem, certificateStatusProblem, loadBalancerName, requestDomainProblem, targetGroupName, validationWaitSeconds} from '../domain/controls/load-balancer.js';
import {loadBalancerOf, type LaunchSpec, type LoadBalancerSpec} from '../domain/spec.js';
import {coveringZone} from './certificate.js';
import type {AwsClients} from './clients.js';
import {isNotFound} from './errors.js';
import {notChecked} from './names.js';

/** One name: free (the lookup answers NotFound or nothing), taken, or not checked. */
async function nameCheck(check: 'load-balancer-name' | 'target-group-name', name: string, lookup: () => Promise<unknown[] | undefined>): Promise<PreflightResult> {
  const what = check === 'load-balancer-name' ? 'load balancer' : 'target group';
  try {
    const found = await lookup();
    if ((found ?? []).length === 0) return {check, status: 'ok', field: 'instance.name', detail: `${what} name ${name} is free`};
    return {
      check,
      status: 'fail',
      field: 'instance.name',
      detail: `a ${what} named ${name} already exists in this region`,
      fix: `change instance.name (tandem names the ${what} after it), or remove the other ${what}`,
    };
  } catch (error) {
    if (isNotFound(error)) return {check, status: 'ok', field: 'instance.name', detail: `${what} name ${name} is free`};
    return notChecked(check, 'instance.name', `elasticloadbalancing:Describe${check === 'load-balancer-name' ? 'LoadBalancers' : 'TargetGroups'}`, error);
  }
}

async function certificateCheck(clients: AwsClients, arn: string, domain: string | undefined): Promise<PreflightResult> {
  const check = 'lb-certificate';
  const field = 'loadBalancer.certificate';
  const {DescribeCertificateCommand} = await import('@aws-sdk/client-acm');
  let described: {Status?: string; DomainName?: string; SubjectAlternativeNames?: string[]} | undefined;
  try {
    described = (await clients.acm.send(new DescribeCertificateCommand({CertificateArn: arn}))).Certificate;
  } catch (error) {
    if (!isNotFound(error)) return notChecked(check, field, 'acm:DescribeCertificate', error);
  }
  const problem = certificateStatusProblem(arn, described?.Status) ?? certificateDomainProblem(arn, [described?.DomainName ?? '', ...(described?.SubjectAlternativeNames ?? [])], domain);
  return problem ? {check, status: 'fail', field, ...problem} : {check, status: 'ok', field, detail: `${arn} is ISSUED${domain ? ` and covers ${domain}` : ''}`};
}

/**
 * `certificate: request`: the domain is a name ACM can issue for, and the Route 53 public zone of
 * the account that will hold the validation record is named; without one the operator is told the
 * launch will show the record to create and wait for it (docs/load-balancer.md).
 */
async function requestCheck(clients: AwsClients, lb: LoadBalancerSpec): Promise<PreflightResult> {
  const check = 'lb-certificate';
  const field = 'loadBalancer.domain';
  const problem = requestDomainProblem(lb.domain);
  if (problem) return {check, status: 'fail', field, ...problem};
  const domain = lb.domain ?? '';
  const minutes = validationWaitSeconds(lb) / 60;
  let zone: Awaited<ReturnType<typeof coveringZone>>;
  try {
    zone = await coveringZone(clients, domain);
  } catch (error) {
    return notChecked(check, field, 'route53:ListHostedZonesByName', error);
  }
  if (zone) return {check, status: 'ok', field, detail: `ACM will be asked for ${domain}; its DNS validation record goes into Route 53 zone ${zone.name} (${zone.id})`};
  return {
    check,
    status: 'ok',
    field,
    detail: `ACM will be asked for ${domain}; no Route 53 public zone in this account covers it, so the launch shows the validation record for you to create and waits up to ${minutes} minute(s) for ISSUED`,
  };
}

export async function loadBalancerChecks(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  const lb = loadBalancerOf(spec);
  if (!lb) return [];
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const lbName = loadBalancerName(spec);
  const tgName = targetGroupName(spec);
  return Promise.all([
    nameCheck('load-balancer-name', lbName, async () => (await clients.elbv2.send(new sdk.DescribeLoadBalancersCommand({Names: [lbName]}))).LoadBalancers),
    nameCheck('target-group-name', tgName, async () => (await clients.elbv2.send(new sdk.DescribeTargetGroupsCommand({Names: [tgName]}))).TargetGroups),
    ...(lb.certificate.startsWith('arn:') ? [certificateCheck(clients, lb.certificate, lb.domain)] : []),
    ...(lb.certificate === 'request' ? [requestCheck(clients, lb)] : []),
  ]);
}
