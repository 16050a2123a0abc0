// Fills a moto account the way a large organisation's account looks: many EC2 roles (every
// other one with an instance profile), customer KMS keys with aliases, security groups and
// subnets in one VPC. Calls go straight to moto, many at once; the discovery tests and the
// benchmark then read the account back through the fault proxy and count what discovery asks.
import {CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand} from '@aws-sdk/client-ec2';
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand} from '@aws-sdk/client-iam';
import {CreateAliasCommand, CreateKeyCommand} from '@aws-sdk/client-kms';
import type {AwsClients} from '../../source/aws/clients.js';
import {mapLimit} from '../../source/aws/map-limit.js';

export interface AccountSize {
  roles: number;
  keys: number;
  securityGroups: number;
  subnets: number;
}

export interface SeededAccount {
  vpcId: string;
  /** Every role is EC2-assumable; even-numbered ones have an instance profile of the same name. */
  roleNames: string[];
  keyIds: string[];
  ms: number;
}

const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}],
});

/**
 * moto answers some concurrent IAM writes with an HTML 500 (its state is shared between request
 * threads); the SDK retries them, and a retried create that had in fact succeeded says so.
 */
async function once(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if ((error as {name?: string}).name !== 'EntityAlreadyExistsException' && (error as {name?: string}).name !== 'LimitExceededException') throw error;
  }
}

const pad = (n: number) => String(n).padStart(4, '0');
const range = (n: number) => Array.from({length: n}, (_, index) => index);

/** `clients` should retry (maxAttempts above 1): moto drops a few of many concurrent writes. */
export async function seedAccount(clients: AwsClients, size: AccountSize, concurrency = 16): Promise<SeededAccount> {
  const started = Date.now();
  const {ec2, iam, kms} = clients;
  // Subnets need room: a /16 holds 256 /24s.
  if (size.subnets > 256) throw new Error('seedAccount: at most 256 subnets fit the seeded /16');
  const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.40.0.0/16'}))).Vpc?.VpcId ?? '';
  const roleNames = range(size.roles).map((n) => `app-${pad(n)}-role`);
  const keyIds: string[] = [];
  const tasks: Array<() => Promise<unknown>> = [
    ...roleNames.map((name, n) => async () => {
      await once(() => iam.send(new CreateRoleCommand({RoleName: name, AssumeRolePolicyDocument: EC2_TRUST, Tags: [{Key: 'team', Value: `team-${n % 7}`}]})));
      if (n % 2 !== 0) return;
      await once(() => iam.send(new CreateInstanceProfileCommand({InstanceProfileName: name})));
      await once(() => iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: name, RoleName: name})));
    }),
    ...range(size.keys).map((n) => async () => {
      const id = (await kms.send(new CreateKeyCommand({Description: `seeded key ${n}`}))).KeyMetadata?.KeyId ?? '';
      keyIds.push(id);
      await kms.send(new CreateAliasCommand({AliasName: `alias/app-${pad(n)}`, TargetKeyId: id}));
    }),
    ...range(size.securityGroups).map((n) => () => ec2.send(new CreateSecurityGroupCommand({GroupName: `app-${pad(n)}-sg`, Description: `seeded group ${n}`, VpcId: vpcId}))),
    ...range(size.subnets).map(
      (n) => () =>
        ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: `10.40.${n}.0/24`,
            TagSpecifications: [{ResourceType: 'subnet', Tags: [{Key: 'Name', Value: `app-${pad(n)}-subnet`}]}],
          }),
        ),
    ),
  ];
  await mapLimit(tasks, concurrency, (task) => task());
  return {vpcId, roleNames, keyIds, ms: Date.now() - started};
}
