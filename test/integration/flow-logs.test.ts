// VPC flow logs against moto through the real SDK: on by default for a VPC tandem creates, one
// profile line away for the default VPC, and gone again with destroy. Every claim is checked with
// independent Describe calls (EC2 DescribeFlowLogs, CloudWatch Logs DescribeLogGroups, IAM GetRole),
// never through tandem's own code. moto 5.2.1 implements CreateFlowLogs (cloud-watch-logs
// destination, tags), DescribeFlowLogs, DeleteFlowLogs, CreateLogGroup, PutRetentionPolicy,
// DescribeLogGroups, ListTagsForResource and DeleteLogGroup; it never delivers a record, so only
// the configuration is checked here, not delivery.
import {describe, expect, it} from 'vitest';
import {DescribeLogGroupsCommand, ListTagsForResourceCommand} from '@aws-sdk/client-cloudwatch-logs';
import {DescribeFlowLogsCommand} from '@aws-sdk/client-ec2';
import {GetRoleCommand, GetRolePolicyCommand} from '@aws-sdk/client-iam';
import {makeClients} from '../../source/aws/clients.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {testSettings} from '../support/aws.js';
import {launchCleanly, testCloud} from './provision-support.js';

const GROUP = '/tandem/vpc-flow-logs/web-1';
const ROLE = 'tandem-flow-logs-web-1';

function newVpcSpec(): LaunchSpec {
  const spec = defaultSpec('us-east-1');
  return {...spec, network: {vpc: 'new', subnet: 'public', cidr: '10.30.0.0/16', publicIp: true}};
}

async function launch(spec: LaunchSpec) {
  const settings = testSettings();
  const {cloud} = await testCloud(settings);
  const check = await makeClients(settings);
  const {launchId, result} = await launchCleanly(cloud, spec);
  return {cloud, check, logs: check.logs, launchId, result, accountId: settings.headers!['x-moto-account-id']};
}

describe('VPC flow logs', () => {
  it('a new VPC gets an ALL-traffic flow log into a tagged log group kept 365 days, through a role only its own account may use', async () => {
    const {cloud, check, logs, launchId, result, accountId} = await launch(newVpcSpec());
    const {vpcId, flowLogId} = cloud.journal.read(launchId).resolved;
    expect(flowLogId).toMatch(/^fl-/);

    const flowLogs = (await check.ec2.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [vpcId!]}]}))).FlowLogs ?? [];
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0]).toMatchObject({FlowLogId: flowLogId, TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: GROUP, MaxAggregationInterval: 600});
    expect(flowLogs[0].DeliverLogsPermissionArn).toBe(`arn:aws:iam::${accountId}:role/${ROLE}`);
    expect(flowLogs[0].Tags).toContainEqual({Key: 'tandem:launch-id', Value: launchId});

    const groups = (await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: GROUP}))).logGroups ?? [];
    expect(groups.map((group) => [group.logGroupName, group.retentionInDays])).toEqual([[GROUP, 365]]);
    const tags = await logs.send(new ListTagsForResourceCommand({resourceArn: groups[0].arn!.replace(/:\*$/, '')}));
    expect(tags.tags).toMatchObject({'tandem:launch-id': launchId, Name: GROUP});

    // The trust policy names this account (the executor put it in for the token) and only flow logs.
    const role = await check.iam.send(new GetRoleCommand({RoleName: ROLE}));
    const trust = JSON.parse(decodeURIComponent(role.Role?.AssumeRolePolicyDocument ?? '')) as {Statement: Array<Record<string, unknown>>};
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: {Service: 'vpc-flow-logs.amazonaws.com'},
        Action: 'sts:AssumeRole',
        Condition: {StringEquals: {'aws:SourceAccount': accountId}, ArnLike: {'aws:SourceArn': `arn:aws:ec2:us-east-1:${accountId}:vpc-flow-log/*`}},
      },
    ]);
    const policy = await check.iam.send(new GetRolePolicyCommand({RoleName: ROLE, PolicyName: 'tandem-flow-log-delivery'}));
    const statements = (JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '')) as {Statement: Array<{Resource: string}>}).Statement;
    for (const statement of statements) expect(statement.Resource.startsWith(`arn:aws:logs:us-east-1:${accountId}:log-group:${GROUP}:`)).toBe(true);

    const row = result.verification?.find((item) => item.control === 'vpc-flow-logs');
    expect(row?.status).toBe('pass');
    expect(row?.actual).toContain('kept 365 days');
    const verdicts = Object.fromEntries((row?.checkerVerdicts ?? []).map((verdict) => [`${verdict.tool} ${verdict.id}`, verdict.verdict]));
    expect(verdicts).toMatchObject({
      'Security Hub EC2.6': 'pass',
      'Prowler vpc_flow_logs_enabled': 'pass',
      'Prowler cloudwatch_log_group_retention_policy_specific_days_enabled': 'pass',
      // Predicted before launch as the finding flow-log-group-no-kms.
      'Prowler cloudwatch_log_group_kms_encryption_enabled': 'fail',
    });

    // Destroy removes the flow log, the log group (with its records) and the role.
    const destroyed = await cloud.destroy(launchId);
    expect(destroyed.failed).toEqual([]);
    expect(destroyed.leftovers).toEqual([]);
    expect((await check.ec2.send(new DescribeFlowLogsCommand({FlowLogIds: [flowLogId!]}))).FlowLogs ?? []).toEqual([]);
    expect((await logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: GROUP}))).logGroups).toEqual([]);
    await expect(check.iam.send(new GetRoleCommand({RoleName: ROLE}))).rejects.toMatchObject({name: 'NoSuchEntityException'});
  });

  it('the default VPC gets none unless the profile asks, and then gets one', async () => {
    const off = await launch(defaultSpec('us-east-1'));
    const offVpc = off.cloud.journal.read(off.launchId).resolved.vpcId!;
    expect((await off.check.ec2.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [offVpc]}]}))).FlowLogs).toEqual([]);
    const offRow = off.result.verification?.find((item) => item.control === 'vpc-flow-logs');
    expect(offRow).toMatchObject({status: 'info', actual: `${offVpc} has no flow log`});
    expect(off.cloud.journal.read(off.launchId).resources.map((resource) => resource.kind)).not.toContain('log-group');

    const spec = defaultSpec('us-east-1');
    const on = await launch({...spec, network: {...spec.network, flowLogs: true}});
    const onVpc = on.cloud.journal.read(on.launchId).resolved.vpcId!;
    const flowLogs = (await on.check.ec2.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [onVpc]}]}))).FlowLogs ?? [];
    expect(flowLogs.map((log) => log.LogGroupName)).toEqual([GROUP]);
    expect(on.result.verification?.find((item) => item.control === 'vpc-flow-logs')?.status).toBe('pass');
    const destroyed = await on.cloud.destroy(on.launchId);
    expect(destroyed.failed).toEqual([]);
    expect((await on.check.ec2.send(new DescribeFlowLogsCommand({Filter: [{Name: 'resource-id', Values: [onVpc]}]}))).FlowLogs).toEqual([]);
  });
});
