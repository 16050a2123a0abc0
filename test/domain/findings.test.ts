import {describe, expect, it} from 'vitest';
import {ARCHITECTURE_NOTE, FINDING_IDS, acceptRisk, findingsFor, unacceptedHighRisks} from '../../source/domain/findings.js';
import {ingressFindings} from '../../source/domain/controls/security-group.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {PUBLIC_WEB_SERVER_RISKS} from '../support/launch-specs.js';

type Change = (spec: LaunchSpec) => void;

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
/** Behind a load balancer (docs/load-balancer.md), with its choices changed by `lb`. */
const balanced =
  (lb: Partial<NonNullable<Exclude<LaunchSpec['loadBalancer'], false>>> = {}): Change =>
  (s) => {
    s.network = {vpc: 'new', subnet: 'private', publicIp: false};
    s.loadBalancer = {certificate: 'none', deletionProtection: true, accessLogs: false, ...lb};
  };

/** For each finding: a change that triggers it, and a change (from the same base) that does not. */
const CASES: Record<string, {base?: Change; on: Change; off: Change}> = {
  'instance-connect-without-public-ip': {
    base: (s) => void (s.access = {...s.access, instanceConnect: true}),
    on: (s) => void (s.network = {vpc: 'new', subnet: 'private', publicIp: false}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'ssh-open-to-internet': {
    on: (s) => void (s.securityGroup.ssh = '0.0.0.0/0'),
    off: (s) => void (s.securityGroup.ssh = '203.0.113.7/32'),
  },
  'http-open-to-internet': {
    on: (s) => void (s.securityGroup.http = '0.0.0.0/0'),
    off: (s) => void (s.securityGroup.http = '198.51.100.0/24'),
  },
  'public-ipv4': {
    on: (s) => void (s.network.publicIp = true),
    off: (s) => void (s.network.publicIp = false),
  },
  'subnet-auto-public-ip': {
    on: (s) => void (s.network = {vpc: 'default', subnet: 'default', publicIp: false}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', cidr: '10.0.0.0/16', publicIp: false}),
  },
  'no-flow-logs': {
    on: (s) => void (s.network = {vpc: 'default', subnet: 'default', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'default', subnet: 'default', publicIp: true, flowLogs: true}),
  },
  'flow-log-group-no-kms': {
    on: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true, flowLogs: false}),
  },
  'no-instance-role': {
    // Session Manager (on by default) brings a role of its own.
    base: (s) => void (s.access.sessionManager = false),
    on: (s) => void (s.role = {mode: 'none'}),
    off: (s) => void (s.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'b', access: 'read'}),
  },
  'public-instance-with-role': {
    base: (s) => void (s.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'b', access: 'read'}),
    on: (s) => void (s.network.publicIp = true),
    off: (s) => void (s.network.publicIp = false),
  },
  'no-backup-plan': {
    on: (s) => void (s.backup = {plan: false, retentionDays: 7, firstSnapshot: true}),
    off: (s) => void (s.backup = {plan: true, retentionDays: 7, firstSnapshot: true}),
  },
  'backup-vault-default-key': {
    on: (s) => void (s.backup = {plan: true, retentionDays: 7, firstSnapshot: true}),
    off: (s) => void (s.backup = {plan: false, retentionDays: 7, firstSnapshot: true}),
  },
  'no-first-snapshot': {
    on: (s) => void (s.backup = {plan: false, retentionDays: 7, firstSnapshot: false}),
    off: (s) => void (s.backup = {plan: false, retentionDays: 7, firstSnapshot: true}),
  },
  'backup-role-trust-unscoped': {
    on: (s) => void (s.backup = {plan: true, retentionDays: 7, firstSnapshot: true}),
    off: (s) => void (s.backup = {plan: false, retentionDays: 7, firstSnapshot: true}),
  },
  'snapshot-unencrypted': {
    on: (s) => void (s.storage = {...s.storage, encrypted: false}),
    off: (s) => void (s.storage = {...s.storage, encrypted: true}),
  },
  'ebs-unencrypted': {
    on: (s) => void (s.storage.encrypted = false),
    off: (s) => void (s.storage.encrypted = true),
  },
  'imdsv1-allowed': {
    on: (s) => void (s.instance.imds = 'optional'),
    off: (s) => void (s.instance.imds = 'required'),
  },
  'dedicated-tenancy-cost': {
    on: (s) => void (s.instance.tenancy = 'host'),
    off: (s) => void (s.instance.tenancy = 'default'),
  },
  'role-trust-unscoped': {
    on: (s) => void (s.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'}),
    // An existing role's trust policy is read after launch, not predicted.
    off: (s) => void ((s.role = {mode: 'existing', name: 'web-role'}), (s.access = {...s.access, sessionManager: false})),
  },
  'detailed-monitoring-off': {
    on: (s) => void (s.instance.detailedMonitoring = false),
    off: (s) => void (s.instance.detailedMonitoring = true),
  },
  'al2-end-of-support': {
    on: (s) => void (s.instance.image = 'al2'),
    off: (s) => void (s.instance.image = 'al2023'),
  },
  'kms-aws-managed-key': {
    on: (s) => void (s.storage.kmsKey = 'aws/ebs'),
    off: (s) => void (s.storage.kmsKey = 'new'),
  },
  'session-endpoints-cost': {
    on: (s) => void (s.network = {vpc: 'new', subnet: 'private', publicIp: false}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'session-endpoints-one-zone': {
    on: (s) => void (s.network = {vpc: 'new', subnet: 'private', publicIp: false}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'session-endpoints-open-policy': {
    on: (s) => void (s.network = {vpc: 'new', subnet: 'private', publicIp: false}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'port-open-on-instance': {
    on: (s) => void (s.securityGroup.http = '0.0.0.0/0'),
    off: (s) => void (s.securityGroup.http = '198.51.100.0/24'),
  },
  // Before launch only a VPC tandem knows is judged: the default one, or one it creates.
  'vpc-without-ec2-endpoint': {
    on: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'vpc-12345678', subnet: 'subnet-12345678', publicIp: true}),
  },
  'vpc-subnets-all-public': {
    on: (s) => void (s.network = {vpc: 'default', subnet: 'default', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'default-security-group-open': {
    on: (s) => void (s.network = {vpc: 'default', subnet: 'default', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'network-acl-open': {
    on: (s) => void (s.network = {vpc: 'vpc-0abc1234', subnet: 'subnet-0abc1234', publicIp: true}),
    off: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
  },
  'network-acl-ssh-from-internet': {
    base: (s) => void (s.network = {vpc: 'new', subnet: 'public', publicIp: true}),
    on: (s) => void (s.securityGroup.ssh = '0.0.0.0/0'),
    off: (s) => void (s.securityGroup.ssh = '203.0.113.7/32'),
  },
  'session-logging-off': {
    on: (s) => void (s.access.sessionManager = true),
    off: (s) => void (s.access.sessionManager = false),
  },
  'lb-http-only': {on: balanced(), off: balanced({certificate: CERTIFICATE})},
  'lb-tls-not-fips': {on: balanced({certificate: CERTIFICATE}), off: balanced()},
  'lb-no-access-logs': {on: balanced(), off: balanced({accessLogs: 'my-elb-logs'})},
  'lb-deletion-unprotected': {on: balanced({deletionProtection: false}), off: balanced()},
  'lb-no-waf': {on: balanced(), off: (s) => void (s.loadBalancer = false)},
  'lb-internet-facing': {on: balanced(), off: (s) => void (s.loadBalancer = false)},
  'package-endpoint-open': {on: balanced(), off: (s) => void (s.loadBalancer = undefined)},
  'no-ssh-key': {
    on: (s) => void (s.keyPair = {mode: 'none'}),
    off: (s) => void (s.keyPair = {mode: 'create', name: 'web-key', type: 'ed25519', path: '/tmp/web-key.pem'}),
  },
};

function specWith(...changes: Array<Change | undefined>): LaunchSpec {
  const spec = defaultSpec();
  for (const change of changes) change?.(spec);
  return spec;
}
const ids = (spec: LaunchSpec) => findingsFor(spec).map((f) => f.id);

describe('findingsFor', () => {
  for (const [id, c] of Object.entries(CASES)) {
    it(`${id} fires only when its condition holds`, () => {
      expect(ids(specWith(c.base, c.on))).toContain(id);
      expect(ids(specWith(c.base, c.off))).not.toContain(id);
    });
  }

  it('covers every finding id, with explanation, control and severity', () => {
    const seen = new Set<string>(Object.keys(CASES));
    seen.add('high-risk-port-open'); // checked through ingressFindings below
    expect([...seen].sort()).toEqual([...FINDING_IDS].sort());
    const everything = specWith(
      (s) => (s.securityGroup.ssh = '::/0'),
      (s) => (s.role = {mode: 'existing', name: 'r'}),
      (s) => (s.storage.encrypted = false),
      (s) => (s.instance.imds = 'optional'),
      (s) => (s.instance.tenancy = 'dedicated'),
      (s) => (s.instance.image = 'al2'),
    );
    for (const f of findingsFor(everything)) {
      expect(f.explanation.length, f.id).toBeGreaterThan(40);
      expect(f.title, f.id).toBeTruthy();
      expect(['high', 'medium', 'low', 'info']).toContain(f.severity);
      expect(f.control, f.id).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it('treats ::/0 on SSH like 0.0.0.0/0, and says so with high severity', () => {
    const finding = findingsFor(specWith((s) => (s.securityGroup.ssh = '::/0'))).find((f) => f.id === 'ssh-open-to-internet');
    expect(finding?.severity).toBe('high');
    expect(finding?.explanation).toContain('::/0');
    expect(finding?.checkers.map((c) => c.id)).toContain('EC2.13');
  });

  it('finds nothing wrong with HTTPS open to everyone', () => {
    const before = ids(specWith((s) => (s.securityGroup.https = false)));
    const after = ids(specWith((s) => (s.securityGroup.https = '0.0.0.0/0')));
    expect(after).toEqual(before);
  });

  it('judges no rules on an existing group, which tandem does not change', () => {
    const spec = specWith((s) => {
      s.securityGroup = {...s.securityGroup, mode: 'existing', groupId: 'sg-0123456789abcdef0', ssh: '0.0.0.0/0'};
    });
    expect(ids(spec)).not.toContain('ssh-open-to-internet');
    expect(ids(spec)).not.toContain('http-open-to-internet');
  });

  it('explains why the checkers disagree', () => {
    const all = findingsFor(specWith((s) => (s.role = {mode: 'create', bucket: 'b'})));
    const http = all.find((f) => f.id === 'http-open-to-internet')!;
    expect(http.explanation).toMatch(/CKV_AWS_260/);
    expect(http.explanation).toMatch(/EC2\.18/);
    // Not Checkov alone: Prowler's any-port check fails port 80 on an instance's group, at high.
    expect(http.explanation).toContain("Prowler's ec2_securitygroup_allow_ingress_from_internet_to_any_port fails it at high");
    // EC2.18 passes port 80 (an authorised port): named in the explanation, not in the list.
    expect(http.checkers).toEqual([{tool: 'Checkov', id: 'CKV_AWS_260'}]);
    expect(all.find((f) => f.id === 'public-instance-with-role')!.checkers[0]).toEqual({
      tool: 'Prowler',
      id: 'ec2_instance_internet_facing_with_instance_profile',
    });
    expect(all.find((f) => f.id === 'public-ipv4')!.checkers[0].id).toBe('EC2.9');
  });

  it('lists the most severe findings first', () => {
    const order = {high: 0, medium: 1, low: 2, info: 3};
    const severities = findingsFor(
      specWith(
        (s) => (s.securityGroup.ssh = '0.0.0.0/0'),
        (s) => (s.storage.encrypted = false),
      ),
    ).map((f) => order[f.severity]);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
  });

  it('finds the default spec: public web server on HTTP with aws/ebs, no key, and a role for Session Manager', () => {
    expect(ids(defaultSpec()).sort()).toEqual([
      // tandem leaves the default VPC's own group and list alone, and says what the checkers will find.
      'default-security-group-open',
      'http-open-to-internet',
      'kms-aws-managed-key',
      'network-acl-open',
      // The first snapshot is taken by default; the backup plan is one profile line away.
      'no-backup-plan',
      // The default VPC gets no flow logs unless the profile asks (Security Hub EC2.6, Prowler).
      'no-flow-logs',
      'no-ssh-key',
      'port-open-on-instance',
      // The role made for Session Manager is still a role on an internet-facing instance to Prowler.
      'public-instance-with-role',
      'public-ipv4',
      // Prowler's confused-deputy check fails the Session Manager role tandem creates.
      'role-trust-unscoped',
      'session-logging-off',
      'subnet-auto-public-ip',
      'vpc-subnets-all-public',
      'vpc-without-ec2-endpoint',
    ]);
    const withRole = findingsFor(defaultSpec()).find((f) => f.id === 'public-instance-with-role')!;
    expect(withRole.explanation).toContain('holds just AmazonSSMManagedInstanceCore');
    expect(withRole.checkers.map((c) => c.id)).toEqual(['ec2_instance_internet_facing_with_instance_profile']);
    expect(findingsFor(defaultSpec()).find((f) => f.id === 'no-ssh-key')!.explanation).toContain('Session Manager gives the shell instead');
    const endpoints = findingsFor(specWith((s) => (s.network = {vpc: 'new', subnet: 'private', publicIp: false}))).find((f) => f.id === 'session-endpoints-cost')!;
    expect(endpoints.explanation).toMatch(/3 interface endpoints \(ssm, ssmmessages, ec2messages\)\. Each costs about \$0\.01 per endpoint-hour/);
  });
});

describe('ingressFindings', () => {
  it('flags other high-risk ports open to the internet, not to one address', () => {
    const open = ingressFindings([{port: 3389, cidr: '0.0.0.0/0'}]);
    expect(open.map((f) => f.id)).toEqual(['high-risk-port-open', 'port-open-on-instance']);
    expect(open[0].explanation).toContain('3389');
    // 3389 is outside EC2.18's authorised ports, in EC2.19's list and in Checkov's CKV_AWS_25, not in Prowler's list.
    expect(open[0].checkers.map((c) => c.id)).toEqual(['EC2.18', 'EC2.19', 'CKV_AWS_25']);
    // Prowler's high-risk list leaves 3389 out, but a check of its own fails it: the finding names it.
    expect(open[0].explanation).toContain('Prowler fails it with ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389 (high)');
    expect(ingressFindings([{port: 5432, cidr: '0.0.0.0/0'}])[0].explanation).toContain('ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_postgres_5432');
    expect(ingressFindings([{port: 3389, cidr: '203.0.113.7/32'}])).toEqual([]);
    // Prowler's any-port check fails the web ports too: only a load balancer in front removes that.
    expect(ingressFindings([{port: 443, cidr: '0.0.0.0/0'}]).map((f) => f.id)).toEqual(['port-open-on-instance']);
    expect(ingressFindings([{port: 443, cidr: '0.0.0.0/0'}])[0].checkers.map((c) => c.id)).toEqual(['ec2_securitygroup_allow_ingress_from_internet_to_any_port']);
    expect(ingressFindings([{port: 443, cidr: '0.0.0.0/0'}])[0].architectureOnly).toBe(true);
  });
});

describe('findings only an architecture change removes', () => {
  it('the web port open on the instance, the public address and a role on an internet-facing instance say so and point to a load balancer', () => {
    const findings = findingsFor(defaultSpec());
    const architecture = findings.filter((f) => f.explanation.endsWith(ARCHITECTURE_NOTE)).map((f) => f.id);
    expect(architecture.sort()).toEqual(['port-open-on-instance', 'public-instance-with-role', 'public-ipv4']);
    expect(ARCHITECTURE_NOTE).toMatch(/only an architecture change: put the server behind a load balancer/);
    // Accepting one keeps the sentence; it is a fact about the risk, not about the choice.
    const accepted = findingsFor(acceptRisk(defaultSpec(), 'public-ipv4', 'public web server')).find((f) => f.id === 'public-ipv4')!;
    expect(accepted.accepted).toEqual({reason: 'public web server'});
    expect(accepted.explanation.endsWith(ARCHITECTURE_NOTE)).toBe(true);
    expect(findings.find((f) => f.id === 'subnet-auto-public-ip')!.explanation).not.toContain(ARCHITECTURE_NOTE);
    expect(Object.keys(accepted)).not.toContain('architectureOnly');
  });
});

describe('accepted risks', () => {
  it('marks a finding accepted, carrying the reason', () => {
    const spec = acceptRisk(defaultSpec(), 'http-open-to-internet', 'public web server');
    const http = findingsFor(spec).find((f) => f.id === 'http-open-to-internet');
    expect(http?.accepted).toEqual({reason: 'public web server'});
    expect(findingsFor(spec).find((f) => f.id === 'public-ipv4')?.accepted).toBeUndefined();
  });

  it('replaces an earlier reason and leaves the original spec alone', () => {
    const original = defaultSpec();
    const once = acceptRisk(original, 'public-ipv4', 'first');
    const twice = acceptRisk(once, 'public-ipv4', '  behind CloudFront later  ');
    expect(original.acceptedRisks).toEqual([]);
    expect(twice.acceptedRisks).toEqual([{finding: 'public-ipv4', reason: 'behind CloudFront later'}]);
  });

  it('refuses unknown findings and empty reasons', () => {
    expect(() => acceptRisk(defaultSpec(), 'made-up', 'x')).toThrow(/unknown finding "made-up"/);
    expect(() => acceptRisk(defaultSpec(), 'public-ipv4', '   ')).toThrow(/needs a reason/);
  });
});

describe("a finding's severity is the tools' highest", () => {
  const severity = (spec: LaunchSpec, id: string) => findingsFor(spec).find((finding) => finding.id === id)?.severity;

  it('raises a finding to the highest severity a tool gives its checks, critical counted as high', () => {
    // public-ipv4: tandem's own medium, Prowler medium, Security Hub EC2.9 high.
    expect(severity(defaultSpec(), 'public-ipv4')).toBe('high');
    // subnet-auto-public-ip: tandem's own low, EC2.15 medium, Prowler high.
    expect(severity(defaultSpec(), 'subnet-auto-public-ip')).toBe('high');
    // no-instance-role: tandem's own info, Prowler ec2_instance_profile_attached medium.
    expect(
      severity(
        specWith((s) => ((s.role = {mode: 'none'}), (s.access = {sessionManager: false, instanceConnect: false}))),
        'no-instance-role',
      ),
    ).toBe('medium');
    // ssh-open-to-internet: EC2.19 is critical, which tandem's scale reads as high.
    expect(
      severity(
        specWith((s) => (s.securityGroup.ssh = '0.0.0.0/0')),
        'ssh-open-to-internet',
      ),
    ).toBe('high');
  });

  it('keeps its own severity where no tool rates its checks (Checkov rates none)', () => {
    expect(severity(defaultSpec(), 'http-open-to-internet')).toBe('low');
    expect(severity(defaultSpec(), 'no-ssh-key')).toBe('info');
  });

  it('gates on that severity: the default launch has high risks nobody accepted until someone does', () => {
    expect(
      unacceptedHighRisks(defaultSpec())
        .map((finding) => finding.id)
        .sort(),
    ).toEqual(['default-security-group-open', 'network-acl-open', 'port-open-on-instance', 'public-instance-with-role', 'public-ipv4', 'role-trust-unscoped', 'subnet-auto-public-ip']);
    expect(unacceptedHighRisks({...defaultSpec(), acceptedRisks: PUBLIC_WEB_SERVER_RISKS})).toEqual([]);
  });
});
