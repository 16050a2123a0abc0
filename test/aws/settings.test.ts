// Region, endpoint and profile resolution in the AWS CLI's order, and the error mapping.
import path from 'node:path';
import {writeFileSync} from 'node:fs';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {resolveSettings} from '../../source/aws/settings.js';
import {openCloud} from '../../source/aws/index.js';
import {describeAwsError, isNotFound} from '../../source/aws/errors.js';
import {bareKeyId} from '../../source/aws/actions.js';
import {UsageError} from '../../source/exit.js';
import {tempDir} from '../integration/provision-support.js';

const noFlags = {};

afterEach(() => {
  vi.unstubAllEnvs();
});

function isolateConfig(config = '') {
  const dir = tempDir('tandem-aws-');
  const file = path.join(dir, 'config');
  writeFileSync(file, config);
  vi.stubEnv('AWS_CONFIG_FILE', file);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', path.join(dir, 'credentials'));
  vi.stubEnv('AWS_REGION', undefined);
  vi.stubEnv('AWS_DEFAULT_REGION', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
}

describe('resolveSettings', () => {
  it('prefers --region, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    isolateConfig();
    const env = {AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2'};
    expect((await resolveSettings({flags: {region: 'ap-south-1'}, env})).region).toBe('ap-south-1');
    expect((await resolveSettings({flags: noFlags, env})).region).toBe('eu-west-1');
    expect((await resolveSettings({flags: noFlags, env: {AWS_DEFAULT_REGION: 'eu-west-2'}})).region).toBe('eu-west-2');
  });

  it("reads the credentials profile's region from the AWS config file through the SDK", async () => {
    isolateConfig('[profile ops]\nregion = eu-north-1\n');
    const settings = await resolveSettings({flags: {profile: 'ops'}, env: {}});
    expect(settings).toMatchObject({region: 'eu-north-1', profile: 'ops'});
  });

  it('refuses a malformed AWS_ENDPOINT_URL as bad input (exit 2) before any call, naming the variable', async () => {
    const attempt = resolveSettings({flags: noFlags, env: {AWS_ENDPOINT_URL: 'notaurl', AWS_REGION: 'us-east-1'}});
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(resolveSettings({flags: noFlags, env: {AWS_ENDPOINT_URL: 'notaurl', AWS_REGION: 'us-east-1'}})).rejects.toThrow(/^AWS_ENDPOINT_URL: "notaurl" is not a URL/);
  });

  it('opening the cloud with a malformed AWS_ENDPOINT_URL gives the reason instead of throwing (the TUI shows it)', async () => {
    const opened = await openCloud({flags: {color: false, yes: false, dryRun: false, force: false, keep: false}, env: {AWS_ENDPOINT_URL: 'notaurl', AWS_REGION: 'us-east-1'}});
    expect(opened.cloud).toBeNull();
    expect('reason' in opened && opened.reason).toMatch(/^AWS_ENDPOINT_URL: "notaurl" is not a URL/);
  });

  it("falls back to the spec's region, and takes endpoint and profile from flags or env", async () => {
    isolateConfig();
    const settings = await resolveSettings({
      flags: noFlags,
      env: {AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_PROFILE: 'dev'},
      region: 'ca-central-1',
    });
    expect(settings).toEqual({region: 'ca-central-1', profile: 'dev', endpointUrl: 'http://127.0.0.1:1'});
    const flagged = await resolveSettings({flags: {endpointUrl: 'http://127.0.0.1:2', profile: 'x'}, env: {AWS_ENDPOINT_URL: 'http://127.0.0.1:1'}, region: 'ca-central-1'});
    expect(flagged).toMatchObject({endpointUrl: 'http://127.0.0.1:2', profile: 'x'});
  });
});

describe('AWS errors', () => {
  it('keeps the AWS error code and names the fix for credential problems', () => {
    const denied = Object.assign(new Error('You are not authorized'), {name: 'UnauthorizedOperation'});
    expect(describeAwsError(denied)).toEqual({code: 'UnauthorizedOperation', message: 'You are not authorized'});
    const missing = Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'});
    expect(describeAwsError(missing).message).toMatch(/aws configure.*--profile.*AWS_PROFILE/);
    const expired = Object.assign(new Error('The security token included in the request is expired'), {name: 'ExpiredToken'});
    expect(describeAwsError(expired).message).toContain('expired');
  });

  it('treats not-found answers as already deleted', () => {
    for (const name of ['InvalidVpcID.NotFound', 'InvalidGroup.NotFound', 'NoSuchEntity', 'NoSuchEntityException', 'NotFoundException']) {
      expect(isNotFound(Object.assign(new Error('gone'), {name})), name).toBe(true);
    }
    expect(isNotFound(Object.assign(new Error('in use'), {name: 'DependencyViolation'}))).toBe(false);
  });

  it('strips a KMS key ARN to the bare id for ScheduleKeyDeletion', () => {
    expect(bareKeyId('arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(bareKeyId('1234abcd')).toBe('1234abcd');
  });
});

describe('a named profile with keys in the environment', () => {
  it("never prints the SDK's multi-line warning; tandem's one line says the keys are not used", async () => {
    isolateConfig();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVKEYEXAMPLE01');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const printed: string[] = [];
    const keep = (...parts: unknown[]) => {
      printed.push(parts.map(String).join(' '));
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(keep);
    const log = vi.spyOn(console, 'log').mockImplementation(keep);
    const error = vi.spyOn(console, 'error').mockImplementation(keep);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      keep(chunk);
      return true;
    });
    try {
      const {openCloud} = await import('../../source/aws/index.js');
      const opened = await openCloud({flags: {profile: 'nosuch', color: false, yes: false, dryRun: false, force: false, keep: false}, env: {}});
      expect(opened.cloud).toBeNull();
      expect(opened.cloud ? '' : opened.reason).toBe(
        'no AWS credentials found for profile "nosuch" (the keys in AWS_ACCESS_KEY_ID are not used when a profile is named); run `aws configure`, pass --profile NAME, or set AWS_PROFILE',
      );
    } finally {
      for (const spy of [warn, log, error, stderr]) spy.mockRestore();
    }
    expect(printed.join('\n')).not.toMatch(/WARNING|Multiple credential sources/);
  });
});
