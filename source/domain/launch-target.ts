// Where a launch or a fleet lives: the endpoint, region, account and partition its journal (or
// fleet record) recorded. verify and destroy act there or nowhere: acting on "the same launch id"
// or fleet name somewhere else would report success for resources still running where they were made.
import {cell, t} from './safe-text.js';

/**
 * The regions of each partition, from the partition data the AWS SDK for JavaScript v3 ships
 * (@aws-sdk/core, util-endpoints partitions.js, version 3.981). A pure list here because the domain
 * does no I/O and imports no SDK; a region AWS opens later needs a line added here.
 */
export const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
};

/** The partition a region belongs to, or undefined for a region AWS does not have. */
export function partitionOfRegion(region: string): string | undefined {
  return Object.keys(PARTITION_REGIONS).find((partition) => PARTITION_REGIONS[partition].includes(region));
}

/** Why a well-formed region name cannot be used (AWS has no such region), or undefined. */
export function unknownRegionProblem(region: string): string | undefined {
  if (partitionOfRegion(region)) return undefined;
  return t.text`Region '${region}' is not a region AWS has; tandem knows the regions of every AWS partition (us-east-1, eu-west-1, ap-southeast-2, us-gov-west-1, cn-north-1 and the others).`;
}

/** The partition an ARN names (arn:aws-cn:…), or undefined when it is not an ARN. */
export function partitionOfArn(arn: string): string | undefined {
  const match = /^arn:([a-z-]+):/.exec(arn);
  return match?.[1];
}

/** Why an --endpoint-url value cannot be an endpoint, or undefined when it can. */
export function endpointUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return t.text`"${text}" is not a URL; an endpoint URL looks like https://ec2.us-east-1.amazonaws.com or http://127.0.0.1:5000`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return t.text`"${text}" is not an http or https URL; an endpoint URL looks like https://ec2.us-east-1.amazonaws.com or http://127.0.0.1:5000`;
  }
  if (!url.hostname) return t.text`"${text}" names no host; an endpoint URL looks like http://127.0.0.1:5000`;
  return undefined;
}

/** An endpoint as compared: scheme, host and port (default ports dropped), path without its final slash. */
function endpointKey(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return text;
  }
}

export function sameEndpoint(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return !a && !b;
  return endpointKey(a) === endpointKey(b);
}

/**
 * What a record says about where something tandem made lives: a launch's journal (launchId), or a
 * fleet's record (fleet: its name; region, endpoint, account and partition of its StackSet).
 */
export interface RecordedTarget {
  launchId?: string;
  fleet?: string;
  region: string;
  endpointUrl?: string;
  account?: string;
  partition?: string;
}

/** What this run was told, and where each piece came from (a flag or a variable's name). */
export interface GivenTarget {
  endpoint?: {url: string; from: string};
  region?: {name: string; from: string};
}

const endpointName = (url: string | undefined) => (url ? cell(url) : "AWS's own endpoints");

/** How the messages name the thing and its record: "launch ID … its journal", "fleet NAME … its fleet record". */
function subjectOf(recorded: RecordedTarget): {noun: string; name: string; record: string} {
  if (recorded.fleet !== undefined) return {noun: 'fleet', name: t.text`fleet ${recorded.fleet}`, record: 'its fleet record'};
  return {noun: 'launch', name: `launch ${recorded.launchId ?? '?'}`, record: 'its journal'};
}

/**
 * Why this run must not act on the launch (it was told another endpoint or region than the journal
 * recorded), or undefined. Said before any call, so nothing anywhere is changed.
 */
export function givenTargetProblem(command: string, recorded: RecordedTarget, given: GivenTarget): string | undefined {
  const {noun, name, record} = subjectOf(recorded);
  if (given.endpoint && !sameEndpoint(given.endpoint.url, recorded.endpointUrl)) {
    return (
      t.text`${name} was made through ${endpointName(recorded.endpointUrl)} (${record} says so), but ${given.endpoint.from} gives ${given.endpoint.url}; ` +
      `tandem ${command} acts only where the ${noun} was made, so nothing was changed. Run it again without ${given.endpoint.from}.`
    );
  }
  if (given.region && given.region.name !== recorded.region) {
    return (
      t.text`${name} was made in region ${recorded.region} (${record} says so), but ${given.region.from} gives ${given.region.name}; ` +
      `tandem ${command} acts only where the ${noun} was made, so nothing was changed. Run it again without ${given.region.from}.`
    );
  }
  return undefined;
}

/** Why the credentials at hand are for another account or partition than the launch's, or undefined. */
export function identityProblem(command: string, recorded: RecordedTarget, identity: {account: string; arn: string}): string | undefined {
  const {name, record} = subjectOf(recorded);
  if (recorded.account && identity.account !== recorded.account) {
    return (
      t.text`${name} was made in account ${recorded.account} (${record} says so), but these credentials are for account ${identity.account}; ` +
      t.text`tandem ${command} changed nothing. Use credentials for account ${recorded.account} (e.g. --profile NAME).`
    );
  }
  // Journals written before the partition was recorded: the region's partition is the launch's.
  const partition = recorded.partition ?? partitionOfRegion(recorded.region);
  const given = partitionOfArn(identity.arn);
  if (partition && given && given !== partition) {
    return (
      t.text`${name} was made in the ${partition} partition (${record} says so), but these credentials are for the ${given} partition; ` +
      t.text`tandem ${command} changed nothing. Use credentials for the ${partition} partition.`
    );
  }
  return undefined;
}
