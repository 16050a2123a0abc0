// Verifying a fleet: in each account/region, as the StackSets execution role, read the stack
// instance's outputs back, rebuild what a launch journal would have recorded, and run the same
// verification rules as `tandem verify`. A target that cannot be read gets a reason, never a crash.
import type {CloudFormationClient} from '@aws-sdk/client-cloudformation';
import type {FleetTarget} from '../domain/fleet.js';
import type {TargetVerification} from '../domain/fleet-table.js';
import {imageParameterName} from '../domain/plan.js';
import type {LaunchSpec} from '../domain/spec.js';
import type {LaunchRecord} from '../store/journal-types.js';
import type {AwsClients} from './clients.js';
import {describeAwsError, errorCode, errorMessage} from './errors.js';
import type {accountAccess} from './fleet-access.js';
import {makeCloudFormationClient} from './clients.js';
import type {StackInstance} from './fleet-stacksets.js';
import {getImageParameter} from './image.js';
import {mapLimit} from './map-limit.js';
import {verifyLaunch} from './verifier.js';
import {InstanceGone, type CreatedResource} from '../domain/cloud.js';
import {LB_STEP} from '../domain/controls/load-balancer.js';
import {templateFor} from '../domain/checker-run.js';
import type {CfnTemplate} from '../domain/checker-template.js';

interface StackFacts {
  stackName: string;
  outputs: Record<string, string>;
  /** Values CloudFormation resolved (the SSM image parameter), by parameter key. */
  resolved: Record<string, string>;
}

/** The stack instance's stack was deleted (outside the fleet, or by a delete that half failed). */
class StackGone extends Error {}

async function readStack(cfn: CloudFormationClient, stackId: string): Promise<StackFacts> {
  const {DescribeStacksCommand} = await import('@aws-sdk/client-cloudformation');
  let stack;
  try {
    stack = (await cfn.send(new DescribeStacksCommand({StackName: stackId}))).Stacks?.[0];
  } catch (error) {
    // AWS's answer for a stack that no longer exists: ValidationError "Stack with id X does not exist".
    if (errorCode(error) === 'ValidationError' && /does not exist/.test(errorMessage(error))) throw new StackGone(`stack ${stackId} no longer exists`);
    throw error;
  }
  // Described by its id, a deleted stack is still listed, as DELETE_COMPLETE.
  if (!stack || stack.StackStatus === 'DELETE_COMPLETE') throw new StackGone(`stack ${stackId} no longer exists`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  const resolved = Object.fromEntries(
    (stack.Parameters ?? []).filter((parameter) => parameter.ResolvedValue).map((parameter) => [parameter.ParameterKey ?? '', parameter.ResolvedValue ?? '']),
  );
  return {stackName: stack.StackName ?? stackId, outputs, resolved};
}

/** The load-balanced tier as a journal records it: verification finds these by kind and step. */
function loadBalancerResources(region: string, outputs: Record<string, string>): CreatedResource[] {
  const resources: CreatedResource[] = [];
  if (outputs.LoadBalancerArn) resources.push({kind: 'load-balancer', id: outputs.LoadBalancerArn, stepId: LB_STEP.loadBalancer, region});
  if (outputs.TargetGroupArn) resources.push({kind: 'target-group', id: outputs.TargetGroupArn, stepId: LB_STEP.targetGroup, region});
  if (outputs.LoadBalancerGroupId) resources.push({kind: 'security-group', id: outputs.LoadBalancerGroupId, stepId: LB_STEP.group, region});
  return resources;
}

/** What `tandem launch` would have journaled for this stack; verification reads nothing else. */
export function recordFromStack(spec: LaunchSpec, target: FleetTarget, facts: StackFacts, endpointUrl?: string): LaunchRecord {
  const {outputs} = facts;
  const now = new Date().toISOString();
  return {
    launchId: facts.stackName,
    createdAt: now,
    updatedAt: now,
    region: target.region,
    ...(endpointUrl ? {endpointUrl} : {}),
    account: target.account,
    spec: {...spec, region: target.region},
    status: 'launched',
    resources: loadBalancerResources(target.region, outputs),
    resolved: {
      ...(facts.resolved.ImageId ? {imageId: facts.resolved.ImageId} : {}),
      ...(outputs.VpcId ? {vpcId: outputs.VpcId} : {}),
      ...(outputs.SubnetId ? {subnetId: outputs.SubnetId} : {}),
      ...(outputs.SecurityGroupId ? {securityGroupId: outputs.SecurityGroupId} : {}),
      ...(outputs.RoleName ? {roleName: outputs.RoleName} : {}),
      ...(outputs.InstanceProfileName ? {instanceProfileName: outputs.InstanceProfileName} : {}),
      ...(outputs.KmsKeyArn ? {kmsKeyId: outputs.KmsKeyArn} : {}),
      ...(outputs.KeyPairName ? {keyName: outputs.KeyPairName} : spec.keyPair.name ? {keyName: spec.keyPair.name} : {}),
      ...(outputs.InstanceId ? {instanceId: outputs.InstanceId} : {}),
    },
  };
}

async function verifyTarget(clients: AwsClients, spec: LaunchSpec, instance: StackInstance, fleet: string, template: CfnTemplate): Promise<TargetVerification> {
  const target = {account: instance.account, region: instance.region};
  // An OUTDATED or INOPERABLE instance's stack is not what the fleet deployed (a failed create
  // leaves a rolled-back stack or none): that target is reported, not verified.
  if (!instance.stackId || instance.status !== 'CURRENT') {
    return {...target, results: [], problem: `stack instance is ${instance.status}${instance.reason ? `: ${instance.reason}` : ''}; run tandem fleet deploy again`};
  }
  const cfn = await makeCloudFormationClient(clients.settings);
  let facts: StackFacts;
  try {
    facts = await readStack(cfn, instance.stackId);
  } catch (error) {
    if (!(error instanceof StackGone)) throw error;
    return {
      ...target,
      results: [],
      problem: `${error.message} (its stack instance is still listed); run tandem fleet deploy again to rebuild it, or tandem fleet destroy ${fleet} to remove the fleet`,
    };
  }
  if (!facts.resolved.ImageId && spec.instance.image !== 'ami') {
    // CloudFormation reports the image it resolved from the public parameter; when the endpoint
    // does not, the parameter's value now is the best evidence of what "latest" meant.
    const answer = await getImageParameter(clients, {Name: imageParameterName(spec.instance.image, spec.instance.arch)}).catch(() => undefined);
    const value = (answer?.Parameter as {Value?: string} | undefined)?.Value;
    if (value) facts.resolved.ImageId = value;
  }
  const record = recordFromStack(spec, target, facts, clients.settings.endpointUrl);
  try {
    return {...target, results: await verifyLaunch(clients, record, template)};
  } catch (error) {
    // A target whose instance is gone is one problem, not a failing row per control.
    if (error instanceof InstanceGone) return {...target, results: [], problem: `${error.message}; run tandem fleet deploy again`};
    throw error;
  }
}

export async function verifyFleet(input: {
  /** The fleet's name, for the commands a problem suggests. */
  name: string;
  spec: LaunchSpec;
  instances: StackInstance[];
  access: ReturnType<typeof accountAccess>;
  onTarget?: (result: TargetVerification) => void;
}): Promise<TargetVerification[]> {
  // Every target runs the one template the fleet deployed: rendered once, judged once per target.
  const template = templateFor(input.spec);
  return mapLimit(input.instances, 4, async (instance) => {
    let result: TargetVerification;
    try {
      result = await verifyTarget(await input.access.clients(instance.account, instance.region), input.spec, instance, input.name, template);
    } catch (error) {
      const info = describeAwsError(error);
      result = {account: instance.account, region: instance.region, results: [], problem: `${info.code}: ${info.message}`};
    }
    input.onTarget?.(result);
    return result;
  });
}
