// Network steps of the plan: find the default VPC and subnet, read an existing pair, or build a
// new VPC with a public and a private subnet.
import {nthSubnet, parseCidr} from './cidr.js';
import {tagSpecifications} from './plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from './plan-types.js';
import type {LaunchSpec, NetworkSpec} from './spec.js';

export const NEW_VPC_CIDR = '10.0.0.0/16';

/**
 * Blocks for a new VPC: the spec's own, or the first two /24s of the VPC block (halves of it
 * when the VPC is smaller than a /23). Undefined where the VPC block cannot hold them.
 */
export function newVpcCidrs(network: NetworkSpec): {vpc: string; publicSubnet?: string; privateSubnet?: string} {
  const vpc = network.cidr ?? NEW_VPC_CIDR;
  const parsed = parseCidr(vpc);
  let publicSubnet = network.publicSubnetCidr;
  let privateSubnet = network.privateSubnetCidr;
  if (parsed.ok) {
    const prefix = Math.max(parsed.cidr.prefix + 1, 24);
    if (prefix <= 28) {
      publicSubnet ??= nthSubnet(parsed.cidr, prefix, 0)?.text;
      privateSubnet ??= nthSubnet(parsed.cidr, prefix, 1)?.text;
    }
  }
  return {vpc, publicSubnet, privateSubnet};
}

export interface NetworkPlan {
  steps: PlanStep[];
  vpcStep: string;
  vpcId: StepRef;
  /** The step whose response names the instance's subnet. */
  subnetStep: string;
  subnetId: StepRef;
  availabilityZone: StepRef;
}

const filter = (Name: string, value: ParamValue): ParamValue => ({Name, Values: [value]});

export function networkSteps(spec: LaunchSpec): NetworkPlan {
  const {network} = spec;
  if (network.vpc === 'new') return newVpcSteps(spec);
  const isDefault = network.vpc === 'default';
  const vpcStep: PlanStep = {
    id: 'vpc',
    service: 'ec2',
    action: 'DescribeVpcs',
    params: isDefault ? {Filters: [filter('isDefault', 'true')]} : {VpcIds: [network.vpc]},
    creates: [],
    dependsOn: [],
    controls: ['vpc-isolation'],
    dryRunnable: true,
    summary: isDefault ? "Find the account's default VPC" : `Read existing VPC ${network.vpc}`,
  };
  const vpcId: StepRef = {ref: 'vpc', output: 'Vpcs.0.VpcId'};
  const byId = network.subnet.startsWith('subnet-');
  // Filtering by VPC as well means a subnet from another VPC comes back empty and the launch
  // stops here, before anything is created.
  const subnetStep: PlanStep = {
    id: 'subnet',
    service: 'ec2',
    action: 'DescribeSubnets',
    params: byId ? {SubnetIds: [network.subnet], Filters: [filter('vpc-id', vpcId)]} : {Filters: [filter('vpc-id', vpcId), filter('default-for-az', 'true')]},
    creates: [],
    dependsOn: ['vpc'],
    controls: ['subnet-routing'],
    dryRunnable: true,
    summary: byId ? `Read existing subnet ${network.subnet} and check it belongs to the VPC` : 'Find a default subnet of the default VPC',
  };
  return {
    steps: [vpcStep, subnetStep],
    vpcStep: 'vpc',
    vpcId,
    subnetStep: 'subnet',
    subnetId: {ref: 'subnet', output: 'Subnets.0.SubnetId'},
    availabilityZone: {ref: 'subnet', output: 'Subnets.0.AvailabilityZone'},
  };
}

function newVpcSteps(spec: LaunchSpec): NetworkPlan {
  const name = spec.instance.name;
  const cidrs = newVpcCidrs(spec.network);
  const vpcId: StepRef = {ref: 'vpc', output: 'Vpc.VpcId'};
  // MapPublicIpOnLaunch stays off on both subnets (Security Hub EC2.15): a subnet that hands out
  // public addresses makes every later instance in it public by accident. The instance asks for
  // its own public address on its network interface instead, as an explicit per-launch choice.
  const subnet = (which: 'public' | 'private', cidr: string | undefined): PlanStep => ({
    id: `subnet-${which}`,
    service: 'ec2',
    action: 'CreateSubnet',
    params: {
      VpcId: vpcId,
      CidrBlock: cidr ?? '',
      TagSpecifications: tagSpecifications(spec, [{type: 'subnet', name: `${name}-${which}`}]),
    },
    creates: ['subnet'],
    dependsOn: ['vpc'],
    controls: ['subnet-routing'],
    dryRunnable: true,
    summary: which === 'public' ? `Create public subnet ${cidr ?? ''} (routed to the internet gateway)` : `Create private subnet ${cidr ?? ''} (no route to the internet)`,
  });
  const steps: PlanStep[] = [
    {
      id: 'vpc',
      service: 'ec2',
      action: 'CreateVpc',
      params: {CidrBlock: cidrs.vpc, TagSpecifications: tagSpecifications(spec, [{type: 'vpc', name: `${name}-vpc`}])},
      creates: ['vpc'],
      dependsOn: [],
      controls: ['vpc-isolation', 'subnet-routing'],
      dryRunnable: true,
      summary: `Create VPC ${cidrs.vpc} (${name}-vpc)`,
    },
    subnet('public', cidrs.publicSubnet),
    subnet('private', cidrs.privateSubnet),
    ...internetRouteSteps(spec, vpcId),
  ];
  const chosen = spec.network.subnet === 'private' ? 'subnet-private' : 'subnet-public';
  return {
    steps,
    vpcStep: 'vpc',
    vpcId,
    subnetStep: chosen,
    subnetId: {ref: chosen, output: 'Subnet.SubnetId'},
    availabilityZone: {ref: chosen, output: 'Subnet.AvailabilityZone'},
  };
}

/** The public subnet's way out: a gateway attached to the VPC, and a route table sending 0.0.0.0/0 to it. */
function internetRouteSteps(spec: LaunchSpec, vpcId: StepRef): PlanStep[] {
  const name = spec.instance.name;
  const igwId: StepRef = {ref: 'internet-gateway', output: 'InternetGateway.InternetGatewayId'};
  const routeTableId: StepRef = {ref: 'route-table-public', output: 'RouteTable.RouteTableId'};
  return [
    {
      id: 'internet-gateway',
      service: 'ec2',
      action: 'CreateInternetGateway',
      params: {TagSpecifications: tagSpecifications(spec, [{type: 'internet-gateway', name: `${name}-igw`}])},
      creates: ['internet-gateway'],
      dependsOn: [],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Create an internet gateway',
    },
    {
      id: 'attach-internet-gateway',
      service: 'ec2',
      action: 'AttachInternetGateway',
      params: {InternetGatewayId: igwId, VpcId: vpcId},
      creates: [],
      dependsOn: ['internet-gateway', 'vpc'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Attach the internet gateway to the VPC',
    },
    {
      id: 'route-table-public',
      service: 'ec2',
      action: 'CreateRouteTable',
      params: {VpcId: vpcId, TagSpecifications: tagSpecifications(spec, [{type: 'route-table', name: `${name}-public`}])},
      creates: ['route-table'],
      dependsOn: ['vpc'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Create a route table for the public subnet',
    },
    {
      id: 'route-to-internet',
      service: 'ec2',
      action: 'CreateRoute',
      // The gateway must be attached to this VPC before a route may point at it.
      params: {RouteTableId: routeTableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId},
      creates: [],
      dependsOn: ['route-table-public', 'attach-internet-gateway'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Route 0.0.0.0/0 from the public route table to the internet gateway',
    },
    {
      id: 'associate-route-table',
      service: 'ec2',
      action: 'AssociateRouteTable',
      // The private subnet keeps the VPC's main route table, which only routes inside the VPC.
      params: {RouteTableId: routeTableId, SubnetId: {ref: 'subnet-public', output: 'Subnet.SubnetId'}},
      creates: [],
      dependsOn: ['route-table-public', 'subnet-public'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Use the public route table for the public subnet',
    },
  ];
}
