// The load-balanced web tier (docs/load-balancer.md): the profile field and its defaults, its
// validation, the plan it adds (chained groups, two public subnets, the package endpoint, the load
// balancer and its listeners), and the findings it removes and adds. A spec without it must plan
// exactly as before.
import {describe, expect, it} from 'vitest';
import {checkProfile, withDefaults} from '../../../source/store/profile-schema.js';
import {findingsFor} from '../../../source/domain/findings.js';
import {buildPlan, checkPlan} from '../../../source/domain/plan.js';
import type {PlanStep} from '../../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec, type LoadBalancerSpec} from '../../../source/domain/spec.js';
import {validateSpec, validationWarnings} from '../../../source/domain/validate.js';
import {
  certificateDomainProblem,
  certificateNameCovers,
  LB_STEP,
  loadBalancedSite,
  loadBalancerName,
  targetGroupName,
  LOAD_BALANCER_DEFAULTS,
  loadBalancerControl,
  requestDomainProblem,
  TLS_POLICY,
  validationWaitSeconds,
  validationZoneName,
} from '../../../source/domain/controls/load-balancer.js';
import {judgeCertificate, judgeChainedGroups, judgeLoadBalancer, type LoadBalancerState} from '../../../source/domain/controls/load-balancer-verify.js';
import {ingressRules} from '../../../source/domain/controls/security-group.js';
import {checkerVerdicts} from '../../../source/domain/checker-run.js';
import {findChecker} from '../../../source/domain/checkers.js';
import {predictedLoadBalancerFact} from '../../../source/domain/controls/load-balancer-checkers.js';
import {cloudFormationObject} from '../../../source/domain/export-cloudformation.js';
import {launchSummary} from '../../../source/domain/report-summary.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

/** A load-balanced launch as a profile `loadBalancer: {...}` produces it. */
function balanced(lb: Partial<LoadBalancerSpec> = {}, change: (spec: LaunchSpec) => void = () => {}): LaunchSpec {
  const result = checkProfile({version: 1, loadBalancer: lb});
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  change(result.spec);
  return result.spec;
}
const step = (steps: PlanStep[], id: string): PlanStep => {
  const found = steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id} in ${steps.map((s) => s.id).join(', ')}`);
  return found;
};
const problemsOf = (spec: LaunchSpec) => validateSpec(spec).map((problem) => `${problem.field}: ${problem.message}`);
/** The spec a profile with `loadBalancer: lb` would hold, before validation. */
function unchecked(lb: Partial<LoadBalancerSpec>, change: (spec: LaunchSpec) => void): LaunchSpec {
  const spec = withDefaults({version: 1, loadBalancer: lb});
  change(spec);
  return spec;
}

describe('the loadBalancer profile field', () => {
  it('puts the instance in a new VPC’s private subnet without a public address, still installing the web server', () => {
    const spec = balanced();
    expect(spec.loadBalancer).toEqual({certificate: 'none', deletionProtection: true, accessLogs: false});
    expect(spec.network).toMatchObject({vpc: 'new', subnet: 'private', publicIp: false});
    expect(spec.instance.userData).toBe('httpd');
  });

  it('leaves a profile without it, or with false, exactly as before', () => {
    const without = checkProfile({version: 1});
    const off = checkProfile({version: 1, loadBalancer: false});
    expect(without.ok && without.spec).toEqual(withDefaults({version: 1}));
    expect(without.ok && 'loadBalancer' in without.spec).toBe(false);
    expect(off.ok && buildPlan(off.spec)).toEqual(buildPlan(defaultSpec()));
    const newVpc = withDefaults({version: 1, network: {vpc: 'new'}});
    expect(newVpc.network.subnet).toBe('public');
    const ids = buildPlan(newVpc).steps.map((s) => s.id);
    expect(ids).not.toContain('availability-zones');
    expect(ids).not.toContain('subnet-public-2');
    expect(ids.some((id) => id.startsWith('lb-') || id.startsWith('listener'))).toBe(false);
    expect(step(buildPlan(newVpc).steps, 'subnet-public').params).not.toHaveProperty('AvailabilityZone');
  });

  it('says what is wrong, in words, for each contradiction', () => {
    const messages = (change: (spec: LaunchSpec) => void, lb: Partial<LoadBalancerSpec> = {}) => problemsOf(unchecked(lb, change)).join('\n');
    expect(messages(() => {}, {certificate: 'request'})).toContain('loadBalancer.domain: certificate: request needs a domain');
    expect(messages(() => {}, {certificate: 'request', domain: 'www.example.com'})).toBe('');
    expect(messages(() => {}, {certificate: CERTIFICATE.replace('us-east-1', 'eu-west-1')})).toContain(
      'is in eu-west-1; a load balancer in us-east-1 can only use an ACM certificate of its own region',
    );
    expect(messages(() => {}, {certificate: 'arn:aws:iam::123456789012:server-certificate/web'})).toContain("expected 'none', 'request' or an ACM certificate ARN");
    expect(messages(() => {}, {accessLogs: 'Not_A_Bucket'})).toContain('must be false or the name of an S3 bucket in us-east-1');
    // An existing VPC: a subnet id, or private (tandem picks); its load balancer subnets only there, two of them.
    expect(messages((s) => (s.network = {vpc: 'vpc-0abc1234', subnet: 'subnet-0abc1234', publicIp: false}))).toBe('');
    expect(messages((s) => (s.network = {vpc: 'vpc-0abc1234', subnet: 'private', publicIp: false}))).toBe('');
    expect(messages((s) => (s.network = {vpc: 'vpc-0abc1234', subnet: 'public', publicIp: false}))).toContain('set network.subnet: private (tandem picks one of the VPC)');
    expect(messages((s) => (s.network = {vpc: 'vpc-0abc1234', subnet: 'private', publicIp: false, loadBalancerSubnets: ['subnet-0abc1234']}))).toContain('must be two different subnet ids');
    expect(messages((s) => (s.network.loadBalancerSubnets = ['subnet-0abc1234', 'subnet-0def5678']))).toContain('a new VPC gets its own');
    expect(messages((s) => (s.network.subnet = 'public'))).toContain('set network.subnet: private');
    expect(messages((s) => (s.network.publicIp = true))).toContain('set network.publicIp: false');
    expect(messages((s) => (s.securityGroup.https = '0.0.0.0/0'))).toContain('securityGroup.https is not used');
    expect(messages((s) => (s.securityGroup = {...s.securityGroup, mode: 'existing', groupId: 'sg-0abc1234'}))).toContain('set securityGroup.mode: create');
    expect(messages((s) => (s.network.cidr = '10.0.0.0/26'))).toContain('AWS needs /27 or larger for a load balancer');
  });

  it('refuses a wrong shape before judging values', () => {
    const result = checkProfile({version: 1, loadBalancer: {certificate: 'none', colour: 'blue'}});
    expect(result.ok).toBe(false);
  });
});

describe('the plan behind a load balancer', () => {
  it('chains the groups: the instance admits the web port only from the load balancer’s group, the load balancer from the world', () => {
    const {steps} = buildPlan(balanced());
    const instanceRules = step(steps, 'security-group-ingress');
    expect(instanceRules.params.IpPermissions).toEqual([
      {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{GroupId: {ref: LB_STEP.group, output: 'GroupId'}, Description: 'HTTP from the load balancer only'}]},
    ]);
    expect(JSON.stringify(instanceRules.params)).not.toContain('CidrIp');
    expect(instanceRules.dependsOn).toContain(LB_STEP.group);
    const lbRules = step(steps, LB_STEP.groupIngress).params.IpPermissions as Array<{FromPort: number; IpRanges: Array<{CidrIp: string}>}>;
    expect(lbRules.map((rule) => [rule.FromPort, rule.IpRanges[0].CidrIp])).toEqual([[80, '0.0.0.0/0']]);
    const withTls = step(buildPlan(balanced({certificate: CERTIFICATE})).steps, LB_STEP.groupIngress).params.IpPermissions as Array<{FromPort: number}>;
    expect(withTls.map((rule) => rule.FromPort)).toEqual([80, 443]);
  });

  it('places the instance in the private subnet without a public address, and the load balancer in two public subnets in two zones', () => {
    const {steps} = buildPlan(balanced());
    const run = step(steps, 'run-instances').params.NetworkInterfaces as Array<Record<string, unknown>>;
    expect(run[0]).toMatchObject({SubnetId: {ref: 'subnet-private', output: 'Subnet.SubnetId'}, AssociatePublicIpAddress: false});
    expect(step(steps, 'subnet-public').params.AvailabilityZone).toEqual({ref: 'availability-zones', output: 'AvailabilityZones.0.ZoneName'});
    expect(step(steps, 'subnet-public-2').params.AvailabilityZone).toEqual({ref: 'availability-zones', output: 'AvailabilityZones.1.ZoneName'});
    expect(step(steps, 'subnet-public-2').params.CidrBlock).toBe('10.0.2.0/24');
    expect(step(steps, LB_STEP.loadBalancer).params).toMatchObject({
      Type: 'application',
      Scheme: 'internet-facing',
      Subnets: [
        {ref: 'subnet-public', output: 'Subnet.SubnetId'},
        {ref: 'subnet-public-2', output: 'Subnet.SubnetId'},
      ],
      SecurityGroups: [{ref: LB_STEP.group, output: 'GroupId'}],
    });
    expect(step(steps, LB_STEP.loadBalancer).dependsOn).toEqual(expect.arrayContaining(['route-to-internet', 'associate-route-table', 'associate-route-table-2']));
  });

  it('gives the private subnet its own route table and an S3 gateway endpoint that reads only the Amazon Linux repositories', () => {
    const {steps} = buildPlan(balanced());
    const endpoint = step(steps, 'package-endpoint');
    expect(endpoint.params).toMatchObject({
      VpcEndpointType: 'Gateway',
      ServiceName: 'com.amazonaws.us-east-1.s3',
      RouteTableIds: [{ref: 'route-table-private', output: 'RouteTable.RouteTableId'}],
    });
    const policy = JSON.parse(endpoint.params.PolicyDocument as string) as {Statement: Array<{Action: string; Resource: string[]}>};
    expect(policy.Statement).toEqual([expect.objectContaining({Action: 's3:GetObject', Resource: ['arn:aws:s3:::al2023-repos-us-east-1-*/*']})]);
    expect(step(steps, 'associate-route-table-private').params.SubnetId).toEqual({ref: 'subnet-private', output: 'Subnet.SubnetId'});
  });

  it('sets the attributes: invalid headers dropped, deletion protection as chosen, access logs to the bucket', () => {
    const attributes = (spec: LaunchSpec) => step(buildPlan(spec).steps, LB_STEP.attributes).params.Attributes;
    expect(attributes(balanced())).toEqual([
      {Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true'},
      {Key: 'deletion_protection.enabled', Value: 'true'},
    ]);
    expect(attributes(balanced({deletionProtection: false, accessLogs: 'my-elb-logs'}))).toEqual([
      {Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true'},
      {Key: 'deletion_protection.enabled', Value: 'false'},
      {Key: 'access_logs.s3.enabled', Value: 'true'},
      {Key: 'access_logs.s3.bucket', Value: 'my-elb-logs'},
      {Key: 'access_logs.s3.prefix', Value: 'tandem-web-1'},
    ]);
  });

  it('listens on 80 forwarding without a certificate; with one on 443 under the TLS policy, 80 redirecting to it', () => {
    const http = buildPlan(balanced()).steps.filter((s) => s.action === 'CreateListener');
    expect(http.map((s) => [s.params.Protocol, s.params.Port, (s.params.DefaultActions as Array<{Type: string}>)[0].Type])).toEqual([['HTTP', 80, 'forward']]);
    const https = buildPlan(balanced({certificate: CERTIFICATE})).steps.filter((s) => s.action === 'CreateListener');
    expect(https.map((s) => [s.params.Protocol, s.params.Port, (s.params.DefaultActions as Array<{Type: string}>)[0].Type])).toEqual([
      ['HTTPS', 443, 'forward'],
      ['HTTP', 80, 'redirect'],
    ]);
    expect(https[0].params).toMatchObject({SslPolicy: TLS_POLICY, Certificates: [{CertificateArn: CERTIFICATE}]});
    expect(TLS_POLICY).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
    expect((https[1].params.DefaultActions as Array<{RedirectConfig: unknown}>)[0].RedirectConfig).toEqual({Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301'});
  });

  it('with certificate: request asks ACM for the domain by DNS, writes the record, waits for ISSUED, and listens on 443 with the new ARN', () => {
    const plan = buildPlan(balanced({certificate: 'request', domain: 'www.example.com'}));
    expect(checkPlan(plan)).toEqual([]);
    const request = step(plan.steps, LB_STEP.certificate);
    expect(request).toMatchObject({service: 'acm', action: 'RequestCertificate', creates: ['certificate'], dependsOn: []});
    expect(request.params).toMatchObject({DomainName: 'www.example.com', ValidationMethod: 'DNS', IdempotencyToken: {ref: '$launch', output: 'idempotencyToken'}});
    expect(request.params.Tags).toContainEqual({Key: 'tandem:launch-id', Value: {ref: '$launch', output: 'id'}});
    expect(step(plan.steps, LB_STEP.certificateRecord)).toMatchObject({
      service: 'route53',
      action: 'WriteValidationRecord',
      creates: ['dns-record'],
      params: {CertificateArn: {ref: LB_STEP.certificate, output: 'CertificateArn'}, DomainName: 'www.example.com'},
    });
    expect(step(plan.steps, LB_STEP.certificateIssued)).toMatchObject({
      service: 'acm',
      action: 'WaitUntilCertificateValidated',
      dependsOn: [LB_STEP.certificateRecord],
      summary: 'Wait up to 10 minutes for ACM to issue the certificate',
    });
    const https = step(plan.steps, LB_STEP.httpsListener);
    expect(https.params.Certificates).toEqual([{CertificateArn: {ref: LB_STEP.certificate, output: 'CertificateArn'}}]);
    expect(https.dependsOn).toContain(LB_STEP.certificateIssued);
    // An ARN or none adds no certificate step.
    expect(buildPlan(balanced({certificate: CERTIFICATE})).steps.filter((s) => s.service === 'acm' || s.service === 'route53')).toEqual([]);
  });

  it('registers the instance once it runs, and the graph holds together', () => {
    const plan = buildPlan(balanced({certificate: CERTIFICATE}));
    expect(checkPlan(plan)).toEqual([]);
    const ids = plan.steps.map((s) => s.id);
    expect(ids.indexOf(LB_STEP.register)).toBeGreaterThan(ids.indexOf('wait-running'));
    expect(step(plan.steps, LB_STEP.register).params.Targets).toEqual([{Id: {ref: 'run-instances', output: 'Instances.0.InstanceId'}, Port: 80}]);
  });
});

describe('findings behind a load balancer', () => {
  const architectureOnly = ['public-ipv4', 'port-open-on-instance', 'public-instance-with-role', 'http-open-to-internet'];

  it('the direct launch’s instance-level failures fire for the default launch and are gone behind a load balancer', () => {
    const direct = findingsFor(defaultSpec()).map((f) => f.id);
    for (const id of architectureOnly) expect(direct, id).toContain(id);
    const layered = findingsFor(balanced()).map((f) => f.id);
    for (const id of architectureOnly) expect(layered, id).not.toContain(id);
    expect(ingressRules(balanced()).filter((rule) => rule.port === 80)).toEqual([{port: 80, cidr: "the load balancer's security group"}]);
  });

  it('says HTTP only without a certificate, and credits every checker that fails, and only those', () => {
    for (const spec of [balanced(), balanced({certificate: CERTIFICATE, accessLogs: 'my-elb-logs', deletionProtection: false})]) {
      const failing = new Set(
        checkerVerdicts(spec)
          .filter((v) => v.verdict === 'fail')
          .map((v) => `${v.tool}:${v.id}`),
      );
      const credited = new Set(findingsFor(spec).flatMap((f) => f.checkers.map((c) => `${c.tool}:${c.id}`)));
      expect([...credited].sort()).toEqual([...failing].sort());
    }
    expect(
      findingsFor(balanced())
        .find((f) => f.id === 'lb-http-only')
        ?.checkers.map((c) => c.id),
    ).toEqual(['ELB.1', 'elbv2_ssl_listeners', 'CKV_AWS_2', 'CKV_AWS_103']);
  });

  it('the load balancer’s checks pass where tandem sets them: headers, zones, listeners, the TLS policy', () => {
    const verdicts = checkerVerdicts(balanced({certificate: CERTIFICATE}));
    const verdict = (id: string) => verdicts.find((v) => v.id === id)?.verdict;
    for (const id of ['ELB.1', 'ELB.4', 'ELB.6', 'ELB.12', 'ELB.13', 'elbv2_insecure_ssl_ciphers', 'elbv2_listener_pqc_tls_enabled', 'elbv2_ssl_listeners', 'elbv2_is_in_multiple_az'])
      expect(verdict(id), id).toBe('pass');
    // Prowler's elbv2_internet_facing fails only a group open to the world on every port; tandem's opens 80 and 443.
    expect(verdict('elbv2_internet_facing')).toBe('pass');
    for (const id of ['ELB.5', 'ELB.16', 'elbv2_listener_fips_tls_enabled']) expect(verdict(id), id).toBe('fail');
    // checkov reads the template: the HTTPS listener's policy, the redirect, the attributes.
    for (const id of ['CKV_AWS_2', 'CKV_AWS_103', 'CKV_AWS_131']) expect(verdict(id), id).toBe('pass');
    expect(verdict('CKV_AWS_91')).toBe('fail');
    const plain = checkerVerdicts(balanced());
    expect(plain.filter((v) => v.id === 'CKV_AWS_2' || v.id === 'CKV_AWS_103').map((v) => v.verdict)).toEqual(['fail', 'fail']);
  });

  it('Prowler elbv2_internet_facing fails an internet-facing load balancer only when its group admits every port from the world', () => {
    const checker = findChecker('Prowler', 'elbv2_internet_facing')!;
    const predicted = predictedLoadBalancerFact(balanced())!;
    const verdict = (lb: typeof predicted) => checker.evaluates === 'live' && checker.verdicts({loadBalancer: lb})?.[0]?.verdict;
    expect(verdict(predicted)).toBe('pass');
    expect(verdict({...predicted, openToWorldOnAllPorts: true})).toBe('fail');
    expect(verdict({...predicted, scheme: 'internal', openToWorldOnAllPorts: true})).toBe('pass');
  });
});

describe('the review', () => {
  it('says what the load balancer adds and costs, and shows the two chained groups; a direct launch’s summary is unchanged', () => {
    const rows = new Map(launchSummary(balanced()));
    expect(rows.get('Load balancer')).toBe(
      'new internet-facing tandem-web-1 in two zones: HTTP 80 only, no certificate; deletion protection on; access logs off; about $0.0225 an hour (some $16 a month) plus $0.008 per LCU-hour of traffic, in us-east-1; the S3 gateway endpoint is free',
    );
    expect(rows.get('Firewall')).toBe('new web-sg-lb: HTTP from 0.0.0.0/0; new web-sg: HTTP from web-sg-lb only, no SSH');
    expect(new Map(launchSummary(balanced({certificate: 'request', domain: 'www.example.com'}))).get('Load balancer')).toMatch(
      /^new internet-facing tandem-web-1 in two zones: HTTPS 443 \(ELBSecurityPolicy-\S+\) with a certificate ACM issues for www\.example\.com \(public certificates are free\), HTTP 80 redirecting;/,
    );
    const direct = launchSummary(defaultSpec());
    expect(direct.map(([label]) => label)).not.toContain('Load balancer');
    expect(new Map(direct).get('Firewall')).toBe('new web-sg: HTTP from 0.0.0.0/0, no SSH');
  });

  it('names the private subnet of the new VPC without a stray space, and warns of no httpd install that the S3 endpoint makes work', () => {
    const spec = balanced();
    expect(new Map(launchSummary(spec)).get('Network')).toMatch(/^new VPC, private subnet/);
    expect(validationWarnings(spec).map((warning) => warning.field)).not.toContain('instance.userData');
    // Without the load balancer, the same private subnet has no way to the repositories.
    const alone: LaunchSpec = {...defaultSpec(), network: {vpc: 'new', subnet: 'private', publicIp: false}};
    expect(validationWarnings(alone).map((warning) => warning.field)).toContain('instance.userData');
  });
});

describe('certificate: request, before the launch', () => {
  it('bounds the wait by validationWaitMinutes, and refuses a bound that is not a time or has no request to wait for', () => {
    const plan = buildPlan(balanced({certificate: 'request', domain: 'www.example.com', validationWaitMinutes: 0.5}));
    expect(step(plan.steps, LB_STEP.certificateIssued).summary).toBe('Wait up to 0.5 minutes for ACM to issue the certificate');
    expect(validationWaitSeconds({...LOAD_BALANCER_DEFAULTS, certificate: 'request', validationWaitMinutes: 0.5})).toBe(30);
    expect(validationWaitSeconds({...LOAD_BALANCER_DEFAULTS, certificate: 'request'})).toBe(600);
    expect(problemsOf(unchecked({certificate: 'request', domain: 'www.example.com', validationWaitMinutes: 0}, () => {}))).toEqual([
      'loadBalancer.validationWaitMinutes: Validation wait 0 must be a number of minutes above 0 and at most 4320 (ACM stops waiting for the record after 72 hours).',
    ]);
    expect(problemsOf(unchecked({certificate: CERTIFICATE, validationWaitMinutes: 5}, () => {}))).toEqual([
      'loadBalancer.validationWaitMinutes: validationWaitMinutes is used only with certificate: request; remove it.',
    ]);
  });

  it('pre-flight refuses a certificate ARN whose names do not cover the domain; a wildcard covers exactly one label', () => {
    expect(certificateNameCovers('www.example.com', 'www.example.com')).toBe(true);
    expect(certificateNameCovers('*.example.com', 'www.example.com')).toBe(true);
    expect(certificateNameCovers('*.example.com', 'example.com')).toBe(false);
    expect(certificateNameCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(certificateDomainProblem(CERTIFICATE, ['example.com', '*.example.com'], 'shop.example.com')).toBeUndefined();
    expect(certificateDomainProblem(CERTIFICATE, ['www.example.com'], undefined)).toBeUndefined();
    expect(certificateDomainProblem(CERTIFICATE, ['www.example.com'], 'shop.example.com')).toEqual({
      detail: `${CERTIFICATE} is for www.example.com, which does not cover shop.example.com (a wildcard like *.example.com covers one label: www.example.com, not example.com or a.b.example.com)`,
      fix: 'give a certificate for shop.example.com, or certificate: request to have ACM issue one, or correct loadBalancer.domain',
    });
  });

  it('pre-flight’s word on the domain: a DNS name, a wildcard only as the whole first label, at most 64 characters', () => {
    expect(requestDomainProblem('www.example.com')).toBeUndefined();
    expect(requestDomainProblem('*.example.com')).toBeUndefined();
    expect(requestDomainProblem(undefined)?.detail).toBe('certificate: request names no domain');
    expect(requestDomainProblem('w*w.example.com')).toEqual({
      detail: 'w*w.example.com is not a DNS name ACM can issue a certificate for (a wildcard is allowed only as the whole first label, like *.example.com)',
      fix: 'give the name in lower case, like www.example.com or *.example.com',
    });
    expect(requestDomainProblem(`${'a'.repeat(60)}.example.com`)?.detail).toMatch(/is 72 characters; ACM's first name of a certificate is at most 64$/);
    // A wildcard's validation record lives in its parent's zone.
    expect(validationZoneName('*.Example.com.')).toBe('example.com');
  });
});

describe('the panel', () => {
  it('says what stays the customer’s: listeners and TLS policy, keeping the validation record, every rule', () => {
    const edits = loadBalancerControl.panel?.(undefined, balanced({certificate: 'request', domain: 'www.example.com'})) ?? {};
    expect(edits['load-balancer']?.customer).toContain(TLS_POLICY);
    expect(edits['lb-certificate']?.customer).toContain('AWS renews the certificate as long as that record stays in place; keeping that record is yours.');
    expect(edits['chained-groups']?.customer).toContain('only from that group');
    const catalog = Object.fromEntries(loadBalancerControl.catalog.map((entry) => [entry.id, entry]));
    expect(catalog['load-balancer'].aws).toMatch(/scales/);
    expect(catalog['load-balancer'].aws).toMatch(/patches/);
    expect(catalog['lb-certificate'].aws).toMatch(/renews a certificate it issued/);
    expect(catalog['lb-certificate'].customer).toMatch(/DNS validation record/);
  });
});

describe('verification of the load balancer, judged from what AWS reports', () => {
  const state = (change: Partial<LoadBalancerState> = {}): LoadBalancerState => ({
    scheme: 'internet-facing',
    zones: ['us-east-1a', 'us-east-1b'],
    subnets: ['subnet-1', 'subnet-2'],
    groups: ['sg-lb'],
    attributes: {'routing.http.drop_invalid_header_fields.enabled': 'true', 'deletion_protection.enabled': 'true', 'access_logs.s3.enabled': 'false'},
    listeners: [{protocol: 'HTTP', port: 80, certificates: [], action: 'forward'}],
    targets: [{id: 'i-1', state: 'healthy'}],
    ...change,
  });

  it('passes what the plan made, and names each difference', () => {
    expect(judgeLoadBalancer(balanced(), state(), 'i-1').ok).toBe(true);
    const oneZone = judgeLoadBalancer(balanced(), state({zones: ['us-east-1a', 'us-east-1a']}), 'i-1');
    expect(oneZone).toMatchObject({ok: false, actual: expect.stringContaining('1 zone(s)') as unknown});
    expect(judgeLoadBalancer(balanced(), state({targets: []}), 'i-1').actual).toContain('instance not registered');
    expect(judgeLoadBalancer(balanced(), state({targets: [{id: 'i-1', state: 'unhealthy'}]}), 'i-1').ok).toBe(false);
    expect(judgeLoadBalancer(balanced({deletionProtection: false}), state(), 'i-1').actual).toContain('deletion protection true');
    expect(judgeLoadBalancer(balanced({certificate: CERTIFICATE}), state(), 'i-1').ok).toBe(false);
  });

  it('the certificate row: the chosen certificate under the TLS policy, 80 redirecting; information only without one', () => {
    const https = state({
      listeners: [
        {protocol: 'HTTPS', port: 443, sslPolicy: TLS_POLICY, certificates: [CERTIFICATE], action: 'forward'},
        {protocol: 'HTTP', port: 80, certificates: [], action: 'redirect', redirect: {protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301'}},
      ],
    });
    expect(judgeCertificate(balanced({certificate: CERTIFICATE}), https)).toMatchObject({ok: true, info: false});
    const oldPolicy = {...https, listeners: [{...https.listeners[0], sslPolicy: 'ELBSecurityPolicy-2016-08'}, https.listeners[1]]};
    expect(judgeCertificate(balanced({certificate: CERTIFICATE}), oldPolicy).ok).toBe(false);
    expect(judgeCertificate(balanced(), state())).toMatchObject({ok: true, info: true});
  });

  it('the certificate row of a requested certificate: on the listener, ISSUED, for the profile’s domain', () => {
    const requested = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    const https = state({
      listeners: [
        {protocol: 'HTTPS', port: 443, sslPolicy: TLS_POLICY, certificates: [requested], action: 'forward'},
        {protocol: 'HTTP', port: 80, certificates: [], action: 'redirect', redirect: {protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301'}},
      ],
    });
    const spec = balanced({certificate: 'request', domain: 'www.example.com'});
    const issued = judgeCertificate(spec, https, {arn: requested, status: 'ISSUED', domain: 'www.example.com'});
    expect(issued).toMatchObject({ok: true, expected: `HTTPS 443 with the requested certificate, ISSUED for www.example.com and ${TLS_POLICY}; HTTP 80 redirects to 443`});
    expect(issued.actual).toContain(`certificate ${requested} ISSUED for www.example.com`);
    expect(judgeCertificate(spec, https, {arn: requested, status: 'PENDING_VALIDATION', domain: 'www.example.com'}).ok).toBe(false);
    expect(judgeCertificate(spec, https, {arn: requested, status: 'ISSUED', domain: 'shop.example.com'}).ok).toBe(false);
    expect(judgeCertificate(spec, https, {arn: CERTIFICATE, status: 'ISSUED', domain: 'www.example.com'}).ok).toBe(false);
    expect(judgeCertificate(spec, https).ok).toBe(false);
  });

  it('the chained groups row fails a web rule that admits an address range', () => {
    const facts = {loadBalancerGroups: ['sg-lb'], instanceWebSources: ['sg-lb'], loadBalancerPorts: [80]};
    expect(judgeChainedGroups(balanced(), facts).ok).toBe(true);
    expect(judgeChainedGroups(balanced(), {...facts, instanceWebSources: ['sg-lb', '0.0.0.0/0']}).ok).toBe(false);
    expect(judgeChainedGroups(balanced({certificate: CERTIFICATE}), facts).ok).toBe(false);
  });
});

describe('load balancer and target group names', () => {
  const named = (name: string): LaunchSpec => ({...defaultSpec(), instance: {...defaultSpec().instance, name}});

  it('never hold two hyphens in a row or end in one, which CreateTargetGroup refuses', () => {
    // Cut at 22 characters this name ends in a hyphen, and the suffix would add another.
    expect(targetGroupName(named('web-lb-security-group-ingress'))).toBe('tandem-web-lb-security-group-tg');
    expect(loadBalancerName(named('shop__front end'))).toBe('tandem-shop-front-end');
    for (const name of ['web-lb-security-group-ingress', 'a_-_b', 'x'.repeat(40), 'ends-with-hyphen-', 'web.1']) {
      for (const made of [targetGroupName(named(name)), loadBalancerName(named(name))]) {
        expect(made, name).toMatch(/^[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$/);
        expect(made.length, name).toBeLessThanOrEqual(32);
      }
    }
  });
});

describe('where a load-balanced site answers', () => {
  const dns = 'tandem-web-1-1234567890.us-east-1.elb.amazonaws.com';
  it('HTTP at the load balancer’s name without a certificate; HTTPS with a note to point the domain at it with one', () => {
    expect(loadBalancedSite(balanced({}), dns)).toEqual({url: `http://${dns}/`});
    const https = loadBalancedSite(balanced({certificate: 'request', domain: 'www.example.com'}), dns);
    expect(https?.url).toBe(`https://${dns}/`);
    expect(https?.note).toBe(`The certificate is for www.example.com: point www.example.com at ${dns} (a CNAME, or a Route 53 alias record) and browse to it by that name.`);
    expect(loadBalancedSite(defaultSpec(), dns)).toBeUndefined();
  });
});

describe('the CloudFormation export of the load balancer', () => {
  it('tags the target group and the load balancer as the plan does', () => {
    const template = cloudFormationObject(balanced({}), {profile: 'web'});
    const tagged = Object.values(template.Resources).filter((resource) =>
      ['AWS::ElasticLoadBalancingV2::TargetGroup', 'AWS::ElasticLoadBalancingV2::LoadBalancer'].includes(String((resource as {Type?: string}).Type)),
    );
    expect(tagged).toHaveLength(2);
    for (const resource of tagged) {
      const tags = ((resource as {Properties: {Tags: Array<{Key: string}>}}).Properties.Tags ?? []).map((tag) => tag.Key);
      expect(tags).toContain('Name');
    }
  });
});
