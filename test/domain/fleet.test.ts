import {describe, expect, it} from 'vitest';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {
  blockingFindings,
  fleetNameFor,
  fleetProfileProblems,
  isFleetName,
  operationDone,
  operationPreferences,
  parseCount,
  parseList,
  targetStatusOf,
  targetsOf,
} from '../../source/domain/fleet.js';
import {fleetLoadBalancerProblems} from '../../source/domain/controls/load-balancer.js';
import {cloudFormationTemplate, withDeletionProtectionLifted} from '../../source/domain/export-cloudformation-yaml.js';
import {parse} from 'yaml';
import {fleetCounts, renderFleetTable, type TargetVerification} from '../../source/domain/fleet-table.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

// A public web server's public address and Session Manager role are high to the tools: accepted, as its operator would.
const fleetReady: LaunchSpec = {...defaultSpec('us-east-1'), network: {vpc: 'new', subnet: 'public', publicIp: true}, acceptedRisks: PUBLIC_WEB_SERVER_RISKS};

describe('fleet flags', () => {
  it('reads comma-separated lists, dropping blanks and repeats', () => {
    expect(parseList('regions', 'us-east-1, eu-west-1,,us-east-1', 'region')).toEqual(['us-east-1', 'eu-west-1']);
    expect(parseList('accounts', '111111111111,222222222222', 'account')).toEqual(['111111111111', '222222222222']);
    expect(parseList('org-units', 'ou-ab12-cd34ef56', 'org-unit')).toEqual(['ou-ab12-cd34ef56']);
    expect(parseList('regions', undefined, 'region')).toEqual([]);
  });

  it('names the item that is not an account, region or organizational unit', () => {
    expect(parseList('accounts', '111111111111,12345', 'account')).toBe('--accounts: "12345" is not an account id (like 123456789012)');
    expect(parseList('regions', 'us-east-1,Europe', 'region')).toBe('--regions: "Europe" is not a region (like eu-west-1)');
    expect(parseList('org-units', 'r-abcd', 'org-unit')).toContain('"r-abcd" is not an organizational unit id');
    expect(parseList('regions', ' , ', 'region')).toBe('--regions needs at least one region');
  });

  it('reads counts as whole numbers from a minimum', () => {
    expect(parseCount('max-concurrent', '4', 1)).toBe(4);
    expect(parseCount('failure-tolerance', '0', 0)).toBe(0);
    expect(parseCount('max-concurrent', '0', 1)).toBe('--max-concurrent must be at least 1');
    expect(parseCount('failure-tolerance', '-1', 0)).toBe('--failure-tolerance needs a whole number, not "-1"');
    expect(parseCount('max-concurrent', undefined, 1)).toBeUndefined();
  });

  it("maps the flags to StackSets' operation preferences, leaving AWS's defaults alone", () => {
    expect(operationPreferences({maxConcurrent: 2, failureTolerance: 1})).toEqual({MaxConcurrentCount: 2, FailureToleranceCount: 1});
    expect(operationPreferences({failureTolerance: 0})).toEqual({FailureToleranceCount: 0});
  });

  it('puts every account in every region', () => {
    expect(targetsOf(['1', '2'], ['a', 'b'])).toEqual([
      {account: '1', region: 'a'},
      {account: '2', region: 'a'},
      {account: '1', region: 'b'},
      {account: '2', region: 'b'},
    ]);
  });
});

describe('fleet names and profiles', () => {
  it('names the StackSet after the profile, as StackSets allows', () => {
    expect(fleetNameFor('web-prod')).toBe('web-prod');
    expect(fleetNameFor('./profiles/web.prod.yaml')).toBe('web-prod');
    expect(fleetNameFor('2024_site')).toBe('site');
    expect(fleetNameFor('___')).toBe('tandem-fleet');
    expect(isFleetName('web-prod')).toBe(true);
    expect(isFleetName('../etc')).toBe(false);
    expect(isFleetName('1web')).toBe(false);
  });

  it('refuses profiles whose template would need values that differ per account and region', () => {
    expect(fleetProfileProblems(fleetReady)).toEqual([]);
    const problems = fleetProfileProblems({
      ...fleetReady,
      network: {vpc: 'default', subnet: 'default', publicIp: true},
      instance: {...fleetReady.instance, image: 'ami', amiId: 'ami-0abcdef1234567890'},
      keyPair: {mode: 'create', name: 'k', type: 'ed25519', path: '/tmp/k.pem'},
    });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['network', 'image', 'key pair']);
  });

  it('takes a load-balanced profile without a certificate, or with one its targets can use; never certificate: request', () => {
    const layered = (certificate: string): LaunchSpec => ({
      ...fleetReady,
      network: {vpc: 'new', subnet: 'private', publicIp: false},
      loadBalancer: {certificate, deletionProtection: true, accessLogs: false, ...(certificate === 'request' ? {domain: 'www.example.com'} : {})},
    });
    const arn = 'arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012';
    const grid = {accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1'], orgUnits: []};
    expect(fleetProfileProblems(layered('none'))).toEqual([]);
    expect(fleetLoadBalancerProblems(layered('none'), grid)).toEqual([]);
    expect(fleetLoadBalancerProblems(layered(arn), {accounts: ['111122223333'], regions: ['eu-west-1'], orgUnits: []})).toEqual([]);
    const [elsewhere] = fleetLoadBalancerProblems(layered(arn), grid);
    expect(elsewhere).toContain('account 444455556666, region us-east-1 cannot use it');
    expect(fleetLoadBalancerProblems(layered(arn), {accounts: [], regions: ['eu-west-1'], orgUnits: ['ou-ab12-cd34ef56']})[0]).toContain('--org-units');
    expect(fleetLoadBalancerProblems(layered('request'), grid)[0]).toMatch(/^loadBalancer: certificate: request .* use certificate: none/);
  });

  it("lifts a template's load balancer deletion protection for fleet destroy, and leaves a template without it alone", () => {
    const layered = (deletionProtection: boolean): LaunchSpec => ({
      ...fleetReady,
      network: {vpc: 'new', subnet: 'private', publicIp: false},
      loadBalancer: {certificate: 'none', deletionProtection, accessLogs: false},
    });
    const attributes = (text: string) =>
      Object.values((parse(text) as {Resources: Record<string, {Type: string; Properties: {LoadBalancerAttributes?: unknown}}>}).Resources).find(
        (resource) => resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      )?.Properties.LoadBalancerAttributes;
    const lifted = withDeletionProtectionLifted(cloudFormationTemplate(layered(true), {profile: 'web'}));
    expect(attributes(lifted!)).toContainEqual({Key: 'deletion_protection.enabled', Value: 'false'});
    expect(attributes(lifted!)).toContainEqual({Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true'});
    expect(withDeletionProtectionLifted(cloudFormationTemplate(layered(false), {profile: 'web'}))).toBeUndefined();
    expect(withDeletionProtectionLifted(cloudFormationTemplate(fleetReady, {profile: 'web'}))).toBeUndefined();
  });

  it('blocks on high findings unless the profile accepts them', () => {
    const open = {...fleetReady, securityGroup: {...fleetReady.securityGroup, ssh: '0.0.0.0/0' as const}};
    expect(blockingFindings(open).map((finding) => finding.id)).toContain('ssh-open-to-internet');
    const accepted = {...open, acceptedRisks: [{finding: 'ssh-open-to-internet' as const, reason: 'bastion'}]};
    expect(blockingFindings(accepted).map((finding) => finding.id)).not.toContain('ssh-open-to-internet');
    expect(blockingFindings(fleetReady)).toEqual([]);
  });

  it("reads StackSets' statuses", () => {
    expect(targetStatusOf('SUCCEEDED')).toBe('succeeded');
    expect(targetStatusOf('FAILED')).toBe('failed');
    expect(targetStatusOf(undefined)).toBe('pending');
    expect(operationDone('RUNNING')).toBe(false);
    expect(operationDone('STOPPED')).toBe(true);
    expect(operationDone(undefined)).toBe(false);
  });
});

describe('the fleet verification table', () => {
  const row = (control: VerificationResult['control'], title: string, status: VerificationResult['status'], actual = 'ok'): VerificationResult => ({
    control,
    title,
    owner: 'Customer',
    expected: 'as reviewed',
    actual,
    status,
    checkers: [],
    checkerVerdicts: [],
  });
  const targets: TargetVerification[] = [
    {
      account: '111111111111',
      region: 'us-east-1',
      results: [row('imds-v2', 'IMDSv2', 'pass'), row('ebs-encryption', 'EBS encryption', 'pass'), row('ebs-encryption', 'EBS default', 'info')],
    },
    {
      account: '222222222222',
      region: 'eu-west-1',
      results: [row('imds-v2', 'IMDSv2', 'fail', 'HttpTokens optional\u001b[2J'), row('ebs-encryption', 'EBS encryption', 'pass'), row('ebs-encryption', 'EBS default', 'info')],
    },
    {account: '333333333333', region: 'eu-west-1', results: [], problem: 'AccessDenied: not authorized'},
  ];

  it('has a row per control check and a column per account/region', () => {
    const text = renderFleetTable(targets, 120);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^account\s+111111111111\s+222222222222\s+333333333333$/);
    expect(lines[1]).toMatch(/^control \/ region\s+us-east-1\s+eu-west-1\s+eu-west-1$/);
    expect(lines[2]).toMatch(/^IMDSv2\s+PASS\s+FAIL\s+-$/);
    expect(lines[3]).toMatch(/^EBS encryption\s+PASS\s+PASS\s+-$/);
    expect(lines[4]).toMatch(/^EBS default\s+INFO\s+INFO\s+-$/);
    // The columns line up under their headers.
    expect(lines[2].indexOf('FAIL')).toBe(lines[0].indexOf('222222222222'));
    expect(text).toContain('3 targets: 3 passed, 1 failed, 2 not checkable by API, 1 targets not verified');
    expect(text).toContain('222222222222/eu-west-1 IMDSv2: expected as reviewed; AWS reports HttpTokens optional\\x1b[2J');
    expect(text).toContain('333333333333/eu-west-1: not verified: AccessDenied: not authorized');
    expect(text).not.toContain('\u001b');
  });

  it('keeps four targets within 100 columns, clipping long titles', () => {
    const four = [...targets, {account: '444444444444', region: 'ap-southeast-2', results: [row('imds-v2', 'Stored key and instance configuration', 'info')]}];
    const text = renderFleetTable(four, 100);
    expect(
      Math.max(
        ...text
          .split('\n')
          .slice(0, 6)
          .map((line) => line.length),
      ),
    ).toBeLessThanOrEqual(100);
  });

  it('counts results across targets', () => {
    expect(fleetCounts(targets)).toEqual({targets: 3, passed: 3, failed: 1, info: 2, unverified: 1, checkerFailures: 0, checkerUnaccepted: 0});
  });

  it("adds the checkers' verdicts: counted below the table, and each unaccepted failure by target", () => {
    const withVerdicts: TargetVerification[] = [
      {
        account: '111111111111',
        region: 'us-east-1',
        results: [
          {
            ...row('security-group-rules', 'Security group rules', 'pass'),
            checkerVerdicts: [
              {tool: 'Security Hub', id: 'EC2.13', verdict: 'fail', resource: 'sg-1', accepted: null},
              {tool: 'Checkov', id: 'CKV_AWS_260', verdict: 'fail', resource: 'sg-1', accepted: {finding: 'http-open-to-internet', reason: 'public web server'}},
            ],
          },
        ],
      },
    ];
    const text = renderFleetTable(withVerdicts, 100);
    expect(text).toContain('checkers: Security Hub would fail 1, not accepted; Checkov would fail 1, accepted');
    expect(text).toContain('Checkers would fail (no accepted risk):\n111111111111/us-east-1 Security group rules: FAIL: EC2.13');
    expect(fleetCounts(withVerdicts)).toMatchObject({checkerFailures: 2, checkerUnaccepted: 1});
  });
});
