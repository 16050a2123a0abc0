// A StackSets organization in moto for the fleet tests and the benchmark: a fresh administration
// account reached through STS (as a user's credentials would be), an organization with two new
// member accounts, and the two StackSets roles where AWS wants them. Also the fleet's profile.
import {randomInt} from 'node:crypto';
import {CreateRoleCommand} from '@aws-sdk/client-iam';
import {CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient} from '@aws-sdk/client-organizations';
import {AssumeRoleCommand} from '@aws-sdk/client-sts';
import {makeClients, type AwsSettings} from '../../source/aws/clients.js';
import {ADMINISTRATION_ROLE, EXECUTION_ROLE} from '../../source/domain/fleet.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {PUBLIC_WEB_SERVER_RISKS, WEB_SERVER_RISKS} from './launch-specs.js';

/** moto's endpoint as one account (named by header), with moto's test credentials. */
export function settingsFor(motoEndpoint: string, accountId: string): AwsSettings {
  return {region: 'us-east-1', endpointUrl: motoEndpoint, maxAttempts: 1, headers: {'x-moto-account-id': accountId}, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}};
}

/** The fleet profile: its own VPC, a scoped role, a new rotating key, HTTP only, IMDSv2. */
export function fleetSpec(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {
    ...spec,
    network: {vpc: 'new', subnet: 'public', publicIp: true},
    role: {mode: 'create', name: 'WebRole', bucket: 'fleet-assets', access: 'read'},
    storage: {sizeGiB: 8, type: 'gp3', encrypted: true, kmsKey: 'new'},
    securityGroup: {mode: 'create', name: 'web-sg', http: '0.0.0.0/0', https: false, ssh: false},
    keyPair: {mode: 'none'},
    // HTTP to the world, and the public address and role the tools rate high.
    acceptedRisks: [...WEB_SERVER_RISKS, ...PUBLIC_WEB_SERVER_RISKS],
  };
}

export interface Org {
  admin: string;
  members: string[];
  credentials: {accessKeyId: string; secretAccessKey: string; sessionToken: string};
}

/**
 * A fresh administration account (reached through STS, as a user's credentials would be), an
 * organization with two new member accounts (or `members` of them), and the two StackSets roles where AWS wants them.
 */
export async function organization(motoEndpoint: string, options: {noExecutionRoleIn?: number; members?: number} = {}): Promise<Org> {
  const admin = `${randomInt(1, 10)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  const root = await makeClients(settingsFor(motoEndpoint, '123456789012'));
  const assumed = await root.sts.send(new AssumeRoleCommand({RoleArn: `arn:aws:iam::${admin}:role/operator`, RoleSessionName: 'test'}));
  const credentials = {accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken!};
  const organizations = new OrganizationsClient({region: 'us-east-1', endpoint: motoEndpoint, credentials, maxAttempts: 1});
  await organizations.send(new CreateOrganizationCommand({FeatureSet: 'ALL'}));
  const members: string[] = [];
  for (const name of ['staging', 'production'].slice(0, options.members ?? 2)) {
    const created = await organizations.send(new CreateAccountCommand({AccountName: name, Email: `${name}-${admin}@example.com`}));
    members.push(created.CreateAccountStatus!.AccountId!);
  }
  const adminIam = (await makeClients(settingsFor(motoEndpoint, admin))).iam;
  await adminIam.send(
    new CreateRoleCommand({
      RoleName: ADMINISTRATION_ROLE,
      AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'cloudformation.amazonaws.com'}, Action: 'sts:AssumeRole'}]}),
    }),
  );
  for (const [index, account] of members.entries()) {
    if (index === options.noExecutionRoleIn) continue;
    await (
      await makeClients(settingsFor(motoEndpoint, account))
    ).iam.send(
      new CreateRoleCommand({
        RoleName: EXECUTION_ROLE,
        AssumeRolePolicyDocument: JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {AWS: `arn:aws:iam::${admin}:root`}, Action: 'sts:AssumeRole'}]}),
      }),
    );
  }
  return {admin, members, credentials};
}
