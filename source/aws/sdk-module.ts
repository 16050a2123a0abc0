// The SDK packages are CommonJS. Node's own `import()` exposes their named exports, but the
// esbuild bundle (dist/, code-split) exposes only `default`. Every lazily imported SDK module goes
// through this so the same code works from source, in tests and in the installed binary.
export function sdkModule<T extends object>(loaded: T): T {
  const fallback = (loaded as {default?: unknown}).default;
  if (fallback && typeof fallback === 'object') return {...(fallback as object), ...loaded} as T;
  return loaded;
}
