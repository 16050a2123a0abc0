// V8's compile cache (Node 22.1 and later): the bytecode of every chunk tandem loads after this
// call is kept on disk (in Node's default folder under the OS temp dir) and reused by the next
// start, which then skips parsing and compiling most of Ink, React and the wizard before the first
// frame. Node 20 has no such cache; there this does nothing. NODE_DISABLE_COMPILE_CACHE=1 turns
// it off, as for any Node program.
import module from 'node:module';

export function enableCompileCache(): void {
  (module as {enableCompileCache?: () => unknown}).enableCompileCache?.();
}
