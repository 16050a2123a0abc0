// An in-memory Cloud for component tests: discovery answers from fixed data (or from promises
// the test controls), and launch plays a scripted list of events through the real options.
import {loginHint, sessionCommand} from '../../source/domain/login-hint.js';
import type {Cloud, Discovery, LaunchEvent, LaunchOptions, LaunchResult, VerificationResult} from '../../source/domain/cloud.js';
import type {Plan} from '../../source/domain/plan-types.js';
import type {LaunchSpec} from '../../source/domain/spec.js';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {promise, resolve, reject};
}

/** An error shaped like the SDK's service exceptions (name is the AWS error code). */
export function awsError(code: string, message: string): Error {
  const error = new Error(message);
  error.name = code;
  return error;
}

export const PASSING: VerificationResult[] = [
  {control: 'imds-v2', title: 'IMDSv2 required', owner: 'AWS/Customer', expected: 'required', actual: 'required', status: 'pass', checkers: ['EC2.8'], checkerVerdicts: []},
  {
    control: 'ebs-encryption',
    title: 'Root volume encrypted',
    owner: 'AWS/Customer',
    expected: 'Encrypted, aws/ebs',
    actual: 'Encrypted, aws/ebs',
    status: 'pass',
    checkers: ['EC2.3'],
    checkerVerdicts: [],
  },
];

export const DEFAULT_DISCOVERY: Discovery = {
  identity: async () => ({account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'}),
  latestImages: async () => ({al2023: 'ami-0aaa2023', al2: 'ami-0bbb0002'}),
  vpcs: async () => [
    {id: 'vpc-0default', cidr: '172.31.0.0/16', isDefault: true},
    {id: 'vpc-0shop', cidr: '10.20.0.0/16', isDefault: false, name: 'shop'},
  ],
  subnets: async (vpcId) => [{id: 'subnet-0pub', vpcId, cidr: '10.20.1.0/24', availabilityZone: 'us-east-1a', public: true, mapPublicIpOnLaunch: true}],
  instanceRoles: async () => [{name: 'WebRole', arn: 'arn:aws:iam::123456789012:role/WebRole', instanceProfiles: ['WebRole']}],
  roleTags: async (names) => names.map((name) => ({name, tags: []})),
  kmsKeys: async () => [
    {id: '1234abcd-12ab-34cd-56ef-1234567890ab', arn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', aliases: ['alias/web'], managedBy: 'Customer'},
  ],
  kmsKeyDetails: async (ids) => ids.map((id) => ({id, state: 'Enabled', usage: 'ENCRYPT_DECRYPT', spec: 'SYMMETRIC_DEFAULT', managedBy: 'Customer', rotation: true})),
  securityGroups: async (vpcId) => [{id: 'sg-0web', name: 'web', vpcId, description: 'web servers'}],
  keyPairs: async () => [{name: 'ops-key', id: 'key-0ops', type: 'ed25519', fingerprint: 'aa:bb'}],
  ebsDefaultEncryption: async () => ({enabled: false}),
};

export interface FakeCloud extends Cloud {
  launches: Array<{spec: LaunchSpec; plan: Plan; options: LaunchOptions}>;
}

/**
 * `script` receives the launch and emits events; its return value is the LaunchResult. The
 * default script runs every plan step successfully, verifies, and reports a public IP.
 */
export function fakeCloud(
  options: {
    discovery?: Partial<Discovery>;
    script?: (spec: LaunchSpec, plan: Plan, options: LaunchOptions) => Promise<LaunchResult>;
  } = {},
): FakeCloud {
  const launches: FakeCloud['launches'] = [];
  const script = options.script ?? successfulLaunch;
  return {
    launches,
    discovery: {...DEFAULT_DISCOVERY, ...options.discovery},
    launch: async (spec, plan, launchOptions) => {
      launches.push({spec, plan, options: launchOptions});
      return script(spec, plan, launchOptions);
    },
    dryRun: async () => [],
    verify: async () => PASSING,
    destroy: async () => ({deleted: [], failed: []}),
  };
}

export async function successfulLaunch(spec: LaunchSpec, plan: Plan, options: LaunchOptions): Promise<LaunchResult> {
  const emit = (event: LaunchEvent) => options.onEvent(event);
  emit({type: 'launch-started', launchId: options.launchId, steps: plan.steps.map((step) => ({id: step.id, action: step.action, controls: step.controls}))});
  for (const step of plan.steps) {
    emit({type: 'step-started', stepId: step.id, action: step.action});
    const resources = step.creates.map((kind, index) => ({kind, id: `${kind}-fake${index}`, stepId: step.id, region: spec.region}));
    emit({type: 'step-done', stepId: step.id, resources, ms: 120});
  }
  emit({type: 'verification', results: PASSING});
  // Like the real adapter: a key file only for a created key, and the login line from the domain.
  const reach = {instanceId: 'i-0fake', publicIp: '198.51.100.20', ...(spec.keyPair.mode === 'create' ? {keyPath: spec.keyPair.path ?? '/home/ops/.ssh/web-key.pem'} : {})};
  const where = {host: reach.publicIp, instanceId: reach.instanceId, keyPath: reach.keyPath, region: spec.region};
  const login = loginHint(spec, where);
  const session = sessionCommand(spec, where);
  emit({type: 'summary', launchId: options.launchId, status: 'launched', ...reach, login, ...(session ? {session} : {})});
  return {launchId: options.launchId, status: 'launched', resources: [], ...reach, login, ...(session ? {session} : {}), verification: PASSING};
}
