// What the checkers look at, in one shape whether it is predicted from the launch spec (before
// launch) or read back with Describe calls (after launch), so one verdict function per checker
// serves both. A field left undefined means "not known here": checkers that need it give no
// verdict rather than a guess (an existing security group's rules are unknown until launch).
import {parseCidr} from './cidr.js';
import {statementsOf, stringList} from './checker-rules.js';
import {ingressRules} from './controls/security-group.js';
import {predictedBackupFact, predictedBackupRoles, predictedSnapshotFact} from './controls/backups.js';
import {predictedFlowLogFacts, predictedFlowLogRoles} from './controls/flow-logs.js';
import {predictedGuardFacts} from './controls/network-guard.js';
import type {NetworkAclFact} from './nacl-rules.js';
import {predictedKeyFact, predictedVolumeFact} from './controls/storage.js';
import {
  endpointServiceName,
  instanceConnectListName,
  needsSessionRole,
  needsSsmEndpoints,
  sessionManagerOn,
  sessionRoleName,
  SSM_ENDPOINT_SERVICES,
  wantsInstanceConnect,
} from './controls/ways-in.js';
import {bucketPolicy, DEFAULT_ROLE_NAME, instanceProfileName, trustPolicy} from './plan-iam.js';
import {detailedMonitoringOn} from './controls/monitoring.js';
import {predictedLoadBalancerFact} from './controls/load-balancer-checkers.js';
import {packageEndpointFact} from './controls/load-balancer.js';
import type {LaunchSpec} from './spec.js';

export interface IngressFact {
  /** 'tcp', 'udp', 'icmp' or 'all' (-1). */
  protocol: string;
  fromPort: number;
  toPort: number;
  /** CIDR, prefix list or group id the rule admits. */
  source: string;
}

export interface PolicyStatementFact {
  effect: string;
  actions: string[];
  resources: string[];
  notAction: boolean;
}

/** An endpoint of the instance's VPC, as the VPC checkers read it. */
export interface EndpointFact {
  id: string;
  serviceName: string;
  /** 'Interface', 'Gateway', … */
  type: string;
  subnetCount: number;
  /** Its policy lets a principal of any account use it (AWS's default full-access policy does). */
  openToAnyAccount: boolean;
}

/** The instance's VPC: its subnets as Prowler classes them, and its endpoints. */
export interface VpcFact {
  id: string;
  /** Subnets whose route table sends 0.0.0.0/0 to an internet gateway, and the others. */
  publicSubnets: number;
  privateSubnets: number;
  /** Distinct availability zones of its subnets; undefined while AWS has not picked them yet. */
  zones?: number;
  endpoints: EndpointFact[];
}

/** One listener of the load balancer, as the checkers read it. */
export interface ListenerFact {
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  sslPolicy?: string;
  /** Its default action redirects to HTTPS. */
  redirectsToHttps: boolean;
}

/** The Application Load Balancer in front of the instance (controls/load-balancer.ts). */
export interface LoadBalancerFact {
  id: string;
  scheme: 'internet-facing' | 'internal';
  /** Availability Zones it has subnets in. */
  zones: number;
  dropInvalidHeaders: boolean;
  deletionProtection: boolean;
  accessLogs: boolean;
  /** routing.http.desync_mitigation_mode: monitor, defensive or strictest. */
  desyncMitigation: string;
  webAcl: boolean;
  /**
   * One of its security groups admits every TCP port (or all traffic) from 0.0.0.0/0 or ::/0: what
   * Prowler's elbv2_internet_facing reads (a rule for one web port from the world does not count).
   */
  openToWorldOnAllPorts: boolean;
  listeners: ListenerFact[];
}

export interface CheckerFacts {
  /** managedBySsm: Systems Manager lists it (predicted: Session Manager is on; undefined when unknown). */
  instance?: {id: string; publicIp: boolean; httpTokens: string; httpEndpoint: string; instanceProfile: boolean; managedBySsm?: boolean; monitoring?: string};
  subnet?: {id: string; mapPublicIpOnLaunch: boolean};
  /** Volumes attached to the instance. */
  volumes?: Array<{id: string; encrypted: boolean}>;
  /** The region's EBS encryption-by-default setting (an account setting, unknown before launch). */
  ebsDefault?: {id: string; enabled: boolean};
  /** Security groups attached to the instance, with their inbound rules. */
  securityGroups?: Array<{id: string; ingress: IngressFact[]}>;
  /** The key that encrypts the volumes. */
  kmsKey?: {id: string; customerManaged: boolean; enabled: boolean; rotation: boolean};
  /** Attached volumes: whether a backup selection assigns each one (as Prowler reads them), and whether it has a snapshot. */
  volumeBackups?: Array<{id: string; inBackupPlan: boolean; snapshot: boolean}>;
  /** Roles the launch made for AWS services other than the instance (AWS Backup, flow logs), with their trust policies. */
  serviceRoles?: Array<{name: string; trust: unknown}>;
  /** The snapshots of the attached volumes, and whether each is encrypted. */
  snapshots?: Array<{id: string; encrypted: boolean}>;
  /** The instance's role, its inline policies and its trust policy (parsed; undefined when unknown). */
  role?: {name: string; inlinePolicies: Array<{name: string; statements: PolicyStatementFact[]}>; trust?: unknown};
  /** The instance's VPC (unknown before launch for a VPC someone else made). */
  vpc?: VpcFact;
  /** Whether the instance's VPC has a flow log. */
  vpcFlowLogs?: {id: string; enabled: boolean};
  /** Log groups the launch created: retention in days (undefined: never expires), and whether a KMS key encrypts it. */
  logGroups?: Array<{id: string; retentionDays?: number; kmsKey: boolean}>;
  /** The VPC's default security group: how many rules it keeps each way. */
  defaultSecurityGroup?: {id: string; ingressRules: number; egressRules: number};
  /** The network ACLs of the launch's subnet (a new VPC's default list), with their entries. */
  networkAcls?: NetworkAclFact[];
  /** The load balancer in front of the instance, when the launch has one. */
  loadBalancer?: LoadBalancerFact;
}

/** The statements of a policy document (already parsed JSON), in the shape the checkers read. */
export function policyStatements(document: unknown): PolicyStatementFact[] {
  return statementsOf(document).map((statement) => ({
    effect: typeof statement.Effect === 'string' ? statement.Effect : 'Allow',
    actions: stringList(statement.Action),
    resources: stringList(statement.Resource),
    notAction: statement.NotAction !== undefined,
  }));
}

/** AWS writes every CIDR in canonical form; the spec may not. */
function canonical(cidr: string): string {
  const parsed = parseCidr(cidr);
  return parsed.ok ? parsed.cidr.text : cidr;
}

/**
 * The VPC before launch. A default VPC has a public default subnet in every availability zone (and
 * every region has at least two) and, untouched, no endpoints. A new VPC gets one public and one
 * private subnet, in zones AWS picks at launch, and the Session Manager endpoints when its private
 * subnet needs them: interface endpoints in that one subnet, with AWS's default policy (any
 * principal). A VPC someone else made is unknown until launch.
 */
function predictedVpcFact(spec: LaunchSpec): VpcFact | undefined {
  if (spec.network.vpc === 'default') return {id: 'default VPC', publicSubnets: 2, privateSubnets: 0, zones: 2, endpoints: []};
  if (spec.network.vpc !== 'new') return undefined;
  const endpoints = needsSsmEndpoints(spec)
    ? SSM_ENDPOINT_SERVICES.map((service) => ({
        id: `${service} endpoint (new)`,
        serviceName: endpointServiceName(spec.region, service),
        type: 'Interface',
        subnetCount: 1,
        openToAnyAccount: true,
      }))
    : [];
  // Behind a load balancer: a second public subnet in another zone, and the S3 gateway endpoint.
  const packages = packageEndpointFact(spec);
  if (packages) return {id: 'VPC (new)', publicSubnets: 2, privateSubnets: 1, zones: 2, endpoints: [...endpoints, packages]};
  return {id: 'VPC (new)', publicSubnets: 1, privateSubnets: 1, endpoints};
}

/** What tandem will create for this spec, as the checkers will see it after launch. */
export function factsFromSpec(spec: LaunchSpec): CheckerFacts {
  const {instance, network, role, storage, securityGroup} = spec;
  const facts: CheckerFacts = {
    instance: {
      id: `instance ${instance.name}`,
      publicIp: network.publicIp,
      httpTokens: instance.imds,
      httpEndpoint: 'enabled',
      instanceProfile: instanceProfileName(spec) !== undefined,
      // Predicted as it will be once the agent registers (verification reports "not yet" until then).
      managedBySsm: sessionManagerOn(spec),
      monitoring: detailedMonitoringOn(spec) ? 'enabled' : 'disabled',
    },
    volumes: [predictedVolumeFact(storage)],
    volumeBackups: predictedBackupFact(spec),
    snapshots: predictedSnapshotFact(spec),
    serviceRoles: [...predictedBackupRoles(spec), ...predictedFlowLogRoles(spec)],
  };
  // Subnets tandem creates never hand out public addresses; default subnets always do.
  if (network.vpc === 'new') facts.subnet = {id: `${network.subnet} subnet (new)`, mapPublicIpOnLaunch: false};
  else if (network.vpc === 'default') facts.subnet = {id: 'default subnet', mapPublicIpOnLaunch: true};
  if (securityGroup.mode === 'create') {
    const ingress = ingressRules(spec).map((rule) => ({protocol: 'tcp', fromPort: rule.port, toPort: rule.port, source: canonical(rule.cidr)}));
    // The Instance Connect rule admits a prefix list, never a range: no checker reads it as open to the world.
    if (wantsInstanceConnect(spec)) ingress.push({protocol: 'tcp', fromPort: 22, toPort: 22, source: `prefix list ${instanceConnectListName(spec.region)}`});
    facts.securityGroups = [{id: `security group ${securityGroup.name}`, ingress}];
  }
  Object.assign(facts, predictedFlowLogFacts(spec));
  Object.assign(facts, predictedGuardFacts(spec));
  const kmsKey = predictedKeyFact(storage);
  if (kmsKey) facts.kmsKey = kmsKey;
  const vpc = predictedVpcFact(spec);
  if (vpc) facts.vpc = vpc;
  const loadBalancer = predictedLoadBalancerFact(spec);
  if (loadBalancer) facts.loadBalancer = loadBalancer;
  if (needsSessionRole(spec)) {
    // Only the AWS managed policy: no inline policy for the inline-policy checkers to judge.
    facts.role = {name: sessionRoleName(spec), inlinePolicies: [], trust: JSON.parse(trustPolicy()) as unknown};
  }
  if (role.mode === 'create') {
    const document: unknown = JSON.parse(bucketPolicy(role.bucket ?? '', role.access ?? 'read', spec.region));
    facts.role = {
      name: role.name || DEFAULT_ROLE_NAME,
      inlinePolicies: [{name: `tandem-s3-${role.access ?? 'read'}`, statements: policyStatements(document)}],
      trust: JSON.parse(trustPolicy()) as unknown,
    };
  }
  return facts;
}
