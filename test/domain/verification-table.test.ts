import {describe, expect, it} from 'vitest';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {wrap} from '../../source/domain/report-wrap.js';
import {renderVerificationTable, summaryLine} from '../../source/domain/verification-table.js';

const results: VerificationResult[] = [
  {
    control: 'imds-v2',
    title: 'Instance metadata (IMDSv2)',
    owner: 'AWS/Customer',
    expected: 'HttpTokens required, hop limit 1',
    actual: 'HttpTokens optional, hop limit 1',
    status: 'fail',
    checkers: ['Security Hub EC2.8'],
    checkerVerdicts: [{tool: 'Security Hub', id: 'EC2.8', verdict: 'fail', resource: 'i-0abc', accepted: null}],
  },
  {
    control: 'instance-type',
    title: 'Instance type',
    owner: 'Customer',
    expected: 't3.micro',
    actual: 't3.micro',
    status: 'pass',
    checkers: [],
    checkerVerdicts: [],
  },
  {
    control: 'hypervisor-isolation',
    title: 'Hypervisor isolation',
    owner: 'AWS',
    expected: 'AWS isolates instances with the hypervisor (Nitro or Xen)',
    actual: 'not checkable by API: AWS attestation (SOC 2, ISO 27001 reports in AWS Artifact)',
    status: 'info',
    checkers: [],
    checkerVerdicts: [],
  },
  {
    control: 'security-group-rules',
    title: 'Security group rules',
    owner: 'AWS/Customer',
    expected: 'sg-0123456789abcdef0 only; tcp/22 from 203.0.113.7/32, tcp/80 from 0.0.0.0/0; nothing risky open to the internet',
    actual: 'tcp/22 from 203.0.113.7/32, tcp/80 from 0.0.0.0/0, tcp/3306 from 0.0.0.0/0; extra: tcp/3306 from 0.0.0.0/0',
    status: 'fail',
    checkers: ['Security Hub EC2.13', 'Security Hub EC2.19', 'Checkov CKV_AWS_260'],
    checkerVerdicts: [
      {tool: 'Security Hub', id: 'EC2.13', verdict: 'pass', resource: 'sg-0123456789abcdef0', accepted: null},
      {tool: 'Security Hub', id: 'EC2.19', verdict: 'fail', resource: 'sg-0123456789abcdef0', accepted: null},
      {
        tool: 'Checkov',
        id: 'CKV_AWS_260',
        verdict: 'fail',
        resource: 'AWS::EC2::SecurityGroup.SecurityGroup',
        accepted: {finding: 'http-open-to-internet', reason: 'public web server'},
      },
    ],
  },
];

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

describe('wrap', () => {
  it('breaks on spaces and hard-breaks words longer than a line', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('arn:aws:kms:us-east-1:123456789012:key/abc', 10).every((line) => line.length <= 10)).toBe(true);
    expect(wrap('', 5)).toEqual(['']);
  });
});

describe('renderVerificationTable', () => {
  it('draws a table with every column on a wide terminal', () => {
    const text = renderVerificationTable(results, 140);
    const [header] = text.split('\n');
    expect(header).toMatch(/^CONTROL\s+OWNER\s+EXPECTED\s+ACTUAL\s+RESULT$/);
    expect(text).toMatch(/Instance type\s+you\s+t3\.micro\s+t3\.micro\s+PASS/);
    expect(text).toMatch(/Instance metadata\s+both/);
    expect(text).toContain('FAIL');
    expect(text).toContain('INFO');
    // The second answer, under the row: what the checkers would say about the same resource.
    expect(text).toContain('checkers: FAIL: EC2.8');
    expect(text).toContain('checkers: FAIL: EC2.19; fail, accepted (public web server): CKV_AWS_260; pass: EC2.13');
    expect(text).toContain('tcp/3306');
    expect(widest(text)).toBeLessThanOrEqual(140);
  });

  it('never exceeds the width it is given', () => {
    for (const width of [200, 120, 100, 90, 80, 60, 40]) {
      expect(widest(renderVerificationTable(results, width)), `width ${width}`).toBeLessThanOrEqual(width);
    }
  });

  it('stacks one block per control on a narrow terminal', () => {
    const text = renderVerificationTable(results, 60);
    expect(text).not.toContain('CONTROL');
    expect(text).toContain('FAIL  Instance metadata (IMDSv2) (both)');
    expect(text).toMatch(/checkers {2}FAIL: EC2\.8/);
    expect(text).toMatch(/expected {2}HttpTokens required, hop limit 1/);
    expect(text).toMatch(/actual {4}HttpTokens optional, hop limit 1/);
  });

  it('ends with a summary and shows hostile text inert', () => {
    const hostile: VerificationResult = {...results[1], actual: 'key pair \u001b[2Jevil'};
    const text = renderVerificationTable([hostile], 120);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1b[2Jevil');
    expect(text.endsWith('1 passed, 0 failed, 0 for information')).toBe(true);
    expect(summaryLine(results)).toBe('1 passed, 2 failed, 1 for information; Security Hub would fail 2, not accepted; Checkov would fail 1, accepted');
  });
});
