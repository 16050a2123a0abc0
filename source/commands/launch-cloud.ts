// Opens the AWS adapter where a recorded launch lives: its region, and its endpoint unless one is
// given now (a local emulator's port may have changed). Shared by verify and destroy.
import type {AwsCloud} from '../aws/index.js';
import {inert} from '../domain/sanitize.js';
import type {LaunchRecord} from '../store/journal-types.js';
import type {CommandContext} from './types.js';

/** The cloud, or a one-line reason (no credentials found) for the caller to print with exit 2. */
export async function openCloudForLaunch(
  command: string,
  context: CommandContext,
  record: LaunchRecord,
): Promise<{cloud: AwsCloud; reason?: undefined} | {cloud: null; reason: string}> {
  const {flags, io} = context;
  if (flags.region && flags.region !== record.region) {
    io.stderr.write(`tandem ${command}: launch ${record.launchId} is in ${record.region}; ignoring --region ${inert(flags.region)}\n`);
  }
  const endpointUrl = flags.endpointUrl || io.env.AWS_ENDPOINT_URL || record.endpointUrl;
  const {openCloud} = await import('../aws/index.js');
  const opened = await openCloud({
    flags: {...flags, region: record.region, ...(endpointUrl ? {endpointUrl} : {})},
    env: io.env,
    region: record.region,
  });
  return opened.cloud ? {cloud: opened.cloud} : {cloud: null, reason: opened.reason};
}
