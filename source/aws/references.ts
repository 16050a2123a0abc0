// Before a saved profile is replayed: does each resource it reuses still exist, and is it still
// usable the way the profile assumes? One read-only call per reference, all at once. An AWS error
// never escapes: "not found" is 'missing', a denied call is 'unknown' with the reason, so the
// operator learns what tandem could not see instead of getting a crash.
import type {ReferenceCheck} from '../domain/cloud.js';
import {referencesOf, type ProfileReference} from '../domain/profile-references.js';
import {DEFAULT_ROLE_NAME} from '../domain/plan-iam.js';
import type {LaunchSpec} from '../domain/spec.js';
import {kmsRegionProblem} from '../domain/controls/storage.js';
import {send} from './actions.js';
import type {AwsClients} from './clients.js';
import {describeAwsError, errorCode, isEndpointFailure, isNotFound} from './errors.js';

type Outcome = Pick<ReferenceCheck, 'status' | 'detail' | 'unreachable'>;
type Response = Record<string, unknown>;

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);

/** The call each kind needs, named as IAM policies name it (for "denied" lines). */
const CALLS: Record<ProfileReference['kind'], string> = {
  image: 'ec2:DescribeImages',
  vpc: 'ec2:DescribeVpcs',
  subnet: 'ec2:DescribeSubnets',
  'iam-role': 'iam:GetRole',
  'iam-instance-profile': 'iam:GetInstanceProfile',
  'kms-key': 'kms:DescribeKey',
  'security-group': 'ec2:DescribeSecurityGroups',
  'key-pair': 'ec2:DescribeKeyPairs',
};

const LABELS: Record<ProfileReference['kind'], string> = {
  image: 'image',
  vpc: 'VPC',
  subnet: 'subnet',
  'iam-role': 'role',
  'iam-instance-profile': 'instance profile',
  'kms-key': 'KMS key',
  'security-group': 'security group',
  'key-pair': 'key pair',
};

const ok = (detail: string): Outcome => ({status: 'ok', detail});
const missing = (detail: string): Outcome => ({status: 'missing', detail});
const changed = (detail: string): Outcome => ({status: 'changed', detail});

/** A malformed id can never match anything, so it is as good as missing. */
function isGone(error: unknown): boolean {
  return isNotFound(error) || /\.Malformed$|^InvalidParameterValue$|^ValidationException$/.test(errorCode(error));
}

function failed(reference: ProfileReference, error: unknown): Outcome {
  const {code, message} = describeAwsError(error);
  if (DENIED.has(code)) return {status: 'unknown', detail: `could not check: ${CALLS[reference.kind]} was denied (${code})`};
  if (isGone(error)) return missing(`${LABELS[reference.kind]} ${reference.id} no longer exists (${code})`);
  return {status: 'unknown', detail: `could not check: ${code}: ${message}`, ...(isEndpointFailure(error) ? {unreachable: true} : {})};
}

function first<T>(response: Response, key: string): T | undefined {
  const list = response[key];
  return Array.isArray(list) ? (list[0] as T | undefined) : undefined;
}

/** The VPC the spec puts the instance in, when it names one by id. */
function specVpc(spec: LaunchSpec): string | undefined {
  const {vpc} = spec.network;
  return vpc !== 'default' && vpc !== 'new' ? vpc : undefined;
}

async function checkImage(clients: AwsClients, id: string): Promise<Outcome> {
  const image = first<{State?: string; Name?: string; DeprecationTime?: string}>(await send(clients, 'ec2', 'DescribeImages', {ImageIds: [id]}), 'Images');
  if (!image) return missing(`image ${id} is not visible to this account any more (deregistered or no longer shared)`);
  if (image.State && image.State !== 'available') return changed(`image ${id} is ${image.State}, not available`);
  if (image.DeprecationTime && Date.parse(image.DeprecationTime) < Date.now()) {
    return changed(`image ${id} was deprecated on ${image.DeprecationTime.slice(0, 10)}; pick a current image`);
  }
  return ok(`image ${id}${image.Name ? ` (${image.Name})` : ''} is available`);
}

async function checkVpc(clients: AwsClients, id: string): Promise<Outcome> {
  const vpc = first<{CidrBlock?: string; State?: string}>(await send(clients, 'ec2', 'DescribeVpcs', {VpcIds: [id]}), 'Vpcs');
  if (!vpc) return missing(`VPC ${id} no longer exists`);
  return ok(`VPC ${id} ${vpc.CidrBlock ?? ''}`.trim());
}

async function checkSubnet(clients: AwsClients, id: string, spec: LaunchSpec): Promise<Outcome> {
  const subnet = first<{VpcId?: string; CidrBlock?: string; AvailabilityZone?: string}>(await send(clients, 'ec2', 'DescribeSubnets', {SubnetIds: [id]}), 'Subnets');
  if (!subnet) return missing(`subnet ${id} no longer exists`);
  const wanted = specVpc(spec);
  if (wanted && subnet.VpcId !== wanted) return changed(`subnet ${id} is in ${subnet.VpcId ?? 'another VPC'}, not in ${wanted} as the profile says`);
  return ok(`subnet ${id} ${subnet.CidrBlock ?? ''} in ${subnet.VpcId ?? '?'}${subnet.AvailabilityZone ? `, ${subnet.AvailabilityZone}` : ''}`);
}

/** IAM returns the trust policy URL-encoded. */
function trustsEc2(document: unknown): boolean {
  if (typeof document !== 'string') return true;
  let text = document;
  try {
    text = decodeURIComponent(document);
  } catch {
    // already plain JSON
  }
  return text.includes('ec2.amazonaws.com');
}

async function checkRole(clients: AwsClients, name: string): Promise<Outcome> {
  const role = (await send(clients, 'iam', 'GetRole', {RoleName: name})).Role as {Arn?: string; AssumeRolePolicyDocument?: string} | undefined;
  if (!role) return missing(`role ${name} no longer exists`);
  if (!trustsEc2(role.AssumeRolePolicyDocument)) return changed(`role ${name} no longer lets EC2 (ec2.amazonaws.com) assume it`);
  return ok(`role ${role.Arn ?? name}`);
}

/**
 * An existing role reaches EC2 only through an instance profile. tandem uses the one named in the
 * profile, else the one named after the role, and never creates one for a role it did not make:
 * so when it is absent, say whether the role has another one, or none at all, and what to run.
 */
async function noInstanceProfile(clients: AwsClients, name: string, spec: LaunchSpec, error: unknown): Promise<Outcome> {
  const roleName = spec.role.name || DEFAULT_ROLE_NAME;
  if (spec.role.instanceProfile) return missing(`instance profile ${name} (role.instanceProfile) does not exist (${errorCode(error)})`);
  let others: string[];
  try {
    const listed = await send(clients, 'iam', 'ListInstanceProfilesForRole', {RoleName: roleName});
    others = ((listed.InstanceProfiles as Array<{InstanceProfileName?: string}> | undefined) ?? []).flatMap((item) => item.InstanceProfileName ?? []);
  } catch (listError) {
    // The role itself is missing (its own line says so) or the list was denied: keep to what is known.
    if (isNotFound(listError)) return missing(`role ${roleName} does not exist, so it has no instance profile either`);
    return missing(`there is no instance profile named ${name}, which tandem uses for role ${roleName}`);
  }
  if (others.length > 0) {
    return missing(
      `role ${roleName} has no instance profile named ${name}; it is in ${others.join(', ')}. tandem uses the profile named after the role, so set role.instanceProfile: ${others[0]}`,
    );
  }
  return missing(
    `role ${roleName} has no instance profile, so EC2 cannot use it; tandem creates one only for a role it creates, so it will not launch with this role until one exists: ` +
      `aws iam create-instance-profile --instance-profile-name ${name} && aws iam add-role-to-instance-profile --instance-profile-name ${name} --role-name ${roleName}`,
  );
}

async function checkInstanceProfile(clients: AwsClients, name: string, spec: LaunchSpec): Promise<Outcome> {
  let response: Response;
  try {
    response = await send(clients, 'iam', 'GetInstanceProfile', {InstanceProfileName: name});
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return noInstanceProfile(clients, name, spec, error);
  }
  const profile = response.InstanceProfile as {Roles?: Array<{RoleName?: string}>} | undefined;
  if (!profile) return missing(`instance profile ${name} no longer exists`);
  const roles = (profile.Roles ?? []).map((role) => role.RoleName).filter(Boolean);
  const wanted = spec.role.name;
  if (roles.length === 0) return changed(`instance profile ${name} holds no role now`);
  if (wanted && !roles.includes(wanted)) return changed(`instance profile ${name} now holds ${roles.join(', ')}, not ${wanted}`);
  return ok(`instance profile ${name} holds ${roles.join(', ')}`);
}

async function checkKmsKey(clients: AwsClients, id: string): Promise<Outcome> {
  // KMS answers an ARN from another region as if the key did not exist; it does, elsewhere.
  const regionProblem = kmsRegionProblem(id, clients.settings.region);
  if (regionProblem) return missing(regionProblem);
  const key = (await send(clients, 'kms', 'DescribeKey', {KeyId: id})).KeyMetadata as {KeyId?: string; KeyState?: string; DeletionDate?: Date | string; KeyUsage?: string} | undefined;
  if (!key) return missing(`KMS key ${id} no longer exists`);
  const state = key.KeyState ?? 'Enabled';
  if (state === 'PendingDeletion') {
    const when = key.DeletionDate ? ` on ${new Date(key.DeletionDate).toISOString().slice(0, 10)}` : '';
    return changed(`KMS key ${id} is scheduled for deletion${when}; a volume encrypted with it would become unreadable`);
  }
  if (state !== 'Enabled') return changed(`KMS key ${id} is ${state}; EBS cannot encrypt with it`);
  if (key.KeyUsage && key.KeyUsage !== 'ENCRYPT_DECRYPT') return changed(`KMS key ${id} is for ${key.KeyUsage}, not encryption`);
  return ok(`KMS key ${id}${key.KeyId && key.KeyId !== id ? ` (${key.KeyId})` : ''} is enabled`);
}

async function checkSecurityGroup(clients: AwsClients, id: string, spec: LaunchSpec): Promise<Outcome> {
  const group = first<{GroupName?: string; VpcId?: string}>(await send(clients, 'ec2', 'DescribeSecurityGroups', {GroupIds: [id]}), 'SecurityGroups');
  if (!group) return missing(`security group ${id} no longer exists`);
  const wanted = specVpc(spec);
  if (wanted && group.VpcId !== wanted) return changed(`security group ${id} is in ${group.VpcId ?? 'another VPC'}, not in ${wanted}`);
  return ok(`security group ${id}${group.GroupName ? ` (${group.GroupName})` : ''}`);
}

async function checkKeyPair(clients: AwsClients, name: string): Promise<Outcome> {
  const pair = first<{KeyFingerprint?: string; KeyType?: string}>(await send(clients, 'ec2', 'DescribeKeyPairs', {KeyNames: [name]}), 'KeyPairs');
  if (!pair) return missing(`key pair ${name} no longer exists`);
  return ok(`key pair ${name}${pair.KeyType ? ` (${pair.KeyType})` : ''}`);
}

function checkOne(clients: AwsClients, spec: LaunchSpec, reference: ProfileReference): Promise<Outcome> {
  const {id} = reference;
  switch (reference.kind) {
    case 'image':
      return checkImage(clients, id);
    case 'vpc':
      return checkVpc(clients, id);
    case 'subnet':
      return checkSubnet(clients, id, spec);
    case 'iam-role':
      return checkRole(clients, id);
    case 'iam-instance-profile':
      return checkInstanceProfile(clients, id, spec);
    case 'kms-key':
      return checkKmsKey(clients, id);
    case 'security-group':
      return checkSecurityGroup(clients, id, spec);
    case 'key-pair':
      return checkKeyPair(clients, id);
  }
}

/** Every reference of the spec with what AWS says about it now, in the order referencesOf gives. */
export async function checkReferences(clients: AwsClients, spec: LaunchSpec): Promise<ReferenceCheck[]> {
  const references = referencesOf(spec);
  return Promise.all(
    references.map(async (reference): Promise<ReferenceCheck> => {
      let outcome: Outcome;
      try {
        outcome = await checkOne(clients, spec, reference);
      } catch (error) {
        outcome = failed(reference, error);
      }
      return {...reference, ...outcome};
    }),
  );
}
