// The launch spec turned into a graph of AWS SDK calls. Each step's params are exactly the SDK
// command input, with StepRefs where a value only exists at launch time, so the executor can run
// `new Commands[action](resolve(params))` without knowing what any step means. A step depends
// only on the steps whose output it uses (or that must have happened for it to succeed), so
// independent work runs concurrently.
import {imageRecord, userDataFor} from './controls/image.js';
import {moduleSteps} from './controls/index.js';
import {launchKey} from './controls/key-pair.js';
import {metadataOptions} from './controls/metadata.js';
import {launchProfile} from './controls/role.js';
import {launchMonitoring} from './controls/monitoring.js';
import {launchGroups} from './controls/security-group.js';
import {rootVolume, volumeText} from './controls/storage.js';
import {launchPlacement} from './controls/tenancy.js';
import {INSTANCE_ID, PLAN_STEP} from './plan-ids.js';
import {networkSteps, type NetworkPlan} from './plan-network.js';
import {CLIENT_TOKEN, tagSpecifications} from './plan-tags.js';
import type {Plan, PlanStep} from './plan-types.js';
import type {LaunchSpec} from './spec.js';

export {orderedSteps, planLevels, planDepth, checkPlan, refsIn, transitiveDependencies} from './plan-graph.js';
export {bucketPolicy, trustPolicy, instanceProfileName, createdRoleName} from './plan-iam.js';
export {imageParameterName} from './controls/image.js';

/**
 * RunInstances: every module's part of the one call, in the order the SDK input has always had.
 * The public address is asked for here, per instance, rather than by the subnet (EC2.15).
 */
function runInstancesStep(spec: LaunchSpec, network: NetworkPlan): PlanStep {
  const {instance, storage} = spec;
  const root = rootVolume(spec);
  const groups = launchGroups(spec);
  const placement = launchPlacement(spec);
  const profile = launchProfile(spec);
  const key = launchKey(spec);
  const userData = userDataFor(spec);
  return {
    id: PLAN_STEP.runInstances,
    service: 'ec2',
    action: 'RunInstances',
    params: {
      ImageId: imageRecord('Images.0.ImageId'),
      InstanceType: instance.type,
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{DeviceIndex: 0, SubnetId: network.subnetId, Groups: groups.groups, AssociatePublicIpAddress: spec.network.publicIp, DeleteOnTermination: true}],
      BlockDeviceMappings: [{DeviceName: imageRecord('Images.0.RootDeviceName'), Ebs: root.ebs}],
      ...placement.params,
      MetadataOptions: metadataOptions(spec),
      ...launchMonitoring(spec).params,
      ClientToken: CLIENT_TOKEN,
      TagSpecifications: tagSpecifications(spec, [
        {type: 'instance', name: instance.name},
        {type: 'volume', name: `${instance.name}-root`},
      ]),
      ...profile.params,
      ...key.params,
      ...(userData === undefined ? {} : {UserData: userData}),
    },
    creates: ['instance'],
    dependsOn: [PLAN_STEP.image, network.subnetStep, ...root.dependsOn, ...groups.dependsOn, ...placement.dependsOn, ...profile.dependsOn, ...key.dependsOn],
    controls: ['instance-type', 'detailed-monitoring', 'tenancy', 'ebs-encryption', 'imds-v2', 'public-ip', 'ami-provenance'],
    dryRunnable: true,
    summary: `Launch ${instance.type} instance ${instance.name} (${instance.tenancy} tenancy, IMDSv2 ${instance.imds}, ${volumeText(storage)}${spec.network.publicIp ? ', public IP' : ''})`,
  };
}

/** The module steps that wait for the running instance (the first snapshot), directly or through another. */
function afterInstance(steps: PlanStep[]): Set<string> {
  const after = new Set<string>([PLAN_STEP.runInstances, PLAN_STEP.waitRunning]);
  for (let grew = true; grew;) {
    grew = false;
    for (const step of steps) {
      if (after.has(step.id) || !step.dependsOn.some((id) => after.has(id))) continue;
      after.add(step.id);
      grew = true;
    }
  }
  return after;
}

/**
 * The launch spec as a plan: each control module's steps, then the instance and the wait for it,
 * then the module steps that need the running instance, so the listing reads in the order things run.
 */
export function buildPlan(spec: LaunchSpec): Plan {
  const network = networkSteps(spec);
  const wait: PlanStep = {
    id: PLAN_STEP.waitRunning,
    service: 'ec2',
    action: 'WaitUntilInstanceRunning',
    params: {InstanceIds: [INSTANCE_ID]},
    creates: [],
    dependsOn: [PLAN_STEP.runInstances],
    controls: ['hypervisor-isolation'],
    dryRunnable: false,
    summary: 'Wait until the instance is running',
  };
  const steps = moduleSteps(spec, {network});
  const after = afterInstance(steps);
  return {steps: [...steps.filter((step) => !after.has(step.id)), runInstancesStep(spec, network), wait, ...steps.filter((step) => after.has(step.id))]};
}
