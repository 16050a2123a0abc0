// Detailed monitoring launched for real against moto through the strict proxy and checked with an
// independent DescribeInstances: Monitoring.State is enabled by default and disabled when the
// profile turns it off; verification's row and Prowler's predicted verdict agree with it.
// moto reports Monitoring.State from RunInstances' Monitoring.Enabled as AWS does, except that AWS
// may show 'pending' for a moment first (verification accepts it; Prowler fails it until enabled).
import {afterAll, describe, expect, it} from 'vitest';
import {DescribeInstancesCommand} from '@aws-sdk/client-ec2';
import {makeClients} from '../../source/aws/clients.js';
import {buildPlan} from '../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {newLaunchId} from '../../source/store/journal.js';
import {freshAccountId, testSettings} from '../support/aws.js';
import {collect, testCloud} from './provision-support.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function launch(spec: LaunchSpec) {
  const settings = testSettings({accountId: freshAccountId()});
  const {cloud} = await testCloud(settings);
  const check = await makeClients(settings);
  const launchId = newLaunchId();
  const result = await cloud.launch(spec, buildPlan(spec), {launchId, onEvent: collect().onEvent});
  cleanups.push(() => cloud.destroy(launchId));
  expect(result.status).toBe('launched');
  const described = await check.ec2.send(new DescribeInstancesCommand({InstanceIds: [result.instanceId!]}));
  const row = result.verification!.find((item) => item.control === 'detailed-monitoring')!;
  return {state: described.Reservations![0].Instances![0].Monitoring?.State, row};
}

function specWith(cidr: string, monitoring?: boolean): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  spec.network = {vpc: 'new', subnet: 'public', cidr, publicIp: true};
  spec.access = {sessionManager: false, instanceConnect: false};
  if (monitoring !== undefined) spec.instance.detailedMonitoring = monitoring;
  return spec;
}

describe('detailed monitoring on the local endpoint', () => {
  it('is enabled by default: DescribeInstances says so, the row passes and Prowler would pass it', async () => {
    const {state, row} = await launch(specWith('10.64.0.0/16'));
    expect(state).toBe('enabled');
    expect(row).toMatchObject({status: 'pass', actual: 'Monitoring.State enabled'});
    expect(row.checkerVerdicts).toEqual([expect.objectContaining({tool: 'Prowler', id: 'ec2_instance_detailed_monitoring_enabled', verdict: 'pass'})]);
  });

  it('stays disabled when the profile turns it off: the row passes as chosen and Prowler would fail it', async () => {
    const {state, row} = await launch(specWith('10.65.0.0/16', false));
    expect(state).toBe('disabled');
    expect(row).toMatchObject({status: 'pass', actual: 'Monitoring.State disabled'});
    expect(row.checkerVerdicts).toEqual([expect.objectContaining({verdict: 'fail'})]);
  });
});
