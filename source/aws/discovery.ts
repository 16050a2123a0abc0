// Discovery: what already exists in the account, to fill the wizard's lists. Every method stands
// alone (one denied call never breaks another list) and throws an AwsCallError carrying the AWS
// code and message, so the UI can say why a list is empty and still let the operator type an id.
// Strings from AWS are returned as-is; the screens and the writer make them inert when they show them
// (source/domain/safe-text.ts).
import type {RouteTable, Subnet, Tag} from '@aws-sdk/client-ec2';
import type {AwsClients} from './clients.js';
import type {Arch} from '../domain/spec.js';
import type {CallerIdentity, DiscoveredKeyPair, DiscoveredSecurityGroup, DiscoveredSubnet, DiscoveredVpc, Discovery, OnPage} from '../domain/cloud.js';
import {call} from './errors.js';
import {discoverInstanceRoles, discoverRoleTags} from './discover-roles.js';
import {discoverKmsKeys, readKmsKeyDetails} from './discover-keys.js';
import {isPublicRouteTable, routeTableForSubnet} from './discover-routes.js';
import {pagesOf} from './pages.js';

/**
 * EC2 Describe* page sizes: the largest each call accepts (DescribeRouteTables stops at 100).
 * Lists come in pages, never one call per item, whatever the size of the account.
 */
const EC2_PAGE = 1000;
const ROUTE_TABLE_PAGE = 100;
/** Security groups are many and heavy (every rule comes along): a small first page shows sooner. */
const FIRST_PAGE_SMALL = {first: 100, rest: EC2_PAGE};

const SSM_PREFIX = '/aws/service/ami-amazon-linux-latest/';

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find((tag) => tag.Key === 'Name')?.Value;
}

/** Tags as 'key=value' (what a person types to filter a list), or nothing when there are none. */
function tagList(tags: Tag[] | undefined): {tags?: string[]} {
  const list = (tags ?? []).filter((tag) => tag.Key).map((tag) => `${tag.Key}=${tag.Value ?? ''}`);
  return list.length ? {tags: list} : {};
}

export function imageParameters(arch: Arch): {al2023: string; al2: string} {
  return {
    al2023: `${SSM_PREFIX}al2023-ami-kernel-default-${arch}`,
    al2: `${SSM_PREFIX}amzn2-ami-hvm-${arch}-gp2`,
  };
}

/** The newest Amazon Linux image: from its public SSM parameter, else by searching the image list. */
async function latestImage({ec2, ssm}: AwsClients, arch: Arch, family: 'al2023' | 'al2'): Promise<string | undefined> {
  const {GetParameterCommand} = await import('@aws-sdk/client-ssm');
  try {
    const answer = await ssm.send(new GetParameterCommand({Name: imageParameters(arch)[family]}));
    if (answer.Parameter?.Value) return answer.Parameter.Value;
  } catch {
    // Accounts may deny ssm:GetParameter (or a region may lack the parameter); the image list
    // is public, so fall back to searching it.
  }
  const {DescribeImagesCommand} = await import('@aws-sdk/client-ec2');
  const name = family === 'al2023' ? 'al2023-ami-2023*' : 'amzn2-ami-hvm-*-gp2';
  const answer = await call('DescribeImages', () =>
    ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          {Name: 'name', Values: [name]},
          {Name: 'architecture', Values: [arch]},
          {Name: 'state', Values: ['available']},
        ],
      }),
    ),
  );
  const [newest] = (answer.Images ?? [])
    .filter((image) => image.ImageId)
    // Newest first; equal dates (moto gives every image the same one) fall back to the name,
    // whose embedded version sorts lexically.
    .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') || (b.Name ?? '').localeCompare(a.Name ?? ''));
  return newest?.ImageId;
}

async function callerIdentity(clients: AwsClients): Promise<CallerIdentity> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts');
  const answer = await call('GetCallerIdentity', () => clients.sts.send(new GetCallerIdentityCommand({})));
  return {account: answer.Account ?? '', arn: answer.Arn ?? '', region: clients.settings.region};
}

async function latestImages(clients: AwsClients, arch: Arch): Promise<{al2023?: string; al2?: string}> {
  const [al2023, al2] = await Promise.allSettled([latestImage(clients, arch, 'al2023'), latestImage(clients, arch, 'al2')]);
  // AL2023 is what the wizard offers by default; its failure is the one worth reporting.
  if (al2023.status === 'rejected') throw al2023.reason;
  return {
    ...(al2023.value ? {al2023: al2023.value} : {}),
    ...(al2.status === 'fulfilled' && al2.value ? {al2: al2.value} : {}),
  };
}

async function discoverVpcs({ec2}: AwsClients, onPage?: OnPage<DiscoveredVpc>): Promise<DiscoveredVpc[]> {
  const {paginateDescribeVpcs} = await import('@aws-sdk/client-ec2');
  return call('DescribeVpcs', async () => {
    const found: DiscoveredVpc[] = [];
    // The default VPC first: it is the wizard's default choice.
    const sorted = () => [...found].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.id.localeCompare(b.id));
    for await (const page of paginateDescribeVpcs({client: ec2, pageSize: EC2_PAGE}, {})) {
      for (const vpc of page.Vpcs ?? []) {
        if (!vpc.VpcId) continue;
        const name = nameTag(vpc.Tags);
        found.push({id: vpc.VpcId, cidr: vpc.CidrBlock ?? '', isDefault: Boolean(vpc.IsDefault), ...(name ? {name} : {}), ...tagList(vpc.Tags)});
      }
      onPage?.(sorted());
    }
    return sorted();
  });
}

/** The subnets read so far, each public or private by the route table that applies to it. */
function subnetRows(subnets: Subnet[], tables: RouteTable[], vpcId: string): DiscoveredSubnet[] {
  return subnets
    .filter((subnet) => subnet.SubnetId)
    .map((subnet) => {
      const id = subnet.SubnetId as string;
      const name = nameTag(subnet.Tags);
      return {
        id,
        vpcId: subnet.VpcId ?? vpcId,
        cidr: subnet.CidrBlock ?? '',
        availabilityZone: subnet.AvailabilityZone ?? '',
        public: isPublicRouteTable(routeTableForSubnet(tables, id)),
        mapPublicIpOnLaunch: Boolean(subnet.MapPublicIpOnLaunch),
        ...(name ? {name} : {}),
        ...tagList(subnet.Tags),
      };
    })
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.cidr.localeCompare(b.cidr));
}

async function discoverSubnets({ec2}: AwsClients, vpcId: string, onPage?: OnPage<DiscoveredSubnet>): Promise<DiscoveredSubnet[]> {
  const {paginateDescribeSubnets, paginateDescribeRouteTables} = await import('@aws-sdk/client-ec2');
  const filter = [{Name: 'vpc-id', Values: [vpcId]}];
  const subnets: Subnet[] = [];
  const tables: RouteTable[] = [];
  let tablesRead = false;
  // Public or private is only known once every route table is: subnets are shown from then on.
  const report = () => {
    if (tablesRead && onPage) onPage(subnetRows(subnets, tables, vpcId));
  };
  await Promise.all([
    call('DescribeSubnets', async () => {
      for await (const page of paginateDescribeSubnets({client: ec2, pageSize: EC2_PAGE}, {Filters: filter})) {
        subnets.push(...(page.Subnets ?? []));
        report();
      }
    }),
    call('DescribeRouteTables', async () => {
      for await (const page of paginateDescribeRouteTables({client: ec2, pageSize: ROUTE_TABLE_PAGE}, {Filters: filter})) {
        tables.push(...(page.RouteTables ?? []));
      }
      tablesRead = true;
      report();
    }),
  ]);
  return subnetRows(subnets, tables, vpcId);
}

async function discoverSecurityGroups({ec2}: AwsClients, vpcId: string, onPage?: OnPage<DiscoveredSecurityGroup>): Promise<DiscoveredSecurityGroup[]> {
  const {DescribeSecurityGroupsCommand} = await import('@aws-sdk/client-ec2');
  return call('DescribeSecurityGroups', async () => {
    const found: DiscoveredSecurityGroup[] = [];
    const sorted = () => [...found].sort((a, b) => a.name.localeCompare(b.name));
    const filter = [{Name: 'vpc-id', Values: [vpcId]}];
    const pages = pagesOf(
      (NextToken, MaxResults) => ec2.send(new DescribeSecurityGroupsCommand({Filters: filter, NextToken, MaxResults})),
      (page) => page.NextToken,
      FIRST_PAGE_SMALL,
    );
    for await (const page of pages) {
      for (const group of page.SecurityGroups ?? []) {
        if (!group.GroupId) continue;
        found.push({id: group.GroupId, name: group.GroupName ?? '', vpcId: group.VpcId ?? vpcId, description: group.Description ?? '', ...tagList(group.Tags)});
      }
      onPage?.(sorted());
    }
    return sorted();
  });
}

async function discoverKeyPairs({ec2}: AwsClients): Promise<DiscoveredKeyPair[]> {
  const {DescribeKeyPairsCommand} = await import('@aws-sdk/client-ec2');
  const answer = await call('DescribeKeyPairs', () => ec2.send(new DescribeKeyPairsCommand({})));
  return (answer.KeyPairs ?? [])
    .filter((pair) => pair.KeyName)
    .map((pair) => ({
      name: pair.KeyName as string,
      id: pair.KeyPairId ?? '',
      type: pair.KeyType ?? 'rsa',
      fingerprint: pair.KeyFingerprint ?? '',
      ...tagList(pair.Tags),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function ebsDefaultEncryption({ec2}: AwsClients): Promise<{enabled: boolean; kmsKeyId?: string}> {
  const {GetEbsEncryptionByDefaultCommand, GetEbsDefaultKmsKeyIdCommand} = await import('@aws-sdk/client-ec2');
  const answer = await call('GetEbsEncryptionByDefault', () => ec2.send(new GetEbsEncryptionByDefaultCommand({})));
  let kmsKeyId: string | undefined;
  try {
    kmsKeyId = (await ec2.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId;
  } catch {
    // The default key is a detail; the on/off switch is what matters. moto 5.2 answers this
    // call with HTTP 500, and a narrowly scoped role may be denied it.
    kmsKeyId = undefined;
  }
  return {enabled: Boolean(answer.EbsEncryptionByDefault), ...(kmsKeyId ? {kmsKeyId} : {})};
}

/** Each list is its own function above (and in discover-*.ts): one failing never touches another. */
export function createDiscovery(clients: AwsClients): Discovery {
  return {
    identity: () => callerIdentity(clients),
    latestImages: (arch) => latestImages(clients, arch),
    vpcs: (onPage) => discoverVpcs(clients, onPage),
    subnets: (vpcId, onPage) => discoverSubnets(clients, vpcId, onPage),
    instanceRoles: (onPage) => discoverInstanceRoles(clients, onPage),
    roleTags: (names, onPage) => discoverRoleTags(clients, names, onPage),
    kmsKeys: (onPage) => discoverKmsKeys(clients, onPage),
    kmsKeyDetails: (ids) => readKmsKeyDetails(clients, ids),
    securityGroups: (vpcId, onPage) => discoverSecurityGroups(clients, vpcId, onPage),
    keyPairs: () => discoverKeyPairs(clients),
    ebsDefaultEncryption: () => ebsDefaultEncryption(clients),
  };
}
