// A profile that only says "a new VPC, its private subnet": the defaults that assume a public web
// server (a public IPv4, httpd installed from the package repositories at first boot) follow the
// subnet instead, so the profile validates, explains and dry-runs with no public IP and no user
// data. A profile that asks for either in the private subnet in so many words is still refused by
// pre-flight, naming the field.
import {describe, expect, it} from 'vitest';
import {run as explainCommand} from '../../source/commands/explain.js';
import {validateSpec, validationWarnings} from '../../source/domain/validate.js';
import {parseProfileText} from '../../source/store/profile-file.js';
import {runCommand} from '../support/command-io.js';
import {answerDryRunLikeAws} from '../support/fault-proxy.js';
import {freshAccounts} from './preflight-support.js';
import {PUBLIC_WEB_SERVER_FLAGS} from '../support/launch-specs.js';

const openAccount = freshAccounts();

const PRIVATE = 'version: 1\nnetwork: {vpc: new, subnet: private}\n';

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a profile with only a new VPC and its private subnet', () => {
  it('gets no public IP and no user data, and validates without warnings', () => {
    const spec = parseProfileText(PRIVATE, 'private.yaml');
    expect(spec.network).toEqual({vpc: 'new', subnet: 'private', publicIp: false});
    expect(spec.instance.userData).toBe('none');
    expect(validateSpec(spec)).toEqual([]);
    expect(validationWarnings(spec)).toEqual([]);
  });

  it('the public subnet keeps the public web server defaults', () => {
    const spec = parseProfileText('version: 1\nnetwork: {vpc: new}\n', 'public.yaml');
    expect(spec.network).toMatchObject({subnet: 'public', publicIp: true});
    expect(spec.instance.userData).toBe('httpd');
  });

  it('explain shows no public IPv4, no public-IP finding and no warning', async () => {
    const account = await openAccount();
    const {code, stdout, stderr} = await runCommand(explainCommand, [account.profile(PRIVATE)], {flags: {format: 'json'}, env: account.env});
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as {spec: {network: unknown; instance: {userData: string}}; findings: Array<{id: string}>; plan: {steps: Array<{id: string; summary: string}>}};
    expect(doc.spec.network).toMatchObject({publicIp: false});
    expect(doc.spec.instance.userData).toBe('none');
    expect(doc.findings.map((finding) => finding.id)).not.toContain('public-ipv4');
    expect(doc.plan.steps.find((step) => step.id === 'run-instances')?.summary).not.toContain('public IP');
  });

  it('dry-runs clean: pre-flight passes, and RunInstances asks for no public IP and carries no user data', async () => {
    const account = await openAccount();
    answerDryRunLikeAws(account.proxy);
    const profile = account.profile(`${PRIVATE}instance: {name: private-dry}\n`);
    const {code, stdout, stderr} = await account.launch([profile], {dryRun: true, yes: true, output: 'json'});
    const lines = jsonLines(stdout);
    expect(
      lines.filter((line) => line.stepId === 'pre-flight'),
      stdout,
    ).toEqual([]);
    expect(lines.at(-1), stderr).toMatchObject({type: 'dry-run-summary', passed: true, wouldFail: 0});
    expect(code, stderr).toBe(0);
    const run = account.proxy.requests.find((request) => request.action === 'RunInstances' && request.body.includes('DryRun=true'));
    expect(run?.body).toContain('AssociatePublicIpAddress=false');
    expect(run?.body).not.toContain('UserData=');
  });

  it.each([
    ['a public IP', 'network: {vpc: new, subnet: private, publicIp: true}', 'public-ip-route', 'network.publicIp'],
    ['the httpd user data', 'network: {vpc: new, subnet: private}\ninstance: {userData: httpd}', 'user-data-route', 'instance.userData'],
  ])('asking for %s in the private subnet in so many words is refused, naming the field', async (_what, lines, check, field) => {
    const account = await openAccount();
    const profile = account.profile(`version: 1\n${lines}\n`);
    const explained = await runCommand(explainCommand, [profile], {env: account.env});
    expect(explained.stderr).toContain(`warning: ${field}: The private subnet has no`);

    answerDryRunLikeAws(account.proxy);
    // A public address (and a role on it) and the endpoints' default policy are high to the tools:
    // accepted, so pre-flight is what answers.
    const {code, stdout} = await account.launch([profile], {
      dryRun: true,
      yes: true,
      output: 'json',
      acceptRisk: [...PUBLIC_WEB_SERVER_FLAGS, 'session-endpoints-open-policy=private test subnet'],
    });
    expect(code).toBe(1);
    expect(jsonLines(stdout).find((line) => line.stepId === 'pre-flight')).toMatchObject({action: check, outcome: 'would-fail'});
    expect(jsonLines(stdout).find((line) => line.stepId === 'pre-flight')?.detail).toContain(field);

    const before = account.proxy.requests.length;
    const launched = await account.launch([profile], {yes: true, output: 'json', acceptRisk: [...PUBLIC_WEB_SERVER_FLAGS, 'session-endpoints-open-policy=private test subnet']});
    expect(launched.code).toBe(2);
    expect(launched.stderr).toContain(field);
    expect(account.creates(before)).toEqual([]);
  });
});
