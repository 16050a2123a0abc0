// The build's rewrite of an ES module bundle into a classic script (scripts/classic-script.mjs):
// each shape of import and export esbuild writes, and the refusals that keep a bundle it does not
// understand from reaching a user.
import vm from 'node:vm';
import {describe, expect, it} from 'vitest';
import {HEADER, toClassicScript} from '../scripts/classic-script.mjs';

type Factory = (modules: Record<string, unknown>, load: (specifier: string) => Promise<unknown>, url: string) => Promise<Record<string, unknown>>;

/** Runs a converted bundle with the given modules, as source/script-cache.ts does. */
async function run(esm: string, modules: Record<string, unknown>, load: (specifier: string) => Promise<unknown> = async () => ({})) {
  const {text, imports} = toClassicScript(esm);
  const factory = new vm.Script(text).runInThisContext() as Factory;
  return {exports: await factory(modules, load, 'file:///opt/tandem/dist/chunks/x.js'), imports, text};
}

describe('toClassicScript', () => {
  it('binds every shape of static import, in one place, before the code runs', async () => {
    const esm = [
      '#!/usr/bin/env node',
      "import {createRequire as make} from 'node:module';",
      'import fs from "node:fs";',
      'import * as path from "node:path";',
      'import def, { a, b as c } from "./chunk-A.js";',
      'import {',
      '  d,',
      '  e as f',
      '} from "./chunk-B.js";',
      'import "./side-effect.js";',
      'const early = () => [a, c, d, f];',
      'export {',
      '  early,',
      '  def as main',
      '};',
    ].join('\n');
    const modules = {
      'node:module': {createRequire: 1},
      'node:fs': {default: 'fs'},
      'node:path': {join: 'join'},
      './chunk-A.js': {default: 'default-a', a: 'a', b: 'b'},
      './chunk-B.js': {d: 'd', e: 'e'},
      './side-effect.js': {},
    };
    const {exports, imports, text} = await run(esm, modules);
    expect(imports).toEqual(['node:module', 'node:fs', 'node:path', './chunk-A.js', './chunk-B.js', './side-effect.js']);
    expect(exports.main).toBe('default-a');
    expect((exports.early as () => string[])()).toEqual(['a', 'b', 'd', 'e']);
    expect(text.startsWith(HEADER)).toBe(true);
    expect(JSON.parse(text.slice(HEADER.length, text.indexOf('\n')))).toEqual({hash: expect.stringMatching(/^[0-9a-f]{16}$/), imports});
  });

  it('turns import(), import.meta.url and top-level await into what a function can hold', async () => {
    const esm = ['const url = import.meta.url;', 'const loaded = await import("./later.js");', 'const value = loaded.value;', 'export { url, value };'].join('\n');
    const asked: string[] = [];
    const {exports} = await run(esm, {}, async (specifier) => {
      asked.push(specifier);
      return {value: 42};
    });
    expect(asked).toEqual(['./later.js']);
    expect(exports).toEqual({url: 'file:///opt/tandem/dist/chunks/x.js', value: 42});
  });

  it('runs the bundle in strict mode, as an ES module runs', async () => {
    await expect(run('undeclared = 1;\nexport { undeclared };', {})).rejects.toThrow(/undeclared is not defined/);
  });

  it('refuses what it cannot rewrite, at build time', () => {
    expect(() => toClassicScript('const x = 1;')).toThrow(/no export statement/);
    expect(() => toClassicScript('const m = await import(name);\nexport { m };')).toThrow(/cannot turn this into a script: .*import\s*\(/);
    expect(() => toClassicScript('const d = import.meta.dirname;\nexport { d };')).toThrow(/import\.meta/);
    expect(() => toClassicScript('const s = /·/;\nexport { s };')).toThrow(/non-ASCII character "·"/);
    expect(() => toClassicScript('const __tandemImport = 1;\nexport { __tandemImport };')).toThrow(/already uses the name __tandemImport/);
    expect(() => toClassicScript('const broken = ;\nexport { broken };')).toThrow(SyntaxError);
  });

  it('gives a different hash to a different bundle, so an old cache is never offered', () => {
    const hash = (esm: string) => JSON.parse(toClassicScript(esm).text.split('\n')[0]!.slice(HEADER.length)).hash;
    expect(hash('const a = 1;\nexport { a };')).not.toBe(hash('const a = 2;\nexport { a };'));
  });
});
