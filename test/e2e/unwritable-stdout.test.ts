// The commands whose whole answer is a document on stdout (explain, export, profiles export) must
// not report success when that document could not be written: stdout on /dev/full (every write
// fails with ENOSPC, like a full disk) is exit 1 with one sentence on stderr. A reader that went
// away (a closed pipe, `| head -1`) is still fine. The built binary, so Node's own stdout is used.
import {spawn} from 'node:child_process';
import {closeSync, mkdtempSync, openSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {openProfileStore} from '../../source/store/profiles.js';
import {cleanEnv} from '../support/clean-env.js';

const CLI = path.resolve('dist', 'cli.js');
let home: string;

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'tandem-full-'));
  openProfileStore({env: {TANDEM_HOME: path.join(home, 'tandem')}}).save('shop', defaultSpec());
});
afterAll(() => rmSync(home, {recursive: true, force: true}));

function run(args: string[], stdout: number | 'pipe', closeStdout = false): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {env: cleanEnv(home), stdio: ['ignore', stdout, 'pipe']});
    if (closeStdout) child.stdout?.destroy();
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code: number | null) => resolve({code, stderr}));
  });
}

const COMMANDS: Array<[string, string[]]> = [
  ['explain', ['explain']],
  ['explain', ['explain', '--format', 'json']],
  ['export', ['export', 'shop', '--format', 'cli']],
  ['export', ['export', 'shop', '--format', 'markdown']],
  ['profiles', ['profiles', 'export', 'shop']],
];

describe('a document command with stdout on /dev/full', () => {
  it.each(COMMANDS)('tandem %s exits 1 with one sentence on stderr (%j)', async (command, args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const {code, stderr} = await run(args, full);
      expect(stderr).toBe(`tandem ${command}: could not write the output to stdout: no space left on device (ENOSPC)\n`);
      expect(code).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it.each(COMMANDS)('tandem %s still exits 0 when the reader closed the pipe (%j)', async (_command, args) => {
    const {code, stderr} = await run(args, 'pipe', true);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
