// The exports are renderings of the plan: the CloudFormation template and the CLI script follow
// the plan's steps (not the spec again), every kind of step the plan makes has a rendering in
// both, and checker verdicts read the template they are given.
import {describe, expect, it} from 'vitest';
import {checkerVerdicts} from '../../source/domain/checker-run.js';
import {factsFromSpec} from '../../source/domain/checker-facts.js';
import {CLI_RENDERERS} from '../../source/domain/export-cli-steps.js';
import {cliScript} from '../../source/domain/export-cli.js';
import {CFN_RENDERERS} from '../../source/domain/export-cloudformation-steps.js';
import {cloudFormationObject} from '../../source/domain/export-cloudformation.js';
import {buildPlan} from '../../source/domain/plan.js';
import type {Plan} from '../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

const base = defaultSpec();
const SPECS: LaunchSpec[] = [
  base,
  {...base, backup: {plan: true, retentionDays: 14, firstSnapshot: true}},
  {...base, network: {vpc: 'new', subnet: 'public', publicIp: true}, storage: {...base.storage, kmsKey: 'new'}, instance: {...base.instance, tenancy: 'host'}},
  {...base, network: {vpc: 'new', subnet: 'private', publicIp: false}, instance: {...base.instance, userData: 'none'}},
  {...base, network: {vpc: 'vpc-0123456789abcdef0', subnet: 'subnet-0123456789abcdef0', publicIp: false}, storage: {...base.storage, kmsKey: 'alias/mine'}},
  {
    ...base,
    role: {mode: 'create', bucket: 'assets', access: 'read'},
    keyPair: {mode: 'create', name: 'k', type: 'ed25519', path: '~/.ssh/k.pem'},
    securityGroup: {...base.securityGroup, ssh: '203.0.113.7/32'},
  },
  {
    ...base,
    keyPair: {mode: 'import', name: 'k', path: '~/.ssh/k.pub'},
    access: {sessionManager: false, instanceConnect: true},
    instance: {...base.instance, image: 'ami', amiId: 'ami-0123456789abcdef0'},
  },
];

/** The plan with the security group's name changed, as if the plan (not the spec) had decided it. */
function renamedGroup(spec: LaunchSpec): Plan {
  const plan = buildPlan(spec);
  return {steps: plan.steps.map((step) => (step.id === 'security-group' ? {...step, params: {...step.params, GroupName: 'from-the-plan'}} : step))};
}

describe('exports render the plan', () => {
  it('every kind of step the plan makes has a CloudFormation and a CLI rendering', () => {
    const actions = new Set(SPECS.flatMap((spec) => buildPlan(spec).steps.map((step) => step.action)));
    expect(actions.size).toBeGreaterThan(25);
    // The instance is rendered on its own in both; CloudFormation waits for a running instance itself.
    for (const action of [...actions].filter((name) => name !== 'RunInstances')) {
      if (action !== 'WaitUntilInstanceRunning') expect(CFN_RENDERERS[action], action).toBeDefined();
      expect(CLI_RENDERERS[action], action).toBeDefined();
    }
  });

  it('the template and the script take the security group from the plan they are given', () => {
    const template = cloudFormationObject(base, {profile: 'web'}, renamedGroup(base));
    expect((template.Resources.SecurityGroup as {Properties: {GroupName: string}}).Properties.GroupName).toBe('from-the-plan');
    const script = cliScript(base, {profile: 'web'}, renamedGroup(base)).replace(/ \\\n\s+/g, ' ');
    expect(script).toContain('aws ec2 create-security-group --group-name from-the-plan');
    expect(script).not.toContain('--group-name web-sg');
  });

  it("the script's inbound rules carry the launch-id and profile tags, as tandem's own rules do", () => {
    const script = cliScript(base, {profile: 'web'}).replace(/ \\\n\s+/g, ' ');
    const authorize = script.split('\n').find((line) => line.startsWith('aws ec2 authorize-security-group-ingress'));
    expect(authorize).toContain(
      `--tag-specifications '[{"ResourceType":"security-group-rule","Tags":[{"Key":"Name","Value":"web-sg"},{"Key":"tandem:launch-id","Value":"'"$LAUNCH_ID"'"},{"Key":"tandem:profile","Value":"web"}]}]'`,
    );
  });

  it('checker verdicts read the template they are given', () => {
    const template = cloudFormationObject(base, {profile: 'web'});
    const group = template.Resources.SecurityGroup as {Properties: {SecurityGroupIngress: unknown[]}};
    group.Properties.SecurityGroupIngress.push({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0', Description: 'SSH'});
    const ssh = (verdicts: ReturnType<typeof checkerVerdicts>) => verdicts.find((verdict) => verdict.id === 'CKV_AWS_24')?.verdict;
    expect(ssh(checkerVerdicts(base))).toBe('pass');
    expect(ssh(checkerVerdicts(base, factsFromSpec(base), template))).toBe('fail');
  });
});
