// The checkers of the load balancer's verification row (docs/load-balancer.md section 1): Security
// Hub's ELB controls and Prowler's elbv2 checks that read an Application Load Balancer, with the
// load balancer as the spec predicts it. Checkov's load balancer checks read the template, which
// does not render the load balancer yet, so they are not listed here.
import {one, type Checker} from '../checker-kit.js';
import type {CheckerFacts, LoadBalancerFact} from '../checker-facts.js';
import {passIf, type Verdict} from '../checker-rules.js';
import {objects, resourcesOfType, type CfnTemplate} from '../checker-template.js';
import {loadBalancerOf, type LaunchSpec} from '../spec.js';

/** The policy every HTTPS listener tandem creates uses: TLS 1.3 with 1.2, forward secrecy only, post-quantum key exchange. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09';

/** The policies Prowler's elbv2_insecure_ssl_ciphers counts as secure (its own list, TLS 1.2 and up). */
const PROWLER_SECURE_POLICIES = [
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
];
/** Prowler's post-quantum policies (elbv2_listener_pqc_tls_enabled's default list; also secure to elbv2_insecure_ssl_ciphers). */
const PQ_POLICY = /^ELBSecurityPolicy-TLS13-1-[23](-(Res|Ext[012]))?(-FIPS)?-PQ-2025-09$/;

const isSecurePolicy = (policy: string | undefined) => policy !== undefined && (PROWLER_SECURE_POLICIES.includes(policy) || PQ_POLICY.test(policy));

/** The load balancer as the checkers will see it once launched. */
export function predictedLoadBalancerFact(spec: LaunchSpec): LoadBalancerFact | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb) return undefined;
  const https = lb.certificate !== 'none';
  return {
    id: 'load balancer (new)',
    scheme: 'internet-facing',
    zones: 2,
    dropInvalidHeaders: true,
    deletionProtection: lb.deletionProtection,
    accessLogs: lb.accessLogs !== false,
    // AWS's default; tandem leaves it.
    desyncMitigation: 'defensive',
    webAcl: false,
    // Its group admits the web ports from the world, never every port.
    openToWorldOnAllPorts: false,
    listeners: https
      ? [
          {protocol: 'HTTPS', port: 443, sslPolicy: TLS_POLICY, redirectsToHttps: false},
          {protocol: 'HTTP', port: 80, redirectsToHttps: true},
        ]
      : [{protocol: 'HTTP', port: 80, redirectsToHttps: false}],
  };
}

const perLoadBalancer = (judge: (lb: LoadBalancerFact) => Verdict) => (facts: CheckerFacts) => (facts.loadBalancer ? one(facts.loadBalancer.id, judge(facts.loadBalancer)) : undefined);
const tlsListeners = (lb: LoadBalancerFact) => lb.listeners.filter((listener) => listener.protocol === 'HTTPS');

const base = {row: 'load-balancer', evaluates: 'live', resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer'} as const;

/** Security Hub's controls of an Application Load Balancer (all Medium, on the ELB controls page). */
function securityHub(): Checker[] {
  return [
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.1',
      severity: 'medium',
      standards: ['FSBP', 'PCI DSS', 'NIST 800-53'],
      group: 'lb-https-redirect',
      title: 'Application Load Balancer should be configured to redirect all HTTP requests to HTTPS',
      rule: 'Fails a load balancer with an HTTP listener that does not redirect to HTTPS.',
      verdicts: perLoadBalancer((lb) => passIf(lb.listeners.every((listener) => listener.protocol !== 'HTTP' || listener.redirectsToHttps))),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.4',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      group: 'lb-invalid-headers',
      title: 'Application Load Balancer should be configured to drop invalid http headers',
      rule: 'Fails a load balancer whose routing.http.drop_invalid_header_fields.enabled is false.',
      verdicts: perLoadBalancer((lb) => passIf(lb.dropInvalidHeaders)),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.5',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      group: 'lb-access-logs',
      title: 'Application and Classic Load Balancers logging should be enabled',
      rule: 'Fails a load balancer without access logs to S3.',
      verdicts: perLoadBalancer((lb) => passIf(lb.accessLogs)),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.6',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      group: 'lb-deletion-protection',
      title: 'Application, Gateway, and Network Load Balancers should have deletion protection enabled',
      rule: 'Fails a load balancer whose deletion_protection.enabled is false.',
      verdicts: perLoadBalancer((lb) => passIf(lb.deletionProtection)),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.12',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      group: 'lb-desync',
      title: 'Application Load Balancer should be configured with defensive or strictest desync mitigation mode',
      rule: 'Fails a load balancer whose desync mitigation mode is monitor.',
      verdicts: perLoadBalancer((lb) => passIf(lb.desyncMitigation === 'defensive' || lb.desyncMitigation === 'strictest')),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.13',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      group: 'lb-zones',
      title: 'Application, Network and Gateway Load Balancers should span multiple Availability Zones',
      rule: 'Fails a load balancer in fewer than two Availability Zones.',
      verdicts: perLoadBalancer((lb) => passIf(lb.zones >= 2)),
    },
    {
      ...base,
      tool: 'Security Hub',
      id: 'ELB.16',
      severity: 'medium',
      standards: ['NIST 800-53'],
      group: 'lb-waf',
      title: 'Application Load Balancers should be associated with an AWS WAF web ACL',
      rule: 'Fails a load balancer no AWS WAF web ACL is associated with.',
      verdicts: perLoadBalancer((lb) => passIf(lb.webAcl)),
    },
  ];
}

/** Prowler's elbv2 checks that read an Application Load Balancer (severities from their metadata). */
function prowlerChecks(): Checker[] {
  const check = (id: string, severity: 'medium' | 'low', group: string, title: string, rule: string, judge: (lb: LoadBalancerFact) => boolean): Checker => ({
    ...base,
    tool: 'Prowler',
    id,
    severity,
    group,
    title,
    rule,
    verdicts: perLoadBalancer((lb) => passIf(judge(lb))),
  });
  return [
    check(
      'elbv2_ssl_listeners',
      'medium',
      'lb-https-redirect',
      'ELBv2 Application Load Balancer listeners use HTTPS or redirect HTTP to HTTPS',
      'Fails an HTTP listener that does not redirect to HTTPS.',
      (lb) => lb.listeners.every((listener) => listener.protocol !== 'HTTP' || listener.redirectsToHttps),
    ),
    check(
      'elbv2_alb_drop_invalid_header_fields_enabled',
      'medium',
      'lb-invalid-headers',
      'Application Load Balancer should be configured to drop invalid HTTP header fields',
      'Fails when invalid header fields are passed on.',
      (lb) => lb.dropInvalidHeaders,
    ),
    check('elbv2_logging_enabled', 'medium', 'lb-access-logs', 'ELBv2 Application Load Balancer has access logs to S3 configured', 'Fails without access logs.', (lb) => lb.accessLogs),
    check(
      'elbv2_deletion_protection',
      'medium',
      'lb-deletion-protection',
      'ELBv2 load balancer has deletion protection enabled',
      'Fails without deletion protection.',
      (lb) => lb.deletionProtection,
    ),
    check(
      'elbv2_desync_mitigation_mode',
      'medium',
      'lb-desync',
      'Application Load Balancer has desync mitigation mode set to strictest or defensive, or drops invalid header fields',
      'Fails in monitor mode unless invalid header fields are dropped.',
      (lb) => lb.desyncMitigation !== 'monitor' || lb.dropInvalidHeaders,
    ),
    check('elbv2_is_in_multiple_az', 'medium', 'lb-zones', 'ELBv2 load balancer is configured across multiple Availability Zones', 'Fails in fewer than two zones.', (lb) => lb.zones >= 2),
    check('elbv2_waf_acl_attached', 'medium', 'lb-waf', 'Application Load Balancer has a WAF Web ACL attached', 'Fails without a web ACL.', (lb) => lb.webAcl),
    check(
      'elbv2_listeners_underneath',
      'medium',
      'lb-listeners',
      'ELBv2 load balancer has at least one listener',
      'Fails a load balancer without a listener.',
      (lb) => lb.listeners.length > 0,
    ),
    check(
      'elbv2_internet_facing',
      'medium',
      'lb-internet-facing',
      'Application Load Balancer is not publicly accessible (no inbound TCP from 0.0.0.0/0 or ::/0)',
      // elbv2_internet_facing.py asks check_security_group(rule, 'tcp', any_address=True) with no
      // ports: only a rule for every port (or all traffic) from the world is "public" to it.
      'Fails an internet-facing load balancer whose group admits every TCP port from 0.0.0.0/0 or ::/0; a group open to the world on the web ports only passes.',
      (lb) => !(lb.scheme === 'internet-facing' && lb.openToWorldOnAllPorts),
    ),
    check(
      'elbv2_insecure_ssl_ciphers',
      'medium',
      'lb-tls-policy',
      'ELBv2 load balancer uses a secure SSL policy on HTTPS listeners',
      'Fails an HTTPS listener whose policy is not on its list of secure ones (TLS 1.2 and up).',
      (lb) => tlsListeners(lb).every((listener) => isSecurePolicy(listener.sslPolicy)),
    ),
    check(
      'elbv2_listener_pqc_tls_enabled',
      'low',
      'lb-tls-pq',
      'ELBv2 HTTPS/TLS listeners use a post-quantum TLS security policy',
      'Fails an HTTPS listener whose policy is not one of the 2025-09 post-quantum policies.',
      (lb) => tlsListeners(lb).every((listener) => PQ_POLICY.test(listener.sslPolicy ?? '')),
    ),
    check(
      'elbv2_listener_fips_tls_enabled',
      'low',
      'lb-tls-fips',
      'ELBv2 HTTPS/TLS listeners use a FIPS TLS security policy',
      'Fails an HTTPS listener whose policy is not a FIPS one.',
      (lb) => tlsListeners(lb).every((listener) => (listener.sslPolicy ?? '').split('-').includes('FIPS')),
    ),
  ];
}

/** A listener's first default action redirects to HTTPS (how checkov reads a redirect). */
function redirectsToHttps(properties: Record<string, unknown>): boolean {
  return objects(properties.DefaultActions).some((action) => (action.RedirectConfig as {Protocol?: unknown} | undefined)?.Protocol === 'HTTPS');
}

/** CKV_AWS_103's accepted policy prefixes for an HTTPS listener (ALBListenerTLS12.py). */
const CHECKOV_TLS12_PREFIXES = ['ELBSecurityPolicy-FS-1-2', 'ELBSecurityPolicy-TLS-1-2', 'ELBSecurityPolicy-TLS13-1-2', 'ELBSecurityPolicy-TLS13-1-3'];

const attributeTrue = (properties: Record<string, unknown>, key: string) =>
  objects(properties.LoadBalancerAttributes).some((attribute) => attribute.Key === key && String(attribute.Value).toLowerCase() === 'true');

/** checkov's CloudFormation checks of the load balancer and its listeners, as its source reads them. */
function checkovChecks(): Checker[] {
  const template = {row: 'load-balancer', evaluates: 'template', tool: 'Checkov', severity: 'unrated'} as const;
  const listeners = (judge: (properties: Record<string, unknown>) => boolean) => (cfn: CfnTemplate) =>
    resourcesOfType(cfn, 'AWS::ElasticLoadBalancingV2::Listener').map((listener) => ({resource: listener.name, verdict: passIf(judge(listener.properties))}));
  const balancers = (judge: (properties: Record<string, unknown>) => boolean) => (cfn: CfnTemplate) =>
    resourcesOfType(cfn, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map((lb) => ({resource: lb.name, verdict: passIf(judge(lb.properties))}));
  return [
    {
      // ALBListenerHTTPS.py: HTTPS (or TLS, TCP, UDP) passes; HTTP passes only when its first default action redirects to HTTPS.
      ...template,
      id: 'CKV_AWS_2',
      group: 'lb-https-redirect',
      title: 'Ensure ALB protocol is HTTPS',
      resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
      rule: 'Fails an HTTP listener that does not redirect to HTTPS.',
      verdicts: listeners((properties) => properties.Protocol !== 'HTTP' || redirectsToHttps(properties)),
    },
    {
      // ALBListenerTLS12.py: an HTTPS listener needs a TLS 1.2-or-newer policy; an HTTP one passes only when it redirects to HTTPS.
      ...template,
      id: 'CKV_AWS_103',
      group: 'lb-tls-policy',
      title: 'Ensure that Load Balancer Listener is using at least TLS v1.2',
      resourceType: 'AWS::ElasticLoadBalancingV2::Listener',
      rule: 'Fails an HTTPS listener without a TLS 1.2 or 1.3 policy, and an HTTP listener that does not redirect to HTTPS.',
      verdicts: listeners((properties) =>
        properties.Protocol === 'HTTPS'
          ? CHECKOV_TLS12_PREFIXES.some((prefix) => typeof properties.SslPolicy === 'string' && properties.SslPolicy.startsWith(prefix))
          : redirectsToHttps(properties),
      ),
    },
    {
      // ELBv2AccessLogs.py: access_logs.s3.enabled must be true in LoadBalancerAttributes.
      ...template,
      id: 'CKV_AWS_91',
      group: 'lb-access-logs',
      title: 'Ensure the ELBv2 (Application/Network) has access logging enabled',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      rule: 'Fails a load balancer whose attributes do not turn access logs on.',
      verdicts: balancers((properties) => attributeTrue(properties, 'access_logs.s3.enabled')),
    },
    {
      // ALBDropHttpHeaders.py: an application load balancer must set routing.http.drop_invalid_header_fields.enabled true.
      ...template,
      id: 'CKV_AWS_131',
      group: 'lb-invalid-headers',
      title: 'Ensure that ALB drops HTTP headers',
      resourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      rule: 'Fails an application load balancer that does not drop invalid header fields.',
      verdicts: balancers((properties) => attributeTrue(properties, 'routing.http.drop_invalid_header_fields.enabled')),
    },
  ];
}

export const loadBalancerCheckers: Checker[] = [...securityHub(), ...prowlerChecks(), ...checkovChecks()];
