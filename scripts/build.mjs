// Bundles cli.tsx into dist/ so the installed `tandem` starts fast: one file for the first
// frame, with the AWS SDK split into chunks that load only when a command needs them.
import {build} from 'esbuild';
import {chmodSync, rmSync} from 'node:fs';

rmSync('dist', {recursive: true, force: true});
await build({
  entryPoints: {cli: 'cli.tsx'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // Prefer each package's ESM build: esbuild's CommonJS interop in split chunks exposes only
  // `default` from a dynamic import, which hides the AWS SDK's named exports.
  mainFields: ['module', 'main'],
  target: 'node20',
  jsx: 'automatic',
  chunkNames: 'chunks/[name]-[hash]',
  // Ink only loads react-devtools-core when DEV=true; it is not a dependency.
  external: ['react-devtools-core'],
  define: {'process.env.NODE_ENV': '"production"'},
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import {createRequire as __tandemCreateRequire} from 'node:module';",
      'const require = __tandemCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
