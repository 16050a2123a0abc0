// `npm run bench`: bundles the benchmark (TypeScript that imports source/aws and test/support)
// into .bench/ with esbuild, then runs it. npm packages stay external and load from node_modules.
// The Ink hello-world baseline is bundled into .bench/ink-hello/ exactly as tandem is into dist/.
import {build} from 'esbuild';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bundle} from '../scripts/bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await bundle(path.join(root, 'bench', 'ink-hello.tsx'), path.join(root, '.bench', 'ink-hello'));
await build({
  entryPoints: [path.join(root, 'bench', 'main.ts')],
  // Two levels down, like test/support/*.ts in the source tree, so their paths to the checkout hold.
  outfile: path.join(root, '.bench', 'bench', 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
// A child process, so a crash still leaves this wrapper to report the exit code.
const result = spawnSync(process.execPath, [path.join(root, '.bench', 'bench', 'main.js'), ...process.argv.slice(2)], {stdio: 'inherit', cwd: root});
process.exit(result.status ?? 1);
