// Errors from discovery and verification carry the AWS error code and message, so the UI can show
// "why" in place (e.g. "AccessDenied: ... not authorized to perform ec2:DescribeVpcs") and the
// operator can still type an id or choose "create new".

export class AwsCallError extends Error {
  constructor(
    /** The API operation that failed, e.g. 'DescribeVpcs'. */
    readonly operation: string,
    /** The AWS error code, verbatim (operators search for it), or HTTP <status> when there is none. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    // describeError() in source/errors.ts prints name as the code.
    this.name = code;
  }
}

interface SdkErrorShape {
  name?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: {httpStatusCode?: number};
}

export function awsErrorCode(error: unknown): string {
  const shape = (error ?? {}) as SdkErrorShape;
  if (typeof shape.Code === 'string' && shape.Code) return shape.Code;
  if (typeof shape.name === 'string' && shape.name && shape.name !== 'Error' && shape.name !== 'TypeError') return shape.name;
  const status = shape.$metadata?.httpStatusCode;
  return status ? `HTTP${status}` : 'Error';
}

export function awsErrorMessage(error: unknown): string {
  const shape = (error ?? {}) as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  const raw = typeof shape.message === 'string' ? shape.message : String(error);
  // The SDK's own parse failure (an endpoint answering with an HTML page) is noise to a person.
  if (/deserialization error|xml parse error|unexpected token/i.test(raw)) {
    return `the endpoint answered${status ? ` HTTP ${status}` : ''} with something that is not an AWS response`;
  }
  return raw.replace(/\s+/g, ' ').trim() || 'no message';
}

export function toAwsCallError(operation: string, error: unknown): AwsCallError {
  if (error instanceof AwsCallError) return error;
  return new AwsCallError(operation, awsErrorCode(error), awsErrorMessage(error));
}

/** Runs one AWS call (or a short sequence) and rethrows any failure as an AwsCallError. */
export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAwsCallError(operation, error);
  }
}

/** Runs fn over items with at most `limit` calls in flight (per-item lookups on big accounts). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}
