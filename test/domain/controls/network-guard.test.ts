// The VPC's own filters: which entries tandem writes into a new VPC's network ACL, how Prowler and
// Security Hub judge a list (Prowler's rule-order walk, EC2.21's any-allow reading), what tandem
// predicts for a VPC it only uses, and how both exports render the steps.
import {describe, expect, it} from 'vitest';
import {checkerVerdicts} from '../../../source/domain/checker-run.js';
import {factsFromSpec} from '../../../source/domain/checker-facts.js';
import {intendedNaclEntries, judgeNetworkAcl, plannedNaclEntries} from '../../../source/domain/controls/network-guard.js';
import {cliScript} from '../../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../../source/domain/export-cloudformation.js';
import {findingsFor} from '../../../source/domain/findings.js';
import {AWS_DEFAULT_NACL_ENTRIES, hubNaclOpensAdminPorts, naclEntryText, prowlerNaclOpen, type NaclEntryFact} from '../../../source/domain/nacl-rules.js';
import {buildPlan} from '../../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../../source/domain/spec.js';

const newVpc = (change: (spec: LaunchSpec) => void = () => undefined): LaunchSpec => {
  const spec = defaultSpec('us-east-1');
  spec.network = {vpc: 'new', subnet: 'public', publicIp: true};
  change(spec);
  return spec;
};

const verdictsOf = (spec: LaunchSpec) =>
  checkerVerdicts(spec, factsFromSpec(spec), cloudFormationObject(spec, {profile: 'p'}))
    .filter((verdict) => verdict.row === 'network-acl' || verdict.row === 'default-security-group')
    .map((verdict) => `${verdict.id} ${verdict.verdict}`)
    .sort();

describe('the network ACL of a VPC tandem creates', () => {
  it('admits the web ports and SSH from the reviewed sources, replies on ephemeral ports, and sends out only 80, 443 and replies', () => {
    const spec = newVpc((s) => (s.securityGroup = {...s.securityGroup, http: '0.0.0.0/0', https: '0.0.0.0/0', ssh: '203.0.113.7/32'}));
    expect(intendedNaclEntries(spec).map(naclEntryText)).toEqual([
      'in 10 allow tcp 80 from 0.0.0.0/0',
      'in 20 allow tcp 443 from 0.0.0.0/0',
      'in 30 allow tcp 22 from 203.0.113.7/32',
      'in 50 allow tcp 32768-65535 from 0.0.0.0/0',
      'out 10 allow tcp 80 to 0.0.0.0/0',
      'out 20 allow tcp 443 to 0.0.0.0/0',
      'out 30 allow tcp 1024-65535 to 0.0.0.0/0',
      'in 100 deny all from 0.0.0.0/0',
      'out 100 deny all to 0.0.0.0/0',
    ]);
  });

  it('opens no port 22 with Session Manager alone, and port 22 to the world only for Instance Connect, said in a finding', () => {
    const session = newVpc();
    expect(plannedNaclEntries(session).filter((entry) => !entry.egress && entry.from === 22)).toEqual([]);
    expect(findingsFor(session).map((finding) => finding.id)).not.toContain('network-acl-ssh-from-internet');
    const eic = newVpc((s) => (s.access = {sessionManager: false, instanceConnect: true}));
    expect(
      plannedNaclEntries(eic)
        .filter((entry) => entry.from === 22)
        .map(naclEntryText),
    ).toEqual(['in 40 allow tcp 22 from 0.0.0.0/0']);
    const finding = findingsFor(eic).find((item) => item.id === 'network-acl-ssh-from-internet')!;
    expect(finding.explanation).toMatch(/prefix list com\.amazonaws\.us-east-1\.ec2-instance-connect/);
    expect(finding.checkers.map((checker) => checker.id)).toEqual(['ec2_networkacl_allow_ingress_tcp_port_22', 'EC2.21']);
  });

  it('predicts every checker passes on the default launch moved to a new VPC, and only the port-22 checks fail with SSH from anywhere', () => {
    expect(verdictsOf(newVpc())).toEqual([
      'EC2.2 pass',
      'EC2.21 pass',
      'ec2_networkacl_allow_ingress_any_port pass',
      'ec2_networkacl_allow_ingress_tcp_port_22 pass',
      'ec2_networkacl_allow_ingress_tcp_port_3389 pass',
      'ec2_securitygroup_default_restrict_traffic pass',
    ]);
    const world = verdictsOf(newVpc((s) => (s.securityGroup.ssh = '0.0.0.0/0'))).filter((verdict) => verdict.endsWith('fail'));
    expect(world).toEqual(['EC2.21 fail', 'ec2_networkacl_allow_ingress_tcp_port_22 fail']);
  });

  it('is verified entry by entry: an extra or missing entry fails the row', () => {
    const spec = newVpc();
    const exact = {id: 'acl-1', entries: intendedNaclEntries(spec)};
    expect(judgeNetworkAcl(spec, exact).status).toBe('pass');
    const widened: NaclEntryFact = {ruleNumber: 60, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0'};
    const judged = judgeNetworkAcl(spec, {id: 'acl-1', entries: [...exact.entries, widened]});
    expect(judged.status).toBe('fail');
    expect(judged.actual).toContain('extra: in 60 allow all from 0.0.0.0/0');
  });
});

describe("Prowler's and Security Hub's reading of a list", () => {
  const allow = (ruleNumber: number, from: number, to: number, cidr = '0.0.0.0/0'): NaclEntryFact => ({ruleNumber, egress: false, protocol: '6', action: 'allow', from, to, cidr});
  const denyAll = (ruleNumber: number): NaclEntryFact => ({ruleNumber, egress: false, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0'});

  it("walks inbound entries in rule order, as Prowler's check_network_acl does: the first match decides", () => {
    expect(prowlerNaclOpen(AWS_DEFAULT_NACL_ENTRIES, '-1', 0)).toBe(true);
    expect(prowlerNaclOpen([denyAll(99), ...AWS_DEFAULT_NACL_ENTRIES], '6', 22)).toBe(false);
    // A TCP range is not "any port": only an every-protocol entry matches that check.
    expect(prowlerNaclOpen([allow(10, 0, 65535), denyAll(100)], '-1', 0)).toBe(false);
    expect(prowlerNaclOpen([allow(10, 1024, 65535), denyAll(100)], '6', 3389)).toBe(true);
    expect(prowlerNaclOpen([allow(10, 22, 22, '203.0.113.7/32'), denyAll(100)], '6', 22)).toBe(false);
  });

  it('EC2.21 fails any inbound allow from the internet covering 22 or 3389, whatever comes before it', () => {
    expect(hubNaclOpensAdminPorts([denyAll(99), ...AWS_DEFAULT_NACL_ENTRIES])).toBe(true);
    expect(hubNaclOpensAdminPorts([allow(10, 32768, 65535), allow(20, 80, 80)])).toBe(false);
  });
});

describe('a VPC tandem only uses', () => {
  it('the default VPC: findings predict EC2.2 and the network-ACL checks with each tool severity, and say why tandem leaves them', () => {
    const spec = defaultSpec('us-east-1');
    const findings = findingsFor(spec);
    const group = findings.find((finding) => finding.id === 'default-security-group-open')!;
    expect(group.explanation).toMatch(/EC2\.2 \(high\).*ec2_securitygroup_default_restrict_traffic \(high\)/);
    expect(group.explanation).toMatch(/never changes a shared object it did not create/);
    const acl = findings.find((finding) => finding.id === 'network-acl-open')!;
    expect(acl.explanation).toMatch(
      /ec2_networkacl_allow_ingress_any_port \(high\), ec2_networkacl_allow_ingress_tcp_port_22 \(medium\), ec2_networkacl_allow_ingress_tcp_port_3389 \(medium\) and Security Hub EC2\.21 \(medium\)/,
    );
    expect(verdictsOf(spec).filter((verdict) => verdict.endsWith('fail'))).toHaveLength(6);
    expect(buildPlan(spec).steps.filter((step) => step.controls.includes('network-acl') || step.controls.includes('default-security-group'))).toEqual([]);
  });

  it('an existing VPC: the same findings, and no verdict guessed before launch', () => {
    const spec = defaultSpec('us-east-1');
    spec.network = {vpc: 'vpc-0123456789abcdef0', subnet: 'subnet-0123456789abcdef0', publicIp: false};
    expect(findingsFor(spec).map((finding) => finding.id)).toEqual(expect.arrayContaining(['default-security-group-open', 'network-acl-open']));
    expect(factsFromSpec(spec).networkAcls).toBeUndefined();
  });
});

describe('the exports of a new VPC', () => {
  const spec = newVpc((s) => (s.securityGroup.ssh = 'me'));

  it('CloudFormation: entries on the VPC default list, the SSH entry from the SSH parameter, a deny at 99 ahead of the VPC rule 100, and the default group named in an output', () => {
    const template = cloudFormationObject(spec, {profile: 'p'});
    const entries = Object.values(template.Resources).filter((resource) => (resource as {Type: string}).Type === 'AWS::EC2::NetworkAclEntry') as Array<{Properties: Record<string, unknown>}>;
    expect(entries.every((entry) => JSON.stringify(entry.Properties.NetworkAclId) === JSON.stringify({'Fn::GetAtt': ['Vpc', 'DefaultNetworkAcl']}))).toBe(true);
    expect(entries.map((entry) => entry.Properties.CidrBlock)).toContainEqual({Ref: 'SshSourceCidr'});
    const closing = entries.filter((entry) => entry.Properties.RuleAction === 'deny');
    expect(closing.map((entry) => [entry.Properties.RuleNumber, entry.Properties.Protocol, entry.Properties.Egress])).toEqual([
      [99, -1, false],
      [99, -1, true],
    ]);
    const output = template.Outputs.DefaultSecurityGroupId as {Description: string; Value: unknown};
    expect(output.Value).toEqual({'Fn::GetAtt': ['Vpc', 'DefaultSecurityGroup']});
    expect(output.Description).toMatch(/revoke-security-group-ingress.*revoke-security-group-egress/);
  });

  it('CLI script: finds the group and list by filter, revokes both rules, writes each entry, SSH from the address it looked up', () => {
    const script = cliScript(spec, {profile: 'p'});
    expect(script).toMatch(/DEFAULT_SECURITY_GROUP_ID=\$\(aws ec2 describe-security-groups[^)]*Name=group-name,Values=default/);
    expect(script).toContain('aws ec2 revoke-security-group-ingress');
    expect(script).toContain('aws ec2 revoke-security-group-egress');
    const command = (action: string, from = 0) => script.slice(script.indexOf(action, from), script.indexOf('\n', script.indexOf('--rule-action', script.indexOf(action, from))));
    expect(script).toContain('--cidr-block "$MY_CIDR"');
    const ssh = script.lastIndexOf('create-network-acl-entry', script.indexOf('--cidr-block "$MY_CIDR"'));
    expect(command('create-network-acl-entry', ssh)).toMatch(/--port-range From=22,To=22/);
    const close = command('replace-network-acl-entry');
    expect(close).toMatch(/--rule-number 100/);
    expect(close).toMatch(/--rule-action '?deny'?/);
  });
});
