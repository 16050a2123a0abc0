// Destroy is safe when resources are already gone (deleted by hand, or by an earlier run): every
// kind's "not found" answer counts as already gone (never as removed). The ids below never existed
// in this account.
import {randomUUID} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import type {CreatedResource} from '../../source/domain/cloud.js';
import type {ResourceKind} from '../../source/domain/plan-types.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {teardownOrder} from '../../source/aws/teardown.js';
import {testSettings} from '../support/aws.js';
import {testCloud} from './provision-support.js';

const GONE: Array<[ResourceKind, string]> = [
  ['vpc', 'vpc-0123456789abcdef0'],
  ['subnet', 'subnet-0123456789abcdef0'],
  ['internet-gateway', 'igw-0123456789abcdef0'],
  ['route-table', 'rtb-0123456789abcdef0'],
  ['security-group', 'sg-0123456789abcdef0'],
  ['vpc-endpoint', 'vpce-0123456789abcdef0'],
  ['key-pair', 'no-such-key'],
  ['instance', 'i-0123456789abcdef0'],
  ['iam-role', 'NoSuchRole'],
  ['iam-instance-profile', 'NoSuchProfile'],
  ['kms-key', randomUUID()],
  ['kms-alias', 'alias/no-such-alias'],
  ['ebs-snapshot', 'snap-0123456789abcdef0'],
  ['backup-vault', 'no-such-vault'],
  ['backup-plan', randomUUID()],
  // Not 'dedicated-host': moto answers ReleaseHosts for an unknown host with an HTML 500 page
  // (AWS lists it under Unsuccessful with InvalidHostId.NotFound, which tandem treats as gone).
];

describe('destroy', () => {
  it('counts resources that are already gone as already gone, not removed, for every kind', async () => {
    const {cloud} = await testCloud(testSettings());
    const launchId = newLaunchId();
    const resources: CreatedResource[] = GONE.map(([kind, id]) => ({kind, id, stepId: kind, region: 'us-east-1'}));
    cloud.journal.start({launchId, region: 'us-east-1', spec: defaultSpec(), status: 'interrupted', resources, resolved: {}});
    const result = await cloud.destroy(launchId);
    expect(result.failed).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(result.alreadyGone).toHaveLength(GONE.length);
    expect(cloud.journal.read(launchId)).toMatchObject({status: 'destroyed', resources: []});
  });

  it('orders teardown by dependency: instance first, VPC and KMS key last', () => {
    const resources: CreatedResource[] = GONE.map(([kind, id]) => ({kind, id, stepId: kind, region: 'us-east-1'}));
    const order = teardownOrder(resources).map((resource) => resource.kind);
    expect(order[0]).toBe('instance');
    expect(order.indexOf('security-group')).toBeLessThan(order.indexOf('vpc'));
    // An endpoint's interfaces hold its group and subnet until it is gone.
    expect(order.indexOf('vpc-endpoint')).toBeLessThan(order.indexOf('security-group'));
    expect(order.indexOf('vpc-endpoint')).toBeLessThan(order.indexOf('subnet'));
    expect(order.indexOf('iam-instance-profile')).toBeLessThan(order.indexOf('iam-role'));
    expect(order.indexOf('internet-gateway')).toBeLessThan(order.indexOf('vpc'));
    expect(order.indexOf('subnet')).toBeLessThan(order.indexOf('vpc'));
    expect(order.slice(-2)).toEqual(['kms-alias', 'kms-key']);
  });
});
