// The saved launch profile, version 1: a LaunchSpec written as YAML (or kept in the profile
// store as JSON). The schema checks shape only (types, allowed words, no unknown fields); whether
// the values make a launchable server (CIDRs, names, the type matching the image) is
// validateSpec's job, so the wizard, explain and profiles all judge a spec the same way.
//
// Required in a profile file: `version: 1` and nothing else. Every other field, and every field
// inside a section, falls back to defaultSpec() (the secure launch), with defaults that depend
// on other answers: a new VPC places the instance in its public subnet unless `network.subnet`
// says otherwise; in its private subnet the instance gets no public IP and no user data unless
// `network.publicIp` and `instance.userData` say otherwise; and a created role gets read-only
// access unless `role.access` says otherwise.
import {z} from 'zod';
import {defaultSpec, NO_ACCESS, subnetDefaults, type LaunchSpec} from '../domain/spec.js';
import {validateSpec} from '../domain/validate.js';
import {BACKUP_DEFAULTS} from '../domain/controls/backups.js';
import {LOAD_BALANCER_DEFAULTS, LOAD_BALANCED_NETWORK} from '../domain/controls/load-balancer.js';

export const PROFILE_VERSION = 1;

/** One problem with a profile, located by its path inside the profile. */
export interface ProfileProblem {
  path: Array<string | number>;
  message: string;
}

const cidrOrOff = z.union([z.literal(false), z.string()], {
  error: 'expected a CIDR block such as 203.0.113.7/32, or false for no rule',
});

const instanceShape = {
  name: z.string(),
  image: z.enum(['al2023', 'al2', 'ami']),
  amiId: z.string().optional(),
  arch: z.enum(['x86_64', 'arm64']),
  type: z.string(),
  tenancy: z.enum(['default', 'dedicated', 'host']),
  imds: z.enum(['required', 'optional']),
  hopLimit: z.number(),
  userData: z.enum(['httpd', 'none']),
  detailedMonitoring: z.boolean().optional(),
};
const networkShape = {
  vpc: z.string(),
  subnet: z.string(),
  cidr: z.string().optional(),
  publicSubnetCidr: z.string().optional(),
  privateSubnetCidr: z.string().optional(),
  publicIp: z.boolean(),
  flowLogs: z.boolean().optional(),
  loadBalancerSubnets: z.array(z.string()).optional(),
};
const roleShape = {
  mode: z.enum(['none', 'existing', 'create']),
  name: z.string().optional(),
  instanceProfile: z.string().optional(),
  bucket: z.string().optional(),
  access: z.enum(['read', 'read-write']).optional(),
};
const storageShape = {
  sizeGiB: z.number(),
  type: z.enum(['gp3', 'gp2', 'io2']),
  encrypted: z.boolean(),
  kmsKey: z.string(),
  kmsAlias: z.string().optional(),
};
const backupShape = {
  plan: z.boolean(),
  retentionDays: z.number(),
  firstSnapshot: z.boolean(),
};
const securityGroupShape = {
  mode: z.enum(['create', 'existing']),
  groupId: z.string().optional(),
  name: z.string(),
  http: cidrOrOff,
  https: cidrOrOff,
  ssh: cidrOrOff,
};
const loadBalancerShape = {
  certificate: z.string(),
  domain: z.string().optional(),
  validationWaitMinutes: z.number().optional(),
  deletionProtection: z.boolean(),
  accessLogs: z.union([z.literal(false), z.string()], {error: 'expected an S3 bucket name, or false for no access logs'}),
};
const keyPairShape = {
  mode: z.enum(['create', 'import', 'existing', 'none']),
  name: z.string().optional(),
  type: z.enum(['ed25519', 'rsa']).optional(),
  path: z.string().optional(),
};
const accessShape = {
  sessionManager: z.boolean(),
  instanceConnect: z.boolean(),
};
const acceptedRisk = z.strictObject({finding: z.string(), reason: z.string()});
const tags = z.record(z.string(), z.string({error: 'tag values must be text; quote numbers and booleans, like "3"'}));

/** A complete spec, as the profile store keeps it. */
export const launchSpecSchema = z.strictObject({
  version: z.literal(PROFILE_VERSION),
  region: z.string(),
  instance: z.strictObject(instanceShape),
  network: z.strictObject(networkShape),
  role: z.strictObject(roleShape),
  storage: z.strictObject(storageShape),
  backup: z.strictObject(backupShape).optional(),
  securityGroup: z.strictObject(securityGroupShape),
  loadBalancer: z.union([z.literal(false), z.strictObject(loadBalancerShape)]).optional(),
  keyPair: z.strictObject(keyPairShape),
  // Specs stored before `access` existed had no way in but SSH; they keep that meaning.
  access: z.strictObject(accessShape).default({...NO_ACCESS}),
  acceptedRisks: z.array(acceptedRisk),
  tags,
});

/** What a profile file may say: the same fields, every one optional except version. */
export const profileInputSchema = z.strictObject({
  version: z.literal(PROFILE_VERSION),
  region: z.string().optional(),
  instance: z.strictObject(instanceShape).partial().optional(),
  network: z.strictObject(networkShape).partial().optional(),
  role: z.strictObject(roleShape).partial().optional(),
  storage: z.strictObject(storageShape).partial().optional(),
  backup: z.strictObject(backupShape).partial().optional(),
  securityGroup: z.strictObject(securityGroupShape).partial().optional(),
  loadBalancer: z.union([z.literal(false), z.strictObject(loadBalancerShape).partial()]).optional(),
  keyPair: z.strictObject(keyPairShape).partial().optional(),
  access: z.strictObject(accessShape).partial().optional(),
  acceptedRisks: z.array(acceptedRisk).optional(),
  tags: tags.optional(),
});
export type ProfileInput = z.infer<typeof profileInputSchema>;

// The schema must describe LaunchSpec exactly: this stops compiling when either one changes alone.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const mirrorsLaunchSpec: Same<z.infer<typeof launchSpecSchema>, LaunchSpec> = true;
void mirrorsLaunchSpec;

/** Missing or unsupported version: checked first, because nothing else can be trusted then. */
export function versionProblem(raw: Record<string, unknown>): ProfileProblem | undefined {
  if (!('version' in raw) || raw.version === undefined || raw.version === null) {
    return {path: [], message: `the profile has no version; add \`version: ${PROFILE_VERSION}\` as its first line`};
  }
  if (raw.version === String(PROFILE_VERSION)) {
    return {path: ['version'], message: `version must be the number ${PROFILE_VERSION}, not the text "${PROFILE_VERSION}"; write \`version: ${PROFILE_VERSION}\` without quotes`};
  }
  if (raw.version !== PROFILE_VERSION) {
    // Text is quoted, and a list or a mapping shown as written: `[1]` must not read as the supported version 1.
    const shown = typeof raw.version === 'number' ? String(raw.version) : JSON.stringify(raw.version);
    return {path: ['version'], message: `profile version ${shown} is not supported by this tandem (supports ${PROFILE_VERSION})`};
  }
  return undefined;
}

// Private keys and access keys must never sit in a profile (profiles end up in git). No field
// of the schema holds them, so this only catches them pasted into free text such as tags.
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/PRIVATE KEY/, 'looks like private key material; a profile never holds keys, point keyPair.path at the key file instead'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, 'looks like an AWS access key id; a profile never holds credentials, tandem uses the standard credential chain'],
];

export function secretProblems(value: unknown, path: Array<string | number> = []): ProfileProblem[] {
  if (typeof value === 'string') {
    const hit = SECRET_PATTERNS.find(([pattern]) => pattern.test(value));
    return hit ? [{path, message: hit[1]}] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => secretProblems(item, [...path, index]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [...secretProblems(key, [...path, key]), ...secretProblems(item, [...path, key])]);
  }
  return [];
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = raw;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

const toPath = (path: ReadonlyArray<PropertyKey>): Array<string | number> => path.map((part) => (typeof part === 'number' ? part : String(part)));

/** Zod's issues in tandem's words, one per unknown field. */
export function schemaProblems(error: z.ZodError, raw: unknown): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const issue of error.issues) {
    const path = toPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeAt(path));
      for (const key of issue.keys) {
        problems.push({path: [...path, key], message: `unknown field${known.length ? `; allowed here: ${known.join(', ')}` : ''}`});
      }
    } else if (issue.code === 'invalid_value' && issue.values.length > 1) {
      problems.push({path, message: `must be one of ${issue.values.map(String).join(', ')}, not ${describe(valueAt(raw, issue.path))}`});
    } else if (issue.code === 'invalid_type') {
      const actual = valueAt(raw, issue.path);
      const wanted = issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
      const custom = issue.message.startsWith('Invalid input') ? undefined : issue.message;
      problems.push({path, message: custom ?? `expected ${wanted}, got ${describe(actual)}`});
    } else {
      problems.push({path, message: issue.message});
    }
  }
  return problems;
}

const SHAPES: Record<string, Record<string, unknown>> = {
  instance: instanceShape,
  network: networkShape,
  role: roleShape,
  storage: storageShape,
  backup: backupShape,
  securityGroup: securityGroupShape,
  loadBalancer: loadBalancerShape,
  keyPair: keyPairShape,
  access: accessShape,
};

function shapeAt(path: Array<string | number>): Record<string, unknown> {
  if (path.length === 0) return launchSpecSchema.shape;
  if (path.length === 1) return SHAPES[String(path[0])] ?? {};
  if (path[0] === 'acceptedRisks') return acceptedRisk.shape;
  return {};
}

/** A short profile filled in from the secure defaults. */
export function withDefaults(input: ProfileInput): LaunchSpec {
  const base = defaultSpec(input.region ?? undefined);
  const loadBalanced = typeof input.loadBalancer === 'object';
  // Behind a load balancer the instance belongs in a new VPC's private subnet without a public
  // address; what the profile left out follows that, what it wrote stays for validation to judge.
  const network = {...base.network, ...(loadBalanced ? LOAD_BALANCED_NETWORK : {}), ...input.network};
  if (input.network?.vpc === 'new' && input.network.subnet === undefined) network.subnet = loadBalanced ? 'private' : 'public';
  // What the profile left out follows the subnet: a private subnet gets no public IP and no web
  // server install, which could not work there. What it wrote stays, contradiction or not, so
  // pre-flight can refuse it by name.
  const placed = subnetDefaults(network);
  // Behind a load balancer, in any VPC, the instance takes no public address.
  if (input.network?.publicIp === undefined) network.publicIp = loadBalanced ? false : placed.publicIp;
  const instance = {...base.instance, ...input.instance};
  // The load balancer's private subnet reaches the package repositories through its S3 endpoint.
  if (input.instance?.userData === undefined) instance.userData = loadBalanced ? 'httpd' : placed.userData;
  const role = {...base.role, ...input.role};
  if (role.mode === 'create' && role.access === undefined) role.access = 'read';
  return {
    version: PROFILE_VERSION,
    region: input.region ?? base.region,
    instance,
    network,
    role,
    storage: {...base.storage, ...input.storage},
    // Left out when the profile leaves it out: the defaults apply (controls/backups.ts BACKUP_DEFAULTS).
    ...(input.backup ? {backup: {...BACKUP_DEFAULTS, ...input.backup}} : {}),
    securityGroup: {...base.securityGroup, ...input.securityGroup},
    ...(input.loadBalancer === undefined ? {} : {loadBalancer: input.loadBalancer === false ? false : {...LOAD_BALANCER_DEFAULTS, ...input.loadBalancer}}),
    keyPair: {...base.keyPair, ...input.keyPair},
    access: {...base.access, ...input.access},
    acceptedRisks: input.acceptedRisks ?? base.acceptedRisks,
    tags: input.tags ?? base.tags,
  };
}

export type ProfileCheck = {ok: true; spec: LaunchSpec} | {ok: false; problems: ProfileProblem[]};

const fieldPath = (field: string): string[] => (field === '' ? [] : field.split('.'));

/**
 * Version, secrets, shape, then meaning: every problem found at the first stage that has any,
 * so one bad version does not bury the reader under a hundred follow-on errors.
 */
export function checkProfile(raw: unknown): ProfileCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {ok: false, problems: [{path: [], message: `a profile must be a mapping of fields (version, region, instance, ...), not ${describe(raw)}`}]};
  }
  const version = versionProblem(raw as Record<string, unknown>);
  if (version) return {ok: false, problems: [version]};
  const secrets = secretProblems(raw);
  if (secrets.length > 0) return {ok: false, problems: secrets};
  const parsed = profileInputSchema.safeParse(raw);
  if (!parsed.success) return {ok: false, problems: schemaProblems(parsed.error, raw)};
  const spec = withDefaults(parsed.data);
  const semantic = validateSpec(spec).map((problem) => ({path: fieldPath(problem.field), message: problem.message}));
  if (semantic.length > 0) return {ok: false, problems: semantic};
  return {ok: true, spec};
}

/** A complete stored spec: shape only (the store must not discard a profile for a stricter rule). */
export function checkStoredSpec(raw: unknown): ProfileCheck {
  const parsed = launchSpecSchema.safeParse(raw);
  return parsed.success ? {ok: true, spec: parsed.data} : {ok: false, problems: schemaProblems(parsed.error, raw)};
}

/** `instance.type`, `acceptedRisks[0].reason`: the way problems name a field. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}
