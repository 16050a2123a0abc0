// One check per control: compare what AWS reports with what the launch spec asked for.
// Each check returns expected/actual/status; verifier.ts adds title, owner and the checkers' verdicts.
import type {VpcEndpoint} from '@aws-sdk/client-ec2';
import type {VerificationStatus} from '../domain/cloud.js';
import {allowsEc2Assume} from './discover-policy.js';
import {sessionAccess} from './role-policies.js';
import {judgeSessionManager, reachText, sessionManagerExpectation, sessionReach, type SessionEndpointFact, type SessionManagerFacts, type SessionReach} from '../domain/controls/ways-in.js';
import {errorCode} from './errors.js';
import {judgeSecurityGroup, securityGroupExpectation, type SecurityGroupFacts} from '../domain/controls/security-group.js';
import {EBS_DEFAULT_EXPECTATION, isEncrypted, keyExpectation} from '../domain/controls/storage.js';
import {imageExpectation} from '../domain/controls/image.js';
import {keyPairExpectation} from '../domain/controls/key-pair.js';
import {instanceTypeExpectation} from '../domain/controls/instance-type.js';
import {monitoringExpectation} from '../domain/controls/monitoring.js';
import {roleExpectation} from '../domain/controls/role.js';
import {tenancyExpectation} from '../domain/controls/tenancy.js';
import {metadataExpectation} from '../domain/controls/metadata.js';
import {publicIpExpectation, routingExpectation} from '../domain/controls/network.js';
import {flowLogExpectation} from '../domain/controls/flow-logs.js';
import {LB_STEP} from '../domain/controls/load-balancer.js';
import {defaultRouteTarget} from './discover-routes.js';
import {attachedGroupIds} from './verify-facts.js';
import type {VerifyContext} from './verify-context.js';
import {fromSdkRule} from './verify-rules.js';

export interface CheckOutcome {
  expected: string;
  actual: string;
  status: VerificationStatus;
  /** Overrides the catalog title (the extra account-level EBS row). */
  title?: string;
  /** Session Manager only: whether Systems Manager lists the instance yet. */
  reachable?: SessionReach;
}
export type Check = (context: VerifyContext) => Promise<CheckOutcome>;

/** Owner id of Amazon Linux images in the commercial regions (alias 'amazon' is the main test). */
const AMAZON_OWNER_IDS = new Set(['137112412989']);

const passIf = (ok: boolean): VerificationStatus => (ok ? 'pass' : 'fail');
const accepted = (context: VerifyContext, finding: string) => context.spec.acceptedRisks.some((risk) => risk.finding === finding);
/** 'arn:aws:kms:us-east-1:1234:key/abcd' -> 'key/abcd': readable in a table cell. */
const shortKey = (arn: string | undefined) => (arn ? (/:(key\/.+)$/.exec(arn)?.[1] ?? arn) : 'none');

export const checkAmiProvenance: Check = async (context) => {
  const {imageId: wanted, namePrefix, expected} = imageExpectation(context.spec, context.resolved.imageId);
  const running = (await context.instance()).ImageId;
  if (!wanted || running !== wanted) return {expected, actual: `instance runs ${running ?? 'no image'}`, status: 'fail'};
  const image = await context.image(running);
  const owner = `owner ${image.ImageOwnerAlias ?? 'no alias'} (${image.OwnerId ?? '?'})`;
  const actual = `${running}, ${owner}, ${image.Name ?? 'unnamed'}`;
  if (!namePrefix) return {expected, actual, status: 'pass'};
  const amazonOwned = image.ImageOwnerAlias === 'amazon' || AMAZON_OWNER_IDS.has(image.OwnerId ?? '');
  return {expected, actual, status: passIf(amazonOwned && (image.Name ?? '').startsWith(namePrefix))};
};

export const checkInstanceType: Check = async (context) => {
  const want = instanceTypeExpectation(context.spec);
  const actual = (await context.instance()).InstanceType ?? 'unknown';
  return {expected: want.expected, actual, status: passIf(actual === want.type)};
};

export const checkSubnetRouting: Check = async (context) => {
  const instance = await context.instance();
  const {vpcId, subnetId} = context.resolved;
  const {wantPublic, expected} = routingExpectation(context.spec, {vpcId, subnetId});
  const actualSubnet = instance.SubnetId ?? '';
  const target = defaultRouteTarget(await context.routeTable(actualSubnet));
  const isPublic = target?.startsWith('igw-') ?? false;
  const route = isPublic ? `public (0.0.0.0/0 to ${target})` : target ? `private (0.0.0.0/0 to ${target})` : 'private (no default route)';
  const actual = `VPC ${instance.VpcId ?? '?'}, subnet ${actualSubnet || '?'}, ${route}`;
  const ok = (!vpcId || instance.VpcId === vpcId) && (!subnetId || actualSubnet === subnetId) && (wantPublic === undefined || wantPublic === isPublic);
  return {expected, actual, status: passIf(ok)};
};

export const checkPublicIp: Check = async (context) => {
  const instance = await context.instance();
  const want = publicIpExpectation(context.spec);
  const subnet = instance.SubnetId ? await context.subnet(instance.SubnetId) : undefined;
  const mapsOnLaunch = Boolean(subnet?.MapPublicIpOnLaunch);
  const address = instance.PublicIpAddress;
  const actual = `${address ? `public ${address}` : 'no public IPv4 address'}; subnet MapPublicIpOnLaunch ${mapsOnLaunch}`;
  return {expected: want.expected, actual, status: passIf(Boolean(address) === want.publicIp && !(want.subnetMustNotMap && mapsOnLaunch))};
};

export const checkInstanceRole: Check = async (context) => {
  const instance = await context.instance();
  const attachedArn = instance.IamInstanceProfile?.Arn;
  const want = roleExpectation(context.spec, context.resolved);
  const {expected} = want;
  if (want.profileName === undefined) return {expected, actual: attachedArn ?? 'no instance profile', status: passIf(!attachedArn)};
  const {profileName, roleName} = want;
  if (!attachedArn) return {expected, actual: 'no instance profile attached', status: 'fail'};
  const attachedName = attachedArn.split('/').pop() ?? attachedArn;
  const profile = await context.instanceProfile(attachedName);
  const roles = (profile.Roles ?? []).map((role) => role.RoleName ?? '?');
  const holdsRole = roles.includes(roleName);
  const policies = holdsRole ? await context.rolePolicies(roleName) : undefined;
  // Without a trust policy that lets EC2 assume the role, the instance gets no credentials at all.
  const trusted = holdsRole ? allowsEc2Assume(await context.roleTrust(roleName)) : false;
  const parts = [`profile ${attachedName} holds ${roles.length ? roles.join(', ') : 'no role'}`];
  if (holdsRole) parts.push(trusted ? 'EC2 may assume it' : 'its trust policy does NOT let EC2 (ec2.amazonaws.com) assume it');
  if (policies) {
    parts.push(policies.wildcards.length ? policies.wildcards.join('; ') : 'no wildcard grants');
    if (policies.awsManaged.length) parts.push(`AWS managed (not judged): ${policies.awsManaged.join(', ')}`);
  }
  const ok = attachedName === profileName && holdsRole && trusted && policies !== undefined && policies.wildcards.length === 0;
  return {expected, actual: parts.join('; '), status: passIf(ok)};
};

export const checkDetailedMonitoring: Check = async (context) => {
  const want = monitoringExpectation(context.spec);
  const state = (await context.instance()).Monitoring?.State ?? 'unknown';
  return {expected: want.expected, actual: `Monitoring.State ${state}`, status: passIf(want.accepts.includes(state))};
};

export const checkTenancy: Check = async (context) => {
  const placement = (await context.instance()).Placement;
  const {tenancy, hostId, expected} = tenancyExpectation(context.spec, context.resolved.hostId);
  const actualTenancy = placement?.Tenancy ?? 'default';
  const actual = placement?.HostId ? `${actualTenancy} (${placement.HostId})` : actualTenancy;
  const ok = actualTenancy === tenancy && (!hostId || placement?.HostId === hostId);
  return {expected, actual, status: passIf(ok)};
};

/** The ARN of the key that should encrypt the volumes, and a label for it. */
async function intendedKey(context: VerifyContext): Promise<{label: string; arn?: string}> {
  const want = keyExpectation(context.spec.storage, context.resolved.kmsKeyId);
  if (want.kind === 'none') return {label: 'no key'};
  const {label} = want;
  if (!want.describe) return {label};
  return {label, arn: (await context.describeKey(want.describe)).Arn};
}

export const checkEbsEncryption: Check = async (context) => {
  const volumes = await context.volumes();
  if (volumes.length === 0) return {expected: 'encrypted volumes', actual: 'no volumes attached', status: 'fail'};
  if (!isEncrypted(context.spec.storage)) {
    const plain = volumes.filter((volume) => !volume.Encrypted).map((volume) => volume.VolumeId);
    const actual = plain.length ? `unencrypted: ${plain.join(', ')}` : 'all volumes encrypted (account default)';
    const ok = plain.length === 0 || accepted(context, 'ebs-unencrypted');
    return {expected: 'encryption off (accepted risk ebs-unencrypted)', actual, status: passIf(ok)};
  }
  const key = await intendedKey(context);
  const expected = `every volume encrypted with ${key.label}${key.arn ? ` (${shortKey(key.arn)})` : ''}`;
  let ok = Boolean(key.arn);
  const states: string[] = [];
  for (const volume of volumes) {
    if (!volume.Encrypted) {
      ok = false;
      states.push(`${volume.VolumeId} NOT encrypted`);
      continue;
    }
    // Volumes normally report the key ARN; moto stores whatever id or alias was sent, so resolve
    // through DescribeKey before comparing.
    const arn = volume.KmsKeyId ? (await context.describeKey(volume.KmsKeyId)).Arn : undefined;
    if (!arn || arn !== key.arn) ok = false;
    states.push(`${volume.VolumeId} encrypted with ${shortKey(arn)}`);
  }
  return {expected, actual: states.join('; '), status: passIf(ok)};
};

export const checkEbsDefault: Check = async (context) => {
  const enabled = await context.ebsDefault();
  return {
    title: 'EBS encryption by default (account)',
    expected: EBS_DEFAULT_EXPECTATION,
    actual: enabled ? 'on' : 'off: volumes are encrypted only when the launch asks',
    status: 'info',
  };
};

export const checkKmsKey: Check = async (context) => {
  const want = keyExpectation(context.spec.storage, context.resolved.kmsKeyId);
  const {expected} = want;
  if (want.kind === 'none') return {expected, actual: 'no key in use', status: 'info'};
  if (want.kind === 'aws-managed') {
    // AWS rotates its managed keys; a customer can neither switch that on nor off.
    const meta = await context.describeKey(want.describe);
    return {expected, actual: `${want.label} is ${shortKey(meta.Arn)}, ${meta.KeyState ?? 'state unknown'}`, status: 'info'};
  }
  if (!want.describe) return {expected, actual: 'no key recorded for this launch', status: 'fail'};
  const meta = await context.describeKey(want.describe);
  const rotation = await context.keyRotation(meta.KeyId ?? want.describe);
  const actual = `${shortKey(meta.Arn)}, ${meta.KeyState ?? 'state unknown'}, rotation ${rotation ? 'on' : 'off'}`;
  return {expected, actual, status: passIf(meta.KeyState === 'Enabled' && rotation)};
};

export const checkSecurityGroup: Check = async (context) => {
  const instance = await context.instance();
  // Behind a load balancer the web rule's source is its group, which the journal recorded.
  const loadBalancerGroupId = context.record.resources.find((resource) => resource.stepId === LB_STEP.group)?.id;
  const want = securityGroupExpectation(context.spec, {...context.resolved, ...(loadBalancerGroupId ? {loadBalancerGroupId} : {})}, context.record.region);
  // moto fills only the interfaces when RunInstances names the groups there: take the union.
  const attached = attachedGroupIds(instance);
  const rules = (await Promise.all(attached.map((id) => context.ingressRules(id)))).flat().map(fromSdkRule);
  const listId = context.resolved.instanceConnectPrefixListId;
  const facts: SecurityGroupFacts = {attached, rules};
  if (want.instanceConnectList !== undefined) facts.instanceConnectList = {id: listId, name: listId ? await context.prefixListName(listId) : undefined};
  const {actual, ok} = judgeSecurityGroup(context.spec, want, facts);
  return {expected: want.expected, actual, status: passIf(ok)};
};

export const checkKeyPair: Check = async (context) => {
  const instance = await context.instance();
  const want = keyPairExpectation(context.spec, context.resolved);
  const {expected} = want;
  if (want.name === undefined) return {expected, actual: instance.KeyName ? `key pair ${instance.KeyName}` : 'no key pair', status: passIf(!instance.KeyName)};
  const {name, fingerprint, keyPath} = want;
  const pair = await context.keyPair(name);
  const parts = [`key pair ${pair.KeyName} (${pair.KeyType ?? '?'}, ${pair.KeyFingerprint ?? 'no fingerprint'})`];
  parts.push(instance.KeyName ? `instance uses ${instance.KeyName}` : 'instance has no key pair');
  let ok = instance.KeyName === name && (!fingerprint || pair.KeyFingerprint === fingerprint);
  if (keyPath) {
    const file = await context.keyFile(keyPath);
    if (file.mode === undefined) {
      parts.push(`${keyPath} missing`);
      ok = false;
    } else {
      parts.push(`${keyPath} mode ${file.mode.toString(8).padStart(4, '0')}`);
      // Group or other bits let someone else read the private key (0400 is as good as 0600).
      if ((file.mode & 0o077) !== 0) ok = false;
    }
  }
  return {expected, actual: parts.join('; '), status: passIf(ok)};
};

export const checkImds: Check = async (context) => {
  const options = (await context.instance()).MetadataOptions;
  const {expected, httpTokens: imds, hopLimit, needsAccepted} = metadataExpectation(context.spec);
  if (options?.HttpEndpoint === 'disabled') {
    return {expected, actual: 'metadata endpoint disabled', status: 'pass'};
  }
  const tokens = options?.HttpTokens ?? 'unknown';
  const hops = options?.HttpPutResponseHopLimit;
  const actual = `HttpTokens ${tokens}, hop limit ${hops ?? '?'}`;
  const ok = tokens === imds && hops === hopLimit && (tokens === 'required' || (needsAccepted !== undefined && accepted(context, needsAccepted)));
  return {expected, actual, status: passIf(ok)};
};

/** Session Manager: reads only what the ways-in module's expectation asks for, and lets it judge. */
export const checkSessionManager: Check = async (context) => {
  const want = sessionManagerExpectation(context.spec, context.resolved);
  if (!want.on) return {expected: want.expected, actual: 'not checked: Session Manager is off', status: 'info'};
  const instance = await context.instance();
  const facts: SessionManagerFacts = {hasProfile: Boolean(instance.IamInstanceProfile?.Arn), keyName: instance.KeyName, subnetId: instance.SubnetId};
  if (facts.hasProfile && want.roleName) facts.access = await sessionAccess(await context.rolePolicies(want.roleName), context.policyDocument);
  if (want.port22Closed) facts.rules = (await Promise.all(attachedGroupIds(instance).map((id) => context.ingressRules(id)))).flat().map(fromSdkRule);
  if (want.endpoints) facts.endpoints = (instance.VpcId ? await context.vpcEndpoints(instance.VpcId) : []).map(endpointFact);
  const {expected, actual, ok} = judgeSessionManager(context.spec, want, facts);
  const reach = await sessionRegistration(context);
  return {expected, actual: `${actual}; ${reach.text}`, status: passIf(ok), reachable: reach.reachable};
};

/** Online or not yet, apart from PASS/FAIL: an agent that has not checked in fails nothing tandem chose. */
async function sessionRegistration(context: VerifyContext): Promise<{reachable: SessionReach; text: string}> {
  try {
    const registration = await context.ssmRegistration();
    return {reachable: sessionReach(registration), text: reachText(registration, context.ssmPolls)};
  } catch (error) {
    return {reachable: 'not yet', text: `could not ask Systems Manager: ${errorCode(error)}`};
  }
}

/** An SDK endpoint as the plain facts the ways-in module judges. */
function endpointFact(endpoint: VpcEndpoint): SessionEndpointFact {
  return {
    id: endpoint.VpcEndpointId,
    serviceName: endpoint.ServiceName,
    type: endpoint.VpcEndpointType,
    state: endpoint.State,
    privateDns: endpoint.PrivateDnsEnabled,
    subnetIds: endpoint.SubnetIds ?? [],
  };
}

/**
 * The VPC's flow logs, read with DescribeFlowLogs, and the group they deliver to, read with
 * DescribeLogGroups. When the launch asked for none, the row reports what the VPC has and is
 * information only (the finding no-flow-logs said so before launch).
 */
export const checkFlowLogs: Check = async (context) => {
  const want = flowLogExpectation(context.spec);
  const vpcId = context.resolved.vpcId ?? (await context.instance()).VpcId;
  if (!vpcId) return {expected: want.expected, actual: 'no VPC recorded for this launch', status: want.on ? 'fail' : 'info'};
  const logs = await context.flowLogs(vpcId);
  if (!want.on) return {expected: want.expected, actual: logs.length > 0 ? `${vpcId} has ${logs.length} flow log(s) of its own` : `${vpcId} has no flow log`, status: 'info'};
  const ours = logs.find((log) => log.LogGroupName === want.logGroupName);
  if (!ours) return {expected: want.expected, actual: `${vpcId} has no flow log delivering to ${want.logGroupName}`, status: 'fail'};
  const group = await context.logGroup(want.logGroupName);
  const kept = group.retentionInDays === undefined ? 'never expires' : `kept ${group.retentionInDays} days`;
  const actual = `${ours.FlowLogId ?? '?'} (${ours.TrafficType ?? '?'} traffic, ${ours.FlowLogStatus ?? '?'}, delivery ${ours.DeliverLogsStatus ?? '?'}) to ${want.logGroupName}, ${kept}`;
  const ok = ours.TrafficType === 'ALL' && ours.FlowLogStatus === 'ACTIVE' && group.retentionInDays === want.retentionDays;
  return {expected: want.expected, actual, status: passIf(ok)};
};
