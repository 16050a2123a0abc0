// Placing a load balancer in a VPC tandem did not build (docs/load-balancer.md section 2): read the
// VPC's subnets, route tables and S3 gateway endpoints, let the domain choose two public subnets in
// two zones and a private one for the instance, and say what was found when it cannot. Read-only:
// the operator's VPC gets no endpoint, no route and no subnet from tandem.
import type {RouteTable} from '@aws-sdk/client-ec2';
import {choosePlacement, placesInExistingVpc, withPlacement, type LoadBalancerPlacement, type SubnetFact} from '../domain/controls/load-balancer-placement.js';
import type {PreflightResult} from '../domain/preflight.js';
import type {LaunchSpec} from '../domain/spec.js';
import {send} from './actions.js';
import type {AwsClients} from './clients.js';
import {defaultRouteTarget, isPublicRouteTable, routeTableForSubnet} from './discover-routes.js';
import {notChecked} from './names.js';

interface SubnetShape {
  SubnetId?: string;
  AvailabilityZone?: string;
  AvailableIpAddressCount?: number;
}

/** The VPC the spec names ('default': the region's default VPC), or undefined when there is none. */
async function vpcIdOf(clients: AwsClients, spec: LaunchSpec): Promise<string | undefined> {
  if (spec.network.vpc !== 'default') return spec.network.vpc;
  const vpcs = (await send(clients, 'ec2', 'DescribeVpcs', {Filters: [{Name: 'isDefault', Values: ['true']}]})).Vpcs as Array<{VpcId?: string}> | undefined;
  return vpcs?.[0]?.VpcId;
}

/** Every subnet of the VPC with what its route table (explicit, else the main one) says. */
async function subnetFacts(clients: AwsClients, vpcId: string, region: string): Promise<SubnetFact[]> {
  const inVpc = [{Name: 'vpc-id', Values: [vpcId]}];
  const [subnets, tables, endpoints] = await Promise.all([
    send(clients, 'ec2', 'DescribeSubnets', {Filters: inVpc}),
    send(clients, 'ec2', 'DescribeRouteTables', {Filters: inVpc}),
    send(clients, 'ec2', 'DescribeVpcEndpoints', {
      Filters: [...inVpc, {Name: 'service-name', Values: [`com.amazonaws.${region}.s3`]}, {Name: 'vpc-endpoint-type', Values: ['Gateway']}],
    }),
  ]);
  const routeTables = (tables.RouteTables as RouteTable[] | undefined) ?? [];
  const withEndpoint = new Set(((endpoints.VpcEndpoints as Array<{RouteTableIds?: string[]; State?: string}> | undefined) ?? []).flatMap((endpoint) => endpoint.RouteTableIds ?? []));
  return ((subnets.Subnets as SubnetShape[] | undefined) ?? []).map((subnet) => {
    const table = routeTableForSubnet(routeTables, subnet.SubnetId ?? '');
    const target = defaultRouteTarget(table);
    return {
      id: subnet.SubnetId ?? '',
      zone: subnet.AvailabilityZone ?? '',
      ...(table?.RouteTableId ? {routeTable: table.RouteTableId} : {}),
      public: isPublicRouteTable(table),
      natRoute: target !== undefined && !target.startsWith('igw-'),
      s3Endpoint: table?.RouteTableId !== undefined && withEndpoint.has(table.RouteTableId),
      ...(subnet.AvailableIpAddressCount !== undefined ? {freeAddresses: subnet.AvailableIpAddressCount} : {}),
    };
  });
}

export type PlacementOutcome = {placement: LoadBalancerPlacement; spec: LaunchSpec; results: PreflightResult[]} | {results: PreflightResult[]};

const FIELD = 'network.loadBalancerSubnets';

/** What pre-flight says about the placement: the subnets chosen, and a warning when packages cannot be fetched. */
function placementResults(spec: LaunchSpec, placement: LoadBalancerPlacement): PreflightResult[] {
  const results: PreflightResult[] = [
    {
      check: 'lb-subnets',
      status: 'ok',
      field: FIELD,
      detail: `load balancer in ${placement.loadBalancerSubnets.join(' and ')} (two zones); the instance in private subnet ${placement.instanceSubnet}`,
    },
  ];
  if (!placement.packagesReachable && spec.instance.userData === 'httpd')
    results.push({
      check: 'lb-packages-route',
      status: 'warn',
      field: 'instance.userData',
      detail: `subnet ${placement.instanceSubnet} has neither an S3 gateway endpoint nor a NAT route on its route table, so the web server cannot be installed from Amazon Linux's repositories at first boot (the load balancer's health check will fail)`,
      fix: `add a gateway endpoint for com.amazonaws.${spec.region}.s3 to that route table (free) or a NAT route; tandem does not change a VPC it did not create. Or set instance.userData: none`,
    });
  return results;
}

/**
 * The placement of a load-balanced launch in an existing VPC, the spec with it written in (the
 * plan records those ids), and pre-flight's results; a refusal names what the VPC has. Nothing
 * for a new VPC or a launch without a load balancer.
 */
export async function placeLoadBalancer(clients: AwsClients, spec: LaunchSpec): Promise<PlacementOutcome> {
  if (!placesInExistingVpc(spec)) return {results: []};
  let facts: SubnetFact[];
  let vpcId: string | undefined;
  try {
    vpcId = await vpcIdOf(clients, spec);
    if (!vpcId)
      return {results: [{check: 'lb-subnets', status: 'fail', field: 'network.vpc', detail: 'this region has no default VPC', fix: 'set network.vpc: new, or the id of an existing VPC'}]};
    facts = await subnetFacts(clients, vpcId, spec.region);
  } catch (error) {
    return {results: [notChecked('lb-subnets', FIELD, 'ec2:DescribeSubnets, ec2:DescribeRouteTables, ec2:DescribeVpcEndpoints', error)]};
  }
  const answer = choosePlacement(spec, facts, spec.network.vpc === 'default' ? `the default VPC ${vpcId}` : vpcId);
  if (!answer.ok) return {results: [{check: 'lb-subnets', status: 'fail', field: answer.field, detail: answer.detail, fix: answer.fix}]};
  return {placement: answer.placement, spec: withPlacement(spec, answer.placement), results: placementResults(spec, answer.placement)};
}
