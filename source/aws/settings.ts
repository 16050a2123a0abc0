// Where tandem's AWS settings come from, in the AWS CLI's order: --region, AWS_REGION,
// AWS_DEFAULT_REGION, then the credentials profile's region in ~/.aws/config (read by the SDK's
// own loader), then the launch spec's region. Endpoint: --endpoint-url or AWS_ENDPOINT_URL.
// Profile: --profile or AWS_PROFILE.
import type {GlobalFlags} from '../context.js';
import {endpointUrlProblem} from '../domain/launch-target.js';
import {t} from '../domain/safe-text.js';
import {UsageError} from '../exit.js';
import {processOutput} from '../output.js';
import type {AwsSettings} from './clients.js';

export interface SettingsInput {
  flags: Pick<GlobalFlags, 'region' | 'profile' | 'endpointUrl'>;
  env: NodeJS.ProcessEnv;
  /** Used when nothing else names a region (normally the spec's region). */
  region?: string;
}

async function regionFromConfig(profile: string | undefined): Promise<string | undefined> {
  try {
    const {STSClient} = await import('@aws-sdk/client-sts');
    const client = new STSClient(profile ? {profile} : {});
    try {
      const region = await client.config.region();
      return region || undefined;
    } finally {
      client.destroy();
    }
  } catch {
    // no region configured anywhere the SDK looks
    return undefined;
  }
}

export async function resolveSettings(input: SettingsInput): Promise<AwsSettings> {
  const {flags, env} = input;
  const profile = flags.profile || env.AWS_PROFILE || undefined;
  const endpointUrl = flags.endpointUrl || env.AWS_ENDPOINT_URL || undefined;
  const endpointProblem = endpointUrl ? endpointUrlProblem(endpointUrl) : undefined;
  if (endpointProblem) throw new UsageError(`${flags.endpointUrl ? '--endpoint-url' : 'AWS_ENDPOINT_URL'}: ${endpointProblem}`);
  const region = flags.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || (await regionFromConfig(profile)) || input.region || 'us-east-1';
  const socketTimeoutMs = positiveInteger(env.TANDEM_HTTP_TIMEOUT_MS);
  return {
    region,
    ...(profile ? {profile} : {}),
    ...(endpointUrl ? {endpointUrl} : {}),
    ...(socketTimeoutMs ? {socketTimeoutMs} : {}),
  };
}

/** TANDEM_HTTP_TIMEOUT_MS: milliseconds of silence before a call is retried (slow links, tests). */
function positiveInteger(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value > 0 ? value : undefined;
}

/**
 * Options for the SDK's credential chain. A named profile wins over AWS_ACCESS_KEY_ID in the
 * environment, as in the AWS CLI; the SDK would say so in a nine-line console warning before
 * tandem's own message, so its logger here keeps quiet and tandem says it in its own words.
 */
export function credentialChainOptions(profile: string | undefined): {profile?: string; logger: Record<'debug' | 'info' | 'warn' | 'error', () => void>} {
  const quiet = () => {};
  return {...(profile ? {profile} : {}), logger: {debug: quiet, info: quiet, warn: quiet, error: quiet}};
}

/**
 * Asks the SDK's standard credential chain (env, config/credentials files, SSO, process,
 * container and instance metadata) for credentials. Returns a reason when it finds none.
 */
export async function probeCredentials(settings: AwsSettings): Promise<{ok: true} | {ok: false; reason: string; expired: boolean}> {
  if (settings.credentials) return {ok: true};
  const {fromNodeProviderChain} = await import('@aws-sdk/credential-providers');
  try {
    const provider = fromNodeProviderChain(credentialChainOptions(settings.profile));
    const credentials = await provider();
    if (credentials.expiration && credentials.expiration.getTime() < Date.now()) {
      return {ok: false, expired: true, reason: 'your AWS credentials have expired; refresh them (for SSO: aws sso login)'};
    }
    return {ok: true};
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/expired/i.test(message)) {
      return {ok: false, expired: true, reason: `your AWS credentials have expired (${message}); for SSO run aws sso login`};
    }
    const where = settings.profile ? t.text` for profile "${settings.profile}"` : '';
    const envKeys = settings.profile && process.env.AWS_ACCESS_KEY_ID ? ' (the keys in AWS_ACCESS_KEY_ID are not used when a profile is named)' : '';
    // TANDEM_DEBUG shows what the chain said (never credential values: the SDK does not put them in messages).
    if (process.env.TANDEM_DEBUG) processOutput().say(`tandem: credential chain: ${message}`);
    return {
      ok: false,
      expired: false,
      reason: `no AWS credentials found${where}${envKeys}; run \`aws configure\`, pass --profile NAME, or set AWS_PROFILE`,
    };
  }
}
