// `tandem launch --dry-run`: asks AWS whether each call would be allowed without creating
// anything. EC2 calls are sent with DryRun: true; the answer DryRunOperation means "would
// succeed" and UnauthorizedOperation means "denied". IAM, KMS and SSM have no dry-run mode, so
// their calls are listed as not checkable, except read-only ones (the SSM image lookup,
// Describe*/Get*/List*), which are simply made because they change nothing.
//
// Values that exist only after an earlier create (the new VPC's id, the new key's ARN...) get
// well-formed placeholders (vpc-00000000000000000 and so on). EC2 normally checks permissions
// before it looks the ids up, but some calls validate ids first; when a call that used a
// placeholder answers with a NotFound/Malformed error, the result is "not checkable" (the
// permission cannot be tested before the resource exists), never "denied" or "would succeed".
//
// Some endpoints (moto, see docs/design.md section 5) ignore DryRun for CreateVpc, CreateSubnet,
// the internet-gateway and route-table calls and AllocateHosts, and really make the call. tandem reports that as an error and deletes
// what was created, so a dry run never leaves anything behind.
import type {DryRunResult} from '../domain/cloud.js';
import {instanceConnectListName, noInstanceConnectList} from '../domain/controls/ways-in.js';
import type {Plan, PlanStep, StepRef} from '../domain/plan-types.js';
import type {LaunchSpec} from '../domain/spec.js';
import type {AwsClients} from './clients.js';
import {createdResources, deleteResource, iamActionName, send} from './actions.js';
import {describeAwsError, errorCode} from './errors.js';
import {getImageParameter, isImageParameter} from './image.js';
import {referencedSteps, resolveParams} from './refs.js';
import {TandemError, brandFor} from '../tandem-error.js';

const READ_ONLY = /^(Describe|Get|List)/;

const ID_PREFIXES: Record<string, string> = {
  VpcId: 'vpc',
  SubnetId: 'subnet',
  GroupId: 'sg',
  InternetGatewayId: 'igw',
  RouteTableId: 'rtb',
  InstanceId: 'i',
  HostIds: 'h',
  ImageId: 'ami',
  Value: 'ami',
  KeyPairId: 'key',
  VolumeId: 'vol',
  SnapshotId: 'snap',
  NetworkAclId: 'acl',
};
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** A name the plan gives as text; a reference (only known once created) gets the placeholder. */
const nameOr = (value: unknown) => (typeof value === 'string' ? value : 'placeholder');

/** A well-formed stand-in for a value the plan would only learn by creating something. */
export function placeholderFor(ref: StepRef, producer: PlanStep | undefined, region: string): unknown {
  const parts = ref.output.split('.').filter((part) => !/^\d+$/.test(part));
  const last = parts[parts.length - 1] ?? '';
  const fromParams = producer?.params[last];
  if (typeof fromParams === 'string') return fromParams;
  if (last in ID_PREFIXES) {
    const id = `${ID_PREFIXES[last]}-00000000000000000`;
    return ref.output.endsWith('HostIds') ? [id] : id;
  }
  if (last === 'KeyId') return ZERO_UUID;
  if (last === 'AvailabilityZone') return `${region}a`;
  if (last === 'Arn') {
    if (producer?.service === 'kms') return `arn:aws:kms:${region}:000000000000:key/${ZERO_UUID}`;
    if (producer?.action === 'CreateInstanceProfile') {
      return `arn:aws:iam::000000000000:instance-profile/${nameOr(producer.params.InstanceProfileName)}`;
    }
    if (producer?.action === 'CreateRole') return `arn:aws:iam::000000000000:role/${nameOr(producer.params.RoleName)}`;
  }
  return 'placeholder';
}

function topological(plan: Plan): PlanStep[] {
  const done = new Set<string>();
  const ordered: PlanStep[] = [];
  while (ordered.length < plan.steps.length) {
    const ready = plan.steps.filter((step) => !done.has(step.id) && step.dependsOn.every((dep) => done.has(dep)));
    if (ready.length === 0) break;
    for (const step of ready) {
      done.add(step.id);
      ordered.push(step);
    }
  }
  return ordered;
}

const NOT_CHECKABLE_REASON: Record<string, string> = {
  iam: 'IAM has no dry-run mode',
  kms: 'KMS has no dry-run mode',
  ssm: 'SSM has no dry-run mode',
  sts: 'STS has no dry-run mode',
  backup: 'AWS Backup has no dry-run mode',
  logs: 'CloudWatch Logs has no dry-run mode',
  elbv2: 'Elastic Load Balancing has no dry-run mode',
  acm: 'Certificate Manager has no dry-run mode',
  route53: 'Route 53 has no dry-run mode',
};

/** Policy documents name the account; they are never sent in a dry run, so a well-formed stand-in does. */
const PLACEHOLDER_ACCOUNT = '000000000000';

export async function dryRunPlan(clients: AwsClients, spec: LaunchSpec, plan: Plan): Promise<DryRunResult[]> {
  const region = clients.settings.region;
  const byId = new Map(plan.steps.map((step) => [step.id, step]));
  const outputs = new Map<string, Record<string, unknown>>();
  const results: DryRunResult[] = [];
  for (const step of topological(plan)) {
    const usedPlaceholders: string[] = [];
    const context = {
      launchId: 'l-dry-run',
      clientToken: 'tandem-dry-run',
      accountId: PLACEHOLDER_ACCOUNT,
      publicKeyPath: spec.keyPair.mode === 'import' ? spec.keyPair.path : undefined,
      outputs,
      placeholder: (ref: StepRef) => {
        usedPlaceholders.push(ref.ref);
        return placeholderFor(ref, byId.get(ref.ref), region);
      },
    };
    const base = {stepId: step.id, action: step.action};
    let input: Record<string, unknown>;
    try {
      input = resolveParams(step.params, context);
    } catch (error) {
      results.push(unresolvedResult(step, error, byId, outputs, region));
      continue;
    }

    if (READ_ONLY.test(step.action) && usedPlaceholders.length === 0) {
      try {
        const response =
          step.service === 'ssm' && step.action === 'GetParameter' && isImageParameter(input.Name)
            ? await getImageParameter(clients, input)
            : await send(clients, step.service, step.action, input);
        outputs.set(step.id, response);
        results.push({...base, outcome: 'would-succeed', detail: 'read-only call, made for real'});
      } catch (error) {
        results.push(classifyFailure(step, error, []));
      }
      continue;
    }

    if (step.action.startsWith('WaitUntil')) {
      results.push({...base, outcome: 'not-checkable', detail: 'waits for a resource the launch creates'});
      continue;
    }

    if (!step.dryRunnable || step.service !== 'ec2') {
      results.push({...base, outcome: 'not-checkable', detail: NOT_CHECKABLE_REASON[step.service] ?? 'this call has no dry-run mode'});
      continue;
    }

    try {
      const response = await dryRunCall(clients, step, input, outputs);
      // A lookup answered for real (moto ignores DryRun on some Describe calls) changed nothing,
      // and an answer rather than a denial means the call is allowed.
      if (READ_ONLY.test(step.action)) {
        results.push({...base, outcome: 'would-succeed', detail: 'read-only call; the endpoint answered it without DryRun'});
        continue;
      }
      // The endpoint ignored DryRun and really did it: undo, and say so.
      for (const resource of createdResources(step, input, response, region)) {
        await deleteResource(clients, resource).catch(() => undefined);
      }
      results.push({...base, outcome: 'error', detail: 'the endpoint ignored DryRun and really made the call; tandem deleted what it created'});
    } catch (error) {
      results.push(classifyFailure(step, error, usedPlaceholders));
    }
  }
  return results;
}

/**
 * A call whose input could not be filled in. When a lookup it needs came back empty, that is a
 * problem with the account or region (as pre-flight reports it), said in plain words with what to
 * do: the region's EC2 Instance Connect prefix list, which regions without the service lack.
 */
function unresolvedResult(step: PlanStep, error: unknown, byId: Map<string, PlanStep>, outputs: Map<string, Record<string, unknown>>, region: string): DryRunResult {
  const base = {stepId: step.id, action: step.action};
  const lookups = referencedSteps(step.params).map((id) => byId.get(id));
  const emptyList = lookups.find((lookup) => lookup?.action === 'DescribeManagedPrefixLists' && outputs.has(lookup.id) && !hasPrefixList(outputs.get(lookup.id)));
  if (errorCode(error) === 'UnresolvedRef' && emptyList) {
    // The pre-flight row says the same at length; this row names what the call lacks and the way out.
    const {fix} = noInstanceConnectList(region);
    return {...base, outcome: 'would-fail', detail: `pre-flight: region ${region} has no EC2 Instance Connect prefix list (${instanceConnectListName(region)}); ${fix}`};
  }
  const info = describeAwsError(error);
  return {...base, outcome: 'error', detail: `${info.code}: ${info.message}`};
}

const hasPrefixList = (response: Record<string, unknown> | undefined): boolean => Array.isArray(response?.PrefixLists) && response.PrefixLists.length > 0;

/**
 * Sends one EC2 call with DryRun. RunInstances naming an instance profile this launch would
 * create cannot pass EC2's profile lookup before the profile exists; it is then asked again
 * without the profile, which still checks ec2:RunInstances itself (but not iam:PassRole, which
 * the result's detail says).
 */
async function dryRunCall(clients: AwsClients, step: PlanStep, input: Record<string, unknown>, outputs: Map<string, Record<string, unknown>>): Promise<Record<string, unknown>> {
  try {
    return await send(clients, 'ec2', step.action, {...input, DryRun: true});
  } catch (error) {
    const pendingProfile = step.action === 'RunInstances' && step.params.IamInstanceProfile !== undefined && referencedSteps(step.params.IamInstanceProfile).some((id) => !outputs.has(id));
    if (!pendingProfile || errorCode(error) === 'DryRunOperation' || errorCode(error) === 'UnauthorizedOperation') throw error;
    const {IamInstanceProfile: _omitted, ...rest} = input;
    try {
      return await send(clients, 'ec2', step.action, {...rest, DryRun: true});
    } catch (retryError) {
      if (errorCode(retryError) === 'DryRunOperation') throw new ProfileNotCheckedDryRun();
      throw retryError;
    }
  }
}

/** DryRunOperation for a RunInstances asked without its (not yet created) instance profile. */
class ProfileNotCheckedDryRun extends TandemError {
  static override readonly brand = brandFor('ProfileNotCheckedDryRun');
  override name = 'DryRunOperation';
  readonly detail = 'checked without the instance profile this launch creates; iam:PassRole is not checked';
}

function classifyFailure(step: PlanStep, error: unknown, usedPlaceholders: string[]): DryRunResult {
  const base = {stepId: step.id, action: step.action};
  const code = errorCode(error);
  if (code === 'DryRunOperation') {
    return {...base, outcome: 'would-succeed', ...(error instanceof ProfileNotCheckedDryRun ? {detail: error.detail} : {})};
  }
  if (code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException') {
    return {...base, outcome: 'denied', detail: `${iamActionName(step)} is not allowed for these credentials`};
  }
  if (usedPlaceholders.length > 0 && /NotFound|Malformed|InvalidParameterValue|InvalidAMIID|NoSuchEntity/.test(code)) {
    return {
      ...base,
      outcome: 'not-checkable',
      detail: `EC2 checked ids before permissions; needs what ${[...new Set(usedPlaceholders)].join(', ')} would create`,
    };
  }
  const info = describeAwsError(error);
  return {...base, outcome: 'error', detail: `${info.code}: ${info.message}`};
}

/** Exit rule for --dry-run: every call that can be checked would succeed. */
export function dryRunPassed(results: DryRunResult[]): boolean {
  return results.every((result) => result.outcome === 'would-succeed' || result.outcome === 'not-checkable');
}
