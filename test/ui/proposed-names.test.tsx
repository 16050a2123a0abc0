// The TUI's launch passes the names tandem proposed (not the operator's or the profile's), with
// the name each is numbered from, as `launch --yes` does: a create that finds one taken by a
// launch started at the same time moves on to the next number instead of failing.
import React from 'react';
import {afterEach, expect, test} from 'vitest';
import {createdNames} from '../../source/domain/preflight.js';
import type {LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, waitFor, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

async function launchedWith(spec: LaunchSpec, extra: Partial<React.ComponentProps<typeof App>> = {}) {
  const cloud = fakeCloud();
  const app = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} {...extra} />,
    110,
  );
  await waitForText(app, '› Launch');
  await press(app.stdin, KEY.enter);
  await waitFor(() => cloud.launches.length === 1, 'the launch to start', app.lastFrame);
  return cloud.launches[0];
}

test('the default launch passes the security group and Session Manager role names tandem made up, with the name each is numbered from', async () => {
  const spec = publicWebServerSpec();
  const names = createdNames(spec);
  expect(names['role.name']).toBe('tandem-ssm-web-1');
  const launch = await launchedWith(spec);
  expect(launch.options.proposedNames).toEqual({'securityGroup.name': 'web-sg', 'role.name': 'tandem-ssm-web-1'});
});

test('a renumbered name is passed with the name its numbering counts from', async () => {
  const base = publicWebServerSpec();
  const launch = await launchedWith({...base, securityGroup: {...base.securityGroup, name: 'web-sg-3'}});
  expect(launch.spec.securityGroup.name).toBe('web-sg-3');
  expect(launch.options.proposedNames?.['securityGroup.name']).toBe('web-sg');
});

test('a name the operator typed, or one the replayed profile wrote, is not proposed', async () => {
  const base = publicWebServerSpec();
  const typed = await launchedWith({...base, securityGroup: {...base.securityGroup, name: 'shop-sg'}});
  expect(typed.options.proposedNames).toEqual({'role.name': 'tandem-ssm-web-1'});
  cleanupAll();
  // From a profile that wrote its security group name: only the fields it left out are proposed.
  const fromProfile = await launchedWith(base, {proposeNames: ['role.name']});
  expect(fromProfile.options.proposedNames).toEqual({'role.name': 'tandem-ssm-web-1'});
});
