// Fresh moto accounts: the SDK paths name one with the x-moto-account-id header; processes that
// cannot add headers (the AWS CLI, tandem's own binary) get STS AssumeRole credentials into it,
// which moto ties to that account. Each account is warmed first (moto builds an account's EC2,
// IAM and KMS state on first use), so no measured path pays for moto's set-up.
import {randomInt} from 'node:crypto';
import type {AwsSettings} from '../source/aws/clients.js';
import {makeClients} from '../source/aws/clients.js';
import {send} from '../source/aws/actions.js';

export function freshAccountId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
}

export function sdkSettings(endpointUrl: string, accountId: string): AwsSettings {
  return {
    region: 'us-east-1',
    endpointUrl,
    maxAttempts: 1,
    headers: {'x-moto-account-id': accountId},
    credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'},
  };
}

export async function warmAccount(motoEndpoint: string, accountId: string): Promise<void> {
  const clients = await makeClients(sdkSettings(motoEndpoint, accountId));
  await Promise.all([
    send(clients, 'sts', 'GetCallerIdentity', {}),
    send(clients, 'ec2', 'DescribeVpcs', {}),
    send(clients, 'iam', 'ListRoles', {}),
    send(clients, 'kms', 'ListKeys', {}),
    send(clients, 'ssm', 'GetParameter', {Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'}),
  ]);
}

export interface Credentials {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN: string;
}

/** Credentials that moto maps to `accountId`. */
export async function credentialsFor(motoEndpoint: string, accountId: string): Promise<Credentials> {
  const clients = await makeClients(sdkSettings(motoEndpoint, '123456789012'));
  const response = await send(clients, 'sts', 'AssumeRole', {RoleArn: `arn:aws:iam::${accountId}:role/tandem-bench`, RoleSessionName: 'tandem-bench'});
  const credentials = response.Credentials as {AccessKeyId: string; SecretAccessKey: string; SessionToken: string};
  return {
    AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
    AWS_SESSION_TOKEN: credentials.SessionToken,
  };
}
