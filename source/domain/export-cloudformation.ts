// A CloudFormation template (YAML) that builds what the launch builds: a rendering of the plan
// (docs/design.md section 2), each step as the resource, parameter or output it stands for
// (export-cloudformation-steps.ts), with the same controls: encrypted root volume with the chosen
// key (a new key rotates), tenancy, IMDSv2 through a launch template (AWS::EC2::Instance has no
// metadata options of its own), exactly the reviewed ingress rules, a role scoped to one bucket,
// and tags. Values that differ per account or deployment are parameters whose defaults are the
// profile's choices, so the same template works with StackSets across accounts and regions.
import {CFN_RENDERERS as STEP_RENDERERS, getAtt, logicalId, ref, stepName, type CfnContext, type Json, type JsonObject, type Template} from './export-cloudformation-steps.js';
import {LOAD_BALANCER_RENDERERS} from './export-cloudformation-load-balancer.js';
import {PlanIndex, asRef, list, params, specTags, tagsWithProfile, text} from './export-render.js';
import {buildPlan} from './plan.js';
import {PLAN_STEP} from './plan-ids.js';
import {isStepRef} from './plan-graph.js';
import type {ParamValue, Plan, PlanStep} from './plan-types.js';

/** Every kind of step's renderer: the plan's own, and the load balancer's. */
const CFN_RENDERERS = {...STEP_RENDERERS, ...LOAD_BALANCER_RENDERERS};
import type {LaunchSpec} from './spec.js';

/**
 * The profile as AWS sees it (tag value, description): a file's base name without .yaml, or the
 * saved name. Never a local path: a folder names the operator's machine and home, not the profile.
 */
export function profileLabel(source: string, kind: 'saved' | 'file'): string {
  const name = kind === 'file' ? (source.split(/[\\/]/).pop() ?? '').replace(/\.ya?ml$/i, '') : source;
  return name.replace(/[^\p{L}\p{N} _.:=+\-@]/gu, '-').slice(0, 256) || 'profile';
}

export interface ExportOptions {
  /** Saved profile name or file it came from; becomes the tandem:profile tag. */
  profile: string;
  /** ISO time for the header; omitted from the output when not given. */
  generatedAt?: string;
}

function context(template: Template, plan: Plan, region: string, profile: string): CfnContext {
  const index = new PlanIndex(plan);
  const cfn: CfnContext = {
    template,
    plan: index,
    region,
    profile,
    value(value: ParamValue | undefined): Json {
      if (value === undefined || value === null) return '';
      if (isStepRef(value)) {
        if (value.ref === '$launch') return ref('AWS::StackName');
        if (value.ref === '$local') return ref('PublicKeyMaterial');
        const step = index.step(value.ref);
        const renderer = step && CFN_RENDERERS[step.action];
        return step && renderer?.ref ? renderer.ref(step, value.output, cfn) : ref(logicalId(value.ref));
      }
      if (Array.isArray(value)) return value.map((item) => cfn.value(item));
      if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cfn.value(item)]));
      return value;
    },
    tags: (tags) => cfn.value(tagsWithProfile(tags, profile)),
  };
  return cfn;
}

/**
 * The exports give every subnet they create a route table of its own: the private subnet's holds
 * only the VPC's local route, where a reader sees it, instead of falling back on the main table.
 */
function privateRouteTables(cfn: CfnContext): void {
  for (const subnet of cfn.plan.subnetsWithoutRouteTable()) {
    const subnetId = logicalId(subnet.id);
    const side = subnetId.replace(/Subnet$/, '');
    cfn.template.Resources[`${side}RouteTable`] = {Type: 'AWS::EC2::RouteTable', Properties: {VpcId: cfn.value(subnet.params.VpcId), Tags: cfn.tags(routeTableTags(subnet))}};
    cfn.template.Resources[`${subnetId}RouteTableAssociation`] = {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: {SubnetId: ref(subnetId), RouteTableId: ref(`${side}RouteTable`)},
    };
  }
}

/** A route table made beside a subnet is named after it, as the plan names the public one. */
function routeTableTags(subnet: PlanStep): ParamValue[] {
  return specTags(subnet).map((tag) => (params(tag).Key === 'Name' ? {Key: 'Name', Value: stepName(subnet)} : tag));
}

/** The route a public instance in a new VPC needs before anyone can reach it. */
function routeBefore(cfn: CfnContext, subnet: ParamValue | undefined): string | undefined {
  const subnetStep = asRef(subnet)?.ref;
  const association = cfn.plan.ofAction('AssociateRouteTable').find((step) => asRef(step.params.SubnetId)?.ref === subnetStep);
  const table = asRef(association?.params.RouteTableId)?.ref;
  const route = cfn.plan.ofAction('CreateRoute').find((step) => asRef(step.params.RouteTableId)?.ref === table);
  return route && logicalId(route.id);
}

/** Existing resources the instance names are parameters: their ids differ per account. */
function existingGroup(cfn: CfnContext, groups: ParamValue[]): Json {
  if (groups.some(isStepRef)) return cfn.value(groups[0]);
  const given = text(groups[0]);
  cfn.template.Parameters.SecurityGroupId = {Type: 'AWS::EC2::SecurityGroup::Id', ...(given ? {Default: given} : {}), Description: 'Existing security group for the instance'};
  return ref('SecurityGroupId');
}

function instanceProfile(cfn: CfnContext, profile: ParamValue | undefined): Json | undefined {
  const name = params(profile).Name;
  if (name === undefined) return undefined;
  if (isStepRef(name)) return cfn.value(name);
  cfn.template.Parameters.InstanceProfileName = {Type: 'String', Default: text(name), Description: 'Existing instance profile for the instance'};
  return ref('InstanceProfileName');
}

function keyName(cfn: CfnContext, key: ParamValue | undefined): Json | undefined {
  if (key === undefined) return undefined;
  if (isStepRef(key)) return cfn.value(key);
  cfn.template.Parameters.KeyName = {Type: 'AWS::EC2::KeyPair::KeyName', ...(text(key) ? {Default: text(key)} : {}), Description: 'Existing key pair for the instance'};
  return ref('KeyName');
}

/** imds-v2: AWS::EC2::Instance cannot set metadata options, a launch template can. */
function launchTemplate(cfn: CfnContext, run: PlanStep, name: string): void {
  cfn.template.Resources.LaunchTemplate = {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: {MetadataOptions: cfn.value(run.params.MetadataOptions)},
      TagSpecifications: [{ResourceType: 'launch-template', Tags: cfn.tags(specTags(run).map((tag) => (params(tag).Key === 'Name' ? {Key: 'Name', Value: `${name}-template`} : tag)))}],
    },
  };
}

/** RunInstances as an instance, its launch template, and the outputs that name what it uses. */
function renderInstance(cfn: CfnContext, run: PlanStep): void {
  const P = cfn.template.Parameters;
  const O = cfn.template.Outputs;
  const name = stepName(run);
  P.InstanceType = {Type: 'String', Default: text(run.params.InstanceType), Description: 'Instance type (instance-type control)'};
  launchTemplate(cfn, run, name);
  const nic = params(list(run.params.NetworkInterfaces)[0]);
  const groupId = existingGroup(cfn, list(nic.Groups));
  const subnetId = cfn.value(nic.SubnetId);
  const placement = params(run.params.Placement);
  const mapping = params(list(run.params.BlockDeviceMappings)[0]);
  const properties: JsonObject = {
    LaunchTemplate: {LaunchTemplateId: ref('LaunchTemplate'), Version: getAtt('LaunchTemplate', 'LatestVersionNumber')},
    ImageId: cfn.value(run.params.ImageId),
    InstanceType: ref('InstanceType'),
    NetworkInterfaces: [{DeviceIndex: '0', SubnetId: subnetId, GroupSet: [groupId], AssociatePublicIpAddress: nic.AssociatePublicIpAddress === true, DeleteOnTermination: true}],
    BlockDeviceMappings: [{DeviceName: cfn.value(mapping.DeviceName), Ebs: cfn.value(mapping.Ebs)}],
    Tenancy: text(placement.Tenancy),
    PropagateTagsToVolumeOnCreation: true,
    Tags: cfn.tags(specTags(run)),
  };
  if (placement.HostId !== undefined) properties.HostId = cfn.value(placement.HostId);
  // Detailed monitoring (controls/monitoring.ts): AWS::EC2::Instance Monitoring is a boolean.
  if (params(run.params.Monitoring).Enabled === true) properties.Monitoring = true;
  const profile = instanceProfile(cfn, run.params.IamInstanceProfile);
  if (profile) properties.IamInstanceProfile = profile;
  const key = keyName(cfn, run.params.KeyName);
  if (key) properties.KeyName = key;
  if (typeof run.params.UserData === 'string') properties.UserData = {'Fn::Base64': atob(run.params.UserData)};
  const route = routeBefore(cfn, nic.SubnetId);
  // A public instance in a new VPC is only reachable once its route to the gateway exists.
  cfn.template.Resources.Instance = {Type: 'AWS::EC2::Instance', ...(route ? {DependsOn: route} : {}), Properties: properties};

  O.InstanceId = {Description: 'The web server instance', Value: ref('Instance')};
  O.PrivateIp = {Description: 'Private IPv4 address', Value: getAtt('Instance', 'PrivateIp')};
  if (nic.AssociatePublicIpAddress === true) O.PublicIp = {Description: 'Public IPv4 address (public-ip)', Value: getAtt('Instance', 'PublicIp')};
  O.SecurityGroupId = {Description: 'Security group with the reviewed rules (security-group-rules)', Value: groupId};
  O.VpcId = {Description: 'VPC of the instance (vpc-isolation)', Value: vpcOf(cfn)};
  O.SubnetId = {Description: 'Subnet of the instance (subnet-routing)', Value: subnetId};
  O.LaunchTemplateId = {Description: 'Launch template carrying the metadata options (imds-v2)', Value: ref('LaunchTemplate')};
}

function vpcOf(cfn: CfnContext): Json {
  const vpc = cfn.plan.step(PLAN_STEP.vpc);
  return vpc?.action === 'CreateVpc' ? ref(logicalId(vpc.id)) : ref('VpcId');
}

/** The template as data (tests, verification and other formats read it); cloudFormationTemplate() prints it. */
export function cloudFormationObject(spec: LaunchSpec, options: ExportOptions, plan: Plan = buildPlan(spec)): Template {
  const {instance} = spec;
  const template: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `tandem launch profile ${options.profile}: ${instance.type} web server ${instance.name} with the controls reviewed in tandem (generated by tandem export)`.slice(0, 1024),
    Metadata: {tandem: {profile: options.profile, ...(options.generatedAt ? {generatedAt: options.generatedAt} : {}), specVersion: spec.version}},
    Parameters: {},
    Resources: {},
    Outputs: {},
  };
  const cfn = context(template, plan, spec.region, options.profile);
  for (const step of plan.steps) {
    if (step.action === 'RunInstances') renderInstance(cfn, step);
    else CFN_RENDERERS[step.action]?.render(step, cfn);
  }
  privateRouteTables(cfn);
  return template;
}
