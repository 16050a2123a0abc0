// Reaching a fleet's targets: AWS clients in another account through STS AssumeRole (the SDK's
// temporary-credentials provider, with the operator's own credentials as the source), in the
// target's region and through the same endpoint.
import {partitionOf} from '../domain/partition.js';
import {clientConfig, makeClients, type AwsClients, type AwsSettings} from './clients.js';

export function roleArn(account: string, region: string, roleName: string): string {
  return `arn:${partitionOf(region)}:iam::${account}:role/${roleName}`;
}

/** Credentials for `roleName` in `account`, or the SDK's error (AccessDenied, NoSuchEntity…). */
export async function assumeRole(settings: AwsSettings, account: string, roleName: string): Promise<{accessKeyId: string; secretAccessKey: string; sessionToken?: string}> {
  const [{fromTemporaryCredentials}, common] = await Promise.all([import('@aws-sdk/credential-providers'), clientConfig(settings)]);
  const provider = fromTemporaryCredentials({
    params: {RoleArn: roleArn(account, settings.region, roleName), RoleSessionName: 'tandem-fleet', DurationSeconds: 3600},
    masterCredentials: common.credentials,
    clientConfig: {
      region: common.region,
      ...(settings.endpointUrl ? {endpoint: settings.endpointUrl} : {}),
      ...(settings.maxAttempts ? {maxAttempts: settings.maxAttempts} : {}),
      requestHandler: common.requestHandler,
    },
  });
  return provider();
}

export type TargetCredentials = Awaited<ReturnType<typeof assumeRole>>;

/** Every client of tandem in `region`, as an assumed role. */
export function clientsWith(settings: AwsSettings, credentials: TargetCredentials, region: string): Promise<AwsClients> {
  return makeClients({
    ...settings,
    region,
    profile: undefined,
    credentials: {accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, ...(credentials.sessionToken ? {sessionToken: credentials.sessionToken} : {})},
  });
}

/** Assumes each account's role once, however many regions the account has. */
export function accountAccess(settings: AwsSettings, roleName: string) {
  const cache = new Map<string, Promise<TargetCredentials>>();
  const credentials = (account: string) => {
    let promise = cache.get(account);
    if (!promise) {
      promise = assumeRole(settings, account, roleName);
      cache.set(account, promise);
    }
    return promise;
  };
  return {
    credentials,
    clients: async (account: string, region: string) => clientsWith(settings, await credentials(account), region),
  };
}
