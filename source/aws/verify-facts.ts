// What the checkers would read about a launch, taken from the same Describe calls verification
// makes (the context memoises them, so nothing is asked twice). A lookup that fails leaves its
// part of the facts unknown; the checkers that need it then give no verdict instead of a guess.
import type {Instance} from '@aws-sdk/client-ec2';
import {AWS_MANAGED_ALIAS} from '../domain/controls/storage.js';
import {policyStatements, type CheckerFacts, type VpcFact} from '../domain/checker-facts.js';
import {decodePolicy} from './discover-policy.js';
import {endpointPolicyOpen} from '../domain/checker-rules.js';
import {isPublicRouteTable, routeTableForSubnet} from './discover-routes.js';
import {flowLogExpectation} from '../domain/controls/flow-logs.js';
import type {VerifyContext} from './verify-context.js';
import {fromSdkRule} from './verify-rules.js';
import {snapshotFacts, volumeBackupFacts} from './verify-backups.js';
import {loadBalancerFacts} from './verify-load-balancer.js';
import {defaultGroupFacts, naclFact} from './verify-network-guard.js';

async function settle<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch {
    return undefined;
  }
}

/** Groups live on the network interfaces; AWS repeats the primary one's on the instance. */
export function attachedGroupIds(instance: Instance): string[] {
  const groups = [...(instance.SecurityGroups ?? []), ...(instance.NetworkInterfaces ?? []).flatMap((eni) => eni.Groups ?? [])];
  return [...new Set(groups.map((group) => group.GroupId ?? '?'))];
}

async function keyFacts(context: VerifyContext): Promise<CheckerFacts['kmsKey']> {
  const volumes = await context.volumes();
  const keyId = volumes.find((volume) => volume.Encrypted && volume.KmsKeyId)?.KmsKeyId ?? context.resolved.kmsKeyId;
  if (!keyId) return undefined;
  const meta = await context.describeKey(keyId);
  // moto reports the aws/ebs key as KeyManager CUSTOMER; AWS says AWS. The alias settles it.
  const awsEbs = await settle(() => context.describeKey(AWS_MANAGED_ALIAS));
  const customerManaged = meta.KeyManager !== 'AWS' && meta.KeyId !== awsEbs?.KeyId;
  const enabled = meta.KeyState === 'Enabled';
  const rotation = customerManaged && enabled ? await context.keyRotation(meta.KeyId ?? keyId) : true;
  return {id: meta.KeyId ?? keyId, customerManaged, enabled, rotation};
}

async function roleFacts(context: VerifyContext, instance: Instance): Promise<CheckerFacts['role']> {
  const arn = instance.IamInstanceProfile?.Arn;
  if (!arn) return undefined;
  const profile = await context.instanceProfile(arn.split('/').pop() ?? arn);
  const roleName = profile.Roles?.[0]?.RoleName;
  if (!roleName) return undefined;
  const [policies, trust] = await Promise.all([context.rolePolicies(roleName), settle(() => context.roleTrust(roleName))]);
  return {
    name: roleName,
    inlinePolicies: policies.inline.map((policy) => ({name: policy.name, statements: policyStatements(policy.document)})),
    ...(trust ? {trust} : {}),
  };
}

/** The other roles the launch made for AWS services (AWS Backup's, the flow logs'), with their trust policies. */
async function serviceRoleFacts(context: VerifyContext, instanceRole: string | undefined): Promise<CheckerFacts['serviceRoles']> {
  const names = context.record.resources.filter((resource) => resource.kind === 'iam-role' && resource.id !== instanceRole).map((resource) => resource.id);
  const roles = await Promise.all(names.map(async (name) => ({name, trust: await settle(() => context.roleTrust(name))})));
  return roles.filter((role) => role.trust !== undefined);
}

/** The instance's VPC as Prowler reads it: subnets public by their route table, and its endpoints. */
async function vpcFacts(context: VerifyContext, vpcId: string): Promise<VpcFact> {
  const [{subnets, routeTables}, endpoints] = await Promise.all([context.vpcLayout(vpcId), context.vpcEndpoints(vpcId)]);
  const publicSubnets = subnets.filter((subnet) => isPublicRouteTable(routeTableForSubnet(routeTables, subnet.SubnetId ?? ''))).length;
  return {
    id: vpcId,
    publicSubnets,
    privateSubnets: subnets.length - publicSubnets,
    zones: new Set(subnets.map((subnet) => subnet.AvailabilityZone)).size,
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.VpcEndpointId ?? '?',
      serviceName: endpoint.ServiceName ?? '',
      type: endpoint.VpcEndpointType ?? '',
      subnetCount: endpoint.SubnetIds?.length ?? 0,
      openToAnyAccount: endpointPolicyOpen(decodePolicy(endpoint.PolicyDocument), context.record.account),
    })),
  };
}

/** The VPC's flow logs, and the group the launch made for them (when it made one). */
async function flowLogFacts(context: VerifyContext, instance: Instance): Promise<Pick<CheckerFacts, 'vpcFlowLogs' | 'logGroups'>> {
  const vpcId = context.resolved.vpcId ?? instance.VpcId;
  if (!vpcId) return {};
  const facts: Pick<CheckerFacts, 'vpcFlowLogs' | 'logGroups'> = {vpcFlowLogs: {id: vpcId, enabled: (await context.flowLogs(vpcId)).length > 0}};
  const want = flowLogExpectation(context.spec);
  if (!want.on) return facts;
  const group = await settle(() => context.logGroup(want.logGroupName));
  if (group) facts.logGroups = [{id: group.logGroupName ?? want.logGroupName, retentionDays: group.retentionInDays, kmsKey: Boolean(group.kmsKeyId)}];
  return facts;
}

/** The VPC's default group and the subnet's list, as the checkers read them (each left out when unreadable). */
async function guardFacts(context: VerifyContext, instance: Instance): Promise<Pick<CheckerFacts, 'defaultSecurityGroup' | 'networkAcls'>> {
  const [group, acl] = await Promise.all([
    settle(async () => (instance.VpcId ? await context.defaultGroup(instance.VpcId) : undefined)),
    settle(async () => (instance.SubnetId ? await context.subnetAcl(instance.SubnetId) : undefined)),
  ]);
  const facts: Pick<CheckerFacts, 'defaultSecurityGroup' | 'networkAcls'> = {};
  if (group) {
    const {groupId, ingressRules, egressRules} = defaultGroupFacts(group);
    facts.defaultSecurityGroup = {id: groupId, ingressRules, egressRules};
  }
  if (acl) facts.networkAcls = [naclFact(acl)];
  return facts;
}

export async function liveFacts(context: VerifyContext): Promise<CheckerFacts> {
  const instance = await settle(() => context.instance());
  if (!instance) return {};
  const options = instance.MetadataOptions;
  const facts: CheckerFacts = {
    instance: {
      id: instance.InstanceId ?? '?',
      publicIp: Boolean(instance.PublicIpAddress),
      httpTokens: options?.HttpTokens ?? 'optional',
      httpEndpoint: options?.HttpEndpoint ?? 'enabled',
      instanceProfile: Boolean(instance.IamInstanceProfile?.Arn),
      monitoring: instance.Monitoring?.State ?? 'disabled',
    },
  };
  const [subnet, volumes, ebsDefault, groups, kmsKey, role, vpc, volumeBackups, ssm, flowLogs, guard, snapshots] = await Promise.all([
    settle(async () => (instance.SubnetId ? await context.subnet(instance.SubnetId) : undefined)),
    settle(() => context.volumes()),
    settle(() => context.ebsDefault()),
    settle(() => Promise.all(attachedGroupIds(instance).map(async (id) => ({id, ingress: (await context.ingressRules(id)).map(fromSdkRule)})))),
    settle(() => keyFacts(context)),
    settle(() => roleFacts(context, instance)),
    settle(async () => (instance.VpcId ? await vpcFacts(context, instance.VpcId) : undefined)),
    settle(() => volumeBackupFacts(context)),
    // Listed or not, as Prowler's ec2_instance_managed_by_ssm sees it; unknown when the question failed.
    settle(async () => ({listed: (await context.ssmRegistration()) !== undefined})),
    settle(() => flowLogFacts(context, instance)),
    settle(() => guardFacts(context, instance)),
    settle(() => snapshotFacts(context)),
  ]);
  if (ssm) facts.instance!.managedBySsm = ssm.listed;
  if (subnet) facts.subnet = {id: subnet.SubnetId ?? '?', mapPublicIpOnLaunch: Boolean(subnet.MapPublicIpOnLaunch)};
  if (volumes) facts.volumes = volumes.map((volume) => ({id: volume.VolumeId ?? '?', encrypted: Boolean(volume.Encrypted)}));
  if (ebsDefault !== undefined) facts.ebsDefault = {id: `EBS encryption by default, ${context.record.region}`, enabled: ebsDefault};
  if (groups) facts.securityGroups = groups;
  if (kmsKey) facts.kmsKey = kmsKey;
  if (role) facts.role = role;
  const serviceRoles = await settle(() => serviceRoleFacts(context, role?.name));
  if (serviceRoles) facts.serviceRoles = serviceRoles;
  if (vpc) facts.vpc = vpc;
  if (volumeBackups) facts.volumeBackups = volumeBackups;
  if (snapshots) facts.snapshots = snapshots;
  if (flowLogs) Object.assign(facts, flowLogs);
  if (guard) Object.assign(facts, guard);
  const loadBalancer = await settle(() => loadBalancerFacts(context));
  if (loadBalancer) facts.loadBalancer = loadBalancer;
  return facts;
}
