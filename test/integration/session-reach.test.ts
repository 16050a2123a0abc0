// Session Manager actually reachable: verification asks Systems Manager whether the instance
// registered (DescribeInstanceInformation filtered by its id), waits a few polls at most, and says
// "online" or "not yet" beside PASS/FAIL. Prowler's ec2_instance_managed_by_ssm follows the same
// answer: pass once listed, fail while not.
//
// Where moto differs from AWS: moto 5.2.1 has no DescribeInstanceInformation at all (its SSM
// backend never registers EC2 instances, with or without an instance profile), so the fault proxy
// answers that call as AWS documents it: an InstanceInformationList whose entries carry InstanceId
// and PingStatus ('Online', 'ConnectionLost', 'Inactive'), empty until the agent registers.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createCloud} from '../../source/aws/index.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import type {VerificationResult} from '../../source/domain/cloud.js';
import {renderVerificationTable} from '../../source/domain/verification-table.js';
import {newLaunchId} from '../../source/store/journal.js';
import {freshAccountId, motoEndpoint, testSettings} from '../support/aws.js';
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {collect, FAST, tempDir} from './provision-support.js';

const ACTION = 'DescribeInstanceInformation';
const notListed = JSON.stringify({InstanceInformationList: []});
const listed = (instanceId: string, pingStatus: string) =>
  JSON.stringify({InstanceInformationList: [{InstanceId: instanceId, PingStatus: pingStatus, ResourceType: 'EC2Instance', PlatformType: 'Linux', AgentVersion: '3.3.0.0'}]});

let proxy: FaultProxy;
let cloud: Awaited<ReturnType<typeof createCloud>>;
let launchId: string;
let instanceId: string;

const sessionRow = (results: VerificationResult[]) => results.find((row) => row.control === 'session-manager')!;
const managedVerdict = (row: VerificationResult) => row.checkerVerdicts.find((verdict) => verdict.id === 'ec2_instance_managed_by_ssm');

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  const settings = testSettings({accountId: freshAccountId(), endpointUrl: proxy.endpoint});
  cloud = await createCloud(settings, tempDir('tandem-home-'), {...FAST, ssmWait: {polls: 3, intervalMs: 10}});
  const spec = defaultSpec('us-east-1');
  spec.network = {vpc: 'new', subnet: 'public', cidr: '10.63.0.0/16', publicIp: true};
  // A fresh instance: not registered during the launch's own verification.
  proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: notListed});
  launchId = newLaunchId();
  const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: collect().onEvent});
  expect(result.status).toBe('launched');
  instanceId = result.instanceId!;
  const row = sessionRow(result.verification!);
  // Not registered yet is not a failure of anything tandem chose.
  expect(row).toMatchObject({status: 'pass', reachable: 'not yet'});
});

afterAll(async () => {
  await cloud.destroy(launchId);
  await proxy.close();
});

describe('Session Manager reachability', () => {
  it('asks Systems Manager for this instance until it is online, through throttling, and says online apart from PASS/FAIL', async () => {
    proxy.clear();
    const before = proxy.count(ACTION);
    proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: notListed, times: 1});
    proxy.add({service: 'ssm', action: ACTION, kind: 'throttle', times: 1});
    proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: listed(instanceId, 'Online')});
    const results = await cloud.verify(launchId);
    const row = sessionRow(results);
    expect(row).toMatchObject({status: 'pass', reachable: 'online'});
    expect(row.actual).toContain('Systems Manager lists the instance: online');
    expect(managedVerdict(row)).toMatchObject({tool: 'Prowler', verdict: 'pass', resource: instanceId});
    // Not listed, throttled, then online: three questions, each filtered by the instance's id.
    const asked = proxy.requests.filter((request) => request.action === ACTION).slice(before);
    expect(asked).toHaveLength(3);
    for (const request of asked) expect(JSON.parse(request.body)).toEqual({Filters: [{Key: 'InstanceIds', Values: [instanceId]}]});
    // Every other row is judged as before; only the Session Manager row carries the field.
    expect(results.filter((other) => other.reachable !== undefined).map((other) => other.control)).toEqual(['session-manager']);
    expect(renderVerificationTable(results, 160)).toMatch(/Session Manager: online/);
  });

  it("reads the role's trust policy back: Prowler's confused-deputy check fails the Session Manager role, as predicted before launch", async () => {
    proxy.clear();
    proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: notListed});
    const row = (await cloud.verify(launchId)).find((item) => item.control === 'iam-instance-role')!;
    expect(row.checkerVerdicts.find((verdict) => verdict.id === 'iam_role_cross_service_confused_deputy_prevention')).toMatchObject({
      tool: 'Prowler',
      verdict: 'fail',
      resource: 'tandem-ssm-web-1',
    });
  });

  it('stops after the bounded wait and says not yet; Prowler would fail it until the agent registers', async () => {
    proxy.clear();
    const before = proxy.count(ACTION);
    proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: listed(instanceId, 'ConnectionLost'), times: 1});
    proxy.add({service: 'ssm', action: ACTION, kind: 'answer', body: notListed});
    const results = await cloud.verify(launchId);
    const row = sessionRow(results);
    expect(row).toMatchObject({status: 'pass', reachable: 'not yet'});
    expect(row.actual).toMatch(/does not list the instance yet \(asked 3 times\); run tandem verify again/);
    expect(proxy.count(ACTION) - before).toBe(3);
    expect(managedVerdict(row)).toMatchObject({verdict: 'fail'});
    expect(renderVerificationTable(results, 160)).toMatch(/Session Manager: not yet/);
  });
});
