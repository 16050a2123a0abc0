// Turns whatever the SDK throws into {code, message} a person can act on. AWS error codes are
// kept verbatim (operators search for them); credential problems get a sentence naming the fix.
export interface AwsErrorInfo {
  code: string;
  message: string;
}

const CREDENTIAL_HINT = 'run `aws configure`, pass --profile, or set AWS_PROFILE';

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const record = error as {Code?: unknown; code?: unknown; name?: unknown};
    if (typeof record.Code === 'string' && record.Code) return record.Code;
    if (typeof record.name === 'string' && record.name && record.name !== 'Error') return record.name;
    if (typeof record.code === 'string' && record.code) return record.code;
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
    (code === 'TokenRefreshRequired') ||
    /token.*(has )?expired|credentials.*expired|sso session.*expired/i.test(errorMessage(error))
  );
}

/** {code, message} for events and the journal; never includes request bodies or stacks. */
export function describeAwsError(error: unknown): AwsErrorInfo {
  if (isCredentialsMissing(error)) {
    return {code: 'NoCredentials', message: `no AWS credentials found; ${CREDENTIAL_HINT}`};
  }
  if (isCredentialsExpired(error)) {
    return {
      code: errorCode(error),
      message: `your AWS credentials have expired; refresh them (for SSO: aws sso login) or ${CREDENTIAL_HINT}`,
    };
  }
  const code = errorCode(error);
  const raw = errorMessage(error).replace(/\s+/g, ' ').trim();
  return {code, message: raw || code};
}

export function noCredentialsMessage(): string {
  return `no AWS credentials found; ${CREDENTIAL_HINT}`;
}

const NOT_FOUND = [
  /\.NotFound$/,
  /^InvalidGroup\.NotFound$/,
  /^NoSuchEntity(Exception)?$/,
  /^NotFoundException$/,
  /^InvalidKeyPair\.NotFound$/,
  /^InvalidHostId\.NotFound$/,
  /^InvalidAllocationID\.NotFound$/,
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

export class StepError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}
