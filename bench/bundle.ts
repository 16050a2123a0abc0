// Reads the shipped bundle (dist/) as it is: which chunks dist/cli.js imports statically, and
// which bundled modules each chunk holds (esbuild writes a "// path" comment before each one).
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {CLI} from './terminal.js';

const STATIC_IMPORT = /^(?:import|export)\s(?:[^;"']*?\sfrom\s*)?["'](\.{1,2}\/[^"']+)["']/gm;
const MODULE_COMMENT = /^\/\/ ((?:node_modules|source)\/\S+|cli\.tsx)$/gm;

export function modulesIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...new Set([...text.matchAll(MODULE_COMMENT)].map((match) => match[1]))];
}

export const isSdkModule = (module: string) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(module);

/** Every file reachable from dist/cli.js through static imports (dynamic import() excluded). */
export function staticGraph(entry: string = CLI): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(STATIC_IMPORT)) visit(path.resolve(path.dirname(file), match[1]));
  };
  visit(entry);
  return [...seen];
}

export interface StaticReport {
  files: string[];
  modules: number;
  sdkModules: string[];
}

export function staticReport(): StaticReport {
  const files = staticGraph();
  const modules = files.flatMap((file) => modulesIn(file));
  return {files: files.map((file) => path.relative(path.dirname(CLI), file)), modules: modules.length, sdkModules: modules.filter(isSdkModule)};
}
