// Bundles cli.tsx into dist/ so the installed `tandem` starts fast: one small file for the first
// frame, with the AWS SDK split into chunks that load only when a command needs them.
//
// The interactive launch (source/commands/launch-interactive.ts and all it imports: Ink, React,
// the screens, the domain) is bundled on its own into dist/chunks/interactive.js. In the main
// bundle esbuild would cut it into some thirty small chunks, one per set of commands sharing a
// module, and the first frame would load each one. What the wizard loads from the main bundle
// (the AWS adapter, first contact, the profile store, a profile given as argument, and the exit
// codes) is written there under fixed names (dist/chunks/main-*.js). The wizard's copy of the
// domain and store modules is its own; that is safe because those modules keep no state, and
// tandem's error classes answer instanceof by a brand, not by identity (source/tandem-error.ts).
//
// Both are plain esbuild ES module bundles; Node's own compile cache keeps their bytecode between
// runs where Node has one (source/compile-cache.ts).
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundle, bundleBeside, importedFromElsewhere} from './bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = (file) => path.join(root, 'source', file);
// [source module, its fixed name in dist/chunks/]
const FROM_MAIN = [
  ['exit', 'main-exit'],
  ['store/resolve', 'main-resolve'],
  ['store/profiles', 'main-profiles'],
  ['aws/index', 'main-aws'],
  ['aws/first-contact', 'main-first-contact'],
];

await bundle(path.join(root, 'cli.tsx'), path.join(root, 'dist'), {
  entryPoints: Object.fromEntries(FROM_MAIN.map(([module, name]) => [`chunks/${name}`, source(`${module}.ts`)])),
  // commands/launch.ts, a chunk in dist/chunks/, imports the wizard's bundle from beside it.
  plugins: [importedFromElsewhere({[source('commands/launch-interactive')]: './interactive.js'})],
});
await bundleBeside(source('commands/launch-interactive.ts'), path.join(root, 'dist', 'chunks'), 'interactive', {
  plugins: [importedFromElsewhere(Object.fromEntries(FROM_MAIN.map(([module, name]) => [source(module), `./${name}.js`])))],
});
