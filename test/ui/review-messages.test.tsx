// What the account checks find reaches the review as messages, not through a ref read on render:
// names tandem made up that are taken are renumbered with a line saying so, and a Launch chosen
// while pre-flight still checks goes ahead once it passes.
import {afterEach, expect, test} from 'vitest';
import type {Cloud, PreflightReport} from '../../source/domain/cloud.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {deferred, fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, waitFor, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const flat = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

test('taken names are renumbered on the review, with a line saying so, and the launch uses the new ones', async () => {
  const checked: string[] = [];
  const cloud = fakeCloud();
  const withChecks: Cloud = {
    ...cloud,
    // web-sg is taken in this account; web-sg-2 is free.
    proposeNames: async (spec: LaunchSpec) => (spec.securityGroup.name === 'web-sg' ? {...spec, securityGroup: {...spec.securityGroup, name: 'web-sg-2'}} : spec),
    preflight: async (spec: LaunchSpec) => {
      checked.push(spec.securityGroup.name ?? '');
      return {references: [], results: []};
    },
  };
  const app = renderAt(
    <App
      mode="live"
      cloud={withChecks}
      identity={identity}
      initialSpec={publicWebServerSpec()}
      startAtReview
      proposeNames={['securityGroup.name']}
      makeLaunchId={() => 'l-20260101t120000-abcdef'}
      onExit={() => undefined}
    />,
    110,
  );
  await waitFor(() => flat(app.lastFrame()).includes('web-sg is taken, using web-sg-2'), 'the line saying the name was renumbered', app.lastFrame);
  // Pre-flight then checks the renumbered spec, once.
  await waitFor(() => checked.length === 1, 'pre-flight of the renumbered spec', app.lastFrame);
  expect(checked).toEqual(['web-sg-2']);
  expect(flat(app.lastFrame())).toContain('create web-sg-2');
  await press(app.stdin, KEY.enter);
  await waitFor(() => cloud.launches.length === 1, 'the launch to start', app.lastFrame);
  expect(cloud.launches[0].spec.securityGroup.name).toBe('web-sg-2');
});

test('Launch chosen while pre-flight checks starts once it passes, and not before', async () => {
  const answer = deferred<PreflightReport>();
  const cloud = fakeCloud();
  const withChecks: Cloud = {...cloud, preflight: () => answer.promise};
  const app = renderAt(
    <App mode="live" cloud={withChecks} identity={identity} initialSpec={publicWebServerSpec()} startAtReview makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} />,
    110,
  );
  await waitForText(app, '› Launch');
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'launching as soon as pre-flight passes');
  expect(cloud.launches).toHaveLength(0);
  answer.resolve({references: [], results: []});
  await waitFor(() => cloud.launches.length === 1, 'the launch to start once pre-flight passed', app.lastFrame);
});
