// Is a name this launch would create already taken in the account and region? One read-only call
// per name (two for a role: the role and its instance profile), answering taken, free, or "could
// not look" with the reason. Pre-flight reports taken names; the wizard and `launch --yes` use the
// same lookups to propose the next free name (web-sg-2, web-2-key) instead of a clash half-way.
import {existsSync} from 'node:fs';
import {createdNames, numberedName, withName, type NameField, type PreflightResult} from '../domain/preflight.js';
import type {LaunchSpec} from '../domain/spec.js';
import {send} from './actions.js';
import type {AwsClients} from './clients.js';
import {describeAwsError, isEndpointFailure, isNotFound} from './errors.js';
import {expandHome} from './key-file.js';

export type NameAnswer = {taken: false} | {taken: true; what: string} | {taken: 'unknown'; reason: string; unreachable?: boolean};

export const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);

/** "denied (ec2:DescribeX)" or "CODE: message": why a lookup could not answer. */
export function unanswered(call: string, error: unknown): string {
  const {code, message} = describeAwsError(error);
  return DENIED.has(code) ? `denied (${call})` : `${call} failed: ${code}: ${message}`;
}

/** A pre-flight check a lookup could not make: why, and whether the endpoint did not answer at all. */
export const notChecked = (check: PreflightResult['check'], field: string, call: string, error: unknown): PreflightResult => ({
  check,
  status: 'not-checked',
  field,
  detail: unanswered(call, error),
  ...(isEndpointFailure(error) ? {unreachable: true} : {}),
});

/** Where a name lives: the security group's VPC (unknown for a VPC the launch creates). */
export interface NameScope {
  vpcId?: string;
  /** Alias names already listed once (ListAliases pages through every alias). */
  aliases?: Promise<Set<string>>;
}

export async function listAliases(clients: AwsClients): Promise<Set<string>> {
  const {paginateListAliases} = await import('@aws-sdk/client-kms');
  const names = new Set<string>();
  for await (const page of paginateListAliases({client: clients.kms}, {})) {
    for (const alias of page.Aliases ?? []) if (alias.AliasName) names.add(alias.AliasName);
  }
  return names;
}

async function lookup(call: string, run: () => Promise<string | undefined>): Promise<NameAnswer> {
  try {
    const what = await run();
    return what ? {taken: true, what} : {taken: false};
  } catch (error) {
    if (isNotFound(error)) return {taken: false};
    return {taken: 'unknown', reason: unanswered(call, error), ...(isEndpointFailure(error) ? {unreachable: true} : {})};
  }
}

export function securityGroupNameTaken(clients: AwsClients, name: string, vpcId: string): Promise<NameAnswer> {
  return lookup('ec2:DescribeSecurityGroups', async () => {
    const answer = await send(clients, 'ec2', 'DescribeSecurityGroups', {
      Filters: [
        {Name: 'group-name', Values: [name]},
        {Name: 'vpc-id', Values: [vpcId]},
      ],
    });
    const group = (answer.SecurityGroups as Array<{GroupId?: string}> | undefined)?.[0];
    return group ? `security group ${group.GroupId ?? ''} in ${vpcId} is already named ${name}` : undefined;
  });
}

export function roleNameTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('iam:GetRole', async () => ((await send(clients, 'iam', 'GetRole', {RoleName: name})).Role ? `role ${name} already exists` : undefined));
}

export function instanceProfileNameTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('iam:GetInstanceProfile', async () =>
    (await send(clients, 'iam', 'GetInstanceProfile', {InstanceProfileName: name})).InstanceProfile ? `instance profile ${name} already exists` : undefined,
  );
}

export function keyPairNameTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('ec2:DescribeKeyPairs', async () => {
    const answer = await send(clients, 'ec2', 'DescribeKeyPairs', {KeyNames: [name]});
    return (answer.KeyPairs as unknown[] | undefined)?.length ? `key pair ${name} already exists` : undefined;
  });
}

export function aliasTaken(clients: AwsClients, name: string, scope: NameScope): Promise<NameAnswer> {
  return lookup('kms:ListAliases', async () => ((await (scope.aliases ?? listAliases(clients))).has(name) ? `KMS alias ${name} already exists` : undefined));
}

/** Pages a list call may take in a name lookup: an endpoint that keeps handing out tokens is not followed for ever. */
const MAX_PAGES = 100;

/** The first answer `found` gives over the pages of a list call whose token is `tokenField` in both directions. */
async function searchPages(
  clients: AwsClients,
  service: 'logs' | 'backup',
  action: string,
  input: Record<string, unknown>,
  tokenField: string,
  found: (page: Record<string, unknown>) => string | undefined,
): Promise<string | undefined> {
  let token: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await send(clients, service, action, token ? {...input, [tokenField]: token} : input);
    const what = found(page);
    if (what) return what;
    token = typeof page[tokenField] === 'string' && page[tokenField] ? page[tokenField] : undefined;
    if (!token) return undefined;
  }
  return undefined;
}

/** DescribeLogGroups matches by prefix: the group is taken only when one of the answers is exactly it. */
export function logGroupTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('logs:DescribeLogGroups', () =>
    searchPages(clients, 'logs', 'DescribeLogGroups', {logGroupNamePrefix: name}, 'nextToken', (page) =>
      (page.logGroups as Array<{logGroupName?: string}> | undefined)?.some((group) => group.logGroupName === name) ? `CloudWatch Logs group ${name} already exists` : undefined,
    ),
  );
}

/** A vault an earlier launch made stays while it holds recovery points (destroy keeps backups). */
export function backupVaultTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('backup:DescribeBackupVault', async () => {
    const vault = await send(clients, 'backup', 'DescribeBackupVault', {BackupVaultName: name});
    const points = typeof vault.NumberOfRecoveryPoints === 'number' && vault.NumberOfRecoveryPoints > 0 ? ` and holds ${vault.NumberOfRecoveryPoints} recovery point(s)` : '';
    return vault.BackupVaultName ? `backup vault ${name} already exists${points}` : undefined;
  });
}

/** Plans are found by id, not name: the pages of ListBackupPlans are searched for the name. */
export function backupPlanTaken(clients: AwsClients, name: string): Promise<NameAnswer> {
  return lookup('backup:ListBackupPlans', () =>
    searchPages(clients, 'backup', 'ListBackupPlans', {}, 'NextToken', (page) => {
      const plan = (page.BackupPlansList as Array<{BackupPlanName?: string; BackupPlanId?: string}> | undefined)?.find((item) => item.BackupPlanName === name);
      return plan ? `backup plan ${name} (${plan.BackupPlanId ?? 'no id'}) already exists` : undefined;
    }),
  );
}

export function keyFileTaken(path: string): NameAnswer {
  const file = expandHome(path);
  return existsSync(file) ? {taken: true, what: `${file} already exists`} : {taken: false};
}

/** Is `name` free for `field`? Both the role and its instance profile must be free for a role. */
export async function nameTaken(clients: AwsClients, spec: LaunchSpec, field: NameField, name: string, scope: NameScope): Promise<NameAnswer> {
  switch (field) {
    case 'securityGroup.name':
      return scope.vpcId ? securityGroupNameTaken(clients, name, scope.vpcId) : {taken: false};
    case 'role.name': {
      const answers = await Promise.all([roleNameTaken(clients, name), instanceProfileNameTaken(clients, spec.role.instanceProfile || name)]);
      return answers.find((answer) => answer.taken === true) ?? answers.find((answer) => answer.taken === 'unknown') ?? {taken: false};
    }
    case 'keyPair.name': {
      const pair = await keyPairNameTaken(clients, name);
      if (pair.taken !== false || spec.keyPair.mode !== 'create') return pair;
      // The renamed key's file must be free too, when its path follows the name.
      const path = withName(spec, field, name).keyPair.path;
      return path ? keyFileTaken(path) : pair;
    }
    case 'storage.kmsAlias':
      return aliasTaken(clients, name, scope);
  }
}

const MAX_TRIES = 50;

/**
 * A copy of `spec` where each of `fields` that is taken is replaced by the first free numbered
 * alternative. A name that cannot be checked (denied) is left as it is: pre-flight says so.
 */
export async function proposeFreeNames(clients: AwsClients, spec: LaunchSpec, fields: readonly NameField[], scope: NameScope): Promise<LaunchSpec> {
  const names = createdNames(spec);
  const wantsAlias = fields.includes('storage.kmsAlias') && names['storage.kmsAlias'] !== undefined;
  const shared: NameScope = wantsAlias ? {...scope, aliases: scope.aliases ?? listAliases(clients)} : scope;
  shared.aliases?.catch(() => undefined);
  const proposals = await Promise.all(
    fields.map(async (field): Promise<[NameField, string] | undefined> => {
      const current = names[field];
      if (current === undefined) return undefined;
      let answer = await nameTaken(clients, spec, field, current, shared);
      if (answer.taken !== true) return undefined;
      for (let n = 2; n < MAX_TRIES + 2; n += 1) {
        const candidate = numberedName(current, n);
        answer = await nameTaken(clients, spec, field, candidate, shared);
        if (answer.taken === false) return [field, candidate];
        if (answer.taken === 'unknown') return undefined;
      }
      return undefined;
    }),
  );
  return proposals.reduce((next, proposal) => (proposal ? withName(next, proposal[0], proposal[1]) : next), spec);
}

/** The VPC a security group name must be free in: the spec's, the default one, or none (new). */
export async function defaultVpcId(clients: AwsClients, spec: LaunchSpec): Promise<string | undefined> {
  const {vpc} = spec.network;
  if (vpc === 'new') return undefined;
  if (vpc !== 'default') return vpc;
  try {
    const vpcs = (await send(clients, 'ec2', 'DescribeVpcs', {Filters: [{Name: 'isDefault', Values: ['true']}]})).Vpcs as Array<{VpcId?: string}> | undefined;
    return vpcs?.[0]?.VpcId;
  } catch {
    return undefined;
  }
}
