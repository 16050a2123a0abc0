import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable, Writable} from 'node:stream';
import {describe, expect, it, onTestFinished} from 'vitest';
import {run} from '../../source/commands/explain.js';
import {UsageError, type CommandContext, type GlobalFlags} from '../../source/commands/types.js';
import {CONTROLS} from '../../source/domain/catalog.js';
import type {ExplainDocument} from '../../source/domain/report.js';

class Capture extends Writable {
  text = '';
  columns?: number;
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

const FLAGS: GlobalFlags = {color: false, yes: false, dryRun: false, force: false, keep: false};

async function explain(args: string[], flags: Partial<GlobalFlags> = {}, options: {columns?: number; env?: NodeJS.ProcessEnv} = {}) {
  const stdout = new Capture();
  stdout.columns = options.columns;
  const stderr = new Capture();
  // No credentials and no endpoint: explain must not need them.
  const context: CommandContext = {args, flags: {...FLAGS, ...flags}, io: {stdin: Readable.from([]), stdout, stderr, env: options.env ?? {}}};
  const code = await run(context);
  return {code, stdout: stdout.text, stderr: stderr.text};
}

/** What `--format json` printed, read as the document explain promises (the checks below hold it to that). */
const explainDocument = (stdout: string) => JSON.parse(stdout) as ExplainDocument;

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('tandem explain', () => {
  it('prints parseable JSON with --format json', async () => {
    const {code, stdout, stderr} = await explain([], {format: 'json'});
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const doc = explainDocument(stdout);
    expect(doc.format).toBe('tandem.explain/v1');
    expect(doc.spec.region).toBe('us-east-1');
    expect(doc.controls).toHaveLength(CONTROLS.length);
    expect(doc.plan.steps.length).toBeGreaterThan(0);
    expect(doc.note).toBe('explain mode makes no AWS calls');
  });

  it('treats --output json like --format json', async () => {
    const {code, stdout} = await explain([], {output: 'json'});
    expect(code).toBe(0);
    expect(explainDocument(stdout).format).toBe('tandem.explain/v1');
  });

  it('takes the region from --region, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const region = async (flags: Partial<GlobalFlags>, env: NodeJS.ProcessEnv) => explainDocument((await explain([], {format: 'json', ...flags}, {env})).stdout).spec.region;
    expect(await region({region: 'eu-west-1'}, {AWS_REGION: 'us-west-2'})).toBe('eu-west-1');
    expect(await region({}, {AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1'})).toBe('us-west-2');
    expect(await region({}, {AWS_DEFAULT_REGION: 'ap-south-1'})).toBe('ap-south-1');
  });

  it('prints a markdown responsibility matrix with --format markdown', async () => {
    const {code, stdout} = await explain([], {format: 'markdown'});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# Shared responsibility/);
    expect(stdout).toContain('| Step | Control | Owner |');
    for (const control of CONTROLS) expect(stdout).toContain(`(${control.id})`);
  });

  it('prints text fitted to the terminal width, 80 when unknown', async () => {
    const narrow = await explain([], {}, {columns: 40});
    expect(narrow.code).toBe(0);
    expect(narrow.stdout).toContain('Responsibility matrix');
    expect(narrow.stdout.split('\n').every((line) => line.length <= 40)).toBe(true);
    const piped = await explain([]);
    expect(piped.stdout.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(piped.stdout.split('\n').some((line) => line.length > 40)).toBe(true);
  });

  it('rejects an unknown format with exit 2, naming the allowed values', async () => {
    const error = await usageError(explain([], {format: 'yaml'}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('--format "yaml"');
    expect(error.message).toContain('text, markdown, json');
    expect((await usageError(explain([], {output: 'table'}))).message).toContain('--output "table"');
  });

  it('rejects more than one profile', async () => {
    expect((await usageError(explain(['a', 'b']))).exitCode).toBe(2);
  });

  it('reports a missing profile as bad usage', async () => {
    const error = await usageError(explain(['no-such-profile-anywhere'], {}, {env: {TANDEM_HOME: '/nonexistent/tandem-home'}}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('no-such-profile-anywhere');
  });

  it('explains a profile file, with its accepted risk and reason', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-explain-'));
    onTestFinished(() => rmSync(dir, {recursive: true, force: true}));
    const file = path.join(dir, 'web.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'region: eu-west-1',
        'instance: {name: web-2, image: al2023, arch: x86_64, type: t3.micro, tenancy: host, imds: required, userData: httpd}',
        'network: {vpc: default, subnet: default, publicIp: true}',
        'role: {mode: create, name: EC2AccessToS3Role, bucket: my-site-assets, access: read}',
        'storage: {sizeGiB: 8, type: gp3, encrypted: true, kmsKey: new}',
        'securityGroup: {mode: create, name: web-sg, http: 0.0.0.0/0, https: false, ssh: 203.0.113.7/32}',
        'keyPair: {mode: none}',
        'acceptedRisks: [{finding: http-open-to-internet, reason: public web server}]',
        '',
      ].join('\n'),
    );
    const env = {TANDEM_HOME: path.join(dir, 'home')};
    const {code, stdout, stderr} = await explain([file], {format: 'json'}, {env});
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = explainDocument(stdout);
    expect(doc.spec.region).toBe('eu-west-1');
    expect(doc.spec.instance.name).toBe('web-2');
    const ids = doc.findings.map((f) => f.id);
    expect(ids).toContain('public-instance-with-role');
    expect(ids).toContain('dedicated-tenancy-cost');
    expect(doc.findings.find((f) => f.id === 'http-open-to-internet')?.accepted).toEqual({reason: 'public web server'});
    expect(doc.controls.find((c) => c.id === 'tenancy')?.aws).toMatch(/dedicated host/);
    // --region (as in the AWS CLI) outranks the profile's region.
    const moved = await explain([file], {format: 'json', region: 'us-west-2'}, {env});
    expect(explainDocument(moved.stdout).spec.region).toBe('us-west-2');
    expect(moved.stderr).toContain("--region us-west-2 overrides the profile's region eu-west-1");
    // The profile's region beats AWS_REGION, and stderr says which won.
    const fromEnv = await explain([file], {format: 'json'}, {env: {...env, AWS_REGION: 'us-east-1'}});
    expect(explainDocument(fromEnv.stdout).spec.region).toBe('eu-west-1');
    expect(fromEnv.stderr).toContain("the profile's region eu-west-1 wins over AWS_REGION=us-east-1");
  });

  it('reports an invalid region as exit 2 with the field named', async () => {
    const {code, stdout, stderr} = await explain([], {region: 'mars-1'});
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tandem explain: region: /);
  });
});
