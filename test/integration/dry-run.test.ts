// Dry run against moto. moto ignores DryRun for CreateVpc, CreateSubnet, the route-table calls
// and AllocateHosts and would really create them (docs/design.md section 5); the fault proxy answers
// DryRunOperation for those calls instead, as AWS would. Denied calls are also played by the proxy
// (moto allows everything).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DescribeKeyPairsCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, DescribeInstancesCommand} from '@aws-sdk/client-ec2';
import {ListRolesCommand} from '@aws-sdk/client-iam';
import {makeClients} from '../../source/aws/clients.js';
import {dryRunPassed} from '../../source/aws/dry-run.js';
import {buildPlan} from '../../source/domain/plan.js';
import {motoEndpoint, testSettings} from '../support/aws.js';
import {answerDryRunLikeAws, startFaultProxy, type FaultProxy} from '../support/fault-proxy.js';
import {everythingNewSpec, tempDir, testCloud} from './provision-support.js';

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
});
afterAll(async () => {
  await proxy.close();
});

describe('dry run', () => {
  it('reports every EC2 call as would-succeed, IAM and KMS as not checkable, and creates nothing', async () => {
    const accountId = '6' + String(Date.now()).slice(-11);
    const {cloud} = await testCloud(testSettings({accountId, endpointUrl: proxy.endpoint}));
    const check = await makeClients(testSettings({accountId}));
    const vpcsBefore = (await check.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length;
    answerDryRunLikeAws(proxy);
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const results = await cloud.dryRun(spec, buildPlan(spec));
    proxy.clear();

    const byStep = Object.fromEntries(results.map((result) => [result.stepId, result]));
    for (const step of ['vpc', 'subnet-public', 'subnet-private', 'internet-gateway', 'security-group', 'security-group-ingress', 'key-pair', 'run-instances']) {
      expect(byStep[step]?.outcome, step).toBe('would-succeed');
    }
    for (const step of ['iam-role', 'iam-role-policy', 'instance-profile', 'instance-profile-role', 'kms-key', 'kms-alias', 'kms-rotation']) {
      expect(byStep[step]?.outcome, step).toBe('not-checkable');
    }
    // Read-only lookups are really made: the image exists.
    expect(byStep['image-parameter']?.outcome).toBe('would-succeed');
    expect(byStep.image?.outcome).toBe('would-succeed');
    expect(dryRunPassed(results)).toBe(true);

    expect((await check.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length).toBe(vpcsBefore);
    expect((await check.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs).toEqual([]);
    const groups = (await check.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    expect(groups.every((group) => group.GroupName === 'default')).toBe(true);
    expect((await check.ec2.send(new DescribeInstancesCommand({}))).Reservations).toEqual([]);
    expect((await check.iam.send(new ListRolesCommand({}))).Roles?.filter((role) => role.RoleName === 'EC2AccessToS3Role')).toEqual([]);
  });

  it('names the denied action', async () => {
    const {cloud} = await testCloud(testSettings({endpointUrl: proxy.endpoint}));
    answerDryRunLikeAws(proxy);
    proxy.add({action: 'RunInstances', kind: 'unauthorized', bodyIncludes: 'DryRun=true'});
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const results = await cloud.dryRun(spec, buildPlan(spec));
    proxy.clear();
    const run = results.find((result) => result.stepId === 'run-instances');
    expect(run).toMatchObject({outcome: 'denied'});
    expect(run?.detail).toContain('ec2:RunInstances');
    expect(dryRunPassed(results)).toBe(false);
  });

  it('reports and undoes a call the endpoint really made despite DryRun', async () => {
    const accountId = '7' + String(Date.now()).slice(-11);
    const {cloud} = await testCloud(testSettings({accountId}));
    const check = await makeClients(testSettings({accountId}));
    const vpcsBefore = (await check.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length;
    const spec = everythingNewSpec(tempDir('tandem-keys-'));
    const results = await cloud.dryRun(spec, buildPlan(spec));
    expect(results.find((result) => result.stepId === 'vpc')).toMatchObject({outcome: 'error'});
    expect(dryRunPassed(results)).toBe(false);
    expect((await check.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.length).toBe(vpcsBefore);
  });
});
