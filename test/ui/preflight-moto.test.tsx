// The wizard with the real adapter against the local endpoint: on the review, names tandem made up
// that are taken are renumbered (the default launch runs twice), and what pre-flight finds is
// shown and keeps Launch disabled, with nothing created.
import React from 'react';
import {CreateSecurityGroupCommand, DeleteSecurityGroupCommand} from '@aws-sdk/client-ec2';
import {CreateInstanceProfileCommand, CreateRoleCommand} from '@aws-sdk/client-iam';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createCloud, type AwsCloud} from '../../source/aws/index.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {freshAccount, type Account} from '../integration/preflight-support.js';
import {publicWebServerSpec} from '../support/launch-specs.js';
import {cleanupAll, KEY, press, renderAt, type, waitFor, waitForText} from './helpers.js';

let acct: Account;
let cloud: AwsCloud;
beforeEach(async () => {
  acct = await freshAccount();
  cloud = await createCloud({region: 'us-east-1', endpointUrl: acct.proxy.endpoint, maxAttempts: 1, credentials: {accessKeyId: 'testing', secretAccessKey: 'testing'}}, acct.home);
});
afterEach(async () => {
  cleanupAll();
  await acct.proxy.close();
});

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

function start(spec: LaunchSpec, extra: Partial<React.ComponentProps<typeof App>> = {}) {
  const exits: number[] = [];
  const instance = renderAt(<App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview onExit={(code) => exits.push(code)} {...extra} />, 110);
  return {...instance, exits, frame: () => instance.lastFrame() ?? ''};
}

async function launchFromReview(app: ReturnType<typeof start>) {
  await waitForText(app, 'pre-flight passed', 15000);
  // The cursor skipped Launch while pre-flight was checking; it sits below it now.
  for (let guard = 0; !app.frame().includes('› Launch'); guard++) {
    if (guard > 15) throw new Error(`no Launch action; last frame:\n${app.frame()}`);
    await press(app.stdin, guard < 8 ? KEY.down : KEY.up);
  }
  // The default web server's high risks need a reason first: Launch asks once for all of them.
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'high risks acceptable here?');
  await type(app.stdin, 'public web server');
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'as recorded risks');
  await press(app.stdin, KEY.enter);
  await waitForText(app, 'Open the site', 30000);
  await press(app.stdin, KEY.enter);
  await waitFor(() => app.exits.length > 0, 'the app to exit', app.frame);
}

describe('the review with credentials', () => {
  test('the default launch twice: the second renumbers the taken security group name and launches', async () => {
    const first = start(defaultSpec('us-east-1'));
    await launchFromReview(first);
    expect(first.exits).toEqual([0]);
    cleanupAll();

    const second = start(defaultSpec('us-east-1'));
    await waitForText(second, 'web-sg is taken, using web-sg-2', 15000);
    // The role made for Session Manager is renumbered the same way.
    await waitForText(second, 'tandem-ssm-web-1 is taken, using tandem-ssm-web-1-2', 15000);
    await launchFromReview(second);
    expect(second.exits).toEqual([0]);
    expect(acct.proxy.requests.filter((request) => request.action === 'CreateSecurityGroup').map((request) => request.body)).toEqual([
      expect.stringContaining('GroupName=web-sg&'),
      expect.stringContaining('GroupName=web-sg-2&'),
    ]);
  });

  test('a name the operator typed is kept; pre-flight shows it taken and Launch stays disabled', async () => {
    await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'shop-sg', Description: 'taken'}));
    const base = defaultSpec('us-east-1');
    const app = start({...base, securityGroup: {...base.securityGroup, name: 'shop-sg'}});
    await waitForText(app, 'Pre-flight');
    await waitForText(app, 'securityGroup.name: shop-sg: security group', 15000);
    expect(app.frame()).toContain('pre-flight found a problem above');
    expect(acct.creates()).toEqual([]);
  });
});

describe('pre-flight again in the same session', () => {
  async function takenName() {
    const group = await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'shop-sg', Description: 'taken'}));
    const base = defaultSpec('us-east-1');
    const app = start({...base, securityGroup: {...base.securityGroup, name: 'shop-sg'}});
    await waitForText(app, 'securityGroup.name: shop-sg: security group', 15000);
    expect(app.frame()).toContain('pre-flight found a problem above');
    // Fixed outside tandem: the taken group is deleted with the SDK.
    await acct.clients.ec2.send(new DeleteSecurityGroupCommand({GroupId: group.GroupId}));
    return app;
  }

  test('r re-checks the account: the fixed problem is gone and Launch is enabled', async () => {
    const app = await takenName();
    expect(app.frame()).toContain('r re-check the account');
    await press(app.stdin, 'r');
    await waitForText(app, 'pre-flight passed', 15000);
    expect(app.frame()).not.toContain('pre-flight found');
    expect(app.frame()).toMatch(/› Launch\s*\n/);
  });

  test('coming back to the review from an earlier step checks the account again', async () => {
    const app = await takenName();
    await press(app.stdin, KEY.esc);
    await waitFor(() => !app.frame().includes('Pre-flight'), 'the step before the review', app.frame);
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'pre-flight passed', 15000);
    expect(app.frame()).not.toContain('pre-flight found');
  });
});

describe('a pre-flight read the endpoint does not answer', () => {
  test.each(['server-error', 'reset'] as const)('(%s) blocks Launch like a failed check, says the endpoint did not answer and that r re-checks; nothing is created', async (kind) => {
    acct.proxy.add({action: 'DescribeInstanceTypeOfferings', kind});
    const app = start(defaultSpec('us-east-1'));
    await waitForText(app, 'the endpoint did not answer', 15000);
    expect(app.frame()).toContain('r re-checks');
    expect(app.frame()).not.toContain('pre-flight passed');
    expect(app.frame()).toMatch(/Launch — the endpoint did not answer a pre-flight read/);
    // Enter on Launch launches nothing: it says why.
    for (let guard = 0; !app.frame().includes('› Launch'); guard++) {
      if (guard > 15) throw new Error(`no Launch action; last frame:\n${app.frame()}`);
      await press(app.stdin, guard < 8 ? KEY.up : KEY.down);
    }
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Launch: the endpoint did not answer');
    expect(acct.creates()).toEqual([]);
    expect(app.exits).toEqual([]);
    // The endpoint answers again: r checks the account again and Launch is enabled.
    acct.proxy.clear();
    await press(app.stdin, 'r');
    await waitForText(app, 'pre-flight passed', 15000);
    expect(app.frame()).not.toContain('the endpoint did not answer');
    expect(app.frame()).toMatch(/› Launch\s*\n/);
  });
});

describe('two launches started together', () => {
  test('names taken by another launch between the review and the create move on to the next number; the launch succeeds', async () => {
    // Its high risks are recorded already, so the first Enter on Launch launches.
    const app = start(publicWebServerSpec());
    await waitForText(app, 'pre-flight passed', 15000);
    // Another launch takes the security group, role and instance profile names this review proposed.
    await acct.clients.ec2.send(new CreateSecurityGroupCommand({GroupName: 'web-sg', Description: 'the other launch'}));
    const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]});
    await acct.clients.iam.send(new CreateRoleCommand({RoleName: 'tandem-ssm-web-1', AssumeRolePolicyDocument: trust}));
    await acct.clients.iam.send(new CreateInstanceProfileCommand({InstanceProfileName: 'tandem-ssm-web-1'}));
    for (let guard = 0; !app.frame().includes('› Launch'); guard++) {
      if (guard > 15) throw new Error(`no Launch action; last frame:\n${app.frame()}`);
      await press(app.stdin, guard < 8 ? KEY.down : KEY.up);
    }
    await press(app.stdin, KEY.enter);
    await waitForText(app, 'Open the site', 30000);
    const bodies = (action: string) => acct.proxy.requests.filter((request) => request.action === action).map((request) => request.body);
    // The launch's own calls carry its tag: the first finds web-sg taken, the next takes web-sg-2.
    expect(bodies('CreateSecurityGroup').filter((body) => body.includes('tandem%3Alaunch-id'))).toEqual([
      expect.stringContaining('GroupName=web-sg&'),
      expect.stringContaining('GroupName=web-sg-2&'),
    ]);
    expect(bodies('CreateRole').at(-1)).toContain('RoleName=tandem-ssm-web-1-2');
    expect(bodies('CreateInstanceProfile').at(-1)).toContain('InstanceProfileName=tandem-ssm-web-1-2');
  });
});
