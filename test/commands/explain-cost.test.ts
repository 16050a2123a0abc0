// What `tandem explain` says a launch costs (docs/cost.md). Its one AWS call is the price list's,
// made only when credentials are found; here the price list is the local endpoint
// (test/support/pricing-double.ts), which the SDK finds through AWS_ENDPOINT_URL_PRICING, so a call
// made without credentials would show up in its requests.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable, Writable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {run} from '../../source/commands/explain.js';
import type {CommandContext, GlobalFlags} from '../../source/commands/types.js';
import {EXPLAIN_NOTE, EXPLAIN_PRICED_NOTE, type ExplainDocument} from '../../source/domain/report.js';
import {startPricingDouble, type PricingDouble} from '../support/pricing-double.js';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

const FLAGS: GlobalFlags = {color: false, yes: false, dryRun: false, force: false, keep: false};
let double: PricingDouble;
let home: string;
let savedEnv: NodeJS.ProcessEnv;

beforeEach(async () => {
  double = await startPricingDouble();
  home = mkdtempSync(path.join(tmpdir(), 'tandem-explain-cost-'));
  savedEnv = {...process.env};
  // The credential chain reads the process's environment: none here unless a test gives some.
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_PRICING: double.url,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterEach(async () => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await double.close();
  rmSync(home, {recursive: true, force: true});
});

async function explain(format: 'json' | 'text' | 'markdown', args: string[] = []) {
  const stdout = new Capture();
  const stderr = new Capture();
  const context: CommandContext = {args, flags: {...FLAGS, format}, io: {stdin: Readable.from([]), stdout, stderr, env: {...process.env, TANDEM_HOME: path.join(home, 'tandem')}}};
  const code = await run(context);
  return {code, stdout: stdout.text, stderr: stderr.text};
}

const withCredentials = () => Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing'});

describe('tandem explain: the cost', () => {
  it('makes no AWS call without credentials: usage only, and prices need pricing:GetProducts', async () => {
    const {code, stdout, stderr} = await explain('json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(double.requests).toHaveLength(0);
    const doc = JSON.parse(stdout) as ExplainDocument;
    expect(doc.note).toBe(EXPLAIN_NOTE);
    expect(doc.cost).toMatchObject({currency: 'USD', monthly: null, partial: false, asOf: null});
    expect(doc.cost?.lines.map((line) => [line.resource, line.usage, line.unit, line.unitPrice, line.monthly])).toEqual([
      ['instance t3.micro (Linux, shared tenancy)', 730, 'hour', null, null],
      ['root volume gp3, 8 GiB', 8, 'GB-month', null, null],
      ['public IPv4 address', 730, 'hour', null, null],
      ['detailed monitoring (1-minute metrics)', 7, 'metric-month', null, null],
      ['first snapshot of the root volume', 8, 'GB-month', null, null],
    ]);
    expect(doc.cost?.notes).toContain('usage only: prices need pricing:GetProducts (no AWS credentials found)');
  });

  it('asks the price list when credentials are found, says it did, and shows each line with the price it served', async () => {
    withCredentials();
    const {code, stdout} = await explain('json');
    expect(code).toBe(0);
    expect(double.requests.length).toBeGreaterThan(0);
    expect(double.requests.every((request) => request.target === 'AWSPriceListService.GetProducts')).toBe(true);
    const doc = JSON.parse(stdout) as ExplainDocument;
    expect(doc.note).toBe(EXPLAIN_PRICED_NOTE);
    expect(doc.cost).toMatchObject({currency: 'USD', monthly: 14.38, partial: false, asOf: '2026-11-20', source: expect.stringMatching(/AWS Price List Query API/) as unknown});
    expect(Object.keys(doc.cost!.lines[0])).toEqual(['resource', 'usage', 'unit', 'unitPrice', 'monthly', 'note']);
    expect(doc.cost?.lines[2]).toEqual({resource: 'public IPv4 address', usage: 730, unit: 'hour', unitPrice: 0.005, monthly: 3.65, note: null});
  });

  it('prints the cost in text and markdown with its total, source and date', async () => {
    withCredentials();
    const text = (await explain('text')).stdout;
    expect(text).toContain('Cost a month');
    expect(text).toContain('Total: $14.38 a month');
    expect(text).toContain('public IPv4 address: 730 hours × $0.005 per hour = $3.65 a month');
    expect(text).toMatch(/Source: AWS Price List Query API \(pricing:GetProducts\), on-demand, prices of\s+2026-11-20/);
    const markdown = (await explain('markdown')).stdout;
    expect(markdown).toContain('## Cost a month');
    expect(markdown).toContain('| instance t3.micro (Linux, shared tenancy) | 730 hours | $0.0104 per hour | $7.59 |');
  });

  it('prices a load-balanced profile whole: the Application Load Balancer by the hour and its LCUs as a stated assumption', async () => {
    withCredentials();
    const profile = path.join(home, 'balanced.yaml');
    writeFileSync(profile, 'version: 1\nloadBalancer:\n  certificate: none\n');
    const {code, stdout, stderr} = await explain('json', [profile]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as ExplainDocument;
    expect(doc.cost).toMatchObject({currency: 'USD', monthly: 55.4, partial: false, asOf: '2026-11-20'});
    expect(doc.cost?.lines.filter((line) => line.resource.startsWith('Application Load Balancer'))).toEqual([
      {resource: 'Application Load Balancer', usage: 730, unit: 'hour', unitPrice: 0.0225, monthly: 16.43, note: null},
      {
        resource: 'Application Load Balancer capacity units (LCUs)',
        usage: 730,
        unit: 'LCU-hour',
        unitPrice: 0.008,
        monthly: 5.84,
        note: "assumes 1 LCU on average, a quiet web server's traffic; each LCU-hour more costs the unit price",
      },
    ]);
    expect(doc.cost?.lines.filter((line) => line.monthly === null)).toEqual([]);
  });

  it('shows usage only, with the reason, when the account may not read prices', async () => {
    withCredentials();
    double.fault = 'deny';
    const doc = JSON.parse((await explain('json')).stdout) as ExplainDocument;
    expect(doc.cost?.monthly).toBeNull();
    expect(doc.cost?.notes).toContain('usage only: prices need pricing:GetProducts (AccessDeniedException)');
  });
});
