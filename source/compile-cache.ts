// Node's compile cache (Node 22.1 and later): the bytecode of every ES module chunk tandem loads
// after this call (the command chunks, and the AWS SDK's for the commands that need it) is kept on
// disk, in Node's default folder under the OS temp dir, and reused by the next start. The wizard
// is not among them: it is a classic script with a code cache of its own (script-cache.ts). Node
// 20 has no such cache; there this does nothing. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as
// for any Node program.
import module from 'node:module';

export function enableCompileCache(): void {
  (module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
}
