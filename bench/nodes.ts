// The Node versions the benchmark measures the interactive rows on: the one running it (the
// machine's) and Node 24 LTS from .moto/node24 (scripts/moto-setup.mjs, which npm run bench runs).
import {execFileSync} from 'node:child_process';
import {existsSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './terminal.js';

export interface NodeBinary {
  /** "Node 20.20.2" */
  label: string;
  path: string;
  version: string;
  major: number;
}

function describe(file: string): NodeBinary {
  const version = execFileSync(file, ['--version'], {encoding: 'utf8'}).trim().replace(/^v/, '');
  return {label: `Node ${version}`, path: file, version, major: Number(version.split('.')[0])};
}

export function nodesUnderTest(): NodeBinary[] {
  const node24 = path.join(ROOT, '.moto', 'node24', 'bin', 'node');
  if (!existsSync(node24)) throw new Error(`Node 24 is not installed at ${node24}; run "node scripts/moto-setup.mjs"`);
  const paths = [process.execPath, node24].map((file) => realpathSync(file));
  return [...new Set(paths)].map(describe);
}
