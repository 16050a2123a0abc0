// The only factory of AWS SDK clients. Everything is imported lazily so nothing of the SDK
// loads before the first frame. Credentials come from the SDK's standard chain (env,
// ~/.aws/config and credentials, SSO, process, IMDS), with --profile as in the AWS CLI.
import type {BackupClient} from '@aws-sdk/client-backup';
import type {EC2Client} from '@aws-sdk/client-ec2';
import type {IAMClient} from '@aws-sdk/client-iam';
import type {KMSClient} from '@aws-sdk/client-kms';
import type {SSMClient} from '@aws-sdk/client-ssm';
import type {STSClient} from '@aws-sdk/client-sts';
import type {CloudFormationClient} from '@aws-sdk/client-cloudformation';
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import type {PricingClient} from '@aws-sdk/client-pricing';
import type {ElasticLoadBalancingV2Client} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {ACMClient} from '@aws-sdk/client-acm';
import {credentialChainOptions} from './settings.js';

export interface AwsSettings {
  region: string;
  /** AWS credentials profile (--profile / AWS_PROFILE). */
  profile?: string;
  endpointUrl?: string;
  /** SDK retry attempts; the SDK's standard retry mode handles throttling and 5xx. */
  maxAttempts?: number;
  /** Extra request headers, e.g. x-moto-account-id in tests. */
  headers?: Record<string, string>;
  /**
   * Longest silence on a connection before the call is abandoned (and retried by the SDK). The
   * SDK's own default is to wait forever, so a black-holed request would hang the launch.
   */
  socketTimeoutMs?: number;
  /** Explicit credentials (tests); otherwise the standard chain. */
  credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string};
}

export interface AwsClients {
  settings: AwsSettings;
  ec2: EC2Client;
  iam: IAMClient;
  kms: KMSClient;
  ssm: SSMClient;
  sts: STSClient;
  /** AWS Backup: the root volume's vault, plan and selection. */
  backup: BackupClient;
  /** CloudWatch Logs: the flow logs' group. */
  logs: CloudWatchLogsClient;
  /** Elastic Load Balancing: the load balancer, its target group and listeners (docs/load-balancer.md). */
  elbv2: ElasticLoadBalancingV2Client;
  /** Certificate Manager: the load balancer's certificate (pre-flight reads its status). */
  acm: ACMClient;
}

/** Seconds of silence a healthy AWS endpoint never needs; long calls (waiters) poll, they do not hang. */
export const DEFAULT_SOCKET_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

// The slice of a client's middleware stack addHeaders uses, typed structurally so one function
// serves every client: each client's stack is generic over its own input and output types.
type BuildArgs = {request: unknown};
type BuildHandler<Args extends BuildArgs, Result> = (args: Args) => Promise<Result>;
type Configurable<Args extends BuildArgs, Result> = {
  middlewareStack: {add(middleware: (next: BuildHandler<Args, Result>) => BuildHandler<Args, Result>, options: {step: 'build'; name: string}): void};
};

/** True for the HTTP request the build step carries (the SDK types it `unknown`). */
function hasHeaders(request: unknown): request is {headers: Record<string, string>} {
  return typeof request === 'object' && request !== null && typeof (request as {headers?: unknown}).headers === 'object';
}

function addHeaders<Args extends BuildArgs, Result>(client: Configurable<Args, Result>, headers: Record<string, string> | undefined): void {
  if (!headers || Object.keys(headers).length === 0) return;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (hasHeaders(args.request)) Object.assign(args.request.headers, headers);
      return next(args);
    },
    {step: 'build', name: 'tandemExtraHeaders'},
  );
}

/** The configuration every client shares: region, credentials, endpoint, retries, bounded waits. */
export async function clientConfig(settings: AwsSettings) {
  const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers');
  const credentials = settings.credentials ?? fromNodeProviderChain(credentialChainOptions(settings.profile));
  return {
    region: settings.region,
    credentials,
    ...(settings.endpointUrl ? {endpoint: settings.endpointUrl} : {}),
    ...(settings.maxAttempts ? {maxAttempts: settings.maxAttempts} : {}),
    // Plain options: the SDK builds its Node handler from them. A stalled connection fails with
    // a TimeoutError, which the SDK's retry strategy treats as transient.
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: settings.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    },
  };
}

export async function makeClients(settings: AwsSettings): Promise<AwsClients> {
  const [{EC2Client}, {IAMClient}, {KMSClient}, {SSMClient}, {STSClient}, {BackupClient}, {CloudWatchLogsClient}, {ElasticLoadBalancingV2Client}, {ACMClient}, common] = await Promise.all([
    import('@aws-sdk/client-ec2'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-kms'),
    import('@aws-sdk/client-ssm'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-backup'),
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-elastic-load-balancing-v2'),
    import('@aws-sdk/client-acm'),
    clientConfig(settings),
  ]);
  const clients = {
    settings,
    ec2: new EC2Client(common),
    iam: new IAMClient(common),
    kms: new KMSClient(common),
    ssm: new SSMClient(common),
    sts: new STSClient(common),
    backup: new BackupClient(common),
    logs: new CloudWatchLogsClient(common),
    elbv2: new ElasticLoadBalancingV2Client(common),
    acm: new ACMClient(common),
  };
  // One call per client: each stack is typed by its own client's inputs and outputs.
  addHeaders(clients.ec2, settings.headers);
  addHeaders(clients.iam, settings.headers);
  addHeaders(clients.kms, settings.headers);
  addHeaders(clients.ssm, settings.headers);
  addHeaders(clients.sts, settings.headers);
  addHeaders(clients.backup, settings.headers);
  addHeaders(clients.logs, settings.headers);
  addHeaders(clients.elbv2, settings.headers);
  addHeaders(clients.acm, settings.headers);
  return clients;
}

/** CloudFormation, loaded only by the fleet commands (a single launch never needs it). */
export async function makeCloudFormationClient(settings: AwsSettings): Promise<CloudFormationClient> {
  const [{CloudFormationClient}, common] = await Promise.all([import('@aws-sdk/client-cloudformation'), clientConfig(settings)]);
  const client = new CloudFormationClient(common);
  addHeaders(client, settings.headers);
  return client;
}

/**
 * The Price List Query API's client (docs/cost.md). AWS serves it in us-east-1 (also eu-central-1 and
 * ap-south-1), whatever region is being priced, so the client is always made there. Its endpoint is
 * the one the SDK chooses: AWS_ENDPOINT_URL_PRICING when set (the SDK reads it from the process's
 * environment for this service, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is on), otherwise
 * --endpoint-url / AWS_ENDPOINT_URL like every other client.
 */
export async function makePricingClient(settings: AwsSettings): Promise<PricingClient> {
  const [{PricingClient}, common] = await Promise.all([import('@aws-sdk/client-pricing'), clientConfig(settings)]);
  const {endpoint, ...rest} = common as typeof common & {endpoint?: string};
  const ignored = /^(true|1)$/i.test(process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '');
  const ownEndpoint = Boolean(process.env.AWS_ENDPOINT_URL_PRICING) && !ignored;
  const client = new PricingClient({...rest, region: 'us-east-1', ...(endpoint && !ownEndpoint ? {endpoint} : {})});
  addHeaders(client, settings.headers);
  return client;
}
