// The one describer (source/errors.ts): every kind of thrown thing becomes a code, a message and
// next steps, the same for the CLI, the JSON output and the TUI.
import {describe as group, expect, it} from 'vitest';
import {AwsCallError, StepError} from '../source/aws/errors.js';
import {KeyFileError} from '../source/aws/key-file.js';
import {InstanceGone} from '../source/domain/cloud.js';
import {cliErrorText, describe, describeError} from '../source/errors.js';
import {UsageError} from '../source/exit.js';
import {ProfileFileError} from '../source/store/profile-file.js';

/** What the SDK throws for a service error: the code as name, and the response's metadata. */
function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {name, $fault: status >= 500 ? 'server' : 'client', $metadata: {httpStatusCode: status, requestId: 'r-1'}});
}

function systemError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), {code, errno: -13, syscall: 'open'});
}

group('the describer', () => {
  it("tandem's own errors: a stable tandem code, the message, and the next steps they carry", () => {
    expect(describe(new UsageError('--output must be json or text'))).toEqual({code: 'usage', message: '--output must be json or text', next: [], source: 'tandem'});
    expect(describe(new ProfileFileError(['p.yaml:2:3 region: unknown'])).code).toBe('usage');
    expect(describe(new InstanceGone('i-1', 'terminated'))).toMatchObject({code: 'instance-gone', message: 'instance i-1 is terminated', source: 'tandem'});
    const told = new UsageError('no launch l-1', {next: ['tandem launches lists the launches recorded here']});
    expect(describe(told).next).toEqual(['tandem launches lists the launches recorded here']);
  });

  it('a tandem error carrying a code of its own keeps it: the key file, a failed step, a failed read', () => {
    expect(describe(new KeyFileError('KeyFileExists', '/k.pem exists'))).toMatchObject({code: 'KeyFileExists', source: 'tandem'});
    expect(describe(new StepError('UnauthorizedOperation', 'You are not authorized'))).toMatchObject({code: 'UnauthorizedOperation', source: 'aws'});
    const read = describe(new AwsCallError('DescribeVpcs', 'AccessDenied', 'not allowed'));
    expect(read).toMatchObject({code: 'AccessDenied', message: 'not allowed', source: 'aws'});
    expect(read.next.join(' ')).toMatch(/permission/);
  });

  it('AWS SDK errors: the code verbatim, the message on one line, next steps by kind', () => {
    const denied = describe(awsError('UnauthorizedOperation', 'You are not\n authorized to perform this operation.'));
    expect(denied).toMatchObject({code: 'UnauthorizedOperation', message: 'You are not authorized to perform this operation.', source: 'aws'});
    expect(denied.next[0]).toMatch(/--dry-run/);
    expect(describe(awsError('RequestLimitExceeded', 'slow down')).next[0]).toMatch(/wait a minute/);
    expect(describe(awsError('InternalError', 'oops', 500)).next[0]).toMatch(/--endpoint-url/);
    expect(describe(awsError('InvalidVpcID.NotFound', 'gone')).next).toEqual([]);
  });

  it('AWS SDK errors: an answer that is not AWS XML is named by its HTTP status, without parser noise', () => {
    const garbled = Object.assign(new Error('Deserialization error: to see the raw response, inspect the hidden field'), {$metadata: {httpStatusCode: 502}});
    expect(describe(garbled)).toMatchObject({code: 'HTTP502', message: 'the endpoint answered HTTP 502 with something that is not an AWS response', source: 'aws'});
  });

  it('no credentials or expired ones: a code, a plain message, and what to run as the next step', () => {
    const missing = describe(Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}));
    expect(missing).toEqual({code: 'NoCredentials', message: 'no AWS credentials found', next: ['run `aws configure`, pass --profile, or set AWS_PROFILE'], source: 'aws'});
    const expired = describe(awsError('ExpiredToken', 'The security token included in the request is expired'));
    expect(expired).toMatchObject({code: 'ExpiredToken', message: 'your AWS credentials have expired', source: 'aws'});
    expect(expired.next[0]).toMatch(/aws sso login/);
  });

  it('Node system errors: the errno code, the message without it, and what to do about the file system', () => {
    expect(describe(systemError('EACCES', "permission denied, open '/home/me/.tandem/launches/l-1.json'"))).toEqual({
      code: 'EACCES',
      message: "permission denied, open '/home/me/.tandem/launches/l-1.json'",
      next: ['check the permissions of the file or folder named above (TANDEM_HOME moves where tandem keeps its state)'],
      source: 'system',
    });
    expect(describe(systemError('ENOSPC', 'no space left on device, write')).next).toEqual(['free some disk space and run again']);
    expect(describe(systemError('ENOENT', "no such file or directory, open 'x'")).next).toEqual([]);
  });

  it('anything else: an unexpected error keeps its class name as the code; a thrown non-error is "unexpected"', () => {
    expect(describe(new TypeError("Cannot read properties of undefined (reading 'id')"))).toEqual({
      code: 'TypeError',
      message: "Cannot read properties of undefined (reading 'id')",
      next: [],
      source: 'unknown',
    });
    expect(describe(new Error('boom'))).toEqual({code: 'unexpected', message: 'boom', next: [], source: 'unknown'});
    expect(describe('a string')).toEqual({code: 'unexpected', message: 'a string', next: [], source: 'unknown'});
    expect(describe(undefined)).toMatchObject({code: 'unexpected', message: 'undefined'});
  });
});

group('the describer as text', () => {
  it("shows AWS's and Node's codes before the message, not tandem's own", () => {
    expect(describeError(new StepError('DependencyViolation', 'in use'))).toBe('DependencyViolation: in use');
    expect(describeError(systemError('ENOENT', "no such file or directory, open 'x'"))).toBe("ENOENT: no such file or directory, open 'x'");
    expect(describeError(new UsageError('bad flag'))).toBe('bad flag');
    expect(describeError(new Error('boom'))).toBe('boom');
  });

  it('the CLI prints the next steps indented under the message, inert', () => {
    const text = cliErrorText(awsError('UnauthorizedOperation', 'denied for role \u001b[2Jadmin'));
    expect(text).toBe(
      'tandem: UnauthorizedOperation: denied for role \\x1b[2Jadmin\n  next: ask for the permission this call needs; tandem launch PROFILE --dry-run lists every call a launch makes and whether it is allowed',
    );
  });
});

group('next steps by code alone (what the JSON events carry)', () => {
  it('credentials, permissions, throttling and an endpoint that did not answer each get one; the rest none', async () => {
    const {nextStepsForCode} = await import('../source/aws/errors.js');
    expect(nextStepsForCode('NoCredentials')[0]).toMatch(/aws configure/);
    expect(nextStepsForCode('ExpiredTokenException')[0]).toMatch(/aws sso login/);
    expect(nextStepsForCode('UnauthorizedOperation')[0]).toMatch(/--dry-run/);
    expect(nextStepsForCode('AccessDeniedException')[0]).toMatch(/permission/);
    expect(nextStepsForCode('RequestLimitExceeded')[0]).toMatch(/wait a minute/);
    expect(nextStepsForCode('HTTP503')[0]).toMatch(/--endpoint-url/);
    expect(nextStepsForCode('DependencyViolation')).toEqual([]);
    expect(nextStepsForCode('Interrupted')).toEqual([]);
  });
});
