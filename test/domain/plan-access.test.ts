import {describe, expect, it} from 'vitest';
import {buildPlan, checkPlan} from '../../source/domain/plan.js';
import type {Plan, PlanStep} from '../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

const ids = (plan: Plan) => plan.steps.map((s) => s.id);
const step = (plan: Plan, id: string): PlanStep => plan.steps.find((s) => s.id === id) ?? expect.fail(`no step ${id} in ${ids(plan).join(', ')}`);
const withSpec = (change: (spec: LaunchSpec) => void): LaunchSpec => {
  const spec = defaultSpec('eu-west-1');
  change(spec);
  return spec;
};
const POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

describe('Session Manager in the plan', () => {
  it('no role named: tandem creates one holding only the managed policy, and no key or port 22', () => {
    const plan = buildPlan(defaultSpec('eu-west-1'));
    expect(step(plan, 'iam-role').params.RoleName).toBe('tandem-ssm-web-1');
    expect(step(plan, 'iam-role-ssm')).toMatchObject({service: 'iam', action: 'AttachRolePolicy', params: {PolicyArn: POLICY}, dependsOn: ['iam-role']});
    expect(ids(plan)).not.toContain('iam-role-policy');
    expect(step(plan, 'instance-profile').params.InstanceProfileName).toBe('tandem-ssm-web-1');
    expect(JSON.stringify(step(plan, 'security-group-ingress').params)).not.toMatch(/"FromPort":22/);
    expect(step(plan, 'run-instances').params).not.toHaveProperty('KeyName');
    expect(checkPlan(plan)).toEqual([]);
  });

  it('a role name given (or renumbered by pre-flight) names the created role', () => {
    const plan = buildPlan(withSpec((spec) => (spec.role = {mode: 'none', name: 'tandem-ssm-web-1-2'})));
    expect(step(plan, 'iam-role').params.RoleName).toBe('tandem-ssm-web-1-2');
  });

  it('the S3 role tandem creates carries the managed policy too; an existing role is never changed', () => {
    const s3 = buildPlan(withSpec((spec) => (spec.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'assets', access: 'read'})));
    expect(ids(s3)).toEqual(expect.arrayContaining(['iam-role-policy', 'iam-role-ssm']));
    const existing = buildPlan(withSpec((spec) => (spec.role = {mode: 'existing', name: 'WebRole'})));
    expect(existing.steps.filter((s) => s.service === 'iam')).toEqual([]);
    expect(step(existing, 'run-instances').params.IamInstanceProfile).toEqual({Name: 'WebRole'});
  });

  it('Session Manager off: no role at all, as before', () => {
    const plan = buildPlan(withSpec((spec) => (spec.access.sessionManager = false)));
    expect(plan.steps.filter((s) => s.service === 'iam')).toEqual([]);
    expect(step(plan, 'run-instances').params).not.toHaveProperty('IamInstanceProfile');
  });

  it('a private subnet of a new VPC gets three interface endpoints with private DNS, behind HTTPS from the VPC only', () => {
    const plan = buildPlan(withSpec((spec) => (spec.network = {vpc: 'new', cidr: '10.8.0.0/16', subnet: 'private', publicIp: false})));
    expect(checkPlan(plan)).toEqual([]);
    expect(step(plan, 'vpc-dns-hostnames').params).toEqual({VpcId: {ref: 'vpc', output: 'Vpc.VpcId'}, EnableDnsHostnames: {Value: true}});
    expect(step(plan, 'ssm-endpoint-group-ingress').params.IpPermissions).toEqual([
      {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '10.8.0.0/16', Description: 'HTTPS from the VPC to the endpoints'}]},
    ]);
    for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
      const endpoint = step(plan, `ssm-endpoint-${service}`);
      expect(endpoint.params).toMatchObject({
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        SubnetIds: [{ref: 'subnet-private', output: 'Subnet.SubnetId'}],
        SecurityGroupIds: [{ref: 'ssm-endpoint-group', output: 'GroupId'}],
        PrivateDnsEnabled: true,
      });
      expect(endpoint.creates).toEqual(['vpc-endpoint']);
      expect(endpoint.dependsOn).toEqual(expect.arrayContaining(['vpc-dns-hostnames', 'ssm-endpoint-group', 'subnet-private']));
      expect(endpoint.summary).toMatch(/about \$0\.01 an hour/);
    }
  });

  it('no endpoints for a public subnet, the default VPC, or with Session Manager off', () => {
    const none = (change: (spec: LaunchSpec) => void) => ids(buildPlan(withSpec(change))).filter((id) => id.startsWith('ssm-endpoint'));
    expect(none(() => undefined)).toEqual([]);
    expect(none((spec) => (spec.network = {vpc: 'new', subnet: 'public', publicIp: true}))).toEqual([]);
    expect(
      none((spec) => {
        spec.network = {vpc: 'new', subnet: 'private', publicIp: false};
        spec.access.sessionManager = false;
      }),
    ).toEqual([]);
  });
});
