// The dependency rules AWS enforces on deletes and moto does not: a fault proxy in strict mode
// (the default) asks moto, read-only and straight (not through the proxy), whether a delete would
// leave something dangling, and if so answers with AWS's own error code and wording. Rollback and
// destroy must then delete in dependency order, detaching before deleting, as they must on AWS.
import {
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  type Instance,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {DescribeListenersCommand, DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, type LoadBalancer} from '@aws-sdk/client-elastic-load-balancing-v2';
import {GetInstanceProfileCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesForRoleCommand, ListRolePoliciesCommand} from '@aws-sdk/client-iam';
import type {AwsClients} from '../../source/aws/clients.js';
import {makeClients} from '../../source/aws/clients.js';
import {testSettings} from './aws.js';

export type Refusal = [code: string, message: string, status: number];

const LIVE = ['pending', 'running', 'stopping', 'stopped', 'shutting-down'];
const MOTO_DEFAULT_ACCOUNT = '123456789012';

const clientsByAccount = new Map<string, Promise<AwsClients>>();
function checker(upstream: string, accountId: string, region: string): Promise<AwsClients> {
  const key = `${accountId}/${region}`;
  let clients = clientsByAccount.get(key);
  if (!clients) {
    clients = makeClients({...testSettings({accountId, endpointUrl: upstream}), region});
    clientsByAccount.set(key, clients);
  }
  return clients;
}

type Filters = Array<{Name: string; Values: string[]}>;

async function liveInstances(clients: AwsClients, filters: Filters): Promise<Instance[]> {
  const found = await clients.ec2.send(new DescribeInstancesCommand({Filters: [...filters, {Name: 'instance-state-name', Values: LIVE}]}));
  return (found.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
}

/** Interface endpoints that still exist (moto keeps deleted ones, marked deleted). */
async function liveEndpoints(clients: AwsClients, filters: Filters): Promise<VpcEndpoint[]> {
  const found = await clients.ec2.send(new DescribeVpcEndpointsCommand({Filters: filters}));
  return (found.VpcEndpoints ?? []).filter((endpoint) => !/^deleted$/i.test(String(endpoint.State)));
}

/**
 * The account's load balancers. moto 5.2.1 makes no network interfaces for them, so the groups and
 * subnets they hold look unused to the EC2 rules above; AWS refuses those deletes while the load
 * balancer exists, and these rules do too.
 */
async function loadBalancers(clients: AwsClients): Promise<LoadBalancer[]> {
  return (await clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
}

const dependencies = (kind: string, id: string): Refusal => ['DependencyViolation', `The ${kind} '${id}' has dependencies and cannot be deleted.`, 400];
const conflict = (message: string): Refusal => ['DeleteConflict', message, 409];

type Rule = (clients: AwsClients, params: (name: string) => string | undefined) => Promise<Refusal | undefined>;

const RULES: Record<string, Rule> = {
  'ec2:DeleteVpc': async (clients, param) => {
    const vpcId = param('VpcId')!;
    const byVpc = [{Name: 'vpc-id', Values: [vpcId]}];
    const gateways = await clients.ec2.send(new DescribeInternetGatewaysCommand({Filters: [{Name: 'attachment.vpc-id', Values: [vpcId]}]}));
    if ((gateways.InternetGateways ?? []).length > 0) return dependencies('vpc', vpcId);
    if (((await clients.ec2.send(new DescribeSubnetsCommand({Filters: byVpc}))).Subnets ?? []).length > 0) return dependencies('vpc', vpcId);
    const tables = (await clients.ec2.send(new DescribeRouteTablesCommand({Filters: byVpc}))).RouteTables ?? [];
    if (tables.some((table) => !table.Associations?.some((association) => association.Main))) {
      return dependencies('vpc', vpcId);
    }
    const groups = (await clients.ec2.send(new DescribeSecurityGroupsCommand({Filters: byVpc}))).SecurityGroups ?? [];
    if (groups.some((group) => group.GroupName !== 'default')) return dependencies('vpc', vpcId);
    if ((await liveEndpoints(clients, byVpc)).length > 0) return dependencies('vpc', vpcId);
    return undefined;
  },
  // AWS refuses private DNS on an interface endpoint unless the VPC resolves and hands out DNS names.
  'ec2:CreateVpcEndpoint': async (clients, param) => {
    if (param('PrivateDnsEnabled') !== 'true') return undefined;
    const VpcId = param('VpcId')!;
    const hostnames = await clients.ec2.send(new DescribeVpcAttributeCommand({VpcId, Attribute: 'enableDnsHostnames'}));
    const support = await clients.ec2.send(new DescribeVpcAttributeCommand({VpcId, Attribute: 'enableDnsSupport'}));
    if (hostnames.EnableDnsHostnames?.Value && support.EnableDnsSupport?.Value) return undefined;
    return ['InvalidParameter', 'Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ' + VpcId, 400];
  },
  'ec2:DeleteSubnet': async (clients, param) => {
    const subnetId = param('SubnetId')!;
    if ((await liveInstances(clients, [{Name: 'subnet-id', Values: [subnetId]}])).length > 0) return dependencies('subnet', subnetId);
    // An endpoint's network interfaces sit in the subnet until the endpoint is deleted.
    const endpoints = await liveEndpoints(clients, []);
    if (endpoints.some((endpoint) => (endpoint.SubnetIds ?? []).includes(subnetId))) return dependencies('subnet', subnetId);
    if ((await loadBalancers(clients)).some((lb) => (lb.AvailabilityZones ?? []).some((zone) => zone.SubnetId === subnetId))) return dependencies('subnet', subnetId);
    return undefined;
  },
  'ec2:DeleteSecurityGroup': async (clients, param) => {
    const groupId = param('GroupId');
    if (!groupId) return undefined;
    // Groups given through NetworkInterfaces are not found by moto's instance.group-id filter.
    const uses = (instance: Instance) =>
      [...(instance.SecurityGroups ?? []), ...(instance.NetworkInterfaces ?? []).flatMap((nic) => nic.Groups ?? [])].some((group) => group.GroupId === groupId);
    if ((await liveInstances(clients, [])).some(uses)) {
      return ['DependencyViolation', `resource ${groupId} has a dependent object`, 400];
    }
    const endpoints = await liveEndpoints(clients, []);
    if (endpoints.some((endpoint) => (endpoint.Groups ?? []).some((group) => group.GroupId === groupId))) {
      return ['DependencyViolation', `resource ${groupId} has a dependent object`, 400];
    }
    if ((await loadBalancers(clients)).some((lb) => (lb.SecurityGroups ?? []).includes(groupId))) {
      return ['DependencyViolation', `resource ${groupId} has a dependent object`, 400];
    }
    return undefined;
  },
  // Deletion protection: AWS refuses, moto 5.2.1 deletes anyway.
  'elasticloadbalancing:DeleteLoadBalancer': async (clients, param) => {
    const LoadBalancerArn = param('LoadBalancerArn')!;
    const found = await clients.elbv2.send(new DescribeLoadBalancerAttributesCommand({LoadBalancerArn})).catch(() => ({Attributes: []}));
    const protectedNow = (found.Attributes ?? []).some((attribute) => attribute.Key === 'deletion_protection.enabled' && attribute.Value === 'true');
    if (!protectedNow) return undefined;
    return ['OperationNotPermitted', `Load balancer '${LoadBalancerArn}' cannot be deleted because deletion protection is enabled`, 400];
  },
  'ec2:DeleteInternetGateway': async (clients, param) => {
    const id = param('InternetGatewayId')!;
    const found = await clients.ec2.send(new DescribeInternetGatewaysCommand({InternetGatewayIds: [id]})).catch(() => ({InternetGateways: []}));
    const attached = (found.InternetGateways?.[0]?.Attachments ?? []).length > 0;
    return attached ? dependencies('internetGateway', id) : undefined;
  },
  'ec2:DetachInternetGateway': async (clients, param) => {
    const vpcId = param('VpcId')!;
    const mapped = (await liveInstances(clients, [{Name: 'vpc-id', Values: [vpcId]}])).filter((instance) => instance.PublicIpAddress);
    // An internet-facing load balancer's nodes hold public addresses in the VPC too.
    const publicLb = (await loadBalancers(clients)).some((lb) => lb.VpcId === vpcId && lb.Scheme === 'internet-facing');
    if (mapped.length === 0 && !publicLb) return undefined;
    return ['DependencyViolation', `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`, 400];
  },
  'ec2:DeleteRouteTable': async (clients, param) => {
    const id = param('RouteTableId')!;
    const found = await clients.ec2.send(new DescribeRouteTablesCommand({RouteTableIds: [id]})).catch(() => ({RouteTables: []}));
    const associated = (found.RouteTables?.[0]?.Associations ?? []).some((association) => !association.Main);
    return associated ? dependencies('routeTable', id) : undefined;
  },
  'iam:DeleteRole': async (clients, param) => {
    const RoleName = param('RoleName')!;
    const profiles = await clients.iam.send(new ListInstanceProfilesForRoleCommand({RoleName})).catch(() => ({InstanceProfiles: []}));
    if ((profiles.InstanceProfiles ?? []).length > 0) return conflict('Cannot delete entity, must remove roles from instance profile first.');
    const inline = await clients.iam.send(new ListRolePoliciesCommand({RoleName})).catch(() => ({PolicyNames: []}));
    if ((inline.PolicyNames ?? []).length > 0) return conflict('Cannot delete entity, must delete policies first.');
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({RoleName})).catch(() => ({AttachedPolicies: []}));
    if ((attached.AttachedPolicies ?? []).length > 0) return conflict('Cannot delete entity, must detach all policies first.');
    return undefined;
  },
  'iam:DeleteInstanceProfile': async (clients, param) => {
    const InstanceProfileName = param('InstanceProfileName')!;
    const profile = await clients.iam.send(new GetInstanceProfileCommand({InstanceProfileName})).catch(() => undefined);
    if ((profile?.InstanceProfile?.Roles ?? []).length > 0) return conflict('Cannot delete entity, must remove roles from instance profile first.');
    return undefined;
  },
  // ACM refuses to delete a certificate a listener holds; moto 5.2.1 deletes it anyway.
  'acm:DeleteCertificate': async (clients, param) => {
    const arn = param('CertificateArn')!;
    for (const lb of await loadBalancers(clients)) {
      const listeners = (await clients.elbv2.send(new DescribeListenersCommand({LoadBalancerArn: lb.LoadBalancerArn})).catch(() => ({Listeners: []}))).Listeners ?? [];
      if (listeners.some((listener) => (listener.Certificates ?? []).some((certificate) => certificate.CertificateArn === arn))) {
        return ['ResourceInUseException', `Certificate ${arn} is in use.`, 400];
      }
    }
    return undefined;
  },
  'kms:ScheduleKeyDeletion': async (_clients, param) => {
    const days = param('PendingWindowInDays');
    if (days === undefined || (Number(days) >= 7 && Number(days) <= 30)) return undefined;
    return [
      'ValidationException',
      `1 validation error detected: Value '${days}' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30 and greater than or equal to 7`,
      400,
    ];
  },
};

/** The calls strict mode has a rule for, as service:Action. */
export const STRICT_ACTIONS = Object.keys(RULES);

/** AWS's refusal of this call in the account's current state, or undefined when AWS would accept it. */
export async function strictRefusal(request: {upstream: string; service: string; action: string; body: string; accountId?: string; region: string}): Promise<Refusal | undefined> {
  const rule = RULES[`${request.service}:${request.action}`];
  if (!rule) return undefined;
  let read: (name: string) => string | undefined;
  if (request.body.startsWith('{')) {
    const json = JSON.parse(request.body) as Record<string, unknown>;
    // The fields read are text or numbers (PendingWindowInDays); anything else is compared as its JSON.
    read = (name) => {
      const value = json[name];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : value === undefined ? undefined : JSON.stringify(value);
    };
  } else {
    const form = new URLSearchParams(request.body);
    if (form.get('DryRun') === 'true') return undefined;
    read = (name) => form.get(name) ?? undefined;
  }
  const clients = await checker(request.upstream, request.accountId ?? MOTO_DEFAULT_ACCOUNT, request.region);
  return rule(clients, read);
}
