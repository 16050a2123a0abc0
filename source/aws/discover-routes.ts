// Is a subnet public? It is when the route table that governs it sends 0.0.0.0/0 to an internet
// gateway. A subnet without an explicit association follows its VPC's main route table.
import type {RouteTable} from '@aws-sdk/client-ec2';

export function routeTableForSubnet(tables: readonly RouteTable[], subnetId: string): RouteTable | undefined {
  const explicit = tables.find((table) => table.Associations?.some((association) => association.SubnetId === subnetId));
  return explicit ?? tables.find((table) => table.Associations?.some((association) => association.Main));
}

/** The 0.0.0.0/0 route's target, e.g. 'igw-0abc', 'nat-0abc', or undefined when there is none. */
export function defaultRouteTarget(table: RouteTable | undefined): string | undefined {
  const route = table?.Routes?.find((entry) => entry.DestinationCidrBlock === '0.0.0.0/0' && entry.State !== 'blackhole');
  return route?.GatewayId ?? route?.NatGatewayId ?? route?.TransitGatewayId ?? route?.NetworkInterfaceId ?? route?.VpcPeeringConnectionId ?? route?.InstanceId;
}

export function isPublicRouteTable(table: RouteTable | undefined): boolean {
  return defaultRouteTarget(table)?.startsWith('igw-') ?? false;
}
