// Network steps of the plan: find the default VPC and subnet, read an existing pair, or build a
// new VPC with a public and a private subnet.
import {nthSubnet, parseCidr} from './cidr.js';
import {partitionOf} from './partition.js';
import {tagSpecifications} from './plan-tags.js';
import type {ParamValue, PlanStep, StepRef} from './plan-types.js';
import {behindLoadBalancer, type LaunchSpec, type NetworkSpec} from './spec.js';

export const NEW_VPC_CIDR = '10.0.0.0/16';

/**
 * Blocks for a new VPC: the spec's own, or the first two /24s of the VPC block (halves of it
 * when the VPC is smaller than a /23). Behind a load balancer a third block, the second public
 * subnet, comes from a split into quarters instead (still /24s from a /22 up). Undefined where
 * the VPC block cannot hold them.
 */
export function newVpcCidrs(network: NetworkSpec, loadBalanced = false): {vpc: string; publicSubnet?: string; privateSubnet?: string; secondPublicSubnet?: string} {
  const vpc = network.cidr ?? NEW_VPC_CIDR;
  const parsed = parseCidr(vpc);
  let publicSubnet = network.publicSubnetCidr;
  let privateSubnet = network.privateSubnetCidr;
  let secondPublicSubnet: string | undefined;
  if (parsed.ok) {
    const prefix = Math.max(parsed.cidr.prefix + (loadBalanced ? 2 : 1), 24);
    if (prefix <= 28) {
      publicSubnet ??= nthSubnet(parsed.cidr, prefix, 0)?.text;
      privateSubnet ??= nthSubnet(parsed.cidr, prefix, 1)?.text;
      if (loadBalanced) secondPublicSubnet = nthSubnet(parsed.cidr, prefix, 2)?.text;
    }
  }
  return {vpc, publicSubnet, privateSubnet, ...(loadBalanced ? {secondPublicSubnet} : {})};
}

export interface NetworkPlan {
  steps: PlanStep[];
  vpcStep: string;
  vpcId: StepRef;
  /** The step whose response names the instance's subnet. */
  subnetStep: string;
  subnetId: StepRef;
  availabilityZone: StepRef;
  /**
   * The two public subnets in two zones a load balancer goes into (only behind a load balancer):
   * the new VPC's, or in an existing VPC the ids pre-flight chose, recorded in the spec.
   */
  loadBalancerSubnets?: ParamValue[];
  /** The steps a load balancer must wait for: its subnets routed to the attached internet gateway. */
  loadBalancerReady?: string[];
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
    // The VPC is the operator's: its subnets are only read (never created or deleted), by id.
    ...(behindLoadBalancer(spec) ? {loadBalancerSubnets: spec.network.loadBalancerSubnets ?? [], loadBalancerReady: ['subnet']} : {}),
  };
}

function newVpcSteps(spec: LaunchSpec): NetworkPlan {
  const name = spec.instance.name;
  const loadBalanced = behindLoadBalancer(spec);
  const cidrs = newVpcCidrs(spec.network, loadBalanced);
  const vpcId: StepRef = {ref: 'vpc', output: 'Vpc.VpcId'};
  // Behind a load balancer the subnets' zones are chosen, not left to AWS: the load balancer needs
  // two public subnets in two different zones, and the instance shares the first one's zone.
  const zone = (index: number): {[key: string]: ParamValue} => (loadBalanced ? {AvailabilityZone: {ref: ZONES_STEP, output: `AvailabilityZones.${index}.ZoneName`}} : {});
  // MapPublicIpOnLaunch stays off on both subnets (Security Hub EC2.15): a subnet that hands out
  // public addresses makes every later instance in it public by accident. The instance asks for
  // its own public address on its network interface instead, as an explicit per-launch choice.
  const subnet = (which: 'public' | 'private' | 'public-2', cidr: string | undefined): PlanStep => ({
    id: `subnet-${which}`,
    service: 'ec2',
    action: 'CreateSubnet',
    params: {
      VpcId: vpcId,
      CidrBlock: cidr ?? '',
      ...zone(which === 'public-2' ? 1 : 0),
      TagSpecifications: tagSpecifications(spec, [{type: 'subnet', name: `${name}-${which}`}]),
    },
    creates: ['subnet'],
    dependsOn: loadBalanced ? ['vpc', ZONES_STEP] : ['vpc'],
    controls: ['subnet-routing'],
    dryRunnable: true,
    summary:
      which === 'private'
        ? `Create private subnet ${cidr ?? ''} (no route to the internet)`
        : `Create ${which === 'public-2' ? 'second public subnet' : 'public subnet'} ${cidr ?? ''} (routed to the internet gateway${which === 'public-2' ? ', in another zone' : ''})`,
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
  if (loadBalanced) steps.unshift(zonesStep());
  if (loadBalanced) steps.push(subnet('public-2', cidrs.secondPublicSubnet), secondPublicAssociation(), ...packageRouteSteps(spec, vpcId));
  const chosen = spec.network.subnet === 'private' ? 'subnet-private' : 'subnet-public';
  return {
    steps,
    vpcStep: 'vpc',
    vpcId,
    subnetStep: chosen,
    subnetId: {ref: chosen, output: 'Subnet.SubnetId'},
    availabilityZone: {ref: chosen, output: 'Subnet.AvailabilityZone'},
    ...(loadBalanced
      ? {
          loadBalancerSubnets: [
            {ref: 'subnet-public', output: 'Subnet.SubnetId'},
            {ref: 'subnet-public-2', output: 'Subnet.SubnetId'},
          ],
          loadBalancerReady: ['subnet-public', 'subnet-public-2', 'associate-route-table', 'associate-route-table-2', 'route-to-internet'],
        }
      : {}),
  };
}

export const ZONES_STEP = 'availability-zones';
export const PACKAGE_ENDPOINT_STEP = 'package-endpoint';

/** The region's zones, in AWS's order: the load balancer's two subnets take the first two. */
function zonesStep(): PlanStep {
  return {
    id: ZONES_STEP,
    service: 'ec2',
    action: 'DescribeAvailabilityZones',
    params: {Filters: [filter('state', 'available'), filter('zone-type', 'availability-zone')]},
    creates: [],
    dependsOn: [],
    controls: ['subnet-routing'],
    dryRunnable: true,
    summary: "Read the region's Availability Zones (the load balancer needs subnets in two)",
  };
}

function secondPublicAssociation(): PlanStep {
  return {
    id: 'associate-route-table-2',
    service: 'ec2',
    action: 'AssociateRouteTable',
    params: {RouteTableId: {ref: 'route-table-public', output: 'RouteTable.RouteTableId'}, SubnetId: {ref: 'subnet-public-2', output: 'Subnet.SubnetId'}},
    creates: [],
    dependsOn: ['route-table-public', 'subnet-public-2'],
    controls: ['subnet-routing'],
    dryRunnable: true,
    summary: 'Use the public route table for the second public subnet',
  };
}

/**
 * Amazon Linux 2023's package repositories are regional S3 buckets, so the private subnet reaches
 * them through a gateway endpoint (free) instead of a NAT gateway (docs/load-balancer.md section 1).
 * The private subnet gets a route table of its own for the endpoint's route: the VPC's main table
 * stays as AWS made it.
 */
export function packageBucketArns(region: string): string[] {
  return [`arn:${partitionOf(region)}:s3:::al2023-repos-${region}-*/*`];
}

/**
 * Only reading objects of the repositories' buckets: dnf downloads without credentials, so the
 * principal must be anyone (docs/load-balancer.md section 1).
 */
export function packageEndpointPolicy(region: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{Sid: 'AmazonLinuxRepositories', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: packageBucketArns(region)}],
  });
}

function packageRouteSteps(spec: LaunchSpec, vpcId: StepRef): PlanStep[] {
  const name = spec.instance.name;
  const routeTableId: StepRef = {ref: 'route-table-private', output: 'RouteTable.RouteTableId'};
  return [
    {
      id: 'route-table-private',
      service: 'ec2',
      action: 'CreateRouteTable',
      params: {VpcId: vpcId, TagSpecifications: tagSpecifications(spec, [{type: 'route-table', name: `${name}-private`}])},
      creates: ['route-table'],
      dependsOn: ['vpc'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Create a route table for the private subnet (no route to the internet)',
    },
    {
      id: 'associate-route-table-private',
      service: 'ec2',
      action: 'AssociateRouteTable',
      params: {RouteTableId: routeTableId, SubnetId: {ref: 'subnet-private', output: 'Subnet.SubnetId'}},
      creates: [],
      dependsOn: ['route-table-private', 'subnet-private'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: 'Use the private route table for the private subnet',
    },
    {
      id: PACKAGE_ENDPOINT_STEP,
      service: 'ec2',
      action: 'CreateVpcEndpoint',
      params: {
        VpcEndpointType: 'Gateway',
        VpcId: vpcId,
        ServiceName: `com.amazonaws.${spec.region}.s3`,
        RouteTableIds: [routeTableId],
        PolicyDocument: packageEndpointPolicy(spec.region),
        TagSpecifications: tagSpecifications(spec, [{type: 'vpc-endpoint', name: `${name}-s3-packages`}]),
      },
      creates: ['vpc-endpoint'],
      dependsOn: ['vpc', 'route-table-private'],
      controls: ['subnet-routing'],
      dryRunnable: true,
      summary: `Create S3 gateway endpoint com.amazonaws.${spec.region}.s3 on the private route table, for Amazon Linux's package repositories only (free)`,
    },
  ];
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
