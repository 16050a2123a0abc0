// Resolving "latest Amazon Linux" when the public SSM parameter cannot be read (a partition or
// an emulator without it, or ssm:GetParameter denied): DescribeImages owned by Amazon, newest
// by CreationDate. The answer is shaped like GetParameter's, so plan refs to Parameter.Value work.
import type {AwsClients} from './clients.js';
import {send} from './actions.js';
import {errorCode} from './errors.js';

const LATEST_PREFIX = '/aws/service/ami-amazon-linux-latest/';

export function isImageParameter(name: unknown): name is string {
  return typeof name === 'string' && name.startsWith(LATEST_PREFIX);
}

/** The DescribeImages name filter matching an SSM "latest" parameter name. */
export function imageNameFilter(parameterName: string): {name: string; arch: string} {
  const arch = parameterName.endsWith('arm64') ? 'arm64' : 'x86_64';
  if (parameterName.includes('al2023')) return {name: `al2023-ami-2023.*-${arch}`, arch};
  return {name: `amzn2-ami-hvm-2.0.*-${arch}-gp2`, arch};
}

export async function latestImageByName(clients: AwsClients, parameterName: string): Promise<string | undefined> {
  const {name, arch} = imageNameFilter(parameterName);
  const response = await send(clients, 'ec2', 'DescribeImages', {
    Owners: ['amazon'],
    Filters: [
      {Name: 'name', Values: [name]},
      {Name: 'architecture', Values: [arch]},
      {Name: 'state', Values: ['available']},
    ],
  });
  const images = (response.Images as Array<{ImageId?: string; CreationDate?: string}> | undefined) ?? [];
  images.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
  return images[0]?.ImageId;
}

/** GetParameter for an image parameter, falling back to DescribeImages when it is missing or denied. */
export async function getImageParameter(clients: AwsClients, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return await send(clients, 'ssm', 'GetParameter', input);
  } catch (error) {
    const code = errorCode(error);
    if (!['ParameterNotFound', 'AccessDeniedException', 'InvalidParameters'].includes(code)) throw error;
    const imageId = await latestImageByName(clients, String(input.Name));
    if (!imageId) throw error;
    return {Parameter: {Name: input.Name, Type: 'String', Value: imageId}, tandemFallback: 'DescribeImages'};
  }
}
