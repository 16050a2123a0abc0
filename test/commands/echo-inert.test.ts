// Values from a profile file (and the file's own name) are echoed in error messages; none of them
// may drive the terminal. A region or key pair name holding ESC[2J would otherwise clear the screen.
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {CommandRunner} from '../../source/commands/types.js';
import {describeError} from '../../source/errors.js';
import {UsageError} from '../../source/exit.js';
import {runCommand} from '../support/command-io.js';

const ESC = '\u001b';
const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-inert-'));
const profile = (name: string, yaml: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
};

const FILES = {
  region: profile('region.yaml', 'version: 1\nregion: "x\\e[2Jy"\n'),
  keyPair: profile('key.yaml', 'version: 1\nkeyPair: {mode: existing, name: "k\\e[2Jz"}\n'),
  more: profile('more.yaml', 'version: 1\ninstance: {type: "t\\e[2J"}\ntags: {"a\\e[2J": "b"}\nsecurityGroup: {mode: create, name: "w\\e]0;owned\\u0007"}\n'),
  // The file name itself, as given on the command line.
  named: profile(`bad${ESC}[2Jname.yaml`, 'version: 1\nregion: nowhere\n'),
};

const COMMANDS: Array<[string, () => Promise<{run: CommandRunner}>, (file: string) => string[], object]> = [
  ['explain', () => import('../../source/commands/explain.js'), (file) => [file], {}],
  ['launch --yes', () => import('../../source/commands/launch.js'), (file) => [file], {yes: true}],
  ['export', () => import('../../source/commands/export.js'), (file) => [file], {format: 'cli'}],
  ['profiles import', () => import('../../source/commands/profiles.js'), (file) => ['import', file], {name: 'x'}],
];

/** As cli.tsx runs a command: a UsageError that escapes the command is printed with describeError. */
async function asCli(run: CommandRunner, args: string[], flags: object) {
  try {
    return await runCommand(run, args, {flags, env: {TANDEM_HOME: path.join(dir, 'home')}});
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return {code: 2, stdout: '', stderr: `tandem: ${describeError(error)}\n`};
  }
}

describe('profile values echoed in errors are inert', () => {
  for (const [label, load, args, flags] of COMMANDS) {
    it(`${label}: exit 2, the value shown escaped, no control character printed`, async () => {
      const {run} = await load();
      for (const [what, file] of Object.entries(FILES)) {
        const result = await asCli(run, args(file), flags);
        expect(result.code, `${what}: ${result.stderr}`).toBe(2);
        const printed = result.stdout + result.stderr;
        expect(printed.replace(/\n/g, ''), what).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(printed, what).toContain('\\x1b[2J');
      }
    });
  }

  it('the last line of defence, for any error, keeps lines but escapes what is in them', () => {
    expect(describeError(new UsageError(`no launch "l${ESC}[2J"\nsecond line`))).toBe('no launch "l\\x1b[2J"\nsecond line');
  });
});
