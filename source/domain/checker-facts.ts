// What the checkers look at, in one shape whether it is predicted from the launch spec (before
// launch) or read back with Describe calls (after launch), so one verdict function per checker
// serves both. A field left undefined means "not known here": checkers that need it give no
// verdict rather than a guess (an existing security group's rules are unknown until launch).
import {parseCidr} from './cidr.js';
import {ingressRules} from './controls/security-group.js';
import {predictedGuardFacts} from './controls/network-guard.js';
import type {NetworkAclFact} from './nacl-rules.js';
import {predictedKeyFact, predictedVolumeFact} from './controls/storage.js';
import {instanceConnectListName, needsSessionRole, sessionRoleName, wantsInstanceConnect} from './controls/ways-in.js';
import {bucketPolicy, DEFAULT_ROLE_NAME, instanceProfileName} from './plan-iam.js';
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

export interface CheckerFacts {
  instance?: {id: string; publicIp: boolean; httpTokens: string; httpEndpoint: string; instanceProfile: boolean};
  subnet?: {id: string; mapPublicIpOnLaunch: boolean};
  /** Volumes attached to the instance. */
  volumes?: Array<{id: string; encrypted: boolean}>;
  /** The region's EBS encryption-by-default setting (an account setting, unknown before launch). */
  ebsDefault?: {id: string; enabled: boolean};
  /** Security groups attached to the instance, with their inbound rules. */
  securityGroups?: Array<{id: string; ingress: IngressFact[]}>;
  /** The key that encrypts the volumes. */
  kmsKey?: {id: string; customerManaged: boolean; enabled: boolean; rotation: boolean};
  /** The instance's role and its inline policies. */
  role?: {name: string; inlinePolicies: Array<{name: string; statements: PolicyStatementFact[]}>};
  /** The VPC's default security group: how many rules it keeps each way. */
  defaultSecurityGroup?: {id: string; ingressRules: number; egressRules: number};
  /** The network ACLs of the launch's subnet (a new VPC's default list), with their entries. */
  networkAcls?: NetworkAclFact[];
}

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The statements of a policy document (already parsed JSON), in the shape the checkers read. */
export function policyStatements(document: unknown): PolicyStatementFact[] {
  const raw = (document as {Statement?: unknown} | undefined)?.Statement;
  const all = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return all
    .filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object')
    .map((statement) => ({
      effect: typeof statement.Effect === 'string' ? statement.Effect : 'Allow',
      actions: list(statement.Action),
      resources: list(statement.Resource),
      notAction: statement.NotAction !== undefined,
    }));
}

/** AWS writes every CIDR in canonical form; the spec may not. */
function canonical(cidr: string): string {
  const parsed = parseCidr(cidr);
  return parsed.ok ? parsed.cidr.text : cidr;
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
    },
    volumes: [predictedVolumeFact(storage)],
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
  Object.assign(facts, predictedGuardFacts(spec));
  const kmsKey = predictedKeyFact(storage);
  if (kmsKey) facts.kmsKey = kmsKey;
  if (needsSessionRole(spec)) {
    // Only the AWS managed policy: no inline policy for the inline-policy checkers to judge.
    facts.role = {name: sessionRoleName(spec), inlinePolicies: []};
  }
  if (role.mode === 'create') {
    const document: unknown = JSON.parse(bucketPolicy(role.bucket ?? '', role.access ?? 'read', spec.region));
    facts.role = {
      name: role.name || DEFAULT_ROLE_NAME,
      inlinePolicies: [{name: `tandem-s3-${role.access ?? 'read'}`, statements: policyStatements(document)}],
    };
  }
  return facts;
}
