import {describe, expect, it} from 'vitest';
import {factsFromSpec, type CheckerFacts} from '../../source/domain/checker-facts.js';
import {checkerVerdicts} from '../../source/domain/checker-run.js';
import {endpointPolicyOpen, grantsActionOnAll, grantsFullService} from '../../source/domain/checker-rules.js';
import type {CfnTemplate} from '../../source/domain/checker-template.js';
import {verdictPhrase} from '../../source/domain/checker-verdicts.js';
import {CHECKERS, checkerKey, equivalentsOf, findChecker} from '../../source/domain/checkers.js';
import {findingsFor} from '../../source/domain/findings.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

function spec(change: (s: LaunchSpec) => void = () => {}): LaunchSpec {
  const s = defaultSpec();
  change(s);
  return s;
}

const SPECS: Record<string, LaunchSpec> = {
  defaults: spec(),
  hardened: spec((s) => {
    s.network = {vpc: 'new', subnet: 'public', cidr: '10.20.0.0/16', publicIp: true};
    s.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'};
    s.storage.kmsKey = 'new';
    s.securityGroup.ssh = '203.0.113.7/32';
    s.acceptedRisks = [{finding: 'http-open-to-internet', reason: 'public web server'}];
    s.backup = {plan: true, retentionDays: 14, firstSnapshot: true};
  }),
  worst: spec((s) => {
    s.backup = {plan: false, retentionDays: 7, firstSnapshot: false};
    s.instance.image = 'al2';
    s.instance.imds = 'optional';
    s.role = {mode: 'create', name: 'WorstRole', bucket: 'b', access: 'read-write'};
    s.storage.encrypted = false;
    s.securityGroup = {mode: 'create', name: 'worst-sg', http: '0.0.0.0/0', https: '::/0', ssh: '0.0.0.0/0'};
  }),
  private: spec((s) => {
    s.network = {vpc: 'new', subnet: 'private', cidr: '10.30.0.0/16', publicIp: false};
    s.securityGroup.http = '10.30.0.0/16';
  }),
};

describe('the checker registry', () => {
  it('has one entry per tool and id, each with a rule, a row and a resource type', () => {
    const keys = CHECKERS.map(checkerKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const checker of CHECKERS) {
      expect(checker.rule.length, checkerKey(checker)).toBeGreaterThan(20);
      expect(checker.resourceType, checkerKey(checker)).toMatch(/^AWS::/);
    }
    // IAM.1 and IAM.21 judge customer managed policies only: tandem's inline policy is not theirs.
    expect(findChecker('Security Hub', 'IAM.1')).toBeUndefined();
    expect(findChecker('Security Hub', 'IAM.21')).toBeUndefined();
  });

  it('knows the equivalents across tools', () => {
    const ec29 = findChecker('Security Hub', 'EC2.9')!;
    expect(equivalentsOf(ec29).map(checkerKey)).toEqual(['Prowler ec2_instance_public_ip', 'Checkov CKV_AWS_88']);
    expect(equivalentsOf(findChecker('Security Hub', 'EC2.13')!).map(checkerKey)).toEqual(['Prowler ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22', 'Checkov CKV_AWS_24']);
  });

  it('predicts what the issue measured: EC2.9 and Prowler fail a public instance, CKV_AWS_260 fails port 80, EC2.18 passes it', () => {
    const verdicts = checkerVerdicts(SPECS.hardened);
    const of = (id: string) => verdicts.filter((v) => v.id === id).map((v) => v.verdict);
    expect(of('EC2.9')).toEqual(['fail']);
    expect(of('ec2_instance_public_ip')).toEqual(['fail']);
    expect(of('ec2_instance_internet_facing_with_instance_profile')).toEqual(['fail']);
    expect(of('CKV_AWS_260')).toEqual(['fail']);
    expect(of('EC2.18')).toEqual(['pass']);
    expect(of('CKV_AWS_88').sort()).toEqual(['fail', 'pass']); // the instance fails, its launch template passes
    // The accepted risk carries its reason onto the checker that flags it.
    expect(verdicts.find((v) => v.id === 'CKV_AWS_260')!.accepted).toEqual({finding: 'http-open-to-internet', reason: 'public web server'});
    expect(verdicts.find((v) => v.id === 'EC2.9')!.accepted).toBeNull();
  });

  it('gives no verdict where the facts are unknown before launch', () => {
    const existing = spec((s) => {
      s.network = {vpc: 'vpc-12345678', subnet: 'subnet-12345678', publicIp: false};
      s.securityGroup = {mode: 'existing', groupId: 'sg-12345678', name: 'x', http: false, https: false, ssh: false};
    });
    const ids = checkerVerdicts(existing).map((v) => v.id);
    expect(ids).not.toContain('EC2.13');
    expect(ids).not.toContain('EC2.15');
    expect(ids).not.toContain('EC2.7');
    expect(factsFromSpec(existing).securityGroups).toBeUndefined();
  });

  for (const [name, launch] of Object.entries(SPECS)) {
    it(`${name}: findings credit every checker that fails, and only those`, () => {
      const failing = new Set(
        checkerVerdicts(launch)
          .filter((v) => v.verdict === 'fail')
          .map(checkerKey),
      );
      const credited = new Set(findingsFor(launch).flatMap((f) => f.checkers.map(checkerKey)));
      expect([...credited].sort()).toEqual([...failing].sort());
    });
  }

  it('words a row as open failures, accepted failures, passes', () => {
    expect(
      verdictPhrase([
        {tool: 'Security Hub', id: 'EC2.18', verdict: 'pass', resource: 'sg', accepted: null},
        {tool: 'Checkov', id: 'CKV_AWS_260', verdict: 'fail', resource: 'sg', accepted: {finding: 'http-open-to-internet', reason: 'web'}},
        {tool: 'Security Hub', id: 'EC2.13', verdict: 'fail', resource: 'sg', accepted: null},
      ]),
    ).toBe('FAIL: EC2.13; fail, accepted (web): CKV_AWS_260; pass: EC2.18');
  });
});

describe('Session Manager and the checkers', () => {
  it('the role made for Session Manager: Prowler flags it on a public instance; checkov has no inline policy to judge', () => {
    const verdicts = checkerVerdicts(defaultSpec());
    const of = (id: string) => verdicts.filter((verdict) => verdict.id === id).map((verdict) => verdict.verdict);
    expect(of('ec2_instance_internet_facing_with_instance_profile')).toEqual(['fail']);
    expect(of('ec2_instance_profile_attached')).toEqual(['pass']);
    // checkov reports CKV_AWS_62/63 only for roles with inline policies; the conformance suite showed it says nothing here.
    expect(of('CKV_AWS_62')).toEqual([]);
    expect(of('CKV_AWS_63')).toEqual([]);
    const s3 = checkerVerdicts({...defaultSpec(), role: {mode: 'create', bucket: 'assets', access: 'read'}});
    expect(s3.filter((verdict) => verdict.id === 'CKV_AWS_62').map((verdict) => verdict.verdict)).toEqual(['pass']);
  });
});

describe("the rest of Prowler's audit of the services a launch touches", () => {
  const of = (launch: LaunchSpec, id: string) =>
    checkerVerdicts(launch)
      .filter((verdict) => verdict.id === id)
      .map((verdict) => verdict.verdict);

  it('the defaults: the web port on the instance, a default VPC with no EC2 endpoint and no private subnet', () => {
    expect(of(SPECS.defaults, 'ec2_securitygroup_allow_ingress_from_internet_to_any_port')).toEqual(['fail']);
    expect(of(SPECS.defaults, 'vpc_endpoint_for_ec2_enabled')).toEqual(['fail']);
    expect(of(SPECS.defaults, 'EC2.10')).toEqual(['fail']);
    expect(of(SPECS.defaults, 'vpc_subnet_separate_private_public')).toEqual(['fail']);
    expect(of(SPECS.defaults, 'vpc_subnet_different_az')).toEqual(['pass']);
  });

  it('a new private subnet: the ec2messages endpoint passes Prowler, not EC2.10; its endpoints sit in one zone with the default policy', () => {
    const launch = SPECS.private;
    expect(of(launch, 'vpc_endpoint_for_ec2_enabled')).toEqual(['pass']);
    expect(of(launch, 'EC2.10')).toEqual(['fail']);
    expect(of(launch, 'vpc_subnet_separate_private_public')).toEqual(['pass']);
    // AWS picks the zones of the new subnets at launch: no verdict before it.
    expect(of(launch, 'vpc_subnet_different_az')).toEqual([]);
    expect(of(launch, 'vpc_endpoint_multi_az_enabled')).toEqual(['fail', 'fail', 'fail']);
    expect(of(launch, 'vpc_endpoint_connections_trust_boundaries')).toEqual(['fail', 'fail', 'fail']);
    expect(of(launch, 'ec2_securitygroup_allow_ingress_from_internet_to_any_port')).toEqual(['pass']);
  });

  it("a VPC someone else made is judged only after launch; tandem's own role policy passes the inline-policy checks", () => {
    const existing = spec((s) => (s.network = {vpc: 'vpc-12345678', subnet: 'subnet-12345678', publicIp: false}));
    for (const id of ['EC2.10', 'vpc_endpoint_for_ec2_enabled', 'vpc_subnet_separate_private_public', 'vpc_subnet_different_az']) expect(of(existing, id), id).toEqual([]);
    for (const id of ['iam_inline_policy_no_full_access_to_cloudtrail', 'iam_inline_policy_no_full_access_to_kms', 'iam_inline_policy_no_wildcard_marketplace_subscribe']) {
      expect(of(SPECS.worst, id), id).toEqual(['pass']);
    }
  });

  it('reads an inline policy and an endpoint policy as Prowler does', () => {
    const everything = {effect: 'Allow', actions: ['*'], resources: ['*'], notAction: false};
    const kmsOnly = {effect: 'Allow', actions: ['kms:*'], resources: ['*'], notAction: false};
    const oneBucket = {effect: 'Allow', actions: ['s3:*'], resources: ['arn:aws:s3:::b/*'], notAction: false};
    expect(grantsFullService(everything, 'cloudtrail')).toBe(true);
    expect(grantsFullService(kmsOnly, 'kms')).toBe(true);
    expect(grantsFullService(kmsOnly, 'cloudtrail')).toBe(false);
    expect(grantsActionOnAll({...kmsOnly, actions: ['aws-marketplace:Sub*']}, 'aws-marketplace:Subscribe')).toBe(true);
    expect(grantsActionOnAll(oneBucket, 'aws-marketplace:Subscribe')).toBe(false);
    const awsDefault = {Statement: [{Effect: 'Allow', Principal: '*', Action: '*', Resource: '*'}]};
    expect(endpointPolicyOpen(awsDefault, '123456789012')).toBe(true);
    const ours = {Statement: [{Effect: 'Allow', Principal: {AWS: '*'}, Action: '*', Resource: '*', Condition: {StringEquals: {'aws:PrincipalAccount': '123456789012'}}}]};
    expect(endpointPolicyOpen(ours, '123456789012')).toBe(false);
  });
});

describe("each tool's own severity and standards", () => {
  it('every checker carries its tool’s own severity; only Checkov, whose open-source checks have none, is unrated', () => {
    for (const checker of CHECKERS) {
      if (checker.tool === 'Checkov') expect(checker.severity, checkerKey(checker)).toBe('unrated');
      else expect(['critical', 'high', 'medium', 'low', 'informational'], checkerKey(checker)).toContain(checker.severity);
    }
    // Security Hub control pages; Prowler's <check>.metadata.json.
    expect(findChecker('Security Hub', 'EC2.9')!.severity).toBe('high');
    expect(findChecker('Security Hub', 'EC2.3')!.severity).toBe('medium');
    expect(findChecker('Security Hub', 'EC2.19')!.severity).toBe('critical');
    expect(findChecker('Prowler', 'vpc_subnet_no_public_ip_by_default')!.severity).toBe('high');
    expect(findChecker('Prowler', 'ec2_instance_public_ip')!.severity).toBe('medium');
    expect(findChecker('Prowler', 'iam_inline_policy_no_administrative_privileges')!.severity).toBe('critical');
  });

  it('names the standards of every Security Hub control: EC2.13 and KMS.4 run under CIS, PCI DSS and NIST 800-53, not FSBP', () => {
    for (const checker of CHECKERS) {
      if (checker.tool === 'Security Hub') expect(checker.standards.length, checkerKey(checker)).toBeGreaterThan(0);
      else expect(checker.standards, checkerKey(checker)).toBeUndefined();
    }
    expect(findChecker('Security Hub', 'EC2.13')!.standards).toEqual(['CIS', 'PCI DSS', 'NIST 800-53', 'NIST 800-171']);
    expect(findChecker('Security Hub', 'KMS.4')!.standards).toEqual(['CIS', 'PCI DSS', 'NIST 800-53']);
    const fsbp = CHECKERS.filter((checker) => checker.tool === 'Security Hub' && checker.standards.includes('FSBP')).map((checker) => checker.id);
    expect(fsbp.sort()).toEqual([
      'EC2.10',
      'EC2.15',
      'EC2.18',
      'EC2.19',
      'EC2.2',
      'EC2.21',
      'EC2.28',
      'EC2.3',
      'EC2.6',
      'EC2.7',
      'EC2.8',
      'EC2.9',
      'ELB.1',
      'ELB.12',
      'ELB.13',
      'ELB.4',
      'ELB.5',
      'ELB.6',
    ]);
  });
});

describe('the metadata checkers', () => {
  const instance = (httpTokens: string, httpEndpoint: string): CheckerFacts => ({instance: {id: 'i-1', publicIp: false, httpTokens, httpEndpoint, instanceProfile: false}});
  function verdict(tool: 'Security Hub' | 'Prowler', id: string, facts: CheckerFacts) {
    const checker = findChecker(tool, id)!;
    if (checker.evaluates !== 'live') throw new Error(`${id} is not a live checker`);
    return checker.verdicts(facts)?.[0].verdict;
  }

  it('Security Hub EC2.8 fails HttpTokens optional even with the endpoint disabled; Prowler passes a disabled endpoint', () => {
    expect(verdict('Security Hub', 'EC2.8', instance('optional', 'disabled'))).toBe('fail');
    expect(verdict('Prowler', 'ec2_instance_imdsv2_enabled', instance('optional', 'disabled'))).toBe('pass');
    expect(verdict('Security Hub', 'EC2.8', instance('required', 'enabled'))).toBe('pass');
    expect(verdict('Security Hub', 'EC2.8', instance('optional', 'enabled'))).toBe('fail');
    expect(findChecker('Security Hub', 'EC2.8')!.rule).toContain('even when its metadata endpoint is disabled');
  });
});

describe('Checkov CKV_AWS_88', () => {
  const template = (eni: Record<string, unknown>): CfnTemplate => ({
    Resources: {Instance: {Type: 'AWS::EC2::Instance', Properties: {NetworkInterfaces: [{DeviceIndex: '0', ...eni}]}}},
  });
  function verdict(t: CfnTemplate) {
    const checker = findChecker('Checkov', 'CKV_AWS_88')!;
    if (checker.evaluates !== 'template') throw new Error('CKV_AWS_88 reads templates');
    return checker.verdicts(t)[0].verdict;
  }

  it('sees only an explicit AssociatePublicIpAddress: true fails, false passes, no key is unknown to it', () => {
    expect(verdict(template({AssociatePublicIpAddress: true}))).toBe('fail');
    expect(verdict(template({AssociatePublicIpAddress: false}))).toBe('pass');
    // EC2PublicIP.py returns UNKNOWN: the subnet decides, and the template does not show it.
    expect(verdict(template({}))).toBe('not-applicable');
  });

  it('the public-address finding says so instead of "flags any public IPv4"', () => {
    const finding = findingsFor(defaultSpec()).find((f) => f.id === 'public-ipv4')!;
    expect(finding.explanation).toContain('AssociatePublicIpAddress true');
    expect(finding.explanation).toContain('would miss one the subnet hands out');
    expect(finding.explanation).not.toMatch(/Prowler and Checkov flag any public IPv4/);
  });
});

describe("Prowler's port checks", () => {
  it("the high-risk check's rule names the ports Prowler checks one by one instead of hiding them behind its list", () => {
    const rule = findChecker('Prowler', 'ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports')!.rule;
    expect(rule).not.toContain('not 22, which has its own check');
    expect(rule).toContain('Prowler checks 22, 3389, 20/21, 23, 3306, 1433/1434, 5432, 9200/9300/5601, 8888 each with a check of its own');
  });
});
