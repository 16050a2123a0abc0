// `tandem launch NAME` lands on the review; once the Cloud is connected the review shows what
// became of each resource the profile reuses, and a missing one disables Launch with the reason.
import {afterEach, describe, expect, test} from 'vitest';
import type {ReferenceCheck} from '../../source/domain/cloud.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {deferred, fakeCloud, type FakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, waitFor, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const flat = (text: string) => text.replace(/\s+/g, ' ');

function reusingSpec(subnet = 'subnet-0dead123'): LaunchSpec {
  const base = defaultSpec();
  return {
    ...base,
    network: {vpc: 'vpc-0a1b2c3d', subnet, publicIp: true},
    storage: {...base.storage, kmsKey: '1234abcd-12ab-34cd-56ef-1234567890ab'},
    keyPair: {mode: 'existing', name: 'ops-key'},
  };
}

function withChecks(answer: (spec: LaunchSpec) => Promise<ReferenceCheck[]>): FakeCloud & {checked: LaunchSpec[]} {
  const checked: LaunchSpec[] = [];
  const cloud = fakeCloud({
    discovery: {
      vpcs: async () => [{id: 'vpc-0a1b2c3d', cidr: '10.20.0.0/16', isDefault: false, name: 'shop'}],
      subnets: async (vpcId) => [{id: 'subnet-0beef567', vpcId, cidr: '10.20.1.0/24', availabilityZone: 'us-east-1a', public: true, mapPublicIpOnLaunch: true}],
    },
  });
  return Object.assign(cloud, {
    checked,
    checkReferences: (spec: LaunchSpec) => {
      checked.push(spec);
      return answer(spec);
    },
  });
}

function open(cloud: FakeCloud, spec: LaunchSpec, columns = 100) {
  const exits: number[] = [];
  const instance = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview checkReferences onExit={(code) => exits.push(code)} />, columns);
  return {...instance, exits, frame: () => instance.lastFrame() ?? ''};
}

const RESULTS: ReferenceCheck[] = [
  {kind: 'vpc', id: 'vpc-0a1b2c3d', field: 'network.vpc', status: 'ok', detail: 'VPC vpc-0a1b2c3d 10.20.0.0/16'},
  {kind: 'subnet', id: 'subnet-0dead123', field: 'network.subnet', status: 'missing', detail: 'subnet subnet-0dead123 no longer exists'},
  {
    kind: 'kms-key',
    id: '1234abcd-12ab-34cd-56ef-1234567890ab',
    field: 'storage.kmsKey',
    status: 'changed',
    detail: 'KMS key 1234abcd-12ab-34cd-56ef-1234567890ab is scheduled for deletion on 2026-02-01',
  },
  {kind: 'key-pair', id: 'ops-key', field: 'keyPair.name', status: 'unknown', detail: 'could not check: ec2:DescribeKeyPairs was denied (UnauthorizedOperation)'},
];

describe('references of a replayed profile on the review', () => {
  test('checking first, then each reference with what changed; a missing one disables Launch', async () => {
    const answer = deferred<ReferenceCheck[]>();
    const cloud = withChecks(() => answer.promise);
    const app = open(cloud, reusingSpec());
    await waitForText(app, 'What changed since this profile was saved');
    expect(flat(app.frame())).toContain('checking that what the profile reuses still exists');
    answer.resolve(RESULTS);
    await waitFor(() => flat(app.frame()).includes('subnet subnet-0dead123 no longer exists'), 'the results on the review', app.frame);
    const frame = flat(app.frame());
    expect(frame).toContain('✓ network.vpc: VPC vpc-0a1b2c3d 10.20.0.0/16');
    expect(frame).toContain('✗ network.subnet: subnet subnet-0dead123 no longer exists');
    expect(frame).toContain('! storage.kmsKey: KMS key 1234abcd-12ab-34cd-56ef-1234567890ab is scheduled for deletion');
    expect(frame).toContain('? keyPair.name: could not check: ec2:DescribeKeyPairs was denied');
    expect(frame).toContain('Launch — network.subnet subnet-0dead123 no longer exists; esc to go back and choose again');
    expect(cloud.checked).toHaveLength(1);

    // The cursor stays on Launch, and Enter there says why it cannot launch instead of launching.
    expect(flat(app.frame())).toContain('› Launch');
    await press(app.stdin, KEY.enter);
    await waitFor(() => flat(app.frame()).includes('Launch: network.subnet subnet-0dead123 no longer exists'), 'the reason as a notice', app.frame);
    expect(cloud.launches).toHaveLength(0);
  });

  test('everything still there: says so, and Launch stays available', async () => {
    const cloud = withChecks(async () => RESULTS.map((result) => ({...result, status: 'ok' as const, detail: `${result.id} is there`})));
    const app = open(cloud, reusingSpec());
    await waitFor(() => flat(app.frame()).includes('nothing: everything the profile reuses is still there'), 'the all-clear', app.frame);
    expect(flat(app.frame())).not.toContain('no longer exists');
    for (let guard = 0; !flat(app.frame()).includes('› Launch'); guard++) {
      if (guard > 10) throw new Error(`Launch is not selectable:\n${app.frame()}`);
      await press(app.stdin, KEY.down);
    }
  });

  test('a failed check is shown, not fatal; a profile that reuses nothing shows no block', async () => {
    const failing = withChecks(async () => Promise.reject(new Error('socket hang up')));
    const app = open(failing, reusingSpec());
    await waitFor(() => flat(app.frame()).includes('could not check: socket hang up'), 'the failure line', app.frame);
    cleanupAll();

    const nothing = withChecks(async () => []);
    const plain = open(nothing, defaultSpec());
    await waitForText(plain, 'What next');
    expect(plain.frame()).not.toContain('What changed since');
    expect(nothing.checked).toHaveLength(0);
  });

  test('going back to choose another subnet checks again and re-enables Launch', async () => {
    const cloud = withChecks(async (spec) =>
      spec.network.subnet === 'subnet-0dead123'
        ? RESULTS.slice(0, 2)
        : [RESULTS[0], {...RESULTS[1], id: spec.network.subnet, status: 'ok', detail: `subnet ${spec.network.subnet} in vpc-0a1b2c3d`}],
    );
    const app = open(cloud, reusingSpec());
    await waitFor(() => flat(app.frame()).includes('no longer exists; esc to go back'), 'Launch disabled', app.frame);
    // Back to the network screen (review is step 12, network is step 4).
    for (let guard = 0; !app.frame().includes('step 4 of 12'); guard++) {
      if (guard > 10) throw new Error(`never reached the network screen:\n${app.frame()}`);
      await press(app.stdin, KEY.esc);
    }
    await waitForText(app, 'subnet-0beef567');
    // Tab past the VPC choice and the VPC list to the subnet list, and pick the listed subnet.
    await press(app.stdin, KEY.tab, 2);
    await press(app.stdin, KEY.down);
    await waitFor(() => flat(app.frame()).includes('› subnet-0beef567'), 'subnet-0beef567 to be picked', app.frame);
    await enterUntil(app, 'What next');
    await waitFor(() => flat(app.frame()).includes('✓ network.subnet: subnet subnet-0beef567 in vpc-0a1b2c3d'), 'the new subnet checked', app.frame);
    expect(flat(app.frame())).not.toContain('no longer exists');
    expect(cloud.checked.map((spec) => spec.network.subnet)).toEqual(['subnet-0dead123', 'subnet-0beef567']);
  });
});
