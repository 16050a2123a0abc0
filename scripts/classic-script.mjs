// Turns an esbuild ESM bundle into a classic script, so that V8 can keep its compiled code between
// runs on every Node version (source/script-cache.ts loads it). Node 20 caches no ES module's code,
// and Node's own cache for modules (Node 22 and later) saves less than V8's cache of a script run
// to its first frame. A classic script has no import, export or top-level await, so:
//
//   import X, {a, b as c} from "m";   →  const X = __tandemModules["m"].default; const {a, b: c} = …;
//   import("m")                       →  __tandemImport("m")
//   import.meta.url                   →  __tandemUrl
//   export {x, y as z};               →  return {x, z: y};
//
// and the whole bundle becomes the body of one async function, where top-level await (Ink and
// yoga use it) is plain await. The imports are gathered at the top, as an ES module binds them
// before it runs. The first line names them for the loader, with a hash that keys the cache:
//
//   // tandem-script {"hash":"…","imports":["node:fs","./interactive-chunk-….js",…]}
//
// esbuild writes import and export statements in a few fixed shapes; anything this does not
// understand fails the build rather than the user's first run.
import {createHash} from 'node:crypto';
import vm from 'node:vm';

export const HEADER = '// tandem-script ';
const MODULES = '__tandemModules';
const IMPORT = '__tandemImport';
const URL_PARAM = '__tandemUrl';

// One static import statement, at the start of a line, possibly over several lines.
const STATIC_IMPORT = /^import\s*(?:([\w$]+)\s*,?\s*)?(?:\*\s*as\s+([\w$]+)\s*)?(?:\{([^}]*)\}\s*)?(?:from\s*)?(["'])([^"'\n]+)\4;?[ \t]*\n/gm;
const DYNAMIC_IMPORT = /\bimport\((["'])([^"'\n]+)\1\)/g;
const EXPORTS = /^export\s*\{([^}]*)\};?[ \t]*$/m;

const names = (list) => list.split(',').map((name) => name.trim()).filter(Boolean);
/** `a as b` → `[a, b]`; `a` → `[a, a]`. */
const renamed = (name) => {
  const [from, to = from] = name.split(/\s+as\s+/);
  return [from, to];
};

/** `{ESM text}` → `{text, imports}`: the script with its header line, and what it imports. */
export function toClassicScript(esm) {
  for (const name of [MODULES, IMPORT, URL_PARAM]) {
    if (esm.includes(name)) throw new Error(`classic script: the bundle already uses the name ${name}`);
  }
  const imports = [];
  const bindings = [];
  let body = esm.replace(/^#!.*\n/, '').replace(STATIC_IMPORT, (_all, fallback, namespace, named, _quote, specifier) => {
    if (!imports.includes(specifier)) imports.push(specifier);
    const module = `${MODULES}[${JSON.stringify(specifier)}]`;
    if (fallback) bindings.push(`const ${fallback} = ${module}.default;`);
    if (namespace) bindings.push(`const ${namespace} = ${module};`);
    if (named !== undefined && names(named).length > 0) {
      bindings.push(`const {${names(named).map((name) => renamed(name).join(': ')).join(', ')}} = ${module};`);
    }
    return '';
  });
  body = body.replace(DYNAMIC_IMPORT, (_all, _quote, specifier) => `${IMPORT}(${JSON.stringify(specifier)})`);
  body = body.replaceAll('import.meta.url', URL_PARAM);
  let exported = false;
  body = body.replace(EXPORTS, (_all, list) => {
    exported = true;
    return `return {${names(list).map((name) => renamed(name).reverse().join(': ')).join(', ')}};`;
  });
  if (!exported) throw new Error('classic script: the bundle has no export statement');
  const left = /^(?:import|export)\s.*$|\bimport\s*\(|\bimport\.meta\b/m.exec(body);
  if (left) throw new Error(`classic script: cannot turn this into a script: ${left[0].slice(0, 120)}`);
  const script = `(async function (${MODULES}, ${IMPORT}, ${URL_PARAM}) {\n"use strict";\n${bindings.join('\n')}\n${body}\n})`;
  // Read back as Latin-1 and compiled as one-byte text, it must be ASCII (esbuild escapes strings;
  // a character in a regular expression or a kept comment would slip through).
  const wide = /[\u0080-\uFFFF]/.exec(script);
  if (wide) throw new Error(`classic script: non-ASCII character ${JSON.stringify(wide[0])} near ${JSON.stringify(script.slice(Math.max(0, wide.index - 60), wide.index + 20))}`);
  new vm.Script(script, {filename: 'classic-script-check.js'});
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  return {text: `${HEADER}${JSON.stringify({hash, imports})}\n${script}\n`, imports};
}
