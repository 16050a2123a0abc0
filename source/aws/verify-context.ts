// What verification reads back from AWS, each lookup made at most once and shared by the checks
// that need it. A resource that is gone raises Missing (a clear "not found" for the table);
// any other failure is an AwsCallError, which the check reports as "could not check".
import type {FlowLog, Image, Instance, KeyPairInfo, RouteTable, SecurityGroupRule, Subnet, Volume, VpcEndpoint} from '@aws-sdk/client-ec2';
import type {LogGroup} from '@aws-sdk/client-cloudwatch-logs';
import type {InstanceProfile} from '@aws-sdk/client-iam';
import type {KeyMetadata} from '@aws-sdk/client-kms';
import {stat} from 'node:fs/promises';
import type {AwsClients} from './clients.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {endpointGoing} from './actions.js';
import {call, errorCode} from './errors.js';
import {decodePolicy, wildcardGrants, type PolicyDocument} from './discover-policy.js';
import {attachedPolicyDocument, readRolePolicies, type RolePolicySet} from './role-policies.js';
import {InstanceGone} from '../domain/cloud.js';
import {routeTableForSubnet} from './discover-routes.js';
import {TandemError, brandFor} from '../tandem-error.js';
import {backupLookups} from './verify-backups.js';
import {sessionManagerOn, sessionReach, SSM_WAIT, type SsmRegistration, type SsmWait} from '../domain/controls/ways-in.js';
import {loadBalancerLookups} from './verify-load-balancer.js';
import {guardLookups} from './verify-network-guard.js';

/** The thing verification needed is gone (terminated, deleted, deregistered). */
export class Missing extends TandemError {
  static override readonly brand = brandFor('Missing');
}

const GONE = /NotFound|NoSuchEntity|NotFoundException/;

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let promise = cache.get(key);
    if (!promise) {
      promise = load(key);
      cache.set(key, promise);
    }
    return promise;
  };
}

/** Like call(), but "not found" codes become Missing with the given sentence. */
async function lookup<T>(operation: string, gone: string, run: () => Promise<T>): Promise<T> {
  try {
    return await call(operation, run);
  } catch (error) {
    if (GONE.test(errorCode(error))) throw new Missing(gone);
    throw error;
  }
}

export interface RolePolicies extends RolePolicySet {
  /** "inline:name" / "managed:name" of every policy the role has. */
  names: string[];
  /** Wildcard grants per customer policy, e.g. 'inline:s3 grants Action "s3:*"'. */
  wildcards: string[];
  /** AWS managed policies attached: not the customer's to write, so not judged here. */
  awsManaged: string[];
}

export interface KeyFile {
  path: string;
  /** Permission bits, e.g. 0o600; undefined when the file does not exist. */
  mode?: number;
}

const sdk = {
  ssm: () => import('@aws-sdk/client-ssm'),
  ec2: () => import('@aws-sdk/client-ec2'),
  iam: () => import('@aws-sdk/client-iam'),
  kms: () => import('@aws-sdk/client-kms'),
  logs: () => import('@aws-sdk/client-cloudwatch-logs'),
};

/** The instance, its image, volumes and key pair, and the region's EBS default. */
function instanceLookups({ec2}: AwsClients, record: LaunchRecord) {
  const instance = once(async (): Promise<Instance> => {
    const id = record.resolved.instanceId;
    if (!id) throw new Missing('no instance was recorded for this launch');
    const {DescribeInstancesCommand} = await sdk.ec2();
    let answer;
    try {
      answer = await lookup('DescribeInstances', `instance ${id} not found`, () => ec2.send(new DescribeInstancesCommand({InstanceIds: [id]})));
    } catch (error) {
      if (error instanceof Missing) throw new InstanceGone(id, 'not found');
      throw error;
    }
    const found = answer.Reservations?.flatMap((reservation) => reservation.Instances ?? []).find((item) => item.InstanceId === id);
    if (!found) throw new InstanceGone(id, 'not found');
    const state = found.State?.Name;
    if (state === 'terminated' || state === 'shutting-down') throw new InstanceGone(id, state);
    return found;
  });

  const image = memo(async (imageId: string): Promise<Image> => {
    const {DescribeImagesCommand} = await sdk.ec2();
    const gone = `image ${imageId} not found (deregistered?)`;
    const answer = await lookup('DescribeImages', gone, () => ec2.send(new DescribeImagesCommand({ImageIds: [imageId], IncludeDeprecated: true})));
    const found = answer.Images?.find((item) => item.ImageId === imageId);
    if (!found) throw new Missing(gone);
    return found;
  });

  const volumes = once(async (): Promise<Volume[]> => {
    const id = (await instance()).InstanceId ?? '';
    const {DescribeVolumesCommand} = await sdk.ec2();
    const answer = await call('DescribeVolumes', () => ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [id]}]})));
    return (answer.Volumes ?? []).sort((a, b) => (a.VolumeId ?? '').localeCompare(b.VolumeId ?? ''));
  });

  const ebsDefault = once(async (): Promise<boolean> => {
    const {GetEbsEncryptionByDefaultCommand} = await sdk.ec2();
    const answer = await call('GetEbsEncryptionByDefault', () => ec2.send(new GetEbsEncryptionByDefaultCommand({})));
    return Boolean(answer.EbsEncryptionByDefault);
  });

  const keyPair = memo(async (name: string): Promise<KeyPairInfo> => {
    const {DescribeKeyPairsCommand} = await sdk.ec2();
    const gone = `key pair ${name} not found`;
    const answer = await lookup('DescribeKeyPairs', gone, () => ec2.send(new DescribeKeyPairsCommand({KeyNames: [name]})));
    const found = answer.KeyPairs?.find((pair) => pair.KeyName === name);
    if (!found) throw new Missing(gone);
    return found;
  });

  return {instance, image, volumes, ebsDefault, keyPair};
}

/** The subnet, its routes and endpoints, and the security groups' rules. */
function networkLookups({ec2}: AwsClients) {
  const subnet = memo(async (subnetId: string): Promise<Subnet> => {
    const {DescribeSubnetsCommand} = await sdk.ec2();
    const gone = `subnet ${subnetId} not found`;
    const answer = await lookup('DescribeSubnets', gone, () => ec2.send(new DescribeSubnetsCommand({SubnetIds: [subnetId]})));
    const found = answer.Subnets?.[0];
    if (!found) throw new Missing(gone);
    return found;
  });

  /** The VPC's interface endpoints that are not deleted. */
  const vpcEndpoints = memo(async (vpcId: string): Promise<VpcEndpoint[]> => {
    const {DescribeVpcEndpointsCommand} = await sdk.ec2();
    const answer = await call('DescribeVpcEndpoints', () => ec2.send(new DescribeVpcEndpointsCommand({Filters: [{Name: 'vpc-id', Values: [vpcId]}]})));
    return (answer.VpcEndpoints ?? []).filter((endpoint) => !endpointGoing(endpoint.State));
  });

  const routeTable = memo(async (subnetId: string): Promise<RouteTable | undefined> => {
    const {DescribeRouteTablesCommand} = await sdk.ec2();
    const vpcId = (await subnet(subnetId)).VpcId;
    const answer = await call('DescribeRouteTables', () => ec2.send(new DescribeRouteTablesCommand({Filters: [{Name: 'vpc-id', Values: [vpcId ?? '']}]})));
    return routeTableForSubnet(answer.RouteTables ?? [], subnetId);
  });

  /** Every subnet of a VPC and the VPC's route tables, for the checks of the VPC as a whole. */
  const vpcLayout = memo(async (vpcId: string): Promise<{subnets: Subnet[]; routeTables: RouteTable[]}> => {
    const {DescribeSubnetsCommand, DescribeRouteTablesCommand} = await sdk.ec2();
    const filter = [{Name: 'vpc-id', Values: [vpcId]}];
    const [subnets, tables] = await Promise.all([
      call('DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({Filters: filter}))),
      call('DescribeRouteTables', () => ec2.send(new DescribeRouteTablesCommand({Filters: filter}))),
    ]);
    return {subnets: subnets.Subnets ?? [], routeTables: tables.RouteTables ?? []};
  });

  return {subnet, vpcEndpoints, routeTable, vpcLayout};
}

/** A security group's inbound rules, whether it still exists, and the prefix lists its rules name. */
function groupLookups({ec2}: AwsClients) {
  const ingressRules = memo(async (groupId: string): Promise<SecurityGroupRule[]> => {
    const {paginateDescribeSecurityGroupRules} = await sdk.ec2();
    return lookup('DescribeSecurityGroupRules', `security group ${groupId} not found`, async () => {
      const rules: SecurityGroupRule[] = [];
      const filter = [{Name: 'group-id', Values: [groupId]}];
      for await (const page of paginateDescribeSecurityGroupRules({client: ec2}, {Filters: filter})) {
        rules.push(...(page.SecurityGroupRules ?? []));
      }
      return rules.filter((rule) => !rule.IsEgress);
    });
  });

  /** The name of a managed prefix list, to tell the Instance Connect list from any other. */
  const prefixListName = memo(async (prefixListId: string): Promise<string | undefined> => {
    const {DescribeManagedPrefixListsCommand} = await sdk.ec2();
    const answer = await lookup('DescribeManagedPrefixLists', `prefix list ${prefixListId} not found`, () =>
      ec2.send(new DescribeManagedPrefixListsCommand({PrefixListIds: [prefixListId]})),
    );
    return answer.PrefixLists?.find((list) => list.PrefixListId === prefixListId)?.PrefixListName;
  });

  const groupExists = memo(async (groupId: string): Promise<boolean> => {
    const {DescribeSecurityGroupsCommand} = await sdk.ec2();
    try {
      await lookup('DescribeSecurityGroups', 'gone', () => ec2.send(new DescribeSecurityGroupsCommand({GroupIds: [groupId]})));
      return true;
    } catch (error) {
      if (error instanceof Missing) return false;
      throw error;
    }
  });

  return {ingressRules, prefixListName, groupExists};
}

/** The volume key and its rotation. */
function kmsLookups({kms}: AwsClients) {
  /** DescribeKey accepts a key id, key ARN, alias name or alias ARN; this gives the key's ARN. */
  const describeKey = memo(async (keyId: string): Promise<KeyMetadata> => {
    const {DescribeKeyCommand} = await sdk.kms();
    const answer = await lookup('DescribeKey', `KMS key ${keyId} not found`, () => kms.send(new DescribeKeyCommand({KeyId: keyId})));
    if (!answer.KeyMetadata) throw new Missing(`KMS key ${keyId} not found`);
    return answer.KeyMetadata;
  });

  const keyRotation = memo(async (keyId: string): Promise<boolean> => {
    const {GetKeyRotationStatusCommand} = await sdk.kms();
    const answer = await lookup('GetKeyRotationStatus', `KMS key ${keyId} not found`, () => kms.send(new GetKeyRotationStatusCommand({KeyId: keyId})));
    return Boolean(answer.KeyRotationEnabled);
  });

  return {describeKey, keyRotation};
}

/** The instance profile, its role's policies and who may assume the role. */
function iamLookups(clients: AwsClients) {
  const {iam} = clients;
  const instanceProfile = memo(async (name: string): Promise<InstanceProfile> => {
    const {GetInstanceProfileCommand} = await sdk.iam();
    const answer = await lookup('GetInstanceProfile', `instance profile ${name} not found`, () => iam.send(new GetInstanceProfileCommand({InstanceProfileName: name})));
    if (!answer.InstanceProfile) throw new Missing(`instance profile ${name} not found`);
    return answer.InstanceProfile;
  });

  /** An attached policy's document (its default version). */
  const policyDocument = memo((arn: string) => attachedPolicyDocument(clients, arn));

  const rolePolicies = memo(async (roleName: string): Promise<RolePolicies> => {
    const set = await lookup('ListRolePolicies', `role ${roleName} not found`, () => readRolePolicies(clients, roleName));
    const result: RolePolicies = {...set, names: [], wildcards: [], awsManaged: []};
    const judge = (label: string, document: PolicyDocument | undefined) => {
      for (const grant of wildcardGrants(document)) result.wildcards.push(`${label} grants ${grant}`);
    };
    for (const policy of set.inline) {
      result.names.push(`inline:${policy.name}`);
      judge(`inline:${policy.name}`, policy.document);
    }
    for (const policy of set.attached) {
      result.names.push(`managed:${policy.name}`);
      if (policy.awsManaged) result.awsManaged.push(policy.name);
      else judge(`managed:${policy.name}`, await policyDocument(policy.arn));
    }
    return result;
  });

  /** The role's trust policy: who may assume it. */
  const roleTrust = memo(async (roleName: string): Promise<PolicyDocument | undefined> => {
    const {GetRoleCommand} = await sdk.iam();
    const answer = await lookup('GetRole', `role ${roleName} not found`, () => iam.send(new GetRoleCommand({RoleName: roleName})));
    return decodePolicy(answer.Role?.AssumeRolePolicyDocument);
  });

  return {instanceProfile, policyDocument, rolePolicies, roleTrust};
}

/** The VPC's flow logs and a log group, each read independently of what the launch recorded. */
function flowLogLookups({ec2, logs}: AwsClients) {
  const flowLogs = memo(async (vpcId: string): Promise<FlowLog[]> => {
    const {DescribeFlowLogsCommand} = await sdk.ec2();
    const answer = await call('DescribeFlowLogs', () => ec2.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [vpcId]}]})));
    return answer.FlowLogs ?? [];
  });

  /** The group of that exact name (DescribeLogGroups matches a prefix), or Missing. */
  const logGroup = memo(async (name: string): Promise<LogGroup> => {
    const {DescribeLogGroupsCommand} = await sdk.logs();
    const gone = `log group ${name} not found`;
    const answer = await lookup('DescribeLogGroups', gone, () => logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: name})));
    const found = answer.logGroups?.find((group) => group.logGroupName === name);
    if (!found) throw new Missing(gone);
    return found;
  });

  return {flowLogs, logGroup};
}

/** The private key file's permission bits, read once per verification. */
function keyFileLookup() {
  return memo(async (path: string): Promise<KeyFile> => {
    try {
      return {path, mode: (await stat(path)).mode & 0o777};
    } catch {
      return {path};
    }
  });
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether Systems Manager lists the instance (DescribeInstanceInformation, filtered by its id),
 * asked up to `polls` times until it says Online: the agent registers a minute or so after boot.
 * A throttled poll counts as one that saw nothing (the SDK has already retried it); any other
 * error is the answer. Undefined when the instance is not listed by the last poll.
 */
function ssmLookups({ssm}: AwsClients, record: LaunchRecord, wait: SsmWait) {
  const ask = async (instanceId: string): Promise<SsmRegistration | undefined> => {
    const {DescribeInstanceInformationCommand} = await sdk.ssm();
    const answer = await call('DescribeInstanceInformation', () => ssm.send(new DescribeInstanceInformationCommand({Filters: [{Key: 'InstanceIds', Values: [instanceId]}]})));
    const entry = (answer.InstanceInformationList ?? []).find((item) => item.InstanceId === instanceId);
    return entry ? {pingStatus: entry.PingStatus} : undefined;
  };
  const ssmRegistration = once(async (): Promise<SsmRegistration | undefined> => {
    const id = record.resolved.instanceId;
    if (!id) throw new Missing('no instance was recorded for this launch');
    // Only a launch with Session Manager is worth waiting for; otherwise one look, for the checkers.
    const polls = sessionManagerOn(record.spec) ? Math.max(1, wait.polls) : 1;
    let seen: SsmRegistration | undefined;
    for (let poll = 1; poll <= polls; poll += 1) {
      try {
        seen = await ask(id);
      } catch (error) {
        if (!/Throttl|TooManyRequests/.test(errorCode(error))) throw error;
      }
      if (sessionReach(seen) === 'online' || poll === polls) break;
      await pause(wait.intervalMs);
    }
    return seen;
  });
  return {ssmRegistration, ssmPolls: sessionManagerOn(record.spec) ? Math.max(1, wait.polls) : 1};
}

export interface VerifyOptions {
  /** How long to wait for the Session Manager agent to register (tests make it short). */
  ssmWait?: SsmWait;
}

export function createVerifyContext(clients: AwsClients, record: LaunchRecord, options: VerifyOptions = {}) {
  return {
    ...ssmLookups(clients, record, options.ssmWait ?? SSM_WAIT),
    record,
    spec: record.spec,
    resolved: record.resolved,
    ...instanceLookups(clients, record),
    ...networkLookups(clients),
    ...groupLookups(clients),
    ...guardLookups(clients),
    ...kmsLookups(clients),
    ...iamLookups(clients),
    ...backupLookups(clients, record),
    ...flowLogLookups(clients),
    ...loadBalancerLookups(clients, record),
    keyFile: keyFileLookup(),
  };
}

export type VerifyContext = ReturnType<typeof createVerifyContext>;
