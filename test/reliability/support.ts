// Shared by the reliability suite: run the built CLI (dist/cli.js) as a real child process with
// its own moto account (a fault proxy that adds x-moto-account-id), read its JSON events as they
// arrive, and check independently, with Describe/Get calls by id, what a launch left in AWS.
import {spawn, type ChildProcess} from 'node:child_process';
import {createPrivateKey} from 'node:crypto';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DescribeInstancesCommand, DescribeKeyPairsCommand, DescribeTagsCommand} from '@aws-sdk/client-ec2';
import {GetInstanceProfileCommand, GetRoleCommand} from '@aws-sdk/client-iam';
import {DescribeKeyCommand, ListAliasesCommand, ListKeysCommand, ListResourceTagsCommand} from '@aws-sdk/client-kms';
import {makeClients, type AwsClients} from '../../source/aws/clients.js';
import {findTagged} from '../../source/aws/teardown.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {serializeProfile} from '../../source/store/profile-file.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {everythingNewSpec, loadBalancedEverythingSpec} from '../support/launch-specs.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT = path.join(root, 'dist');
let snapshot: string | undefined;

/**
 * A private copy of dist/ taken once per test file: other work may rebuild dist/ (which deletes
 * its chunks) while a child is still loading them. The bundle has no runtime dependencies left.
 */
export function cliPath(): string {
  if (!snapshot) {
    if (!existsSync(path.join(BUILT, 'cli.js'))) throw new Error(`${BUILT}/cli.js is missing: run npm run build first (npm test does)`);
    snapshot = path.join(tempDir('tandem-rel-dist-'), 'dist');
    cpSync(BUILT, snapshot, {recursive: true});
  }
  return path.join(snapshot, 'cli.js');
}

/** The dummy credentials every child gets; the secrets test searches all output for them. */
export const SECRET_ACCESS_KEY = 'tandemTestSecret/K7MDENGbPxRfiCYEXAMPLEKEY';
export const SESSION_TOKEN = 'tandemTestSessionToken/IQoJb3JpZ2luX2VjEXAMPLETOKEN';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

let accounts = 0;
/** A 12-digit moto account unique to this process and call. */
export function uniqueAccount(): string {
  accounts += 1;
  return `7${String(process.pid % 100000).padStart(5, '0')}${String(Date.now() % 10000).padStart(4, '0')}${String(accounts % 100).padStart(2, '0')}`;
}

/** An isolated world for one scenario: its own moto account behind its own proxy, its own TANDEM_HOME. */
export interface World {
  accountId: string;
  proxy: FaultProxy;
  home: string;
  keyDir: string;
  /** Clients straight to moto (no proxy faults) in the same account, for independent checks. */
  check: AwsClients;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function openWorld(extraEnv: NodeJS.ProcessEnv = {}): Promise<World> {
  cliPath();
  const accountId = uniqueAccount();
  const proxy = await startFaultProxy(motoEndpoint(), {accountId, secrets: [SECRET_ACCESS_KEY, SESSION_TOKEN]});
  const home = tempDir('tandem-rel-home-');
  const keyDir = tempDir('tandem-rel-keys-');
  const check = await makeClients(testSettings({accountId}));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: tempDir('tandem-rel-user-'),
    TANDEM_HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIATANDEMTESTKEY01',
    AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...extraEnv,
  };
  return {accountId, proxy, home, keyDir, check, env, close: () => proxy.close()};
}

/** A "create everything" launch: new VPC, role, KMS key, security group with SSH from a /32, new key pair. */
export function everythingSpec(keyDir: string, name = 'web-1'): LaunchSpec {
  return everythingNewSpec(keyDir, {name, cidr: '10.30.0.0/16'});
}

/** The same launch behind a load balancer. */
export function loadBalancedSpec(keyDir: string, name = 'web-1'): LaunchSpec {
  return loadBalancedEverythingSpec(keyDir, {name, cidr: '10.30.0.0/16'});
}

export function writeProfile(dir: string, spec: LaunchSpec, name = 'launch.yaml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, serializeProfile(spec));
  return file;
}

export interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  events: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
  /** True when the watchdog had to kill a child that ran far longer than any scenario needs. */
  hung: boolean;
}

/**
 * Starts `node dist/cli.js ...args`; onEvent sees every JSON line of stdout as it arrives (and may
 * kill the child). Lines that are not JSON are kept in stdout and fail the JSON-only check later.
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv, onEvent?: (event: Record<string, unknown>, run: Run) => void, hangAfterMs = 90_000, wrap: string[] = []): Run {
  // `wrap` runs the CLI through another program, e.g. ['sh', '-c', 'umask 000; exec "$0" "$@"'].
  const [command, ...prefix] = wrap.length > 0 ? wrap : [process.execPath];
  const child = spawn(command, [...prefix, ...(wrap.length > 0 ? [process.execPath] : []), cliPath(), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = {child, stdout: '', stderr: '', events: [], exited: undefined as never, hung: false};
  // A hang is a finding, not a test timeout: stop the child and let the scenario report it.
  const watchdog = setTimeout(() => {
    run.hung = true;
    child.kill('SIGKILL');
  }, hangAfterMs);
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    run.stdout += text;
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.trim()) continue;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      run.events.push(event);
      onEvent?.(event, run);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  run.exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      resolve({code, signal});
    }),
  );
  return run;
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv, hangAfterMs?: number, wrap?: string[]): Promise<Run & {code: number | null}> {
  const run = startCli(args, env, undefined, hangAfterMs, wrap);
  const {code} = await run.exited;
  return {...run, code};
}

/** Lines that look like a JavaScript stack frame: never acceptable in what a user sees. */
export const STACK_LINE = /^\s+at .+(\(|:\d+)/m;

/** What still exists in AWS for a launch id, found independently of tandem's journal. */
export async function leftoversOf(check: AwsClients, launchId: string, spec: LaunchSpec): Promise<string[]> {
  const left = (await findTagged(check, launchId)).map((item) => `${item.resourceType} ${item.id}`);
  // findTagged skips terminated instances; be explicit about instances anyway.
  const tags = await check.ec2.send(
    new DescribeTagsCommand({
      Filters: [
        {Name: 'resource-type', Values: ['instance']},
        {Name: 'value', Values: [launchId]},
      ],
    }),
  );
  for (const tag of tags.Tags ?? []) {
    const described = await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [tag.ResourceId!]}));
    const state = described.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    if (state && state !== 'terminated' && !left.includes(`instance ${tag.ResourceId}`)) left.push(`instance ${tag.ResourceId}`);
  }
  // Key pairs by name (moto's DescribeTags does not always list key pairs).
  if (spec.keyPair.mode === 'create' && spec.keyPair.name) {
    const pairs = await check.ec2.send(new DescribeKeyPairsCommand({Filters: [{Name: 'key-name', Values: [spec.keyPair.name]}]}));
    for (const pair of pairs.KeyPairs ?? []) {
      if (pair.Tags?.some((tag) => tag.Value === launchId) && !left.some((item) => item.includes(pair.KeyPairId ?? '-'))) {
        left.push(`key-pair ${pair.KeyName}`);
      }
    }
  }
  // IAM: the role and instance profile by name, counted only when they carry this launch's tag.
  if (spec.role.mode === 'create' && spec.role.name) {
    const role = await check.iam.send(new GetRoleCommand({RoleName: spec.role.name})).catch(() => undefined);
    if (role?.Role?.Tags?.some((tag) => tag.Value === launchId)) left.push(`iam-role ${spec.role.name}`);
    const profile = await check.iam.send(new GetInstanceProfileCommand({InstanceProfileName: spec.role.name})).catch(() => undefined);
    if (profile?.InstanceProfile && (profile.InstanceProfile.Tags ?? []).some((tag) => tag.Value === launchId)) {
      left.push(`iam-instance-profile ${spec.role.name}`);
    }
  }
  // KMS: a key of this launch counts as gone once it is scheduled for deletion (the shortest AWS allows).
  if (spec.storage.kmsKey === 'new') {
    const aliases = await check.kms.send(new ListAliasesCommand({}));
    for (const alias of aliases.Aliases ?? []) {
      if (!alias.AliasName?.startsWith('alias/tandem-') || !alias.TargetKeyId) continue;
      left.push(`kms-alias ${alias.AliasName}`);
    }
    for (const keyId of await launchKeys(check, launchId)) {
      const state = (await check.kms.send(new DescribeKeyCommand({KeyId: keyId}))).KeyMetadata?.KeyState;
      if (state !== 'PendingDeletion') left.push(`kms-key ${keyId} (${state})`);
    }
  }
  return left;
}

/** KMS keys in the account tagged with the launch id. */
async function launchKeys(check: AwsClients, launchId: string): Promise<string[]> {
  const keys = await check.kms.send(new ListKeysCommand({}));
  const found: string[] = [];
  for (const key of keys.Keys ?? []) {
    const tags = await check.kms.send(new ListResourceTagsCommand({KeyId: key.KeyId!}));
    if (tags.Tags?.some((tag) => tag.TagKey === 'tandem:launch-id' && tag.TagValue === launchId)) found.push(key.KeyId!);
  }
  return found;
}

/** The private key file, if any: must be a parseable PEM private key with mode 0600. */
export function keyFileProblems(file: string): string[] {
  if (!existsSync(file)) return [];
  const problems: string[] = [];
  const mode = statSync(file).mode & 0o777;
  if (mode !== 0o600) problems.push(`${file} has mode ${mode.toString(8)}, not 600`);
  const text = readFileSync(file, 'utf8');
  const openssh = /^-----BEGIN OPENSSH PRIVATE KEY-----\n([A-Za-z0-9+/=\n]+)-----END OPENSSH PRIVATE KEY-----\n?$/.exec(text);
  if (openssh) {
    // Node cannot parse the OpenSSH container (ed25519 keys come in it); check its framing instead.
    const body = Buffer.from(openssh[1].replace(/\n/g, ''), 'base64');
    if (!body.subarray(0, 15).equals(Buffer.from('openssh-key-v1\0'))) problems.push(`${file} is not an OpenSSH private key`);
    return problems;
  }
  try {
    createPrivateKey(text);
  } catch (error) {
    problems.push(`${file} is not a readable private key (${(error as Error).message})`);
  }
  return problems;
}

/** Temp files a crashed or refused write might leave beside the key or in the journal folder. */
export function strayTempFiles(...dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.endsWith('.tmp'))
          .map((name) => path.join(dir, name))
      : [],
  );
}

/** Runs `work` over `items` with at most `limit` at a time (2-core machines). */
export async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({length: Math.min(limit, items.length)}, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}
