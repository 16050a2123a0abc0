// What the built CLI prints when it stops on bad input: one message per problem, every one of them
// starting with `tandem:`, exit 2, no stack trace. Runs dist/cli.js (npm run build first).
import {spawnSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliErrorText} from '../source/errors.js';
import {UsageError} from '../source/exit.js';
import {cliPath, STACK_LINE} from './reliability/support.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-cli-errors-'));

/** `tandem explain FILE` on a profile with `text` (explain never calls AWS). */
function explain(text: string): {code: number | null; stdout: string; stderr: string} {
  const file = path.join(dir, `p-${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, text);
  const run = spawnSync(process.execPath, [cliPath(), 'explain', file], {
    env: {PATH: process.env.PATH, HOME: dir, TANDEM_HOME: path.join(dir, 'home'), NO_COLOR: '1'},
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {code: run.status, stdout: run.stdout.replace(file, 'p.yaml'), stderr: run.stderr.replaceAll(file, 'p.yaml')};
}

describe('a broken profile on the command line', () => {
  it('one bracket typo: one message with line and column, prefixed tandem:, exit 2', () => {
    const run = explain('version: 1\ninstance: {type: t3.micro}}\nregion: us-east-1\n');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('tandem: p.yaml:2:27 not valid YAML: Unexpected flow-map-end token in YAML stream: "}"\n');
  });

  it('several problems: every line is its own message, each prefixed tandem:', () => {
    const run = explain('version: 1\nregion: mars-1\ninstance:\n  type: nope\n');
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tandem: p\.yaml:2:9 region: /);
    expect(lines[1]).toMatch(/^tandem: p\.yaml:4:9 instance\.type: /);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('an error the CLI stops on', () => {
  it('prefixes every message line, not the indented lines under one or a usage line', () => {
    const error = new UsageError('first problem\nsecond problem\n  detail of the second\nusage: tandem export PROFILE --format cli');
    expect(cliErrorText(error)).toBe('tandem: first problem\ntandem: second problem\n  detail of the second\nusage: tandem export PROFILE --format cli');
  });
});
