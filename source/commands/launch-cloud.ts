// Opens the AWS adapter where a recorded launch lives: the endpoint, region, account and partition
// its journal recorded. Shared by verify and destroy. A run told another endpoint or region, or
// holding credentials for another account or partition, is refused before anything is changed:
// otherwise a destroy elsewhere finds nothing, calls that "removed" and marks the launch destroyed.
import type {AwsCloud} from '../aws/index.js';
import {givenTargetProblem, identityProblem, type GivenTarget} from '../domain/launch-target.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {EXIT, type CommandContext} from './types.js';

/** What this run was told about where to act: flags first, then AWS_ENDPOINT_URL. */
export function givenTarget(context: CommandContext): GivenTarget {
  const {flags, io} = context;
  const endpoint = flags.endpointUrl ? {url: flags.endpointUrl, from: '--endpoint-url'} : io.env.AWS_ENDPOINT_URL ? {url: io.env.AWS_ENDPOINT_URL, from: 'AWS_ENDPOINT_URL'} : undefined;
  // AWS_REGION is a default for new launches; only --region says "act in this region".
  const region = flags.region ? {name: flags.region, from: '--region'} : undefined;
  return {...(endpoint ? {endpoint} : {}), ...(region ? {region} : {})};
}

/** Why this run must not act on the launch (told another endpoint or region), before any call or prompt. */
export function targetRefusal(command: string, context: CommandContext, record: LaunchRecord): string | undefined {
  return givenTargetProblem(command, record, givenTarget(context));
}

/** The cloud, or a one-line reason and its exit code (2: refused or no credentials; 1: could not check). */
export async function openCloudForLaunch(
  command: string,
  context: CommandContext,
  record: LaunchRecord,
): Promise<{cloud: AwsCloud; reason?: undefined} | {cloud: null; reason: string; code: number}> {
  const {flags, io} = context;
  const refused = targetRefusal(command, context, record);
  if (refused) return {cloud: null, reason: refused, code: EXIT.usage};
  const {endpointUrl: _given, region: _region, ...rest} = flags;
  const {openCloud} = await import('../aws/index.js');
  const opened = await openCloud({
    flags: {...rest, region: record.region, ...(record.endpointUrl ? {endpointUrl: record.endpointUrl} : {})},
    // The recorded endpoint, or AWS's own: never one from the environment the journal did not record.
    env: {...io.env, AWS_ENDPOINT_URL: undefined},
    region: record.region,
  });
  if (!opened.cloud) return {cloud: null, reason: opened.reason, code: EXIT.usage};
  const {cloud} = opened;
  let identity: {account: string; arn: string};
  try {
    identity = await cloud.discovery.identity();
  } catch (error) {
    // The reason is printed through the writer, which makes the message inert.
    const message = error instanceof Error ? error.message : String(error);
    return {
      cloud: null,
      code: EXIT.failed,
      reason: `could not ask which account these credentials are for (${message.replace(/\s+/g, ' ')}), so launch ${record.launchId} was left as it is; run again when the endpoint answers`,
    };
  }
  const wrong = identityProblem(command, record, identity);
  if (wrong) return {cloud: null, reason: wrong, code: EXIT.usage};
  return {cloud};
}
