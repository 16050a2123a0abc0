// Pre-flight for the load-balanced web tier (controls/load-balancer.ts): the load balancer's and
// target group's names are free in the region (both are unique per account and region), and a
// certificate ARN names an ISSUED ACM certificate (a listener refuses any other). Read-only calls.
import type {PreflightResult} from '../domain/preflight.js';
import {certificateStatusProblem, loadBalancerName, targetGroupName} from '../domain/controls/load-balancer.js';
import {loadBalancerOf, type LaunchSpec} from '../domain/spec.js';
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

async function certificateCheck(clients: AwsClients, arn: string): Promise<PreflightResult> {
  const check = 'lb-certificate';
  const field = 'loadBalancer.certificate';
  const {DescribeCertificateCommand} = await import('@aws-sdk/client-acm');
  let status: string | undefined;
  try {
    status = (await clients.acm.send(new DescribeCertificateCommand({CertificateArn: arn}))).Certificate?.Status;
  } catch (error) {
    if (!isNotFound(error)) return notChecked(check, field, 'acm:DescribeCertificate', error);
  }
  const problem = certificateStatusProblem(arn, status);
  return problem ? {check, status: 'fail', field, ...problem} : {check, status: 'ok', field, detail: `${arn} is ISSUED`};
}

/** Asking ACM for a certificate and validating it by DNS is not built yet (docs/load-balancer.md section 3). */
const REQUEST_NOT_BUILT: PreflightResult = {
  check: 'lb-certificate',
  status: 'fail',
  field: 'loadBalancer.certificate',
  detail: 'certificate: request is not built yet: tandem does not ask ACM for a certificate or write its validation record',
  fix: `request it yourself (aws acm request-certificate --domain-name DOMAIN --validation-method DNS), create the validation record, and give the ARN once it is ISSUED`,
};

export async function loadBalancerChecks(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  const lb = loadBalancerOf(spec);
  if (!lb) return [];
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const lbName = loadBalancerName(spec);
  const tgName = targetGroupName(spec);
  return Promise.all([
    nameCheck('load-balancer-name', lbName, async () => (await clients.elbv2.send(new sdk.DescribeLoadBalancersCommand({Names: [lbName]}))).LoadBalancers),
    nameCheck('target-group-name', tgName, async () => (await clients.elbv2.send(new sdk.DescribeTargetGroupsCommand({Names: [tgName]}))).TargetGroups),
    ...(lb.certificate.startsWith('arn:') ? [certificateCheck(clients, lb.certificate)] : []),
    ...(lb.certificate === 'request' ? [Promise.resolve(REQUEST_NOT_BUILT)] : []),
  ]);
}
