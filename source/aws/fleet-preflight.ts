// Pre-flight of a fleet deploy, before anything is created: the StackSets roles exist and can be
// assumed, every target region is enabled in its account, and nothing the template names already
// exists in a target. Each problem names its account and region; the deploy refuses (exit 2).
import {ADMINISTRATION_ROLE, EXECUTION_ROLE, targetKey, type FleetTarget, type PermissionModel, type PreflightFinding} from '../domain/fleet.js';
import {createsKey, kmsAliasFor} from '../domain/controls/storage.js';
import {behindLoadBalancer, type LaunchSpec} from '../domain/spec.js';
import {preflightLine} from '../domain/preflight.js';
import {loadBalancerChecks} from './preflight-load-balancer.js';
import type {AwsClients} from './clients.js';
import {describeAwsError, errorCode} from './errors.js';
import type {accountAccess} from './fleet-access.js';
import {mapLimit} from './map-limit.js';

export type PreflightProblem = PreflightFinding;

export interface PreflightInput {
  admin: AwsClients;
  adminAccount: string;
  permissionModel: PermissionModel;
  spec: LaunchSpec;
  accounts: string[];
  regions: string[];
  access: ReturnType<typeof accountAccess>;
  /** Targets the StackSet already has: their names exist because the fleet made them. */
  skip?: Set<string>;
}

const why = (error: unknown) => {
  const info = describeAwsError(error);
  return `${info.code}: ${info.message}`;
};

/** CloudFormation itself assumes the administration role, so its trust policy must name the service. */
async function checkAdministrationRole(input: PreflightInput): Promise<PreflightProblem[]> {
  const {GetRoleCommand} = await import('@aws-sdk/client-iam');
  const where = {account: input.adminAccount, region: input.admin.settings.region};
  try {
    const role = (await input.admin.iam.send(new GetRoleCommand({RoleName: ADMINISTRATION_ROLE}))).Role;
    const trust = decodeURIComponent(role?.AssumeRolePolicyDocument ?? '');
    if (trust && !trust.includes('cloudformation.amazonaws.com')) {
      return [{...where, message: `${ADMINISTRATION_ROLE} exists but CloudFormation cannot assume it: its trust policy does not name cloudformation.amazonaws.com`}];
    }
    return [];
  } catch (error) {
    if (errorCode(error) === 'NoSuchEntity' || errorCode(error) === 'NoSuchEntityException') {
      return [{...where, message: `${ADMINISTRATION_ROLE} does not exist in the administration account; create it (AWS publishes a template for it) or deploy with --org-units`}];
    }
    return [{...where, message: `cannot read ${ADMINISTRATION_ROLE}: ${why(error)}`}];
  }
}

/** The execution role is assumed as CloudFormation will; a role that cannot be assumed fails every region of its account. */
async function checkExecutionRole(input: PreflightInput, account: string): Promise<PreflightProblem[]> {
  const regions = input.regions.join(', ');
  try {
    await input.access.credentials(account);
  } catch (error) {
    return [{account, region: regions, message: `cannot assume ${EXECUTION_ROLE}: ${why(error)}`}];
  }
  const {GetRoleCommand} = await import('@aws-sdk/client-iam');
  try {
    const clients = await input.access.clients(account, input.regions[0]);
    await clients.iam.send(new GetRoleCommand({RoleName: EXECUTION_ROLE}));
  } catch (error) {
    const code = errorCode(error);
    // The role may not be allowed to read itself; having assumed it is proof enough then.
    if (code === 'AccessDenied' || code === 'AccessDeniedException') return [];
    return [{account, region: regions, message: `${EXECUTION_ROLE} is missing: ${why(error)}`}];
  }
  return [];
}

async function checkRegions(clients: AwsClients, account: string, regions: string[]): Promise<PreflightProblem[]> {
  const {DescribeRegionsCommand} = await import('@aws-sdk/client-ec2');
  let known;
  try {
    known = (await clients.ec2.send(new DescribeRegionsCommand({AllRegions: true}))).Regions ?? [];
  } catch (error) {
    return [{account, region: regions.join(', '), message: `cannot list the account's regions: ${why(error)}`}];
  }
  const problems: PreflightProblem[] = [];
  for (const region of regions) {
    const found = known.find((item) => item.RegionName === region);
    if (!found) problems.push({account, region, message: 'no such region in this account'});
    else if (found.OptInStatus === 'not-opted-in') problems.push({account, region, message: 'region is not enabled in this account (opt-in region); enable it first'});
  }
  return problems;
}

/** Names the template gives resources that must be unique in the target, or must already exist there. */
async function checkNames(clients: AwsClients, target: FleetTarget, spec: LaunchSpec): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  if (createsKey(spec.storage)) {
    const alias = kmsAliasFor(spec.instance.name);
    const {DescribeKeyCommand} = await import('@aws-sdk/client-kms');
    try {
      await clients.kms.send(new DescribeKeyCommand({KeyId: alias}));
      problems.push({...target, message: `KMS alias ${alias} already exists; rename the instance in the profile or remove the alias`});
    } catch (error) {
      if (errorCode(error) !== 'NotFoundException') problems.push({...target, message: `cannot check KMS alias ${alias}: ${why(error)}`});
    }
  }
  // The load balancer's and target group's names are unique per account and region, and its
  // certificate must be ISSUED there: the single launch's checks, run in the target.
  if (behindLoadBalancer(spec)) {
    for (const result of await loadBalancerChecks(clients, spec)) if (result.status === 'fail' || result.status === 'not-checked') problems.push({...target, message: preflightLine(result)});
  }
  if (spec.keyPair.mode === 'existing' && spec.keyPair.name) {
    const {DescribeKeyPairsCommand} = await import('@aws-sdk/client-ec2');
    try {
      await clients.ec2.send(new DescribeKeyPairsCommand({KeyNames: [spec.keyPair.name]}));
    } catch (error) {
      const missing = errorCode(error) === 'InvalidKeyPair.NotFound';
      problems.push({...target, message: missing ? `key pair ${spec.keyPair.name} does not exist here; import it first` : `cannot check key pair ${spec.keyPair.name}: ${why(error)}`});
    }
  }
  return problems;
}

export async function preflight(input: PreflightInput): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  if (input.permissionModel === 'SERVICE_MANAGED') {
    // StackSets' service-linked roles do the work; only the regions can be checked from here.
    problems.push(...(await checkRegions(input.admin, input.adminAccount, input.regions)));
    return problems;
  }
  problems.push(...(await checkAdministrationRole(input)));
  const perAccount = await mapLimit(input.accounts, 4, async (account) => {
    const roleProblems = await checkExecutionRole(input, account);
    if (roleProblems.length > 0) return roleProblems;
    const regional = await checkRegions(await input.access.clients(account, input.regions[0]), account, input.regions);
    const enabled = input.regions.filter((region) => !regional.some((problem) => problem.region === region) && !input.skip?.has(targetKey({account, region})));
    const names = await Promise.all(enabled.map(async (region) => checkNames(await input.access.clients(account, region), {account, region}, input.spec)));
    return [...regional, ...names.flat()];
  });
  problems.push(...perAccount.flat());
  return problems;
}
