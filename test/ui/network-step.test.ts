// The wizard's network step: moving into a new VPC's private subnet drops the public IP and the
// httpd install (neither can work without a way out), as a profile's defaults do; moving out of it
// (to its public subnet, or another VPC) brings them back.
import {describe, expect, test} from 'vitest';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {validateSpec, validationWarnings} from '../../source/domain/validate.js';
import type {ChoiceField} from '../../source/ui/fields.js';
import {networkStep} from '../../source/ui/steps/network.js';

function choose(spec: LaunchSpec, id: string, value: string): LaunchSpec {
  const field = networkStep.fields.find((candidate) => candidate.id === id) as ChoiceField;
  return field.set(spec, value);
}

describe('the network step', () => {
  test('the private subnet of a new VPC: no public IP, no httpd install, and nothing to warn about', () => {
    const spec = choose(choose(defaultSpec(), 'network.vpc', 'new'), 'network.subnet', 'private');
    expect(spec.network).toMatchObject({vpc: 'new', subnet: 'private', publicIp: false});
    expect(spec.instance.userData).toBe('none');
    expect(validateSpec(spec)).toEqual([]);
    expect(validationWarnings(spec)).toEqual([]);
  });

  test('leaving the private subnet brings the public web server defaults back', () => {
    const inPrivate = choose(choose(defaultSpec(), 'network.vpc', 'new'), 'network.subnet', 'private');
    for (const spec of [choose(inPrivate, 'network.subnet', 'public'), choose(inPrivate, 'network.vpc', 'default')]) {
      expect(spec.network.publicIp).toBe(true);
      expect(spec.instance.userData).toBe('httpd');
    }
  });

  test('other moves leave an explicit choice alone', () => {
    const base = defaultSpec();
    const noPublicIp: LaunchSpec = {...base, network: {...base.network, publicIp: false}, instance: {...base.instance, userData: 'none'}};
    const spec = choose(noPublicIp, 'network.vpc', 'new');
    expect(spec.network).toMatchObject({subnet: 'public', publicIp: false});
    expect(spec.instance.userData).toBe('none');
  });
});
