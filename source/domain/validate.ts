// Validation of every launch-spec field, one friendly sentence per problem: what was wrong and
// what is expected. Syntax and AWS limits only; whether a valid choice is risky (SSH open to the
// world, a public IP) is for findings.ts to judge, and whether a file or resource exists is for
// the executor, because this module cannot touch the filesystem or the network.
import {FIELD_RULES} from './controls/index.js';
import {packagesThroughEndpoint} from './controls/load-balancer.js';
import {CONTROL_CHARS, show, type FieldProblem, type FieldRules} from './field-rules.js';
import {inNewPrivateSubnet, type LaunchSpec} from './spec.js';
import {unknownRegionProblem} from './launch-target.js';

const REGION_PATTERN = /^(?:us-gov|us-iso|us-isob|us-isof|eu-isoe|us|eu|eusc-de|ap|sa|ca|me|af|il|mx|cn)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

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

const version = (value: unknown): string | undefined => (value === 1 ? undefined : `Profile version ${show(value)} is not supported; expected version: 1.`);

/** The rules of what is not any control's: the profile's version, the region, the name, the tags. */
const OWN_RULES: FieldRules = {version, region, 'instance.name': instanceName, tags, acceptedRisks};

/**
 * The order problems are listed in: the profile's. A field a control module adds that is not
 * named here follows these, in registry order.
 */
const PROFILE_ORDER = [
  'version',
  'region',
  'instance.name',
  'instance.image',
  'instance.amiId',
  'instance.arch',
  'instance.type',
  'instance.tenancy',
  'instance.imds',
  'instance.hopLimit',
  'instance.userData',
  'instance.detailedMonitoring',
  'network.vpc',
  'network.subnet',
  'network.cidr',
  'network.publicSubnetCidr',
  'network.privateSubnetCidr',
  'network.publicIp',
  'network.flowLogs',
  'network.loadBalancerSubnets',
  'role.mode',
  'role.name',
  'role.instanceProfile',
  'role.bucket',
  'role.access',
  'storage.sizeGiB',
  'storage.type',
  'storage.encrypted',
  'storage.kmsKey',
  'storage.kmsAlias',
  'backup.plan',
  'backup.retentionDays',
  'backup.firstSnapshot',
  'securityGroup.mode',
  'securityGroup.name',
  'securityGroup.groupId',
  'securityGroup.http',
  'securityGroup.https',
  'securityGroup.ssh',
  'loadBalancer',
  'loadBalancer.certificate',
  'loadBalancer.domain',
  'loadBalancer.validationWaitMinutes',
  'loadBalancer.deletionProtection',
  'loadBalancer.accessLogs',
  'keyPair.mode',
  'keyPair.name',
  'keyPair.type',
  'keyPair.path',
  'access.sessionManager',
  'access.instanceConnect',
  'tags',
  'acceptedRisks',
];

const rank = (field: string): number => (PROFILE_ORDER.includes(field) ? PROFILE_ORDER.indexOf(field) : PROFILE_ORDER.length);

/** Every rule, the controls' and these, in profile order. */
const RULES: FieldRules = Object.fromEntries(
  Object.entries({...FIELD_RULES, ...OWN_RULES})
    .map((entry, index) => ({entry, index}))
    .sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.index - b.index)
    .map(({entry}) => entry),
);

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
  // Behind a load balancer the private subnet reaches the package repositories through its S3 gateway endpoint.
  if (inNewPrivateSubnet(network) && instance.userData === 'httpd' && !packagesThroughEndpoint(spec)) {
    warnings.push({
      field: 'instance.userData',
      message: 'The private subnet has no way out, so the httpd install (from the package repositories) cannot download anything; set it to none or use the public subnet.',
    });
  }
  if (instance.image === 'ami' && instance.userData === 'httpd') {
    warnings.push({field: 'instance.userData', message: 'The httpd install script assumes an Amazon Linux style image with dnf or yum; check that your AMI has one.'});
  }
  return warnings;
}
