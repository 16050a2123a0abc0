// Where a load balancer and its instance go in a VPC tandem did not build (docs/load-balancer.md
// section 2): two public subnets in two Availability Zones for the load balancer, and a private
// subnet for the instance. Pure: source/aws/load-balancer-placement.ts reads the subnets and route
// tables and hands them here as facts; the choice comes back as subnet ids the plan records.
import type {LaunchSpec} from '../spec.js';
import {loadBalancerOf} from '../spec.js';

/** A subnet of the VPC as pre-flight read it, with what its route table says. */
export interface SubnetFact {
  id: string;
  zone: string;
  /** Its route table (explicit, else the VPC's main table). */
  routeTable?: string;
  /** 0.0.0.0/0 goes to an internet gateway. */
  public: boolean;
  /** 0.0.0.0/0 goes to a NAT gateway (or another target that is not an internet gateway). */
  natRoute: boolean;
  /** Its route table carries an S3 gateway endpoint of the region. */
  s3Endpoint: boolean;
  freeAddresses?: number;
}

/** The placement a launch records in its spec: the instance's subnet and the load balancer's two. */
export interface LoadBalancerPlacement {
  instanceSubnet: string;
  loadBalancerSubnets: [string, string];
  /** The instance's subnet can fetch Amazon Linux's packages: an S3 gateway endpoint or a NAT route. */
  packagesReachable: boolean;
}

export type PlacementAnswer = {ok: true; placement: LoadBalancerPlacement} | {ok: false; field: string; detail: string; fix: string};

/** True when the spec asks tandem to place a load balancer in a VPC it does not build. */
export const placesInExistingVpc = (spec: LaunchSpec): boolean => loadBalancerOf(spec) !== undefined && spec.network.vpc !== 'new';

/** True when such a spec does not name its subnets yet: the launch must choose them before planning. */
export const needsPlacement = (spec: LaunchSpec): boolean =>
  placesInExistingVpc(spec) && (!spec.network.subnet.startsWith('subnet-') || (spec.network.loadBalancerSubnets ?? []).length !== 2);

/** Why an export of such a spec stops: a template or script cannot choose subnets against the account. */
export const UNPLACED_EXPORT =
  "the template of a load balancer in an existing VPC needs its subnets named: set network.subnet to a private subnet id and network.loadBalancerSubnets to two public subnet ids in two zones (tandem launch --dry-run --output json shows the ones it would choose, in pre-flight's lb-subnets line)";

const describe = (subnet: SubnetFact) => `${subnet.id} (${subnet.zone})`;
const list = (subnets: readonly SubnetFact[]) => subnets.map(describe).join(', ') || 'none';
// A load balancer needs at least 8 free addresses in each of its subnets (AWS's minimum of a /27 with 8 free).
const roomy = (subnet: SubnetFact) => subnet.freeAddresses === undefined || subnet.freeAddresses >= 8;

/**
 * The load balancer's two subnets: the ones the profile names (each public, in two zones), or the
 * first public subnet of each of two zones, preferring the instance's zone first so the target is
 * in a zone the load balancer serves. Sorted by id within a zone, so the same VPC gives the same choice.
 */
function loadBalancerSubnets(
  spec: LaunchSpec,
  vpc: string,
  subnets: readonly SubnetFact[],
  instanceZone: string | undefined,
): [string, string] | Omit<Extract<PlacementAnswer, {ok: false}>, 'ok'> {
  const field = 'network.loadBalancerSubnets';
  const named = spec.network.loadBalancerSubnets;
  const publics = subnets.filter((subnet) => subnet.public);
  if (named && named.length > 0) {
    const found = named.map((id) => subnets.find((subnet) => subnet.id === id));
    const missing = named.filter((_id, index) => !found[index]);
    if (missing.length > 0) return {field, detail: `${missing.join(', ')} is not a subnet of ${vpc}`, fix: `name public subnets of that VPC; its public subnets are ${list(publics)}`};
    const notPublic = found.filter((subnet) => subnet && !subnet.public);
    if (notPublic.length > 0)
      return {
        field,
        detail: `${notPublic.map((subnet) => subnet!.id).join(', ')} has no route to an internet gateway`,
        fix: `an internet-facing load balancer needs public subnets; this VPC's are ${list(publics)}`,
      };
    if (new Set(found.map((subnet) => subnet!.zone)).size < 2)
      return {field, detail: `${named.join(' and ')} are in one Availability Zone`, fix: 'name two public subnets in two different zones'};
    return [named[0], named[1]];
  }
  const byZone = new Map<string, SubnetFact>();
  for (const subnet of [...publics].filter(roomy).sort((a, b) => a.id.localeCompare(b.id))) if (!byZone.has(subnet.zone)) byZone.set(subnet.zone, subnet);
  const zones = [...byZone.keys()].sort((a, b) => Number(b === instanceZone) - Number(a === instanceZone) || a.localeCompare(b));
  if (zones.length < 2) {
    return {
      field,
      detail: `the load balancer needs public subnets (0.0.0.0/0 to an internet gateway) in two Availability Zones; ${vpc} has ${publics.length === 0 ? 'none' : `${list(publics)}, in ${new Set(publics.map((subnet) => subnet.zone)).size} zone`}`,
      fix: 'add a public subnet in another zone to the VPC, or set network.vpc: new and tandem builds the VPC',
    };
  }
  return [byZone.get(zones[0])!.id, byZone.get(zones[1])!.id];
}

/** The instance's subnet: the one the profile names, which must be private, or a private one tandem picks. */
function instanceSubnet(spec: LaunchSpec, vpc: string, subnets: readonly SubnetFact[]): SubnetFact | Omit<Extract<PlacementAnswer, {ok: false}>, 'ok'> {
  const field = 'network.subnet';
  const privates = subnets.filter((subnet) => !subnet.public);
  if (spec.network.subnet.startsWith('subnet-')) {
    const named = subnets.find((subnet) => subnet.id === spec.network.subnet);
    if (!named) return {field, detail: `${spec.network.subnet} is not a subnet of ${vpc}`, fix: `name one of its private subnets: ${list(privates)}`};
    if (named.public)
      return {
        field,
        detail: `${named.id} routes 0.0.0.0/0 to an internet gateway; behind a load balancer the instance belongs in a private subnet`,
        fix: `name a private subnet (${list(privates)}), or set network.subnet: private and tandem picks one`,
      };
    return named;
  }
  // Prefer a zone the load balancer can serve, then a subnet whose packages are reachable, then
  // by id: the same VPC gives the same choice.
  const served = new Set(subnets.filter((subnet) => subnet.public && roomy(subnet)).map((subnet) => subnet.zone));
  const score = (subnet: SubnetFact) => 2 * Number(served.has(subnet.zone)) + Number(subnet.s3Endpoint || subnet.natRoute);
  const ranked = [...privates].filter(roomy).sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  if (ranked.length === 0) {
    return {
      field,
      detail: `behind a load balancer the instance goes in a private subnet (no route to an internet gateway); ${vpc} has none (its subnets: ${list(subnets)})`,
      fix: 'add a private subnet to the VPC (with an S3 gateway endpoint or a NAT route on its route table for the packages), or set network.vpc: new and tandem builds the VPC',
    };
  }
  return ranked[0];
}

/** The placement in an existing VPC (`vpc`: its id, for the messages), or what is missing, named with what was found. */
export function choosePlacement(spec: LaunchSpec, subnets: readonly SubnetFact[], vpc = spec.network.vpc): PlacementAnswer {
  const instance = instanceSubnet(spec, vpc, subnets);
  if (!('id' in instance)) return {ok: false, ...instance};
  const balancer = loadBalancerSubnets(spec, vpc, subnets, instance.zone);
  if (!Array.isArray(balancer)) return {ok: false, ...balancer};
  // An Application Load Balancer sends nothing to a target in a zone it is not in.
  const zones = balancer.map((id) => subnets.find((subnet) => subnet.id === id)?.zone);
  if (!zones.includes(instance.zone))
    return {
      ok: false,
      field: 'network.subnet',
      detail: `the instance's subnet ${describe(instance)} is in a zone the load balancer is not in (${balancer.join(', ')}), so it would get no traffic`,
      fix: "pick a private subnet in one of the load balancer's zones, or add a public subnet in the instance's zone",
    };
  return {ok: true, placement: {instanceSubnet: instance.id, loadBalancerSubnets: balancer, packagesReachable: instance.s3Endpoint || instance.natRoute}};
}

/** The spec with the placement written in: the plan (and both exports) take the ids from here. */
export function withPlacement(spec: LaunchSpec, placement: LoadBalancerPlacement): LaunchSpec {
  return {...spec, network: {...spec.network, subnet: placement.instanceSubnet, loadBalancerSubnets: [...placement.loadBalancerSubnets]}};
}
