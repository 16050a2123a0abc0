// Turns whatever the SDK throws into {code, message} a person can act on. AWS error codes are
// kept verbatim (operators search for them); credential problems get a sentence naming the fix.
import {TandemError, brandFor} from '../tandem-error.js';

export interface AwsErrorInfo {
  code: string;
  message: string;
}

const CREDENTIAL_HINT = 'run `aws configure`, pass --profile, or set AWS_PROFILE';

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const record = error as {Code?: unknown; code?: unknown; name?: unknown; $metadata?: {httpStatusCode?: number}};
    if (typeof record.Code === 'string' && record.Code) return record.Code;
    if (typeof record.name === 'string' && record.name && record.name !== 'Error' && record.name !== 'TypeError') return record.name;
    if (typeof record.code === 'string' && record.code) return record.code;
    // An endpoint that answered without an AWS error body still has a status worth showing.
    const status = record.$metadata?.httpStatusCode;
    if (status) return `HTTP${status}`;
  }
  return 'Error';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && typeof (error as {message?: unknown}).message === 'string') {
    return (error as {message: string}).message;
  }
  return String(error);
}

export function isCredentialsMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'CredentialsProviderError' || /could not load credentials|credential.*not.*found/i.test(errorMessage(error));
}

export function isCredentialsExpired(error: unknown): boolean {
  const code = errorCode(error);
  return (
    code === 'ExpiredToken' ||
    code === 'ExpiredTokenException' ||
    code === 'RequestExpired' ||
    code === 'TokenRefreshRequired' ||
    /token.*(has )?expired|credentials.*expired|sso session.*expired/i.test(errorMessage(error))
  );
}

/** The message a person reads: one line, and no SDK parser noise when the answer was not AWS's. */
export function readableMessage(error: unknown): string {
  const raw = errorMessage(error);
  if (/deserialization error|xml parse error|unexpected token/i.test(raw)) {
    const status = (error as {$metadata?: {httpStatusCode?: number}} | undefined)?.$metadata?.httpStatusCode;
    return `the endpoint answered${status ? ` HTTP ${status}` : ''} with something that is not an AWS response`;
  }
  return raw.replace(/\s+/g, ' ').trim();
}

/**
 * {code, message} for events and the journal; never includes request bodies or stacks. A credential
 * problem says its fix in the message itself (events and the journal carry no next steps).
 */
export function describeAwsError(error: unknown): AwsErrorInfo {
  const {code, message, next} = classifyAwsError(error);
  const credentials = isCredentialsMissing(error) || isCredentialsExpired(error);
  return {code, message: credentials ? [message, ...next].join('; ') : message};
}

/** True when the endpoint sent an HTTP answer (an AWS error included), false for silence or no connection. */
export function answered(error: unknown): boolean {
  const status = (error as {$metadata?: {httpStatusCode?: number}} | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status > 0;
}

/**
 * The call got no AWS answer: the connection failed or timed out, or the endpoint answered 5xx or
 * something that is not an AWS response. Unlike a refusal (denied, not found), it says nothing
 * about the account, so a check that ended this way did not happen.
 */
export function isEndpointFailure(error: unknown): boolean {
  if (isCredentialsMissing(error) || isCredentialsExpired(error)) return false;
  const status = (error as {$metadata?: {httpStatusCode?: unknown}} | undefined)?.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  const code = errorCode(error);
  if (/^(E[A-Z_]+|TimeoutError|RequestTimeout|NetworkingError|SyntaxError|HTTP5\d\d|InternalError|InternalFailure|ServiceUnavailable)$/.test(code)) return true;
  if (typeof status === 'number') return false;
  return /socket hang up|ECONN|ENOTFOUND|EAI_AGAIN|timed out|not an AWS response|deserialization error/i.test(errorMessage(error));
}

/**
 * True for what the SDK throws: a service's answer (it carries `$metadata`, or `$fault`) or a
 * credential chain that found nothing usable. source/errors.ts asks this before anything else.
 */
export function isAwsError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const record = error as {$metadata?: unknown; $fault?: unknown; name?: unknown};
  if (typeof record.$metadata === 'object' && record.$metadata !== null) return true;
  if (record.$fault === 'client' || record.$fault === 'server') return true;
  return record.name === 'CredentialsProviderError' || isCredentialsMissing(error) || isCredentialsExpired(error);
}

const DENIED = /^(UnauthorizedOperation|AccessDenied(Exception)?|AuthFailure|.*NotAuthorized.*)$/;
const THROTTLED = /^(Throttling(Exception)?|RequestLimitExceeded|TooManyRequestsException|SlowDown)$/;
const EXPIRED = /^(ExpiredToken(Exception)?|RequestExpired|TokenRefreshRequired)$/;
const UNANSWERED = /^(E[A-Z_]+|TimeoutError|RequestTimeout|NetworkingError|HTTP5\d\d|InternalError|InternalFailure|ServiceUnavailable)$/;

/** What to do when no AWS answer came back (the network, or the endpoint tandem was pointed at). */
export const CHECK_THE_NETWORK = 'check the network, and --endpoint-url or AWS_ENDPOINT_URL if one is set, then run again';

const NEXT = {
  credentials: CREDENTIAL_HINT,
  expired: `refresh them (for SSO: aws sso login) or ${CREDENTIAL_HINT}`,
  denied: 'ask for the permission this call needs; tandem launch PROFILE --dry-run lists every call a launch makes and whether it is allowed',
  throttled: 'AWS is limiting the rate of calls: wait a minute and run again',
  unanswered: CHECK_THE_NETWORK,
};

/**
 * What the operator can do about an error known only by its code (an event's `code`, as the JSON
 * output carries it): one sentence each, none when the message says it all.
 */
export function nextStepsForCode(code: string): string[] {
  if (code === 'NoCredentials' || code === 'CredentialsProviderError') return [NEXT.credentials];
  if (EXPIRED.test(code)) return [NEXT.expired];
  if (DENIED.test(code)) return [NEXT.denied];
  if (THROTTLED.test(code)) return [NEXT.throttled];
  if (UNANSWERED.test(code)) return [NEXT.unanswered];
  return [];
}

/** What the operator can do about an AWS error, one sentence each (none when the message says it all). */
export function awsNextSteps(error: unknown): string[] {
  if (isCredentialsMissing(error)) return [NEXT.credentials];
  if (isCredentialsExpired(error)) return [NEXT.expired];
  if (isEndpointFailure(error)) return [NEXT.unanswered];
  return nextStepsForCode(errorCode(error));
}

/** {code, message, next} of an AWS error, the message without the next steps (see describeAwsError). */
export function classifyAwsError(error: unknown): AwsErrorInfo & {next: string[]} {
  const next = awsNextSteps(error);
  if (isCredentialsMissing(error)) return {code: 'NoCredentials', message: 'no AWS credentials found', next};
  if (isCredentialsExpired(error)) return {code: errorCode(error), message: 'your AWS credentials have expired', next};
  const code = errorCode(error);
  return {code, message: readableMessage(error) || code, next};
}

export function noCredentialsMessage(): string {
  return `no AWS credentials found; ${CREDENTIAL_HINT}`;
}

const NOT_FOUND = [
  /\.NotFound$/,
  /^InvalidGroup\.NotFound$/,
  /^NoSuchEntity(Exception)?$/,
  /^NotFoundException$/,
  // CloudWatch Logs: a log group that is not there.
  /^ResourceNotFoundException$/,
  /^InvalidKeyPair\.NotFound$/,
  // Elastic Load Balancing: a load balancer, target group or listener that is not there.
  /^(LoadBalancer|TargetGroup|Listener)NotFound(Exception)?$/,
  /^InvalidHostId\.NotFound$/,
  // Route 53: a zone that is not there, or a record DELETE found missing (route53.ts).
  /^(NoSuchHostedZone|ResourceRecordSetNotFound)$/,
  /^InvalidAllocationID\.NotFound$/,
  // AWS Backup answers a missing vault, plan or selection this way.
  /^ResourceNotFoundException$/,
];

/** Errors that mean "already gone", so deleting twice is not a failure. */
export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  if (NOT_FOUND.some((pattern) => pattern.test(code))) return true;
  // KMS answers a deleted or pending-deletion key with KMSInvalidStateException.
  if (code === 'KMSInvalidStateException' && /pending deletion|is pending|PendingDeletion/i.test(errorMessage(error))) {
    return true;
  }
  return false;
}

export class StepError extends TandemError {
  static override readonly brand = brandFor('StepError');
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * A failed read (discovery, verification) with the operation that failed, so the UI can show
 * "why" in place and the operator can still type an id or choose "create new".
 */
export class AwsCallError extends TandemError {
  static override readonly brand = brandFor('AwsCallError');
  constructor(
    /** The API operation that failed, e.g. 'DescribeVpcs'. */
    readonly operation: string,
    /** The AWS error code, verbatim (operators search for it), or HTTP<status> when there is none. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    // describeError() in source/errors.ts prints name as the code.
    this.name = code;
  }
}

export function toAwsCallError(operation: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  return new AwsCallError(operation, errorCode(error), readableMessage(error) || 'no message');
}

/** Runs one AWS call (or a short sequence) and rethrows any failure as an AwsCallError. */
export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAwsCallError(operation, error);
  }
}
