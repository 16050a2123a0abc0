// The executor's checks of a plan before it runs anything, and StepRef resolution.
import {describe, expect, it} from 'vitest';
import {planProblems} from '../../source/aws/executor.js';
import {resolveParams} from '../../source/aws/refs.js';
import {placeholderFor} from '../../source/aws/dry-run.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import type {PlanStep} from '../../source/domain/plan-types.js';

const step = (id: string, dependsOn: string[], params: PlanStep['params'] = {}): PlanStep => ({
  id,
  service: 'ec2',
  action: 'CreateVpc',
  params,
  creates: [],
  dependsOn,
  controls: ['vpc-isolation'],
  dryRunnable: true,
  summary: id,
});

describe('planProblems', () => {
  it('accepts the plans buildPlan makes', () => {
    expect(planProblems(buildPlan(defaultSpec()))).toEqual([]);
  });

  it('finds unknown dependencies, refs without a dependency path, and cycles', () => {
    expect(planProblems({steps: [step('a', ['nope'])]})).toEqual(['step a depends on unknown step nope']);
    expect(planProblems({steps: [step('a', []), step('b', [], {VpcId: {ref: 'a', output: 'Vpc.VpcId'}})]})).toEqual(['step b uses the output of a without depending on it']);
    expect(planProblems({steps: [step('a', ['b']), step('b', ['a'])]})).toEqual(['the plan has a dependency cycle']);
  });
});

describe('resolveParams', () => {
  it('follows dotted paths (with array indexes) and launch values, deep inside params', () => {
    const outputs = new Map([['image', {Images: [{ImageId: 'ami-1', RootDeviceName: '/dev/xvda'}]}]]);
    const resolved = resolveParams(
      {
        ImageId: {ref: 'image', output: 'Images.0.ImageId'},
        BlockDeviceMappings: [{DeviceName: {ref: 'image', output: 'Images.0.RootDeviceName'}}],
        ClientToken: {ref: '$launch', output: 'clientToken'},
        Tags: [{Key: 'tandem:launch-id', Value: {ref: '$launch', output: 'id'}}],
      },
      {launchId: 'l-1', clientToken: 'token', outputs},
    );
    expect(resolved).toEqual({
      ImageId: 'ami-1',
      BlockDeviceMappings: [{DeviceName: '/dev/xvda'}],
      ClientToken: 'token',
      Tags: [{Key: 'tandem:launch-id', Value: 'l-1'}],
    });
    expect(() => resolveParams({X: {ref: 'image', output: 'Images.3.ImageId'}}, {launchId: 'l', clientToken: 't', outputs})).toThrow(/has no Images.3.ImageId/);
  });

  it('gives dry runs well-formed placeholders', () => {
    expect(placeholderFor({ref: 'vpc', output: 'Vpc.VpcId'}, undefined, 'us-east-1')).toBe('vpc-00000000000000000');
    expect(placeholderFor({ref: 'dedicated-host', output: 'HostIds.0'}, undefined, 'us-east-1')).toBe('h-00000000000000000');
    expect(placeholderFor({ref: 'kms-key', output: 'KeyMetadata.Arn'}, {...step('kms-key', []), service: 'kms'}, 'eu-west-1')).toMatch(/^arn:aws:kms:eu-west-1:000000000000:key\//);
    const profile = {...step('instance-profile', []), service: 'iam' as const, action: 'CreateInstanceProfile', params: {InstanceProfileName: 'Web'}};
    expect(placeholderFor({ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'}, profile, 'us-east-1')).toBe('Web');
  });
});
