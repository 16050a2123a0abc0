// Where a launch lives: the region list against the SDK's own partition data, and how endpoints
// and regions given to verify or destroy are compared with what the journal recorded.
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {givenTargetProblem, identityProblem, PARTITION_REGIONS, sameEndpoint, unknownRegionProblem} from '../../source/domain/launch-target.js';

describe('the known regions', () => {
  it('are the regions of the partition data the installed AWS SDK ships', async () => {
    const require = createRequire(import.meta.url);
    const core = path.dirname(require.resolve('@aws-sdk/core/package.json'));
    const file = path.join(core, 'dist-es', 'submodules', 'client', 'util-endpoints', 'lib', 'aws', 'partitions.js');
    const {partitionsInfo} = (await import(pathToFileURL(file).href)) as {
      partitionsInfo: {partitions: Array<{id: string; regions: Record<string, unknown>}>};
    };
    const fromSdk = Object.fromEntries(
      partitionsInfo.partitions.map((partition) => [
        partition.id,
        Object.keys(partition.regions)
          .filter((region) => !region.endsWith('-global'))
          .sort(),
      ]),
    );
    const ours = Object.fromEntries(Object.entries(PARTITION_REGIONS).map(([id, regions]) => [id, [...regions].sort()]));
    expect(ours).toEqual(fromSdk);
  });

  it('refuse a well-formed region AWS does not have', () => {
    expect(unknownRegionProblem('us-east-1')).toBeUndefined();
    expect(unknownRegionProblem('cn-northwest-1')).toBeUndefined();
    expect(unknownRegionProblem('us-east-9')).toMatch(/^Region 'us-east-9' is not a region AWS has/);
  });
});

describe('what verify and destroy were told, against the journal', () => {
  const recorded = {launchId: 'l-20260101t000000-abcdef', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:5000', account: '123456789012', partition: 'aws'};

  it('takes the same endpoint written another way as the same', () => {
    expect(sameEndpoint('http://127.0.0.1:5000/', 'http://127.0.0.1:5000')).toBe(true);
    expect(sameEndpoint('HTTPS://EC2.us-east-1.amazonaws.com:443', 'https://ec2.us-east-1.amazonaws.com')).toBe(true);
    expect(sameEndpoint('http://127.0.0.1:5001', 'http://127.0.0.1:5000')).toBe(false);
    expect(sameEndpoint(undefined, undefined)).toBe(true);
    expect(sameEndpoint('http://127.0.0.1:5000', undefined)).toBe(false);
  });

  it('names what the journal recorded and what was given', () => {
    expect(givenTargetProblem('destroy', recorded, {})).toBeUndefined();
    expect(givenTargetProblem('destroy', recorded, {endpoint: {url: 'http://127.0.0.1:5000/', from: '--endpoint-url'}})).toBeUndefined();
    expect(givenTargetProblem('destroy', {...recorded, endpointUrl: undefined}, {endpoint: {url: 'http://127.0.0.1:5000', from: 'AWS_ENDPOINT_URL'}})).toBe(
      "launch l-20260101t000000-abcdef was made through AWS's own endpoints (its journal says so), but AWS_ENDPOINT_URL gives http://127.0.0.1:5000; " +
        'tandem destroy acts only where the launch was made, so nothing was changed. Run it again without AWS_ENDPOINT_URL.',
    );
    expect(givenTargetProblem('verify', recorded, {region: {name: 'eu-west-1', from: '--region'}})).toMatch(/made in region us-east-1 .* --region gives eu-west-1/);
    expect(identityProblem('destroy', recorded, {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/me'})).toBeUndefined();
    expect(identityProblem('destroy', recorded, {account: '210987654321', arn: 'arn:aws:iam::210987654321:user/me'})).toMatch(/account 123456789012 .* account 210987654321/);
    // A journal from before the partition was recorded: the region's partition stands in.
    const old = {...recorded, partition: undefined, account: undefined};
    expect(identityProblem('destroy', old, {account: '1', arn: 'arn:aws-cn:iam::1:user/me'})).toMatch(/the aws partition .* the aws-cn partition/);
  });

  it('names a fleet and its fleet record when the target is a fleet', () => {
    const fleet = {fleet: 'web', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:5000', account: '123456789012'};
    expect(givenTargetProblem('fleet verify', fleet, {region: {name: 'eu-west-1', from: '--region'}})).toBe(
      'fleet web was made in region us-east-1 (its fleet record says so), but --region gives eu-west-1; ' +
        'tandem fleet verify acts only where the fleet was made, so nothing was changed. Run it again without --region.',
    );
    expect(identityProblem('fleet destroy', fleet, {account: '210987654321', arn: 'arn:aws:iam::210987654321:user/me'})).toBe(
      'fleet web was made in account 123456789012 (its fleet record says so), but these credentials are for account 210987654321; ' +
        'tandem fleet destroy changed nothing. Use credentials for account 123456789012 (e.g. --profile NAME).',
    );
  });
});
