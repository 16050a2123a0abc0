// How tandem is bundled for a fast start, shared by `npm run build` (cli.tsx → dist/) and the
// benchmark, which builds its Ink hello-world baseline the same way so the two compare fairly:
// esbuild ESM with code splitting, production React, and yoga without fetch.
import {build} from 'esbuild';
import {chmodSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';

// Ink's layout engine (yoga) ships its WebAssembly inline as base64 and, when a global fetch
// exists, loads it through fetch('data:...'). In Node 20 merely asking `typeof fetch` loads the
// undici HTTP client: ~35 ms before the first frame, for nothing. Tell it there is no fetch so it
// decodes the inline bytes directly, as it does wherever fetch is missing.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(build) {
    build.onLoad({filter: /yoga-wasm-base64-esm\.js$/}, ({path: file}) => {
      const source = readFileSync(file, 'utf8');
      const patched = source.replaceAll('"function"!=typeof fetch', 'true');
      if (patched === source) console.warn('build: yoga no longer checks fetch this way; first frame may be slower');
      return {contents: patched, loader: 'js'};
    });
  },
};

// What every bundle shares: ESM for Node 20, each package's ESM build, production React, yoga
// without fetch, and a `require` for the CommonJS that Ink's dependencies still use.
function shared(plugins) {
  return {
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // Prefer each package's ESM build: esbuild's CommonJS interop in split chunks exposes only
    // `default` from a dynamic import, which hides the AWS SDK's named exports.
    mainFields: ['module', 'main'],
    target: 'node20',
    jsx: 'automatic',
    // Ink only loads react-devtools-core when DEV=true; it is not a dependency.
    external: ['react-devtools-core'],
    define: {'process.env.NODE_ENV': '"production"'},
    banner: {
      js: ['#!/usr/bin/env node', "import {createRequire as __tandemCreateRequire} from 'node:module';", 'const require = __tandemCreateRequire(import.meta.url);'].join('\n'),
    },
    plugins: [yogaWithoutFetch, ...plugins],
    metafile: true,
    logLevel: 'warning',
  };
}

/**
 * Bundles `entry` into `outdir` as `cli.js` (executable) plus chunks/, replacing what was there.
 * `entryPoints` adds entries with fixed names (for another bundle to import); `plugins` are added.
 */
export async function bundle(entry, outdir, {entryPoints = {}, plugins = []} = {}) {
  rmSync(outdir, {recursive: true, force: true});
  const result = await build({...shared(plugins), entryPoints: {cli: entry, ...entryPoints}, outdir, chunkNames: 'chunks/[name]-[hash]'});
  chmodSync(path.join(outdir, 'cli.js'), 0o755);
  return result;
}

/** Bundles `entry` into `outdir` as `name`.js beside what is there; its own chunks are named after it. */
export async function bundleBeside(entry, outdir, name, {plugins = []} = {}) {
  return build({...shared(plugins), entryPoints: {[name]: entry}, outdir, chunkNames: `${name}-[name]-[hash]`});
}

/** The source file a relative import names: absolute, without its .js extension. */
const importedFile = (specifier, importer) => path.resolve(path.dirname(importer), specifier).replace(/\.js$/, '');

/**
 * An esbuild plugin: each import of a source file in `files` (absolute path without extension →
 * specifier) stays an import of that specifier, a file another bundle writes, instead of being
 * bundled here.
 */
export function importedFromElsewhere(files) {
  return {
    name: 'imported-from-elsewhere',
    setup(build) {
      build.onResolve({filter: /^\./}, ({path: specifier, importer}) => {
        const target = files[importedFile(specifier, importer)];
        return target ? {path: target, external: true} : undefined;
      });
    },
  };
}
