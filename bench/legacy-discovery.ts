// The discovery tandem had before issue 16, kept only as the benchmark's baseline: every list
// read to the end before anything is shown, one ListInstanceProfilesForRole per EC2 role and a
// DescribeKey plus a GetKeyRotationStatus per key, five at a time.
import {paginateListInstanceProfilesForRole, paginateListRoles} from '@aws-sdk/client-iam';
import {DescribeKeyCommand, GetKeyRotationStatusCommand, paginateListAliases, paginateListKeys} from '@aws-sdk/client-kms';
import {paginateDescribeRouteTables, paginateDescribeSecurityGroups, paginateDescribeSubnets} from '@aws-sdk/client-ec2';
import type {AwsClients} from '../source/aws/clients.js';
import {allowsEc2Assume, decodePolicy} from '../source/aws/discover-policy.js';
import {mapLimit} from '../source/aws/map-limit.js';

const CONCURRENCY = 5;

async function all<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const found: T[] = [];
  for await (const page of pages) found.push(...(items(page) ?? []));
  return found;
}

export async function legacyRoles(clients: AwsClients): Promise<number> {
  const roles = await all(paginateListRoles({client: clients.iam}, {}), (page) => page.Roles);
  const ec2Roles = roles.filter((role) => role.RoleName && allowsEc2Assume(decodePolicy(role.AssumeRolePolicyDocument)));
  const found = await mapLimit(ec2Roles, CONCURRENCY, (role) => all(paginateListInstanceProfilesForRole({client: clients.iam}, {RoleName: role.RoleName}), (page) => page.InstanceProfiles));
  return found.length;
}

export async function legacyKeys(clients: AwsClients): Promise<number> {
  const {kms} = clients;
  const [keys] = await Promise.all([all(paginateListKeys({client: kms}, {}), (page) => page.Keys), all(paginateListAliases({client: kms}, {}), (page) => page.Aliases)]);
  const described = await mapLimit(keys, CONCURRENCY, async (key) => {
    const meta = (await kms.send(new DescribeKeyCommand({KeyId: key.KeyId}))).KeyMetadata;
    if (meta?.KeyManager !== 'AWS') await kms.send(new GetKeyRotationStatusCommand({KeyId: key.KeyId}));
    return meta;
  });
  return described.length;
}

export async function legacySecurityGroups(clients: AwsClients, vpcId: string): Promise<number> {
  const filter = [{Name: 'vpc-id', Values: [vpcId]}];
  return (await all(paginateDescribeSecurityGroups({client: clients.ec2}, {Filters: filter}), (page) => page.SecurityGroups)).length;
}

export async function legacySubnets(clients: AwsClients, vpcId: string): Promise<number> {
  const filter = [{Name: 'vpc-id', Values: [vpcId]}];
  const [subnets] = await Promise.all([
    all(paginateDescribeSubnets({client: clients.ec2}, {Filters: filter}), (page) => page.Subnets),
    all(paginateDescribeRouteTables({client: clients.ec2}, {Filters: filter}), (page) => page.RouteTables),
  ]);
  return subnets.length;
}
