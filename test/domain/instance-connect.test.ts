// EC2 Instance Connect in the pure parts: the plan (a prefix-list lookup, then port 22 from that
// list only), the checkers' view (a prefix list is never "the internet"), findings, the login
// line, the panel, and every export (CloudFormation, CLI script, markdown).
import {execFileSync} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {panelControls} from '../../source/domain/catalog.js';
import {checkerVerdicts} from '../../source/domain/checker-run.js';
import {cliScript} from '../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../source/domain/export-cloudformation.js';
import {findingsFor} from '../../source/domain/findings.js';
import {fleetProfileProblems} from '../../source/domain/fleet.js';
import {instanceConnectListName} from '../../source/domain/controls/ways-in.js';
import {loginHint} from '../../source/domain/login-hint.js';
import {buildPlan, checkPlan} from '../../source/domain/plan.js';
import {explainDocument, renderMarkdown} from '../../source/domain/report.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

const base = defaultSpec('eu-west-1');
const eic: LaunchSpec = {...base, network: {vpc: 'new', subnet: 'public', publicIp: true}, access: {...base.access, instanceConnect: true}};

describe('EC2 Instance Connect', () => {
  test('the plan looks the list up and opens 22 to it alone, with no CIDR', () => {
    const plan = buildPlan(eic);
    expect(checkPlan(plan)).toEqual([]);
    const lookup = plan.steps.find((step) => step.action === 'DescribeManagedPrefixLists');
    expect(lookup).toMatchObject({creates: [], params: {Filters: [{Name: 'prefix-list-name', Values: ['com.amazonaws.eu-west-1.ec2-instance-connect']}]}});
    const ingress = plan.steps.find((step) => step.id === 'security-group-ingress')!;
    expect(ingress.dependsOn).toContain(lookup!.id);
    const port22 = (ingress.params.IpPermissions as Array<Record<string, unknown>>).filter((rule) => rule.FromPort === 22);
    expect(port22).toEqual([
      {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{PrefixListId: {ref: lookup!.id, output: 'PrefixLists.0.PrefixListId'}, Description: 'SSH from EC2 Instance Connect'}]},
    ]);
    expect(ingress.summary).toContain('SSH from EC2 Instance Connect (prefix list)');
  });

  test('an existing group is left alone: no lookup, no rule', () => {
    const existing: LaunchSpec = {...eic, network: base.network, securityGroup: {...eic.securityGroup, mode: 'existing', groupId: 'sg-0123456789abcdef0'}};
    expect(buildPlan(existing).steps.some((step) => step.action === 'DescribeManagedPrefixLists')).toBe(false);
  });

  test('no checker reads the prefix-list rule as SSH open to the internet', () => {
    const port22 = checkerVerdicts(eic).filter((verdict) => ['EC2.13', 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22', 'CKV_AWS_24', 'EC2.19'].includes(verdict.id));
    expect(port22.length).toBeGreaterThanOrEqual(4);
    for (const verdict of port22) expect(verdict.verdict, `${verdict.tool} ${verdict.id}`).toBe('pass');
    expect(findingsFor(eic).map((finding) => finding.id)).not.toContain('ssh-open-to-internet');
    expect(findingsFor(eic).find((finding) => finding.id === 'no-ssh-key')?.explanation).toContain('one-time public key');
  });

  test('the login line is the Instance Connect command, with --profile when one was used', () => {
    expect(loginHint(eic, {instanceId: 'i-0abc', region: 'eu-west-1', profile: 'ops', host: '203.0.113.5'})).toMatch(
      /^aws ec2-instance-connect ssh --instance-id i-0abc --region eu-west-1 --profile ops \(port 22 admits only/,
    );
    const withAddress: LaunchSpec = {...eic, securityGroup: {...eic.securityGroup, ssh: '198.51.100.4/32'}};
    expect(loginHint(withAddress, {instanceId: 'i-0abc', region: 'eu-west-1'})).toBe('aws ec2-instance-connect ssh --instance-id i-0abc --region eu-west-1');
  });

  test('the panel says who owns what for the highlighted choice', () => {
    const [control] = panelControls('security-group', 'instance-connect-on', eic);
    expect(control.aws).toContain(instanceConnectListName('eu-west-1'));
    expect(control.customer).toContain('ec2-instance-connect:SendSSHPublicKey');
    expect(control.verify).toContain('prefix list');
  });

  test('CloudFormation: a SourcePrefixListId rule from a parameter, never a CIDR', () => {
    const template = cloudFormationObject(eic, {profile: 'x'});
    const group = template.Resources.SecurityGroup as {Properties: {SecurityGroupIngress: Array<Record<string, unknown>>}};
    const port22 = group.Properties.SecurityGroupIngress.filter((rule) => rule.FromPort === 22);
    expect(port22).toEqual([{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: {Ref: 'InstanceConnectPrefixListId'}, Description: 'SSH from EC2 Instance Connect'}]);
    expect(template.Parameters.InstanceConnectPrefixListId).toMatchObject({Type: 'String', AllowedPattern: '^pl-[0-9a-f]{8,17}$'});
  });

  test('the CLI script finds the list, stops without it, and opens 22 to it alone', () => {
    const script = cliScript(eic, {profile: 'x'});
    expect(script).toContain('Name=prefix-list-name,Values=com.amazonaws.$REGION.ec2-instance-connect');
    expect(script).toContain(`"PrefixListIds":[{"PrefixListId":"'"$EIC_LIST_ID"'","Description":"SSH from EC2 Instance Connect"}]`);
    execFileSync('bash', ['-n'], {input: script});
  });

  test('the markdown matrix names the prefix-list rule and its lookup', () => {
    const markdown = renderMarkdown(explainDocument(eic, buildPlan(eic)));
    expect(markdown).toContain('SSH from EC2 Instance Connect only (prefix list)');
    expect(markdown).toContain('ec2:DescribeManagedPrefixLists');
    expect(markdown).toContain('com.amazonaws.eu-west-1.ec2-instance-connect');
  });

  test('a fleet refuses it: the list id differs in every region', () => {
    expect(fleetProfileProblems(eic).join(' ')).toContain('access.instanceConnect');
  });
});
