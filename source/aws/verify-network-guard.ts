// Verification of the VPC's own filters (docs/design.md section 1): the default security group and
// the network ACL of the instance's subnet, read back by Describe calls of their own, independent
// of what the launch's steps answered. The module (domain/controls/network-guard.ts) judges them.
import type {NetworkAcl, SecurityGroup} from '@aws-sdk/client-ec2';
import type {AwsClients} from './clients.js';
import {call} from './errors.js';
import {judgeDefaultGroup, judgeNetworkAcl, type DefaultGroupFacts} from '../domain/controls/network-guard.js';
import type {NaclEntryFact, NetworkAclFact} from '../domain/nacl-rules.js';
import type {Check} from './verify-checks.js';

const ec2Sdk = () => import('@aws-sdk/client-ec2');

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let promise = cache.get(key);
    if (!promise) cache.set(key, (promise = load(key)));
    return promise;
  };
}

/** DescribeNetworkAcls' entry in the shape the checkers read. */
function entryFact(entry: NonNullable<NetworkAcl['Entries']>[number]): NaclEntryFact {
  return {
    ruleNumber: entry.RuleNumber ?? 0,
    egress: Boolean(entry.Egress),
    protocol: entry.Protocol ?? '-1',
    action: entry.RuleAction === 'deny' ? 'deny' : 'allow',
    ...(entry.CidrBlock ? {cidr: entry.CidrBlock} : {}),
    ...(entry.Ipv6CidrBlock ? {ipv6Cidr: entry.Ipv6CidrBlock} : {}),
    ...(entry.PortRange ? {from: entry.PortRange.From, to: entry.PortRange.To} : {}),
  };
}

export const naclFact = (acl: NetworkAcl): NetworkAclFact => ({id: acl.NetworkAclId ?? '?', entries: (acl.Entries ?? []).map(entryFact)});

export const defaultGroupFacts = (group: SecurityGroup): DefaultGroupFacts => ({
  groupId: group.GroupId ?? '?',
  ingressRules: group.IpPermissions?.length ?? 0,
  egressRules: group.IpPermissionsEgress?.length ?? 0,
});

/** The lookups verification makes for these rows, each at most once. */
export function guardLookups({ec2}: AwsClients) {
  /** The VPC's group named default (every VPC has exactly one). */
  const defaultGroup = memo(async (vpcId: string): Promise<SecurityGroup | undefined> => {
    const {DescribeSecurityGroupsCommand} = await ec2Sdk();
    const filters = [
      {Name: 'vpc-id', Values: [vpcId]},
      {Name: 'group-name', Values: ['default']},
    ];
    const answer = await call('DescribeSecurityGroups', () => ec2.send(new DescribeSecurityGroupsCommand({Filters: filters})));
    return answer.SecurityGroups?.[0];
  });

  /** The list a subnet is associated with (each subnet has exactly one). */
  const subnetAcl = memo(async (subnetId: string): Promise<NetworkAcl | undefined> => {
    const {DescribeNetworkAclsCommand} = await ec2Sdk();
    const answer = await call('DescribeNetworkAcls', () => ec2.send(new DescribeNetworkAclsCommand({Filters: [{Name: 'association.subnet-id', Values: [subnetId]}]})));
    return answer.NetworkAcls?.[0];
  });

  return {defaultGroup, subnetAcl};
}

type GuardContext = Parameters<Check>[0];

export const checkDefaultGroup: Check = async (context: GuardContext) => {
  const vpcId = (await context.instance()).VpcId ?? context.resolved.vpcId;
  const group = vpcId ? await context.defaultGroup(vpcId) : undefined;
  if (!group) return {expected: 'the VPC has a default security group', actual: `no default security group found in ${vpcId ?? 'the VPC'}`, status: 'fail'};
  return judgeDefaultGroup(context.spec, defaultGroupFacts(group));
};

export const checkNetworkAcl: Check = async (context: GuardContext) => {
  const subnetId = (await context.instance()).SubnetId ?? context.resolved.subnetId;
  const acl = subnetId ? await context.subnetAcl(subnetId) : undefined;
  if (!acl) return {expected: 'the subnet has a network ACL', actual: `no network ACL found for ${subnetId ?? 'the subnet'}`, status: 'fail'};
  return judgeNetworkAcl(context.spec, naclFact(acl));
};
