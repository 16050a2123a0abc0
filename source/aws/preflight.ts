// Pre-flight against the account: one read-only pass (Describe/Get/List calls, all at once where
// they do not depend on each other) that finds what would make the launch fail after it has
// created something. It extends the reference check of a replayed profile (references.ts): those
// results come first, then the checks below. An AWS error never escapes; a call the caller may
// not make becomes "not checked: denied (service:Action)".
import type {RouteTable} from '@aws-sdk/client-ec2';
import type {PreflightResult} from '../domain/preflight.js';
import {createdNames, type NameField} from '../domain/preflight.js';
import type {PreflightReport, ReferenceCheck} from '../domain/cloud.js';
import {instanceConnectListName, needsSsmEndpoints, noInstanceConnectList, sessionManagerOn, SSM_POLICY_NAME, wantsInstanceConnect} from '../domain/controls/ways-in.js';
import {existingKeyOf} from '../domain/controls/storage.js';
import {flowLogGroupName, flowLogRoleName, flowLogsOn} from '../domain/controls/flow-logs.js';
import {backupPlanName, backupRoleName, backupVaultName, hasBackupPlan} from '../domain/controls/backups.js';
import type {LaunchSpec} from '../domain/spec.js';
import {send} from './actions.js';
import type {AwsClients} from './clients.js';
import {allowsEc2Assume, decodePolicy} from './discover-policy.js';
import {attachedPolicyDocument, readRolePolicies, sessionAccess} from './role-policies.js';
import {defaultRouteTarget, routeTableForSubnet} from './discover-routes.js';
import {AwsCallError, errorCode, isNotFound} from './errors.js';
import {backupPlanTaken, backupVaultTaken, keyFileTaken, listAliases, logGroupTaken, nameTaken, notChecked, roleNameTaken, type NameAnswer, type NameScope} from './names.js';
import {checkReferences} from './references.js';
import {loadBalancerChecks} from './preflight-load-balancer.js';
import {placeLoadBalancer} from './load-balancer-placement.js';
import {placesInExistingVpc} from '../domain/controls/load-balancer-placement.js';
import {packagesThroughEndpoint} from '../domain/controls/load-balancer.js';

type Response = Record<string, unknown>;
interface Subnet {
  SubnetId?: string;
  VpcId?: string;
  AvailabilityZone?: string;
  AvailableIpAddressCount?: number;
}

/** Where the instance would go, as far as the account can tell before anything is created. */
interface Placement {
  vpcId?: string;
  subnet?: Subnet;
  /** The 0.0.0.0/0 target of the subnet's route table ('' when there is none). */
  routeTarget?: string;
  problems: PreflightResult[];
}

async function findPlacement(clients: AwsClients, spec: LaunchSpec): Promise<Placement> {
  const {network} = spec;
  const placement: Placement = {problems: []};
  if (network.vpc === 'new') return placement;
  if (network.vpc === 'default') {
    try {
      const vpcs = (await send(clients, 'ec2', 'DescribeVpcs', {Filters: [{Name: 'isDefault', Values: ['true']}]})).Vpcs as Array<{VpcId?: string}> | undefined;
      placement.vpcId = vpcs?.[0]?.VpcId;
      if (!placement.vpcId) {
        placement.problems.push({
          check: 'subnet-in-vpc',
          status: 'fail',
          field: 'network.vpc',
          detail: 'this region has no default VPC',
          fix: 'set network.vpc to new (tandem builds one) or to the id of an existing VPC',
        });
        return placement;
      }
    } catch (error) {
      placement.problems.push(notChecked('subnet-in-vpc', 'network.vpc', 'ec2:DescribeVpcs', error));
      return placement;
    }
  } else {
    placement.vpcId = network.vpc;
  }
  const vpcId = placement.vpcId;
  const byId = network.subnet.startsWith('subnet-');
  const [subnets, tables] = await Promise.allSettled([
    send(
      clients,
      'ec2',
      'DescribeSubnets',
      byId
        ? {SubnetIds: [network.subnet]}
        : {
            Filters: [
              {Name: 'vpc-id', Values: [vpcId]},
              {Name: 'default-for-az', Values: ['true']},
            ],
          },
    ),
    send(clients, 'ec2', 'DescribeRouteTables', {Filters: [{Name: 'vpc-id', Values: [vpcId]}]}),
  ]);
  if (subnets.status === 'rejected') {
    // A deleted subnet is the reference check's to report.
    if (!isNotFound(subnets.reason)) placement.problems.push(notChecked('subnet-in-vpc', 'network.subnet', 'ec2:DescribeSubnets', subnets.reason));
    return placement;
  }
  const subnet = ((subnets.value as Response).Subnets as Subnet[] | undefined)?.[0];
  if (!subnet) {
    if (!byId) {
      placement.problems.push({
        check: 'subnet-in-vpc',
        status: 'fail',
        field: 'network.subnet',
        detail: `VPC ${vpcId} has no default subnet`,
        fix: 'set network.subnet to the id of one of its subnets',
      });
    }
    return placement;
  }
  if (subnet.VpcId && subnet.VpcId !== vpcId) {
    placement.problems.push({
      check: 'subnet-in-vpc',
      status: 'fail',
      field: 'network.subnet',
      detail: `subnet ${network.subnet} is in ${subnet.VpcId}, not in ${network.vpc === 'default' ? `the default VPC ${vpcId}` : vpcId}`,
      fix: `pick a subnet of ${vpcId}, or set network.vpc to ${subnet.VpcId}`,
    });
    return placement;
  }
  placement.subnet = subnet;
  if (tables.status === 'fulfilled') {
    const list = ((tables.value as Response).RouteTables as RouteTable[] | undefined) ?? [];
    placement.routeTarget = defaultRouteTarget(routeTableForSubnet(list, subnet.SubnetId ?? '')) ?? '';
  } else {
    placement.problems.push(notChecked('public-ip-route', 'network.subnet', 'ec2:DescribeRouteTables', tables.reason));
  }
  return placement;
}

function subnetChecks(spec: LaunchSpec, placement: Placement): PreflightResult[] {
  const results: PreflightResult[] = [];
  const {network, instance} = spec;
  const {subnet} = placement;
  if (subnet && subnet.AvailableIpAddressCount === 0) {
    results.push({
      check: 'subnet-free-addresses',
      status: 'fail',
      field: 'network.subnet',
      detail: `subnet ${subnet.SubnetId} has no free IP addresses`,
      fix: 'pick another subnet, or free addresses in this one',
    });
  }
  // What the subnet's traffic to the internet goes through: an internet gateway, a NAT (or other
  // target), or nothing. A VPC this launch creates routes its public subnet to a new gateway.
  let target: string | undefined;
  if (network.vpc === 'new') target = network.subnet === 'private' ? '' : 'igw-new';
  else if (subnet) target = placement.routeTarget;
  if (target === undefined) return results;
  const where = network.vpc === 'new' ? `the new VPC's ${network.subnet} subnet` : `subnet ${subnet?.SubnetId}`;
  const viaGateway = target.startsWith('igw-');
  if (network.publicIp && !viaGateway) {
    results.push({
      check: 'public-ip-route',
      status: 'fail',
      field: 'network.publicIp',
      detail: `a public IP is asked for, but ${where} has no route to an internet gateway, so the address would reach nothing`,
      fix: 'set network.publicIp to false, or pick a subnet whose route table sends 0.0.0.0/0 to an internet gateway',
    });
  }
  const routeOut = (viaGateway && network.publicIp) || (target !== '' && !viaGateway);
  // The agent calls out over HTTPS; tandem adds endpoints only to a private subnet of a VPC it builds.
  if (sessionManagerOn(spec) && !routeOut && !needsSsmEndpoints(spec)) {
    results.push({
      check: 'session-manager-route',
      status: 'warn',
      field: 'access.sessionManager',
      detail: `the SSM agent on the instance cannot reach Session Manager from ${where}: it has no way out${viaGateway ? ' without a public IP' : ''} and tandem adds no endpoints there`,
      fix: viaGateway
        ? 'set network.publicIp to true, or add interface endpoints for ssm, ssmmessages and ec2messages to the VPC'
        : 'pick a subnet with a NAT route, or add interface endpoints for ssm, ssmmessages and ec2messages to the VPC',
    });
  }
  // Behind a load balancer the private subnet reaches the repositories (S3) through its gateway
  // endpoint; in an existing VPC the placement's own check says whether it has one.
  if (instance.userData === 'httpd' && !routeOut && !packagesThroughEndpoint(spec) && !placesInExistingVpc(spec)) {
    results.push({
      check: 'user-data-route',
      status: 'fail',
      field: 'instance.userData',
      detail: `the web server is installed from the package repositories at first boot, but ${where} has no way out${viaGateway ? ' without a public IP' : ' (no internet gateway or NAT route)'}`,
      fix: viaGateway ? 'set network.publicIp to true, or instance.userData to none' : 'set instance.userData to none, or pick a subnet with a NAT or internet gateway route',
    });
  }
  return results;
}

interface TypeInfo {
  ProcessorInfo?: {SupportedArchitectures?: string[]};
  DedicatedHostsSupported?: boolean;
}

async function instanceTypeChecks(clients: AwsClients, spec: LaunchSpec, placed: Promise<Placement>): Promise<PreflightResult[]> {
  const {instance} = spec;
  // Every zone offering the type, asked at once (not after the subnet is known): one level less.
  const [offerings, types, image, placement] = await Promise.allSettled([
    send(clients, 'ec2', 'DescribeInstanceTypeOfferings', {
      LocationType: 'availability-zone',
      Filters: [{Name: 'instance-type', Values: [instance.type]}],
    }),
    send(clients, 'ec2', 'DescribeInstanceTypes', {InstanceTypes: [instance.type]}),
    instance.image === 'ami' && instance.amiId ? send(clients, 'ec2', 'DescribeImages', {ImageIds: [instance.amiId]}) : Promise.resolve(undefined),
    placed,
  ]);
  // A VPC this launch creates lets EC2 pick the zone, so some zone of the region must offer the type.
  const zone = placement.status === 'fulfilled' ? placement.value.subnet?.AvailabilityZone : undefined;
  const where = zone ?? clients.settings.region;
  const results: PreflightResult[] = [];
  // DescribeInstanceTypes answers InvalidInstanceType for a type EC2 does not have (t3.mega):
  // that, not "not offered in <zone>", is what the operator needs to hear.
  const unknownType = types.status === 'rejected' && errorCode(types.reason) === 'InvalidInstanceType';
  if (unknownType) {
    results.push({
      check: 'instance-type-offered',
      status: 'fail',
      field: 'instance.type',
      detail: `${instance.type} is not an EC2 instance type (EC2 answers InvalidInstanceType)`,
      fix: 'check the spelling; types look like t3.micro, m7i.large or t4g.small',
    });
  } else if (offerings.status === 'rejected') results.push(notChecked('instance-type-offered', 'instance.type', 'ec2:DescribeInstanceTypeOfferings', offerings.reason));
  else {
    const zones = ((offerings.value.InstanceTypeOfferings as Array<{Location?: string}> | undefined) ?? []).map((offering) => offering.Location);
    const offered = zone ? zones.includes(zone) : zones.length > 0;
    if (!offered) {
      results.push({
        check: 'instance-type-offered',
        status: 'fail',
        field: 'instance.type',
        detail: `${instance.type} is not offered in ${where}${zone && zones.length > 0 ? ` (it is in ${zones.sort().join(', ')})` : ''}`,
        fix: zone ? `pick another instance type, or a subnet in another Availability Zone` : 'pick another instance type or region',
      });
    }
  }
  let info: TypeInfo | undefined;
  if (types.status === 'rejected') {
    if (errorCode(types.reason) !== 'InvalidInstanceType') {
      results.push(notChecked('instance-type-arch', 'instance.type', 'ec2:DescribeInstanceTypes', types.reason));
    }
  } else {
    info = (types.value.InstanceTypes as TypeInfo[] | undefined)?.[0];
  }
  const imageArch = image.status === 'fulfilled' && image.value ? ((image.value.Images as Array<{Architecture?: string}> | undefined)?.[0]?.Architecture ?? instance.arch) : instance.arch;
  const archs = info?.ProcessorInfo?.SupportedArchitectures;
  if (archs && archs.length > 0 && !archs.includes(imageArch)) {
    results.push({
      check: 'instance-type-arch',
      status: 'fail',
      field: 'instance.type',
      detail: `${instance.type} runs ${archs.join(', ')}, but the image is ${imageArch}`,
      fix: imageArch === 'arm64' ? 'pick a Graviton type such as t4g.micro, or an x86_64 image' : 'pick an x86_64 type such as t3.micro, or an arm64 image',
    });
  }
  if (instance.tenancy === 'host' && info && info.DedicatedHostsSupported === false) {
    results.push({
      check: 'dedicated-host',
      status: 'fail',
      field: 'instance.tenancy',
      detail: `${instance.type} cannot be placed on a Dedicated Host`,
      fix: 'pick a type Dedicated Hosts support (m5.large, c5.large...), or set instance.tenancy to dedicated',
    });
  }
  return results;
}

async function kmsKeyCheck(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  // Only a customer key the spec names is read: tandem makes a new one, and AWS makes aws/ebs.
  const keyId = existingKeyOf(spec.storage);
  if (keyId === undefined) return [];
  const field = 'storage.kmsKey';
  try {
    const key = (await send(clients, 'kms', 'DescribeKey', {KeyId: keyId})).KeyMetadata as {KeyState?: string; KeyUsage?: string; KeySpec?: string; KeyManager?: string} | undefined;
    const problem = !key
      ? 'was not found'
      : key.KeyState && key.KeyState !== 'Enabled'
        ? `is ${key.KeyState}, and EBS encrypts only with an enabled key`
        : key.KeyUsage && key.KeyUsage !== 'ENCRYPT_DECRYPT'
          ? `is for ${key.KeyUsage}, not encryption`
          : key.KeySpec && key.KeySpec !== 'SYMMETRIC_DEFAULT'
            ? `is an asymmetric ${key.KeySpec} key; EBS needs a symmetric one`
            : undefined;
    if (!problem) return [{check: 'kms-key-usable', status: 'ok', field, detail: `KMS key ${keyId} is enabled for encryption`}];
    return [{check: 'kms-key-usable', status: 'fail', field, detail: `KMS key ${keyId} ${problem}`, fix: 'choose an enabled symmetric key, aws/ebs, or new'}];
  } catch (error) {
    if (isNotFound(error)) return [{check: 'kms-key-usable', status: 'fail', field, detail: `KMS key ${keyId} does not exist`, fix: 'choose another key, aws/ebs, or new'}];
    return [notChecked('kms-key-usable', field, 'kms:DescribeKey', error)];
  }
}

async function roleTrustCheck(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  if (spec.role.mode !== 'existing') return [];
  const name = spec.role.name || 'EC2AccessToS3Role';
  try {
    const role = (await send(clients, 'iam', 'GetRole', {RoleName: name})).Role as {AssumeRolePolicyDocument?: string} | undefined;
    if (!role) return [];
    if (allowsEc2Assume(decodePolicy(role.AssumeRolePolicyDocument))) return [{check: 'role-trust', status: 'ok', field: 'role.name', detail: `EC2 may assume role ${name}`}];
    return [
      {
        check: 'role-trust',
        status: 'fail',
        field: 'role.name',
        detail: `role ${name}'s trust policy does not let EC2 (ec2.amazonaws.com) assume it, so the instance would get no credentials`,
        fix: 'pick a role made for EC2, or add ec2.amazonaws.com to its trust policy',
      },
    ];
  } catch (error) {
    // A missing role is the reference check's to report.
    return isNotFound(error) ? [] : [notChecked('role-trust', 'role.name', 'iam:GetRole', error)];
  }
}

/** Instance Connect opens port 22 to the region's managed prefix list: it must exist here. */
async function instanceConnectCheck(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  if (!wantsInstanceConnect(spec)) return [];
  const name = instanceConnectListName(spec.region);
  try {
    const lists = (await send(clients, 'ec2', 'DescribeManagedPrefixLists', {Filters: [{Name: 'prefix-list-name', Values: [name]}]})).PrefixLists as
      Array<{PrefixListId?: string}> | undefined;
    const id = lists?.[0]?.PrefixListId;
    if (id) return [{check: 'instance-connect-list', status: 'ok', field: 'access.instanceConnect', detail: `EC2 Instance Connect's prefix list ${name} is ${id}`}];
    return [{check: 'instance-connect-list', status: 'fail', field: 'access.instanceConnect', ...noInstanceConnectList(spec.region)}];
  } catch (error) {
    return [notChecked('instance-connect-list', 'access.instanceConnect', 'ec2:DescribeManagedPrefixLists', error)];
  }
}

/**
 * An existing role must already let Session Manager in: tandem never edits a role it did not
 * create, so it reads the role's policies and says which permission is missing.
 */
async function roleSessionCheck(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  if (spec.role.mode !== 'existing' || !sessionManagerOn(spec)) return [];
  const name = spec.role.name || 'EC2AccessToS3Role';
  const check = 'role-session-manager' as const;
  try {
    const {managed, missing} = await sessionAccess(await readRolePolicies(clients, name), (arn) => attachedPolicyDocument(clients, arn));
    if (managed) return [{check, status: 'ok', field: 'role.name', detail: `role ${name} carries ${SSM_POLICY_NAME}`}];
    if (missing.length === 0) return [{check, status: 'ok', field: 'role.name', detail: `role ${name} grants what Session Manager needs (without ${SSM_POLICY_NAME})`}];
    return [
      {
        check,
        status: 'fail',
        field: 'role.name',
        detail: `role ${name} does not let Session Manager in: it lacks ${SSM_POLICY_NAME}, and nothing on it allows ${missing.join(', ')}`,
        fix: `attach ${SSM_POLICY_NAME} to the role yourself (tandem never changes a role it did not create), pick another role, or set access.sessionManager to false`,
      },
    ];
  } catch (error) {
    // A missing role is the reference check's to report.
    return isNotFound(error) ? [] : [notChecked(check, 'role.name', `iam:${error instanceof AwsCallError ? error.operation : 'ListRolePolicies'}`, error)];
  }
}

const NAME_CHECKS: Record<NameField, {check: PreflightResult['check']; fix: string}> = {
  'securityGroup.name': {check: 'security-group-name', fix: 'choose another name (security group names are unique per VPC)'},
  'role.name': {check: 'role-name', fix: 'choose another role name, or reuse that role with role.mode: existing'},
  'keyPair.name': {check: 'key-pair-name', fix: 'choose another key pair name, or reuse it with keyPair.mode: existing'},
  'storage.kmsAlias': {check: 'kms-alias-name', fix: 'set storage.kmsAlias to another alias/... name'},
};

function nameResult(field: NameField, name: string, answer: NameAnswer): PreflightResult {
  const {check, fix} = NAME_CHECKS[field];
  if (answer.taken === 'unknown') return {check, status: 'not-checked', field, detail: answer.reason, ...(answer.unreachable ? {unreachable: true} : {})};
  if (answer.taken) return {check, status: 'fail', field, detail: `${name}: ${answer.what}`, fix};
  return {check, status: 'ok', field, detail: `${name} is free`};
}

async function nameChecks(clients: AwsClients, spec: LaunchSpec, placed: Promise<Placement>): Promise<PreflightResult[]> {
  const names = createdNames(spec);
  const scope: NameScope = names['storage.kmsAlias'] ? {aliases: listAliases(clients)} : {};
  scope.aliases?.catch(() => undefined);
  const checks = (Object.entries(names) as Array<[NameField, string]>).map(async ([field, name]) => {
    // The key file is checked on its own below, with its own field.
    const lookupSpec = field === 'keyPair.name' ? {...spec, keyPair: {...spec.keyPair, mode: 'import' as const}} : spec;
    // Only a security group name waits for the VPC; the others are asked at once.
    const vpcId = field === 'securityGroup.name' ? (await placed).vpcId : undefined;
    return nameResult(field, name, await nameTaken(clients, lookupSpec, field, name, {...scope, ...(vpcId ? {vpcId} : {})}));
  });
  const results = await Promise.all(checks);
  if (spec.keyPair.mode === 'create' && spec.keyPair.path) {
    const file = keyFileTaken(spec.keyPair.path);
    results.push(
      file.taken === true
        ? {check: 'key-file', status: 'fail', field: 'keyPair.path', detail: file.what, fix: 'tandem never overwrites a key file; choose another path or key name'}
        : {check: 'key-file', status: 'ok', field: 'keyPair.path', detail: `${spec.keyPair.path} is free`},
    );
  }
  return results;
}

/**
 * What to do about a taken name the flow logs or the backups would create. Those names follow the
 * instance's name (controls/flow-logs.ts, controls/backups.ts), so that is the field to change.
 */
const FLOW_LOG_FIX =
  "the flow logs' log group and role are named after the instance: choose another instance.name, remove what an earlier launch left (tandem launches lists them; tandem destroy LAUNCH_ID), or set network.flowLogs: false";
const BACKUP_FIX =
  'the backup vault, plan and role are named after the instance: choose another instance.name, or remove what an earlier launch left (tandem destroy LAUNCH_ID; a vault stays until its recovery points expire or you delete them), or set backup.plan: false';

function derivedResult(check: PreflightResult['check'], name: string, answer: NameAnswer, fix: string): PreflightResult {
  const field = 'instance.name';
  if (answer.taken === 'unknown') return {check, status: 'not-checked', field, detail: answer.reason, ...(answer.unreachable ? {unreachable: true} : {})};
  if (answer.taken) return {check, status: 'fail', field, detail: answer.what, fix};
  return {check, status: 'ok', field, detail: `${name} is free`};
}

/** The names the flow logs and the backup plan would create, checked only when the spec creates them. */
async function controlNameChecks(clients: AwsClients, spec: LaunchSpec): Promise<PreflightResult[]> {
  const checks: Array<Promise<PreflightResult>> = [];
  const named = (check: PreflightResult['check'], name: string, answer: Promise<NameAnswer>, fix: string) => checks.push(answer.then((result) => derivedResult(check, name, result, fix)));
  if (flowLogsOn(spec)) {
    named('flow-log-group-name', flowLogGroupName(spec), logGroupTaken(clients, flowLogGroupName(spec)), FLOW_LOG_FIX);
    named('flow-log-role-name', flowLogRoleName(spec), roleNameTaken(clients, flowLogRoleName(spec)), FLOW_LOG_FIX);
  }
  if (hasBackupPlan(spec)) {
    named('backup-vault-name', backupVaultName(spec), backupVaultTaken(clients, backupVaultName(spec)), BACKUP_FIX);
    named('backup-plan-name', backupPlanName(spec), backupPlanTaken(clients, backupPlanName(spec)), BACKUP_FIX);
    named('backup-role-name', backupRoleName(spec), roleNameTaken(clients, backupRoleName(spec)), BACKUP_FIX);
  }
  return Promise.all(checks);
}

/** A reference that is gone or changed blocks the launch; a deprecated image only warns. */
function fromReference(reference: ReferenceCheck): PreflightResult {
  const base = {check: 'reference' as const, field: reference.field, detail: `${reference.id}: ${reference.detail}`};
  switch (reference.status) {
    case 'ok':
      return {...base, status: 'ok'};
    case 'unknown':
      return {
        ...base,
        status: 'not-checked',
        detail: `${reference.id}: ${reference.detail.replace(/^could not check: /, '')}`,
        ...(reference.unreachable ? {unreachable: true} : {}),
      };
    case 'missing':
      return {...base, status: 'fail', fix: 'choose an existing one again (tandem launch NAME lets you pick)'};
    case 'changed':
      return reference.kind === 'image' ? {...base, status: 'warn', fix: 'pick a current image'} : {...base, status: 'fail', fix: 'choose again (tandem launch NAME lets you pick)'};
  }
}

/**
 * Every check, the reference checks first; a field with a specific failure keeps only that one.
 * Behind a load balancer in an existing VPC the subnets are chosen first, and the other checks
 * judge the spec with them written in; a VPC that cannot hold the launch stops pre-flight there.
 */
export async function runPreflight(clients: AwsClients, given: LaunchSpec): Promise<PreflightReport> {
  const layout = await placeLoadBalancer(clients, given);
  if (layout.results.some((result) => result.status !== 'ok' && result.check === 'lb-subnets')) {
    const references = await checkReferences(clients, given);
    return {references, results: [...references.map(fromReference).filter((result) => result.status === 'ok'), ...layout.results]};
  }
  const spec = 'spec' in layout ? layout.spec : given;
  // Everything starts at once; only what needs the VPC or subnet waits for it.
  const placed = findPlacement(clients, spec);
  const [references, placement, kms, trust, session, types, names, instanceConnect, controlNames, layered] = await Promise.all([
    checkReferences(clients, spec),
    placed,
    kmsKeyCheck(clients, spec),
    roleTrustCheck(clients, spec),
    roleSessionCheck(clients, spec),
    instanceTypeChecks(clients, spec, placed),
    nameChecks(clients, spec, placed),
    instanceConnectCheck(clients, spec),
    controlNameChecks(clients, spec),
    loadBalancerChecks(clients, spec),
  ]);
  const specific = [
    ...layout.results,
    ...placement.problems,
    ...subnetChecks(spec, placement),
    ...types,
    ...kms,
    ...trust,
    ...session,
    ...names,
    ...instanceConnect,
    ...controlNames,
    ...layered,
  ];
  const covered = new Set(specific.filter((result) => result.status !== 'ok').map((result) => result.field));
  const fromRefs = references.map(fromReference).filter((result) => result.status === 'ok' || !covered.has(result.field));
  return {references, results: [...fromRefs, ...specific]};
}
