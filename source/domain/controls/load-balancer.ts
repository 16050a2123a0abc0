// The web tier in layers (docs/load-balancer.md): an internet-facing Application Load Balancer in
// two public subnets of a new VPC (or of an existing one, load-balancer-placement.ts), the
// instance in a private subnet without a public address,
// and security groups chained so the instance's web port admits only the load balancer's group.
// Three controls: the load balancer (AWS runs and scales it; its listeners and TLS policy are the
// customer's), its certificate (ACM renews what it issued; the customer keeps the DNS validation
// record), and the chained groups (AWS enforces them; the customer writes every rule).
//
// The choice is the network screen's Web traffic list (load-balancer-choice.ts) and the profile
// field `loadBalancer`; the wizard keeps its 12 steps. Absent or false, nothing here adds a step, a finding or a panel line, and the
// launch is the direct one it always was.
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';
import {checkov, hub, prowler} from './control.js';
import {loadBalancerCheckers, TLS_POLICY} from './load-balancer-checkers.js';
import type {EndpointFact} from '../checker-facts.js';
import {cidrOverlaps, parseCidr} from '../cidr.js';
import {booleanRule, show, type FieldRules} from '../field-rules.js';
import {partitionOf} from '../partition.js';
import {INSTANCE_ID, PLAN_STEP} from '../plan-ids.js';
import {newVpcCidrs, PACKAGE_ENDPOINT_STEP} from '../plan-network.js';
import {tagList, tagSpecifications} from '../plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from '../plan-types.js';
import {loadBalancerOf, type LaunchSpec, type LoadBalancerSpec, type NetworkSpec} from '../spec.js';

export {TLS_POLICY};

/** What `loadBalancer: {}` means: HTTP only, deletion protection on, no access logs. */
export const LOAD_BALANCER_DEFAULTS: Readonly<LoadBalancerSpec> = {certificate: 'none', deletionProtection: true, accessLogs: false};
/** Where a load-balanced instance goes unless the profile says otherwise: a new VPC's private subnet, no public address. */
export const LOAD_BALANCED_NETWORK: Readonly<Pick<NetworkSpec, 'vpc' | 'subnet' | 'publicIp'>> = {vpc: 'new', subnet: 'private', publicIp: false};

export const LB_STEP = {
  group: 'lb-security-group',
  groupIngress: 'lb-security-group-ingress',
  targetGroup: 'target-group',
  loadBalancer: 'load-balancer',
  attributes: 'load-balancer-attributes',
  httpListener: 'listener-http',
  httpsListener: 'listener-https',
  register: 'register-target',
  certificate: 'certificate',
  certificateRecord: 'certificate-validation-record',
  certificateIssued: 'certificate-issued',
} as const;

/** The requested certificate's ARN, as the HTTPS listener and the wait take it. */
export const REQUESTED_CERTIFICATE_ARN: StepRef = {ref: LB_STEP.certificate, output: 'CertificateArn'};
/** RequestCertificate's idempotency token: the launch's client token, letters and digits only (ACM allows 32 of them). */
export const CERTIFICATE_TOKEN: StepRef = {ref: '$launch', output: 'idempotencyToken'};
/** How long a validation record tandem writes is cached (seconds). */
export const VALIDATION_RECORD_TTL = 300;
/** How long a launch waits for ACM to issue a requested certificate unless the profile says otherwise. */
export const DEFAULT_VALIDATION_WAIT_MINUTES = 10;

/** The record ACM asks for to prove the domain is yours. */
export interface ValidationRecord {
  name: string;
  type: string;
  value: string;
}

/** The name whose zone holds the validation record: a wildcard's record lives in its parent's zone. */
export const validationZoneName = (domain: string): string => domain.replace(/^\*\./, '').replace(/\.$/, '').toLowerCase();

/** Seconds the launch waits for ISSUED: the profile's minutes, or the default. */
export const validationWaitSeconds = (lb: LoadBalancerSpec): number => Math.round((lb.validationWaitMinutes ?? DEFAULT_VALIDATION_WAIT_MINUTES) * 60);

/** The port the instance serves on; TLS ends at the load balancer. */
export const TARGET_PORT = 80;

/**
 * Load balancer and target group names: 1–32 letters, digits and hyphens, no hyphen at either end,
 * and no two in a row (an instance named `web_1` or cut after a hyphen would otherwise give `--`,
 * which CreateTargetGroup refuses).
 */
function elbName(text: string): string {
  const squeeze = (name: string) =>
    name
      .replace(/[^a-zA-Z0-9-]/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '');
  return squeeze(squeeze(text).slice(0, 32));
}
export const loadBalancerName = (spec: LaunchSpec): string => elbName(`tandem-${spec.instance.name}`);
export const targetGroupName = (spec: LaunchSpec): string => elbName(`tandem-${elbName(spec.instance.name).slice(0, 22)}-tg`);
export const loadBalancerGroupName = (spec: LaunchSpec): string => `${spec.securityGroup.name || 'web-sg'}-lb`;

/** True when the listeners terminate TLS: a certificate ARN, or one tandem requests. */
export const servesHttps = (lb: LoadBalancerSpec): boolean => lb.certificate !== 'none';

/** The load balancer's group reference the instance's web rule admits (security-group.ts uses it). */
export const LB_GROUP_ID: StepRef = {ref: LB_STEP.group, output: 'GroupId'};
/** How the instance's web rule's source reads where a CIDR would be. */
export const LB_GROUP_SOURCE = "the load balancer's security group";

// ---------------------------------------------------------------------------------------------
// Validation

const ACM_ARN = /^arn:([a-z-]+):acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function certificate(value: unknown, spec: LaunchSpec): string | undefined {
  if (!loadBalancerOf(spec)) return undefined;
  if (value === 'none' || value === 'request') return undefined;
  const match = typeof value === 'string' ? ACM_ARN.exec(value) : null;
  if (!match) return `Certificate ${show(value)} is not valid; expected 'none', 'request' or an ACM certificate ARN like arn:aws:acm:${spec.region}:123456789012:certificate/…`;
  if (match[2] !== spec.region) return `Certificate ${show(value)} is in ${match[2]}; a load balancer in ${spec.region} can only use an ACM certificate of its own region.`;
  if (match[1] !== partitionOf(spec.region)) return `Certificate ${show(value)} names partition ${match[1]}; ${spec.region} is in ${partitionOf(spec.region)}.`;
  return undefined;
}

function domain(value: unknown, spec: LaunchSpec): string | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb) return undefined;
  if (value === undefined) return lb.certificate === 'request' ? 'certificate: request needs a domain, the name ACM issues the certificate for, like www.example.com.' : undefined;
  if (typeof value !== 'string' || value.length > 253 || !DNS_NAME.test(value)) return `Domain ${show(value)} is not a DNS name; expected something like www.example.com (lower case).`;
  return undefined;
}

function validationWait(value: unknown, spec: LaunchSpec): string | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb || value === undefined) return undefined;
  if (lb.certificate !== 'request') return 'validationWaitMinutes is used only with certificate: request; remove it.';
  // ACM gives up on a DNS validation after 72 hours.
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 72 * 60)
    return `Validation wait ${show(value)} must be a number of minutes above 0 and at most 4320 (ACM stops waiting for the record after 72 hours).`;
  return undefined;
}

function accessLogs(value: unknown, spec: LaunchSpec): string | undefined {
  if (!loadBalancerOf(spec) || value === false) return undefined;
  if (typeof value === 'string' && BUCKET.test(value) && !value.includes('..')) return undefined;
  return `Access logs ${show(value)} must be false or the name of an S3 bucket in ${spec.region}, like my-elb-logs.`;
}

/** The second public subnet's block, in the VPC and apart from the other two. */
function subnetBlocksProblem(spec: LaunchSpec): string | undefined {
  const cidrs = newVpcCidrs(spec.network, true);
  const second = cidrs.secondPublicSubnet ? parseCidr(cidrs.secondPublicSubnet) : undefined;
  if (!second?.ok) return `VPC ${cidrs.vpc} is too small for the load balancer's second public subnet; use a /25 or larger, like 10.0.0.0/16.`;
  if (second.cidr.prefix > 27) return `The load balancer's subnets would be /${second.cidr.prefix}; AWS needs /27 or larger for a load balancer. Use a VPC block of /25 or larger.`;
  for (const other of [cidrs.publicSubnet, cidrs.privateSubnet]) {
    const parsed = other ? parseCidr(other) : undefined;
    if (parsed?.ok && cidrOverlaps(parsed.cidr, second.cidr))
      return `The second public subnet ${second.cidr.text} overlaps ${parsed.cidr.text}; leave the subnet blocks to tandem or choose blocks outside it.`;
  }
  return undefined;
}

/** What the rest of the spec must say for the instance to sit behind the load balancer. */
function placement(_value: unknown, spec: LaunchSpec): string | undefined {
  if (!loadBalancerOf(spec)) return undefined;
  const {network, securityGroup} = spec;
  // In an existing VPC (or the default one) pre-flight finds the subnets (load-balancer-placement.ts).
  if (network.vpc !== 'new' && network.subnet !== 'private' && !network.subnet.startsWith('subnet-'))
    return 'Behind a load balancer the instance goes in a private subnet: set network.subnet: private (tandem picks one of the VPC) or to the id of a private subnet.';
  if (network.vpc === 'new' && network.subnet !== 'private') return 'Behind a load balancer the instance goes in the private subnet: set network.subnet: private.';
  if (network.publicIp) return 'Behind a load balancer the instance takes no public address: set network.publicIp: false.';
  if (securityGroup.mode !== 'create') return "Behind a load balancer tandem writes the instance's web rule itself: set securityGroup.mode: create.";
  if (securityGroup.http === false) return 'The load balancer listens on port 80: securityGroup.http gives the addresses its group admits (0.0.0.0/0 for everyone); it cannot be false.';
  if (securityGroup.https !== false) return "Behind a load balancer securityGroup.https is not used: the load balancer's group opens 443 when it has a certificate. Set it to false.";
  return network.vpc === 'new' ? subnetBlocksProblem(spec) : undefined;
}

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

/** The load balancer's two subnets, when the profile names them: only in an existing VPC. */
function namedSubnets(value: unknown, spec: LaunchSpec): string | undefined {
  if (value === undefined) return undefined;
  if (!loadBalancerOf(spec) || spec.network.vpc === 'new')
    return "network.loadBalancerSubnets names the load balancer's subnets in an existing VPC; remove it (a new VPC gets its own, and without loadBalancer there is none).";
  const ids = Array.isArray(value) ? (value as unknown[]) : [];
  if (ids.length !== 2 || !ids.every((id) => typeof id === 'string' && SUBNET_ID.test(id)) || ids[0] === ids[1])
    return `network.loadBalancerSubnets ${show(value)} must be two different subnet ids, like [subnet-0abc1234, subnet-0def5678], public and in two zones.`;
  return undefined;
}

const rules: FieldRules = {
  loadBalancer: placement,
  'network.loadBalancerSubnets': namedSubnets,
  'loadBalancer.certificate': certificate,
  'loadBalancer.domain': domain,
  'loadBalancer.validationWaitMinutes': validationWait,
  'loadBalancer.deletionProtection': (value, spec) => (loadBalancerOf(spec) ? booleanRule('Deletion protection')(value, spec) : undefined),
  'loadBalancer.accessLogs': accessLogs,
};

// ---------------------------------------------------------------------------------------------
// Plan steps

/** The load balancer's group: the web ports from the addresses securityGroup.http names (the world by default). */
function groupSteps(spec: LaunchSpec, lb: LoadBalancerSpec, {vpcStep, vpcId}: PlanContext['network']): PlanStep[] {
  const name = loadBalancerGroupName(spec);
  const source = String(spec.securityGroup.http);
  const parsed = parseCidr(source);
  const v6 = parsed.ok ? parsed.cidr.version === 6 : source.includes(':');
  const cidr = parsed.ok ? parsed.cidr.text : source;
  const ports = servesHttps(lb) ? [80, 443] : [80];
  const permission = (port: number): ParamValue => {
    const Description = port === 443 ? 'HTTPS to the load balancer' : 'HTTP to the load balancer';
    return {IpProtocol: 'tcp', FromPort: port, ToPort: port, ...(v6 ? {Ipv6Ranges: [{CidrIpv6: cidr, Description}]} : {IpRanges: [{CidrIp: cidr, Description}]})};
  };
  return [
    {
      id: LB_STEP.group,
      service: 'ec2',
      action: 'CreateSecurityGroup',
      params: {
        GroupName: name,
        Description: `Load balancer of ${spec.instance.name.replace(/[^a-zA-Z0-9 ._-]/g, '-')}, managed by tandem`,
        VpcId: vpcId,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group', name}]),
      },
      creates: ['security-group'],
      dependsOn: [vpcStep],
      controls: ['chained-groups'],
      dryRunnable: true,
      summary: `Create security group ${name} for the load balancer`,
    },
    {
      id: LB_STEP.groupIngress,
      service: 'ec2',
      action: 'AuthorizeSecurityGroupIngress',
      params: {GroupId: LB_GROUP_ID, IpPermissions: ports.map(permission), TagSpecifications: tagSpecifications(spec, [{type: 'security-group-rule', name}])},
      creates: [],
      dependsOn: [LB_STEP.group],
      controls: ['chained-groups'],
      dryRunnable: true,
      summary: `Allow inbound ${ports.join(' and ')} from ${cidr} to the load balancer`,
    },
  ];
}

function targetGroupStep(spec: LaunchSpec, {vpcStep, vpcId}: PlanContext['network']): PlanStep {
  const name = targetGroupName(spec);
  return {
    id: LB_STEP.targetGroup,
    service: 'elbv2',
    action: 'CreateTargetGroup',
    params: {
      Name: name,
      Protocol: 'HTTP',
      Port: TARGET_PORT,
      VpcId: vpcId,
      TargetType: 'instance',
      HealthCheckEnabled: true,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/',
      Matcher: {HttpCode: '200-399'},
      Tags: tagList(spec, name),
    },
    creates: ['target-group'],
    dependsOn: [vpcStep],
    controls: ['load-balancer'],
    dryRunnable: false,
    summary: `Create target group ${name} (HTTP ${TARGET_PORT}, health check GET /)`,
  };
}

/** The load balancer and the attributes tandem sets on it. */
function balancerSteps(spec: LaunchSpec, lb: LoadBalancerSpec, network: PlanContext['network']): PlanStep[] {
  const name = loadBalancerName(spec);
  const arn: StepRef = {ref: LB_STEP.loadBalancer, output: 'LoadBalancers.0.LoadBalancerArn'};
  const attributes: ParamValue[] = [
    {Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true'},
    {Key: 'deletion_protection.enabled', Value: String(lb.deletionProtection)},
    ...(lb.accessLogs === false
      ? []
      : [
          {Key: 'access_logs.s3.enabled', Value: 'true'},
          {Key: 'access_logs.s3.bucket', Value: lb.accessLogs},
          {Key: 'access_logs.s3.prefix', Value: name},
        ]),
  ];
  return [
    {
      id: LB_STEP.loadBalancer,
      service: 'elbv2',
      action: 'CreateLoadBalancer',
      params: {
        Name: name,
        Type: 'application',
        Scheme: 'internet-facing',
        IpAddressType: 'ipv4',
        Subnets: network.loadBalancerSubnets ?? [],
        SecurityGroups: [LB_GROUP_ID],
        Tags: tagList(spec, name),
      },
      creates: ['load-balancer'],
      // An internet-facing load balancer needs its subnets routed to an attached internet gateway.
      dependsOn: [LB_STEP.group, ...(network.loadBalancerReady ?? [])],
      controls: ['load-balancer'],
      dryRunnable: false,
      summary: `Create internet-facing Application Load Balancer ${name} in the two public subnets`,
    },
    {
      id: LB_STEP.attributes,
      service: 'elbv2',
      action: 'ModifyLoadBalancerAttributes',
      params: {LoadBalancerArn: arn, Attributes: attributes},
      creates: [],
      dependsOn: [LB_STEP.loadBalancer],
      controls: ['load-balancer'],
      dryRunnable: false,
      summary: `Drop invalid header fields; deletion protection ${lb.deletionProtection ? 'on' : 'off'}; access logs ${lb.accessLogs === false ? 'off' : `to s3://${lb.accessLogs}`}`,
    },
  ];
}

/**
 * `certificate: request`: ACM is asked for a certificate for the domain, validated by DNS; the
 * validation record goes into the account's Route 53 zone for the domain when there is one (else
 * the operator is told the record to create); the launch then waits, bounded, for ISSUED. These
 * steps depend on nothing else, so the wait runs while the network and the instance are built.
 */
function certificateSteps(spec: LaunchSpec, lb: LoadBalancerSpec): PlanStep[] {
  if (lb.certificate !== 'request' || !lb.domain) return [];
  const domainName = lb.domain;
  const minutes = validationWaitSeconds(lb) / 60;
  return [
    {
      id: LB_STEP.certificate,
      service: 'acm',
      action: 'RequestCertificate',
      params: {DomainName: domainName, ValidationMethod: 'DNS', IdempotencyToken: CERTIFICATE_TOKEN, Tags: tagList(spec, domainName)},
      creates: ['certificate'],
      dependsOn: [],
      controls: ['lb-certificate'],
      dryRunnable: false,
      summary: `Ask ACM for a certificate for ${domainName}, validated by DNS`,
    },
    {
      id: LB_STEP.certificateRecord,
      service: 'route53',
      // tandem's own step (source/aws/certificate.ts): DescribeCertificate until ACM names the
      // record, ListHostedZonesByName, then ChangeResourceRecordSets UPSERT, or the record printed.
      action: 'WriteValidationRecord',
      params: {CertificateArn: REQUESTED_CERTIFICATE_ARN, DomainName: domainName},
      creates: ['dns-record'],
      dependsOn: [LB_STEP.certificate],
      controls: ['lb-certificate'],
      dryRunnable: false,
      summary: `Write the DNS validation record into the Route 53 zone of ${validationZoneName(domainName)}, or show the record to create`,
    },
    {
      id: LB_STEP.certificateIssued,
      service: 'acm',
      action: 'WaitUntilCertificateValidated',
      params: {CertificateArn: REQUESTED_CERTIFICATE_ARN},
      creates: [],
      dependsOn: [LB_STEP.certificateRecord],
      controls: ['lb-certificate'],
      dryRunnable: false,
      summary: `Wait up to ${minutes} minute${minutes === 1 ? '' : 's'} for ACM to issue the certificate`,
    },
  ];
}

/** Without a certificate 80 forwards; with one 443 forwards under the TLS policy and 80 redirects to it. */
function listenerSteps(lb: LoadBalancerSpec): PlanStep[] {
  const arn: StepRef = {ref: LB_STEP.loadBalancer, output: 'LoadBalancers.0.LoadBalancerArn'};
  const forward: ParamValue = {Type: 'forward', TargetGroupArn: {ref: LB_STEP.targetGroup, output: 'TargetGroups.0.TargetGroupArn'}};
  const dependsOn = [LB_STEP.loadBalancer, LB_STEP.targetGroup];
  if (!servesHttps(lb))
    return [
      {
        id: LB_STEP.httpListener,
        service: 'elbv2',
        action: 'CreateListener',
        params: {LoadBalancerArn: arn, Protocol: 'HTTP', Port: 80, DefaultActions: [forward]},
        creates: ['listener'],
        dependsOn,
        controls: ['load-balancer'],
        dryRunnable: false,
        summary: 'Listen on HTTP 80 and forward to the target group (no certificate: unencrypted)',
      },
    ];
  const redirect: ParamValue = {Type: 'redirect', RedirectConfig: {Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301'}};
  const requested = lb.certificate === 'request';
  return [
    {
      id: LB_STEP.httpsListener,
      service: 'elbv2',
      action: 'CreateListener',
      params: {
        LoadBalancerArn: arn,
        Protocol: 'HTTPS',
        Port: 443,
        SslPolicy: TLS_POLICY,
        Certificates: [{CertificateArn: requested ? REQUESTED_CERTIFICATE_ARN : lb.certificate}],
        DefaultActions: [forward],
      },
      creates: ['listener'],
      // A listener takes only an ISSUED certificate: a requested one is waited for first.
      dependsOn: requested ? [...dependsOn, LB_STEP.certificate, LB_STEP.certificateIssued] : dependsOn,
      controls: ['load-balancer', 'lb-certificate'],
      dryRunnable: false,
      summary: `Listen on HTTPS 443 with ${TLS_POLICY} and forward to the target group`,
    },
    {
      id: LB_STEP.httpListener,
      service: 'elbv2',
      action: 'CreateListener',
      params: {LoadBalancerArn: arn, Protocol: 'HTTP', Port: 80, DefaultActions: [redirect]},
      creates: ['listener'],
      dependsOn: [LB_STEP.loadBalancer],
      controls: ['load-balancer'],
      dryRunnable: false,
      summary: 'Listen on HTTP 80 and redirect every request to HTTPS 443 (301)',
    },
  ];
}

function registerStep(): PlanStep {
  return {
    id: LB_STEP.register,
    service: 'elbv2',
    action: 'RegisterTargets',
    params: {TargetGroupArn: {ref: LB_STEP.targetGroup, output: 'TargetGroups.0.TargetGroupArn'}, Targets: [{Id: INSTANCE_ID, Port: TARGET_PORT}]},
    creates: [],
    dependsOn: [LB_STEP.targetGroup, PLAN_STEP.waitRunning],
    controls: ['load-balancer'],
    dryRunnable: false,
    summary: `Register the instance in the target group on port ${TARGET_PORT}`,
  };
}

/** Every step the load balancer adds; none without one. */
export function loadBalancerPlanSteps(spec: LaunchSpec, context: PlanContext): PlanStep[] {
  const lb = loadBalancerOf(spec);
  if (!lb) return [];
  return [
    ...certificateSteps(spec, lb),
    ...groupSteps(spec, lb, context.network),
    targetGroupStep(spec, context.network),
    ...balancerSteps(spec, lb, context.network),
    ...listenerSteps(lb),
    registerStep(),
  ];
}

/**
 * Said before destroy asks to remove a launch: its load balancer's deletion protection is on, and
 * removing it turns the protection off first (AWS refuses DeleteLoadBalancer otherwise).
 */
export function deletionProtectionNotice(spec: LaunchSpec, resources: ReadonlyArray<{kind: string; id: string}>): string | undefined {
  const lb = loadBalancerOf(spec);
  const recorded = resources.find((resource) => resource.kind === 'load-balancer');
  if (!lb?.deletionProtection || !recorded) return undefined;
  return `Load balancer ${loadBalancerName(spec)} has deletion protection on: removing it turns the protection off first.`;
}

/** True when the instance's private subnet reaches Amazon Linux's repositories through the S3 gateway endpoint tandem adds. */
export const packagesThroughEndpoint = (spec: LaunchSpec): boolean => loadBalancerOf(spec) !== undefined && spec.network.vpc === 'new';

/** The S3 gateway endpoint as the VPC checkers will see it: anyone may read the repositories through it. */
export function packageEndpointFact(spec: LaunchSpec): EndpointFact | undefined {
  if (!packagesThroughEndpoint(spec)) return undefined;
  return {id: `${PACKAGE_ENDPOINT_STEP} (new)`, serviceName: `com.amazonaws.${spec.region}.s3`, type: 'Gateway', subnetCount: 0, openToAnyAccount: true};
}

/** What an Application Load Balancer costs in US East (N. Virginia), as AWS lists it; other regions differ. */
export const LB_HOURLY_USD = 0.0225;
export const LB_LCU_HOURLY_USD = 0.008;
export const LOAD_BALANCER_COST = `about $${LB_HOURLY_USD} an hour (some $${Math.round(LB_HOURLY_USD * 730)} a month) plus $${LB_LCU_HOURLY_USD} per LCU-hour of traffic, in us-east-1; the S3 gateway endpoint is free`;

/** The review's line for the load balancer, with its cost; undefined without one. */
export function loadBalancerSummary(spec: LaunchSpec): string | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb) return undefined;
  // ACM charges nothing for a public certificate it issues; the record goes into a zone the account already pays for, if any.
  const requested = lb.certificate === 'request' ? ` with a certificate ACM issues for ${lb.domain ?? '?'} (public certificates are free)` : '';
  const listeners = servesHttps(lb) ? `HTTPS 443 (${TLS_POLICY})${requested}, HTTP 80 redirecting` : 'HTTP 80 only, no certificate';
  return `new internet-facing ${loadBalancerName(spec)} in two zones: ${listeners}; deletion protection ${lb.deletionProtection ? 'on' : 'off'}; access logs ${lb.accessLogs === false ? 'off' : `to ${lb.accessLogs}`}; ${LOAD_BALANCER_COST}`;
}

/** The review's firewall line behind a load balancer: the two chained groups. */
export function chainedGroupsSummary(spec: LaunchSpec, ssh: string): string | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb) return undefined;
  return `new ${loadBalancerGroupName(spec)}: ${servesHttps(lb) ? 'HTTP and HTTPS' : 'HTTP'} from ${String(spec.securityGroup.http)}; new ${spec.securityGroup.name}: HTTP from ${loadBalancerGroupName(spec)} only, ${ssh}`;
}

/**
 * Where a launched load-balanced site answers: the load balancer's DNS name, over HTTPS when it
 * has a certificate. The certificate names the operator's domain, not AWS's name, so the note says
 * to point the domain at the load balancer (tandem creates no record for the site itself).
 */
export function loadBalancedSite(spec: LaunchSpec, dns: string): {url: string; note?: string} | undefined {
  const lb = loadBalancerOf(spec);
  if (!lb) return undefined;
  if (!servesHttps(lb)) return {url: `http://${dns}/`};
  const domain = lb.domain ? `${lb.domain}` : 'your domain';
  return {url: `https://${dns}/`, note: `The certificate is for ${domain}: point ${domain} at ${dns} (a CNAME, or a Route 53 alias record) and browse to it by that name.`};
}

/**
 * Pre-flight's word on a certificate ARN as ACM describes it: a listener takes only an ISSUED
 * certificate (AWS answers UnsupportedCertificate otherwise), so anything else stops the launch
 * before the first create. Undefined when it can be used.
 */
export function certificateStatusProblem(arn: string, status: string | undefined): {detail: string; fix: string} | undefined {
  if (status === 'ISSUED') return undefined;
  if (status === undefined)
    return {detail: `${arn} is not a certificate ACM knows in this account and region`, fix: 'give the ARN of an ACM certificate in the launch region, or certificate: none'};
  const fix =
    status === 'PENDING_VALIDATION'
      ? 'create the DNS validation record ACM asks for (aws acm describe-certificate shows it) and launch once the certificate is ISSUED'
      : 'request or import a current certificate and give its ARN';
  return {detail: `${arn} is ${status}; a listener needs an ISSUED certificate`, fix};
}

const CERTIFICATE_WHERE = /^arn:[a-z-]+:acm:([a-z0-9-]+):(\d{12}):/;
/** True when a certificate name covers `domain`: the same name, or a wildcard for exactly one more label. */
export function certificateNameCovers(name: string, domain: string): boolean {
  const [certName, wanted] = [name.toLowerCase().replace(/\.$/, ''), domain.toLowerCase().replace(/\.$/, '')];
  if (certName === wanted) return true;
  if (!certName.startsWith('*.')) return false;
  const dot = wanted.indexOf('.');
  return dot > 0 && !wanted.startsWith('*.') && wanted.slice(dot + 1) === certName.slice(2);
}

/**
 * Pre-flight's word on a certificate ARN given with a `domain`: one of its names must cover the
 * domain (browsers refuse the connection otherwise); a wildcard covers one label and no more.
 */
export function certificateDomainProblem(arn: string, names: string[], domain: string | undefined): {detail: string; fix: string} | undefined {
  // ACM lists the first name among the alternative names too.
  const listed = [...new Set(names.filter(Boolean))];
  if (!domain || listed.length === 0 || listed.some((name) => certificateNameCovers(name, domain))) return undefined;
  return {
    detail: `${arn} is for ${listed.join(', ')}, which does not cover ${domain} (a wildcard like *.example.com covers one label: www.example.com, not example.com or a.b.example.com)`,
    fix: `give a certificate for ${domain}, or certificate: request to have ACM issue one, or correct loadBalancer.domain`,
  };
}

/**
 * Pre-flight's word on the domain of a requested certificate: a DNS name ACM can issue for. ACM
 * issues a wildcard only as the whole leftmost label (`*.example.com`), and its names stop at 64
 * characters for the first name of a certificate. Undefined when it can be asked for.
 */
export function requestDomainProblem(domain: string | undefined): {detail: string; fix: string} | undefined {
  if (!domain) return {detail: 'certificate: request names no domain', fix: 'add loadBalancer.domain, the name the site answers to, like www.example.com'};
  if (!DNS_NAME.test(domain)) {
    const wildcard = domain.includes('*') ? ' (a wildcard is allowed only as the whole first label, like *.example.com)' : '';
    return {detail: `${domain} is not a DNS name ACM can issue a certificate for${wildcard}`, fix: 'give the name in lower case, like www.example.com or *.example.com'};
  }
  if (domain.length > 64) return {detail: `${domain} is ${domain.length} characters; ACM's first name of a certificate is at most 64`, fix: 'use a shorter name'};
  return undefined;
}

/**
 * Why a fleet cannot deploy this spec's load balancer to these targets, or nothing. A fleet is one
 * template for every target (docs/fleets.md): `request` asks ACM in one account and waits for a
 * DNS record there, which a StackSet cannot do per target; an ACM certificate belongs to one
 * account and region, and a listener elsewhere cannot use it (AWS answers CertificateNotFound).
 */
export function fleetLoadBalancerProblems(spec: LaunchSpec, targets: {accounts: readonly string[]; regions: readonly string[]; orgUnits: readonly string[]}): string[] {
  const lb = loadBalancerOf(spec);
  if (!lb || lb.certificate === 'none') return [];
  if (lb.certificate === 'request')
    return [
      'loadBalancer: certificate: request asks ACM for a certificate in one account and validates it there by DNS, which a fleet cannot do in every target; use certificate: none, or launch each site with tandem launch',
    ];
  const [, region = '', account = ''] = CERTIFICATE_WHERE.exec(lb.certificate) ?? [];
  const where = `account ${account}, region ${region}`;
  if (targets.orgUnits.length > 0)
    return [
      `loadBalancer: certificate ${lb.certificate} belongs to ${where} only, and --org-units reaches accounts tandem cannot check; deploy with --accounts ${account} --regions ${region}, or use certificate: none`,
    ];
  const elsewhere = [
    ...targets.accounts.filter((item) => item !== account).map((item) => `account ${item}`),
    ...targets.regions.filter((item) => item !== region).map((item) => `region ${item}`),
  ];
  if (elsewhere.length === 0) return [];
  return [
    `loadBalancer: certificate ${lb.certificate} belongs to ${where}; a load balancer in ${elsewhere.join(', ')} cannot use it. Deploy that fleet with certificate: none, or one fleet per certificate`,
  ];
}

// ---------------------------------------------------------------------------------------------
// Panel and findings

function panel(_option: string | undefined, spec: LaunchSpec): PanelEdits {
  const lb = loadBalancerOf(spec);
  if (!lb)
    return {
      'load-balancer': {
        customer: 'No load balancer: the instance takes the web traffic itself. Choose Reach: through a load balancer to put it behind one.',
      },
      'lb-certificate': {customer: 'No load balancer, so no certificate here; TLS, if any, is configured on the instance.'},
      'chained-groups': {customer: "No load balancer: the instance's own group admits the web port from the addresses you choose."},
    };
  const certificate =
    lb.certificate === 'none'
      ? 'No certificate: the load balancer serves HTTP only, unencrypted. Give an ACM certificate ARN, or certificate: request with a domain.'
      : lb.certificate === 'request'
        ? `ACM issues a certificate for ${lb.domain ?? 'your domain'} once its DNS validation record exists (tandem writes it when the domain's Route 53 zone is in this account, else shows it to you), and AWS renews the certificate as long as that record stays in place; keeping that record is yours.`
        : 'Your ACM certificate: if ACM issued it, ACM renews it while its DNS validation record stays; if you imported it, renewing it is yours.';
  return {
    'load-balancer': {
      customer: `You own the listeners (${servesHttps(lb) ? `443 with ${TLS_POLICY}, 80 redirecting to 443` : '80 only'}), deletion protection (${lb.deletionProtection ? 'on' : 'off'}) and the access logs (${lb.accessLogs === false ? 'off' : `s3://${lb.accessLogs}`}).`,
    },
    'lb-certificate': {customer: certificate},
    'chained-groups': {
      customer: `The load balancer's group admits ${servesHttps(lb) ? '80 and 443' : '80'} from ${String(spec.securityGroup.http)}; the instance's admits port 80 only from that group.`,
    },
  };
}

const FINDING_IDS = ['lb-http-only', 'lb-no-access-logs', 'lb-deletion-unprotected', 'lb-no-waf', 'lb-internet-facing', 'lb-tls-not-fips', 'package-endpoint-open'] as const;

/** The failures every load-balanced launch has, by design or by cost. */
function standingFindings(): FindingDraft[] {
  return [
    {
      id: 'lb-internet-facing',
      severity: 'info',
      title: 'Internet-facing load balancer',
      explanation:
        "The load balancer is internet-facing and its group admits the web ports from the world, so checkov CKV_AWS_260 fails the group's rule for port 80: that is what a public web tier's front door is. (Prowler elbv2_internet_facing passes it: that check fails only a group open to the world on every port.) The instance behind it has no public address, and its web port admits only the load balancer's group.",
      control: 'load-balancer',
      checkers: [checkov('CKV_AWS_260')],
    },
    {
      id: 'lb-no-waf',
      severity: 'low',
      title: 'No AWS WAF web ACL on the load balancer',
      explanation:
        'No web ACL filters requests before they reach the load balancer, so Security Hub ELB.16 and Prowler elbv2_waf_acl_attached fail it. A web ACL costs $5 a month plus $1 per rule and $0.60 per million requests (us-east-1); tandem does not add one.',
      control: 'load-balancer',
      checkers: [hub('ELB.16'), prowler('elbv2_waf_acl_attached')],
    },
    {
      id: 'package-endpoint-open',
      severity: 'low',
      title: 'The package endpoint admits any principal',
      explanation:
        "The S3 gateway endpoint lets the private subnet read Amazon Linux's package repositories, and nothing else: its policy allows only s3:GetObject on the al2023-repos buckets of the region. dnf downloads without credentials, so the policy names Principal *, and Prowler vpc_endpoint_connections_trust_boundaries fails it.",
      control: 'load-balancer',
      checkers: [prowler('vpc_endpoint_connections_trust_boundaries')],
    },
  ];
}

function findings(spec: LaunchSpec): FindingDraft[] {
  const lb = loadBalancerOf(spec);
  if (!lb) return [];
  // The package endpoint is tandem's only in a VPC it builds; an existing VPC gets none from it.
  const drafts = standingFindings().filter((draft) => draft.id !== 'package-endpoint-open' || packagesThroughEndpoint(spec));
  if (!servesHttps(lb))
    drafts.push({
      id: 'lb-http-only',
      severity: 'medium',
      title: 'HTTP only: no certificate on the load balancer',
      explanation:
        'Without a certificate the load balancer listens on port 80 only, so everything between the browser and AWS travels unencrypted: Security Hub ELB.1 and Prowler elbv2_ssl_listeners fail it, and checkov CKV_AWS_2 and CKV_AWS_103 fail the listener. Give an ACM certificate ARN (certificate: arn:aws:acm:…), or certificate: request with a domain for ACM to issue one, and tandem adds a 443 listener and redirects 80 to it.',
      control: 'lb-certificate',
      checkers: [hub('ELB.1'), prowler('elbv2_ssl_listeners'), checkov('CKV_AWS_2'), checkov('CKV_AWS_103')],
    });
  if (servesHttps(lb))
    drafts.push({
      id: 'lb-tls-not-fips',
      severity: 'info',
      title: 'TLS policy is not a FIPS policy',
      explanation: `The HTTPS listener uses ${TLS_POLICY} (TLS 1.3 and 1.2, post-quantum key exchange), which Prowler elbv2_listener_fips_tls_enabled fails because it is not a FIPS policy. Only workloads bound to FIPS 140 need one.`,
      control: 'lb-certificate',
      checkers: [prowler('elbv2_listener_fips_tls_enabled')],
    });
  if (lb.accessLogs === false)
    drafts.push({
      id: 'lb-no-access-logs',
      severity: 'low',
      title: 'No access logs for the load balancer',
      explanation:
        'Requests to the load balancer are not logged, so Security Hub ELB.5, Prowler elbv2_logging_enabled and checkov CKV_AWS_91 fail it. Name a bucket in the same region whose policy lets Elastic Load Balancing write to it (accessLogs: BUCKET); S3 storage is billed.',
      control: 'load-balancer',
      checkers: [hub('ELB.5'), prowler('elbv2_logging_enabled'), checkov('CKV_AWS_91')],
    });
  if (!lb.deletionProtection)
    drafts.push({
      id: 'lb-deletion-unprotected',
      severity: 'low',
      title: 'Load balancer without deletion protection',
      explanation:
        'deletionProtection is off, so anyone allowed to call DeleteLoadBalancer takes the site down in one call: Security Hub ELB.6 and Prowler elbv2_deletion_protection fail it.',
      control: 'load-balancer',
      checkers: [hub('ELB.6'), prowler('elbv2_deletion_protection')],
    });
  return drafts;
}

export const loadBalancerControl: ControlModule<(typeof FINDING_IDS)[number], 'load-balancer' | 'lb-certificate' | 'chained-groups', 'network'> = {
  step: 'network',
  rules,
  catalog: [
    {
      id: 'load-balancer',
      step: 'network',
      title: 'Application Load Balancer',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Runs the load balancer: scales it with the traffic, spreads it across the zones of its subnets, and patches and replaces the nodes it runs on.',
      customer: 'Choose its listeners and their TLS policy, its subnets and groups, deletion protection and access logs, and keep the targets healthy.',
      verify: 'DescribeLoadBalancers shows it internet-facing in two subnets; DescribeListeners shows the planned listeners; the instance is a registered target.',
      checkerRows: ['load-balancer'],
      compliance: [],
    },
    {
      id: 'lb-certificate',
      step: 'network',
      title: 'TLS certificate',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'ACM issues the certificate, keeps its private key, and renews a certificate it issued before it expires, as long as its DNS validation record stays in place.',
      customer: 'Prove the domain is yours and keep the DNS validation record in place so renewal works; choose the TLS policy; renew a certificate you imported.',
      verify: 'The HTTPS listener carries the certificate and the TLS policy; port 80 redirects to 443.',
      compliance: [],
    },
    {
      id: 'chained-groups',
      step: 'network',
      title: 'Chained security groups',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: 'Enforces every security group on every network interface, and resolves a rule that names a group to the members of that group.',
      customer: "Write every rule: the world to the load balancer's group on the web ports, and only that group to the instance's web port.",
      verify: "The instance's web rule has the load balancer's group as its source, and no address range.",
      compliance: ['AWS recommends compartmentalising access by chaining security groups, each layer admitting only the one in front of it.'],
    },
  ],
  findingIds: FINDING_IDS,
  panel,
  findings,
  planSteps: loadBalancerPlanSteps,
  // After the security group (60): the instance's group admits the load balancer's.
  planOrder: 65,
  checkers: loadBalancerCheckers,
};
