// Bundles cli.tsx into dist/ so the installed `tandem` starts fast: one small file for the first
// frame, with the AWS SDK split into chunks that load only when a command needs them.
//
// The interactive launch (source/commands/launch-interactive.ts and all it imports: Ink, React,
// the screens, the domain) is bundled on its own into dist/chunks/interactive.js. In the main
// bundle esbuild would cut it into some thirty small chunks, one per set of commands sharing a
// module, and the first frame would load each one. What the wizard loads from the main bundle
// (the AWS adapter, first contact, the profile store, a profile given as argument, and the exit
// codes with UsageError, which cli.tsx checks with instanceof) is written there under fixed names
// (dist/chunks/main-*.js). The wizard's copy of the domain and store modules is its own; that is
// safe because those modules keep no state, and the build fails if a class of tandem's would be
// copied into the wizard's bundle.
//
// The wizard's bundle is then rewritten as a classic script (scripts/classic-script.mjs) and
// loaded by source/script-cache.ts, which keeps V8's compiled code for it between runs: about
// 20 ms of the first frame on Node 20 and Node 24 alike (README, issue 14).
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundle, bundleBeside, importedFromElsewhere, loadedAsScript} from './bundle.mjs';
import {toClassicScript} from './classic-script.mjs';

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
  // commands/launch.ts, a chunk in dist/chunks/, loads the wizard's script from beside it.
  plugins: [loadedAsScript(source('commands/launch-interactive'), {file: './interactive.js', exports: ['runWizard'], loader: source('script-cache.ts')})],
});
const wizard = await bundleBeside(source('commands/launch-interactive.ts'), path.join(root, 'dist', 'chunks'), 'interactive', {
  plugins: [importedFromElsewhere(Object.fromEntries(FROM_MAIN.map(([module, name]) => [source(module), `./${name}.js`])))],
});
// A class of tandem's in the wizard's bundle is a second class of that name: an error of it thrown
// back to cli.tsx would fail its instanceof (UsageError's exit code 2). Keep classes out of it.
const written = Object.keys(wizard.metafile.outputs).map((file) => readFileSync(path.join(root, file), 'utf8')).join('\n');
const classes = Object.keys(wizard.metafile.inputs)
  .filter((file) => file.startsWith('source/'))
  .flatMap((file) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/^export class (\w+)/gm)].map((match) => match[1]))
  .filter((name) => new RegExp(`\\b(class ${name}\\b|${name} = class\\b)`).test(written));
if (classes.length > 0) throw new Error(`build: the wizard's bundle would have its own ${classes.join(', ')}; import it from the main bundle (FROM_MAIN)`);
const script = path.join(root, 'dist', 'chunks', 'interactive.js');
writeFileSync(script, toClassicScript(readFileSync(script, 'utf8')).text);
