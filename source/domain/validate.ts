// Validation of every launch-spec field, one friendly sentence per problem: what was wrong and
// what is expected. Syntax and AWS limits only; whether a valid choice is risky (SSH open to the
// world, a public IP) is for findings.ts to judge, and whether a file or resource exists is for
// the executor, because this module cannot touch the filesystem or the network.
import {SSH_ME} from './my-address.js';
import {ARCHES, IMAGE_SOURCES, USER_DATA} from './controls/image.js';
import {KEY_PAIR_MODES, KEY_TYPES} from './controls/key-pair.js';
import {HTTP_TOKENS} from './controls/metadata.js';
import {ROLE_ACCESS, ROLE_MODES} from './controls/role.js';
import {GROUP_MODES, isWholeInternet, sshAddressProblem} from './controls/security-group.js';
import {VOLUME_TYPES} from './controls/storage.js';
import {TENANCIES} from './controls/tenancy.js';
import {cidrContains, cidrOverlaps, parseCidr} from './cidr.js';
import {archForInstanceType, isMacFamily, parseInstanceType} from './instance-types.js';
import {newVpcCidrs} from './plan-network.js';
import {inNewPrivateSubnet, type LaunchSpec} from './spec.js';
import {needsSessionRole} from './controls/ways-in.js';
import {kmsAliasProblem, kmsKeyProblem} from './controls/storage.js';

export {kmsArnRegion, kmsRegionProblem} from './controls/storage.js';
import {unknownRegionProblem} from './launch-target.js';
import {inert} from './sanitize.js';

export interface FieldProblem {
  field: string;
  message: string;
}

type Rule = (value: unknown, spec: LaunchSpec) => string | undefined;

// Values come from profile files and typed fields: a control character must never reach the terminal.
const show = (value: unknown): string => (typeof value === 'string' ? `'${inert(value)}'` : JSON.stringify(value) ?? String(value));

function oneOf(label: string, options: readonly string[]): Rule {
  return (value) =>
    typeof value === 'string' && options.includes(value)
      ? undefined
      : `${label} ${show(value)} is not one of the choices; expected ${options.map((option) => `'${option}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`;
}

function booleanRule(label: string): Rule {
  return (value) => (typeof value === 'boolean' ? undefined : `${label} must be true or false, not ${show(value)}.`);
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const HEX_ID = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);

const REGION_PATTERN =
  /^(?:us-gov|us-iso|us-isob|us-isof|eu-isoe|us|eu|eusc-de|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

function region(value: unknown): string | undefined {
  // A well-formed name AWS does not have (us-east-9) would fail only after the first creates.
  if (typeof value === 'string' && REGION_PATTERN.test(value)) return unknownRegionProblem(value);
  return `Region ${show(value)} is not an AWS region name; expected something like us-east-1, eu-central-2 or ap-southeast-1.`;
}

function instanceName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'The instance name is required; it becomes the Name tag (1–255 characters).';
  if (value.length > 255) return `The instance name is ${value.length} characters long; a Name tag holds at most 255.`;
  if (CONTROL_CHARS.test(value)) return 'The instance name contains a control character (such as a tab or newline); use printable characters only.';
  return undefined;
}

function amiId(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.instance.image !== 'ami') return undefined;
  if (typeof value === 'string' && HEX_ID('ami').test(value)) return undefined;
  return `Image id ${value === undefined ? '(missing)' : show(value)} is not an AMI id; expected 'ami-' followed by 8 or 17 lowercase hex digits, like ami-0abcdef1234567890.`;
}

function instanceType(value: unknown, spec: LaunchSpec): string | undefined {
  const parsed = typeof value === 'string' ? parseInstanceType(value) : undefined;
  if (!parsed) return `Instance type ${show(value)} is not an instance type name; expected family.size, like t3.micro or m7g.large.`;
  if (isMacFamily(parsed.family)) return `Instance type ${show(value)} runs macOS on a dedicated Mac host; tandem launches Amazon Linux, so choose a Linux type such as t3.micro.`;
  const needs = archForInstanceType(value as string);
  if (needs && needs !== spec.instance.arch) {
    const hint = needs === 'arm64' ? 'Graviton (arm64)' : 'x86_64';
    return `Instance type ${show(value)} is ${hint} but the image is ${spec.instance.arch}; choose a ${spec.instance.arch === 'arm64' ? 'Graviton type such as t4g.micro' : 'type such as t3.micro'} or switch the image to ${needs}.`;
  }
  return undefined;
}

function hopLimit(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 64) return undefined;
  return `Hop limit ${show(value)} is out of range; expected a whole number from 1 to 64 (1 keeps metadata tokens on the instance).`;
}

function vpc(value: unknown): string | undefined {
  if (value === 'default' || value === 'new') return undefined;
  if (typeof value === 'string' && HEX_ID('vpc').test(value)) return undefined;
  return `VPC ${show(value)} is not valid; expected 'default', 'new' or an existing VPC id like vpc-0abc1234.`;
}

function subnet(value: unknown, spec: LaunchSpec): string | undefined {
  const isId = typeof value === 'string' && HEX_ID('subnet').test(value);
  if (spec.network.vpc === 'new') {
    return value === 'public' || value === 'private' ? undefined : `Subnet ${show(value)} does not fit a new VPC; expected 'public' or 'private'.`;
  }
  if (spec.network.vpc === 'default') {
    return value === 'default' || isId ? undefined : `Subnet ${show(value)} is not valid in the default VPC; expected 'default' or a subnet id like subnet-0abc1234.`;
  }
  return isId ? undefined : `Subnet ${show(value)} is not a subnet id; an existing VPC needs one of its subnets, like subnet-0abc1234.`;
}

function vpcCidr(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.network.vpc !== 'new' || value === undefined) return undefined;
  if (typeof value !== 'string') return `VPC CIDR ${show(value)} is not a CIDR block; expected something like 10.0.0.0/16.`;
  const parsed = parseCidr(value);
  if (!parsed.ok) return parsed.message;
  if (parsed.cidr.version !== 4) return `VPC CIDR ${show(value)} is IPv6; a VPC's primary block must be IPv4, like 10.0.0.0/16.`;
  if (parsed.cidr.prefix < 16 || parsed.cidr.prefix > 28) return `VPC CIDR ${show(value)} is a /${parsed.cidr.prefix}; a VPC block must be between /16 and /28.`;
  if (parsed.cidr.prefix > 27 && (!spec.network.publicSubnetCidr || !spec.network.privateSubnetCidr)) {
    return `VPC CIDR ${show(value)} is too small to split into a public and a private subnet; use /27 or larger, like 10.0.0.0/24.`;
  }
  return undefined;
}

function subnetCidr(which: 'public' | 'private'): Rule {
  return (value, spec) => {
    if (spec.network.vpc !== 'new' || value === undefined) return undefined;
    const label = `The ${which} subnet CIDR`;
    if (typeof value !== 'string') return `${label} ${show(value)} is not a CIDR block; expected something like 10.0.0.0/24.`;
    const parsed = parseCidr(value);
    if (!parsed.ok) return parsed.message;
    if (parsed.cidr.version !== 4) return `${label} ${show(value)} is IPv6; tandem's subnets are IPv4, like 10.0.0.0/24.`;
    if (parsed.cidr.prefix < 16 || parsed.cidr.prefix > 28) return `${label} ${show(value)} is a /${parsed.cidr.prefix}; a subnet block must be between /16 and /28.`;
    const vpcBlock = parseCidr(newVpcCidrs(spec.network).vpc);
    if (vpcBlock.ok && !cidrContains(vpcBlock.cidr, parsed.cidr)) {
      return `${label} ${show(value)} lies outside the VPC block ${vpcBlock.cidr.text}; choose a block inside it.`;
    }
    const otherText = which === 'public' ? newVpcCidrs(spec.network).privateSubnet : spec.network.publicSubnetCidr;
    const other = otherText ? parseCidr(otherText) : undefined;
    if (which === 'private' && other?.ok && cidrOverlaps(other.cidr, parsed.cidr)) {
      return `${label} ${show(value)} overlaps the public subnet ${other.cidr.text}; the two subnets need separate blocks.`;
    }
    if (which === 'public' && spec.network.privateSubnetCidr === undefined && other?.ok && cidrOverlaps(other.cidr, parsed.cidr)) {
      return `${label} ${show(value)} overlaps the default private subnet ${other.cidr.text}; set the private subnet CIDR too.`;
    }
    return undefined;
  };
}

const IAM_NAME = /^[\w+=,.@-]+$/;

function roleName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode === 'none' && !needsSessionRole(spec)) return undefined;
  if (value === undefined && spec.role.mode !== 'existing') return undefined; // EC2AccessToS3Role, or tandem-ssm-<instance>
  if (typeof value !== 'string' || value.length === 0) return 'The IAM role name is required; expected 1–64 letters, digits or +=,.@_- characters.';
  if (value.length > 64) return `IAM role name ${show(value)} is ${value.length} characters long; the limit is 64.`;
  if (!IAM_NAME.test(value)) return `IAM role name ${show(value)} has characters IAM does not allow; use letters, digits and +=,.@_- only.`;
  return undefined;
}

function instanceProfile(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode === 'none' || value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || !IAM_NAME.test(value)) {
    return `Instance profile name ${show(value)} is not valid; expected 1–128 letters, digits or +=,.@_- characters.`;
  }
  return undefined;
}

/** S3 general purpose bucket naming rules. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `Bucket name ${show(name)} is ${name.length} characters long; S3 bucket names are 3–63 characters.`;
  if (!/^[a-z0-9.-]+$/.test(name)) return `Bucket name ${show(name)} may only contain lowercase letters, digits, dots and hyphens.`;
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return `Bucket name ${show(name)} must start and end with a lowercase letter or digit.`;
  if (name.includes('..')) return `Bucket name ${show(name)} has two dots in a row, which S3 does not allow.`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return `Bucket name ${show(name)} looks like an IP address, which S3 does not allow.`;
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `Bucket name ${show(name)} starts with '${prefix}', a prefix S3 reserves.`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `Bucket name ${show(name)} ends with '${suffix}', a suffix S3 reserves.`;
  }
  return undefined;
}

function bucket(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode !== 'create') return undefined;
  if (typeof value !== 'string' || value === '') return 'The role needs the S3 bucket it may use; expected a bucket name like my-site-assets.';
  return bucketNameProblem(value);
}

function access(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.role.mode !== 'create') return undefined;
  return oneOf('Bucket access', ROLE_ACCESS)(value, spec);
}

const SIZE_LIMITS: Record<string, [number, number]> = {gp3: [1, 16384], gp2: [1, 16384], io2: [4, 65536]};
/** Amazon Linux root snapshots are 8 GiB; a root volume cannot be smaller than its snapshot. */
const AMAZON_LINUX_MIN_ROOT_GIB = 8;

function sizeGiB(value: unknown, spec: LaunchSpec): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `Volume size ${show(value)} must be a whole number of GiB, like 8.`;
  const [min, max] = SIZE_LIMITS[spec.storage.type] ?? SIZE_LIMITS.gp3;
  if (value < min || value > max) return `Volume size ${value} GiB is out of range for ${spec.storage.type}; expected ${min}–${max} GiB.`;
  if (spec.instance.image !== 'ami' && value < AMAZON_LINUX_MIN_ROOT_GIB) {
    const label = spec.instance.image === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2';
    return `Volume size ${value} GiB is smaller than the ${label} image's 8 GiB root snapshot; use at least 8 GiB.`;
  }
  return undefined;
}

const SG_NAME = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/;

function securityGroupName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.securityGroup.mode !== 'create') return undefined;
  if (typeof value !== 'string' || value.length === 0) return 'The security group name is required (1–255 characters).';
  if (value.length > 255) return `Security group name is ${value.length} characters long; the limit is 255.`;
  if (value.toLowerCase().startsWith('sg-')) return `Security group name ${show(value)} starts with 'sg-', which AWS reserves for group ids; choose another name.`;
  if (!SG_NAME.test(value)) return `Security group name ${show(value)} has characters AWS does not allow; use letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*.`;
  return undefined;
}

function groupId(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.securityGroup.mode !== 'existing') return undefined;
  if (typeof value === 'string' && HEX_ID('sg').test(value)) return undefined;
  return `Security group ${value === undefined ? '(missing)' : show(value)} is not a group id; expected one like sg-0abc1234.`;
}

function ingress(label: string): Rule {
  return (value, spec) => {
    if (spec.securityGroup.mode !== 'create' || value === false) return undefined;
    if (typeof value !== 'string') return `${label} must be a CIDR block such as 203.0.113.7/32, or false for no rule.`;
    const parsed = parseCidr(value);
    return parsed.ok ? undefined : `${label}: ${parsed.message}`;
  };
}

/** SSH is off, open to the world (its own explicit choice), or from exactly one address. */
function sshSource(value: unknown, spec: LaunchSpec): string | undefined {
  // `me` is found at launch (checkip) and judged then; it is never wider than one address.
  if (value === SSH_ME) return undefined;
  const problem = ingress('SSH source')(value, spec);
  if (problem || typeof value !== 'string' || isWholeInternet(value)) return problem;
  const range = sshAddressProblem(value);
  return range ? `SSH source: ${range}` : undefined;
}

function keyName(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.keyPair.mode === 'none') return undefined;
  if (typeof value !== 'string' || value.length === 0) return 'The key pair name is required (1–255 ASCII characters).';
  if (value.length > 255) return `Key pair name is ${value.length} characters long; the limit is 255.`;
  if (!/^[\x20-\x7e]+$/.test(value)) return `Key pair name ${show(value)} has non-ASCII or control characters; use printable ASCII only.`;
  return undefined;
}

function keyType(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.keyPair.mode !== 'create' || value === undefined) return undefined;
  return oneOf('Key type', KEY_TYPES)(value, spec);
}

function keyPath(value: unknown, spec: LaunchSpec): string | undefined {
  const {mode} = spec.keyPair;
  if (mode !== 'create' && mode !== 'import') return undefined;
  const what = mode === 'create' ? 'where to save the private key' : 'the public key file to import';
  if (typeof value !== 'string' || value.length === 0) return `The key pair needs a path: ${what}, like ~/.ssh/web-key.${mode === 'create' ? 'pem' : 'pub'}.`;
  if (value.includes('\0')) return 'The key path contains a NUL character; use an ordinary file path.';
  if (!value.startsWith('/') && !value.startsWith('~/') && !/^[A-Za-z]:[\\/]/.test(value)) {
    return `Key path ${show(value)} is relative; give an absolute path or one starting with ~/, like ~/.ssh/web-key.pem.`;
  }
  if (value.endsWith('/') || value.endsWith('\\')) return `Key path ${show(value)} names a directory; give a file name too.`;
  return undefined;
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
// Name and tandem:launch-id are added to every resource, and AWS allows 50 tags per resource.
export const MAX_OPERATOR_TAGS = 48;

function tags(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'Tags must be a map of key: value pairs, like {owner: ops}.';
  const entries = Object.entries(value);
  if (entries.length > MAX_OPERATOR_TAGS) return `There are ${entries.length} tags; tandem adds Name and tandem:launch-id, so at most ${MAX_OPERATOR_TAGS} of your own fit the 50-tag limit.`;
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > 128) return `Tag key ${show(key)} must be 1–128 characters long.`;
    if (key.toLowerCase().startsWith('aws:')) return `Tag key ${show(key)} starts with 'aws:', a prefix reserved for AWS.`;
    if (key === 'Name') return "Tag key 'Name' is set from the instance name; change instance.name instead.";
    if (key.startsWith('tandem:')) return `Tag key ${show(key)} starts with 'tandem:', which tandem reserves for its own tags.`;
    if (!TAG_TEXT.test(key)) return `Tag key ${show(key)} has characters some AWS services reject; use letters, digits, spaces and _.:/=+-@.`;
    if (typeof tagValue !== 'string') return `Tag ${show(key)} must have a text value, not ${show(tagValue)}.`;
    if (tagValue.length > 256) return `Tag ${show(key)} has a value of ${tagValue.length} characters; the limit is 256.`;
    if (!TAG_TEXT.test(tagValue)) return `Tag ${show(key)} has a value with characters some AWS services reject; use letters, digits, spaces and _.:/=+-@.`;
  }
  return undefined;
}

function acceptedRisks(value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'acceptedRisks must be a list of {finding, reason} entries.';
  for (const entry of value) {
    const {finding, reason} = (entry ?? {}) as {finding?: unknown; reason?: unknown};
    if (typeof finding !== 'string' || !/^[a-z0-9-]+$/.test(finding)) return `Accepted risk ${show(finding)} is not a finding id, like ssh-open-to-internet.`;
    if (typeof reason !== 'string' || reason.trim() === '') return `Accepted risk ${show(finding)} needs a reason saying why it is acceptable.`;
  }
  return undefined;
}

const RULES: Record<string, Rule> = {
  version: (value) => (value === 1 ? undefined : `Profile version ${show(value)} is not supported; expected version: 1.`),
  region,
  'instance.name': instanceName,
  'instance.image': oneOf('Image', IMAGE_SOURCES),
  'instance.amiId': amiId,
  'instance.arch': oneOf('Architecture', ARCHES),
  'instance.type': instanceType,
  'instance.tenancy': oneOf('Tenancy', TENANCIES),
  'instance.imds': oneOf('IMDS token setting', HTTP_TOKENS),
  'instance.hopLimit': hopLimit,
  'instance.userData': oneOf('User data', USER_DATA),
  'network.vpc': vpc,
  'network.subnet': subnet,
  'network.cidr': vpcCidr,
  'network.publicSubnetCidr': subnetCidr('public'),
  'network.privateSubnetCidr': subnetCidr('private'),
  'network.publicIp': booleanRule('Public IP'),
  'role.mode': oneOf('Role mode', ROLE_MODES),
  'role.name': roleName,
  'role.instanceProfile': instanceProfile,
  'role.bucket': bucket,
  'role.access': access,
  'storage.sizeGiB': sizeGiB,
  'storage.type': oneOf('Volume type', VOLUME_TYPES),
  'storage.encrypted': booleanRule('Encryption'),
  'storage.kmsKey': kmsKeyProblem,
  'storage.kmsAlias': kmsAliasProblem,
  'securityGroup.mode': oneOf('Security group mode', GROUP_MODES),
  'securityGroup.name': securityGroupName,
  'securityGroup.groupId': groupId,
  'securityGroup.http': ingress('HTTP source'),
  'securityGroup.https': ingress('HTTPS source'),
  'securityGroup.ssh': sshSource,
  'keyPair.mode': oneOf('Key pair mode', KEY_PAIR_MODES),
  'keyPair.name': keyName,
  'keyPair.type': keyType,
  'keyPair.path': keyPath,
  'access.sessionManager': booleanRule('Session Manager'),
  'access.instanceConnect': booleanRule('EC2 Instance Connect'),
  tags,
  acceptedRisks,
};

/** Every field validateField knows, in profile order. */
export const VALIDATED_FIELDS: readonly string[] = Object.keys(RULES);

/** The value at a dotted path of the spec. */
export function fieldValue(spec: LaunchSpec, field: string): unknown {
  let current: unknown = spec;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Checks one field's candidate value in the context of the rest of the spec (the instance type
 * against the image's architecture, subnet blocks against the VPC block). Returns the message,
 * or undefined when the value is fine.
 */
export function validateField(field: string, value: unknown, spec: LaunchSpec): string | undefined {
  const rule = RULES[field];
  if (!rule) return `${show(field)} is not a launch setting tandem knows.`;
  return rule(value, spec);
}

/** Every problem in the spec, in field order; empty when it can be launched. */
export function validateSpec(spec: LaunchSpec): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [field, rule] of Object.entries(RULES)) {
    const message = rule(fieldValue(spec, field), spec);
    if (message) problems.push({field, message});
  }
  return problems;
}

/** Advice that does not block a launch (shown beside the field, never an error). */
export function validationWarnings(spec: LaunchSpec): FieldProblem[] {
  const warnings: FieldProblem[] = [];
  const {keyPair, network, instance} = spec;
  if (keyPair.mode === 'create' && typeof keyPair.path === 'string' && keyPair.path !== '' && !keyPair.path.endsWith('.pem')) {
    warnings.push({field: 'keyPair.path', message: `Key path ${show(keyPair.path)} does not end in .pem; ssh and most tools expect a private key file named like web-key.pem.`});
  }
  if (keyPair.mode === 'import' && typeof keyPair.path === 'string' && keyPair.path.endsWith('.pem')) {
    warnings.push({field: 'keyPair.path', message: `Key path ${show(keyPair.path)} looks like a private key; import needs the public key, usually the .pub file.`});
  }
  if (inNewPrivateSubnet(network) && network.publicIp) {
    warnings.push({field: 'network.publicIp', message: 'The private subnet has no route to the internet, so a public IP there cannot be reached; turn it off or use the public subnet.'});
  }
  if (inNewPrivateSubnet(network) && instance.userData === 'httpd') {
    warnings.push({field: 'instance.userData', message: 'The private subnet has no way out, so the httpd install (from the package repositories) cannot download anything; set it to none or use the public subnet.'});
  }
  if (instance.image === 'ami' && instance.userData === 'httpd') {
    warnings.push({field: 'instance.userData', message: 'The httpd install script assumes an Amazon Linux style image with dnf or yum; check that your AMI has one.'});
  }
  return warnings;
}
