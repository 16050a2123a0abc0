// One line a person can act on, for any error: AWS errors keep their code, nothing prints a stack.
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as {name?: string; Code?: string}).Code ?? error.name;
    const generic = !code || code === 'Error' || code === 'UsageError';
    return generic ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}
