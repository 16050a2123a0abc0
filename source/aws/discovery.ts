// Discovery: what already exists in the account, to fill the wizard's lists. Every method stands
// alone (one denied call never breaks another list) and throws an AwsCallError carrying the AWS
// code and message, so the UI can say why a list is empty and still let the operator type an id.
// Strings from AWS are returned as-is; the UI passes them through inert() before printing.
import type {Tag} from '@aws-sdk/client-ec2';
import type {AwsClients} from './clients.js';
import type {Arch} from '../domain/spec.js';
import type {
  CallerIdentity,
  DiscoveredKey,
  DiscoveredKeyPair,
  DiscoveredRole,
  DiscoveredSecurityGroup,
  DiscoveredSubnet,
  DiscoveredVpc,
  Discovery,
} from '../domain/cloud.js';
import {call} from './errors.js';
import {mapLimit} from './map-limit.js';
import {allowsEc2Assume, decodePolicy} from './discover-policy.js';
import {isPublicRouteTable, routeTableForSubnet} from './discover-routes.js';

/** Per-item lookups (instance profiles per role, DescribeKey per key) stay polite to the API. */
const LOOKUP_CONCURRENCY = 5;

const SSM_PREFIX = '/aws/service/ami-amazon-linux-latest/';

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find((tag) => tag.Key === 'Name')?.Value;
}

export function imageParameters(arch: Arch): {al2023: string; al2: string} {
  return {
    al2023: `${SSM_PREFIX}al2023-ami-kernel-default-${arch}`,
    al2: `${SSM_PREFIX}amzn2-ami-hvm-${arch}-gp2`,
  };
}

export function createDiscovery(clients: AwsClients): Discovery {
  const {ec2, iam, kms, ssm, sts} = clients;

  async function latestImage(arch: Arch, family: 'al2023' | 'al2'): Promise<string | undefined> {
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
      .sort(
        (a, b) =>
          (b.CreationDate ?? '').localeCompare(a.CreationDate ?? '') || (b.Name ?? '').localeCompare(a.Name ?? ''),
      );
    return newest?.ImageId;
  }

  return {
    async identity(): Promise<CallerIdentity> {
      const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts');
      const answer = await call('GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
      return {account: answer.Account ?? '', arn: answer.Arn ?? '', region: clients.settings.region};
    },

    async latestImages(arch: Arch) {
      const [al2023, al2] = await Promise.allSettled([latestImage(arch, 'al2023'), latestImage(arch, 'al2')]);
      // AL2023 is what the wizard offers by default; its failure is the one worth reporting.
      if (al2023.status === 'rejected') throw al2023.reason;
      return {
        ...(al2023.value ? {al2023: al2023.value} : {}),
        ...(al2.status === 'fulfilled' && al2.value ? {al2: al2.value} : {}),
      };
    },

    async vpcs(): Promise<DiscoveredVpc[]> {
      const {paginateDescribeVpcs} = await import('@aws-sdk/client-ec2');
      return call('DescribeVpcs', async () => {
        const found: DiscoveredVpc[] = [];
        for await (const page of paginateDescribeVpcs({client: ec2}, {})) {
          for (const vpc of page.Vpcs ?? []) {
            if (!vpc.VpcId) continue;
            const name = nameTag(vpc.Tags);
            found.push({id: vpc.VpcId, cidr: vpc.CidrBlock ?? '', isDefault: Boolean(vpc.IsDefault), ...(name ? {name} : {})});
          }
        }
        // The default VPC first: it is the wizard's default choice.
        return found.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.id.localeCompare(b.id));
      });
    },

    async subnets(vpcId: string): Promise<DiscoveredSubnet[]> {
      const {paginateDescribeSubnets, paginateDescribeRouteTables} = await import('@aws-sdk/client-ec2');
      const filter = [{Name: 'vpc-id', Values: [vpcId]}];
      const [subnets, tables] = await Promise.all([
        call('DescribeSubnets', async () => {
          const all = [];
          for await (const page of paginateDescribeSubnets({client: ec2}, {Filters: filter})) all.push(...(page.Subnets ?? []));
          return all;
        }),
        call('DescribeRouteTables', async () => {
          const all = [];
          for await (const page of paginateDescribeRouteTables({client: ec2}, {Filters: filter})) all.push(...(page.RouteTables ?? []));
          return all;
        }),
      ]);
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
          };
        })
        .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || a.cidr.localeCompare(b.cidr));
    },

    async instanceRoles(): Promise<DiscoveredRole[]> {
      const {paginateListRoles, paginateListInstanceProfilesForRole} = await import('@aws-sdk/client-iam');
      const roles = await call('ListRoles', async () => {
        const all = [];
        for await (const page of paginateListRoles({client: iam}, {})) all.push(...(page.Roles ?? []));
        return all;
      });
      const ec2Roles = roles.filter(
        (role) => role.RoleName && allowsEc2Assume(decodePolicy(role.AssumeRolePolicyDocument)),
      );
      const found = await mapLimit(ec2Roles, LOOKUP_CONCURRENCY, async (role) => {
        const name = role.RoleName as string;
        const profiles = await call('ListInstanceProfilesForRole', async () => {
          const all: string[] = [];
          for await (const page of paginateListInstanceProfilesForRole({client: iam}, {RoleName: name})) {
            for (const profile of page.InstanceProfiles ?? []) if (profile.InstanceProfileName) all.push(profile.InstanceProfileName);
          }
          return all;
        });
        return {name, arn: role.Arn ?? '', instanceProfiles: profiles};
      });
      return found.sort((a, b) => a.name.localeCompare(b.name));
    },

    async kmsKeys(): Promise<DiscoveredKey[]> {
      const kmsModule = await import('@aws-sdk/client-kms');
      const {paginateListKeys, paginateListAliases, DescribeKeyCommand, GetKeyRotationStatusCommand} = kmsModule;
      const [keys, aliases] = await Promise.all([
        call('ListKeys', async () => {
          const all = [];
          for await (const page of paginateListKeys({client: kms}, {})) all.push(...(page.Keys ?? []));
          return all;
        }),
        call('ListAliases', async () => {
          const all = [];
          for await (const page of paginateListAliases({client: kms}, {})) all.push(...(page.Aliases ?? []));
          return all;
        }),
      ]);
      const aliasesByKey = new Map<string, string[]>();
      for (const alias of aliases) {
        if (!alias.AliasName || !alias.TargetKeyId) continue;
        aliasesByKey.set(alias.TargetKeyId, [...(aliasesByKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
      }

      const described = await mapLimit(keys, LOOKUP_CONCURRENCY, async (key): Promise<DiscoveredKey | undefined> => {
        const id = key.KeyId;
        if (!id) return undefined;
        const keyAliases = (aliasesByKey.get(id) ?? []).sort();
        // The alias/aws/ namespace is reserved for AWS managed keys, so it decides even when
        // DescribeKey is denied (moto also reports its aws/* keys as CUSTOMER).
        const awsAlias = keyAliases.some((alias) => alias.startsWith('alias/aws/'));
        let managedBy: DiscoveredKey['managedBy'] = awsAlias ? 'AWS' : 'Customer';
        try {
          const meta = (await kms.send(new DescribeKeyCommand({KeyId: id}))).KeyMetadata;
          // EBS needs an enabled symmetric encryption key; anything else would only fail RunInstances.
          if (meta?.KeyState && meta.KeyState !== 'Enabled') return undefined;
          if (meta?.KeyUsage && meta.KeyUsage !== 'ENCRYPT_DECRYPT') return undefined;
          if (meta?.KeySpec && meta.KeySpec !== 'SYMMETRIC_DEFAULT') return undefined;
          if (!awsAlias && meta?.KeyManager === 'AWS') managedBy = 'AWS';
        } catch {
          // Key policies can deny DescribeKey per key; list the key with what ListKeys told us.
        }
        // Only aws/ebs among AWS managed keys can encrypt an EBS volume.
        if (managedBy === 'AWS' && !keyAliases.includes('alias/aws/ebs')) return undefined;
        let rotation: boolean | undefined;
        if (managedBy === 'Customer') {
          try {
            rotation = Boolean((await kms.send(new GetKeyRotationStatusCommand({KeyId: id}))).KeyRotationEnabled);
          } catch {
            rotation = undefined; // denied per key: the UI shows "unknown"
          }
        }
        return {id, arn: key.KeyArn ?? '', aliases: keyAliases, managedBy, ...(rotation === undefined ? {} : {rotation})};
      });
      const found = described.filter((key): key is DiscoveredKey => key !== undefined);

      // AWS creates the aws/ebs key on first use, so a fresh account lists the alias without a
      // key (or without any alias at all); it is still a valid choice.
      if (!found.some((key) => key.aliases.includes('alias/aws/ebs'))) {
        const alias = aliases.find((entry) => entry.AliasName === 'alias/aws/ebs');
        // 'arn:aws:kms:<region>:<account>' from any ARN we were given.
        const prefix = (alias?.AliasArn ?? keys[0]?.KeyArn ?? '').split(':').slice(0, 5).join(':');
        const target = alias?.TargetKeyId;
        const arn = !prefix ? '' : target ? `${prefix}:key/${target}` : `${prefix}:alias/aws/ebs`;
        found.push({id: target ?? 'alias/aws/ebs', arn, aliases: ['alias/aws/ebs'], managedBy: 'AWS'});
      }
      const label = (key: DiscoveredKey) => key.aliases[0] ?? `~${key.id}`;
      return found.sort(
        (a, b) => Number(b.managedBy === 'AWS') - Number(a.managedBy === 'AWS') || label(a).localeCompare(label(b)),
      );
    },

    async securityGroups(vpcId: string): Promise<DiscoveredSecurityGroup[]> {
      const {paginateDescribeSecurityGroups} = await import('@aws-sdk/client-ec2');
      return call('DescribeSecurityGroups', async () => {
        const found: DiscoveredSecurityGroup[] = [];
        const filter = [{Name: 'vpc-id', Values: [vpcId]}];
        for await (const page of paginateDescribeSecurityGroups({client: ec2}, {Filters: filter})) {
          for (const group of page.SecurityGroups ?? []) {
            if (!group.GroupId) continue;
            found.push({id: group.GroupId, name: group.GroupName ?? '', vpcId: group.VpcId ?? vpcId, description: group.Description ?? ''});
          }
        }
        return found.sort((a, b) => a.name.localeCompare(b.name));
      });
    },

    async keyPairs(): Promise<DiscoveredKeyPair[]> {
      const {DescribeKeyPairsCommand} = await import('@aws-sdk/client-ec2');
      const answer = await call('DescribeKeyPairs', () => ec2.send(new DescribeKeyPairsCommand({})));
      return (answer.KeyPairs ?? [])
        .filter((pair) => pair.KeyName)
        .map((pair) => ({
          name: pair.KeyName as string,
          id: pair.KeyPairId ?? '',
          type: pair.KeyType ?? 'rsa',
          fingerprint: pair.KeyFingerprint ?? '',
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async ebsDefaultEncryption() {
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
    },
  };
}
