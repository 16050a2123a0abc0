// VPC flow logs as a control: when they are on, what the plan makes, the role's trust and policy,
// the predicted checker verdicts, and both exports.
import {describe, expect, it} from 'vitest';
import {factsFromSpec} from '../../../source/domain/checker-facts.js';
import {checkerVerdicts, templateFor} from '../../../source/domain/checker-run.js';
import {ACCOUNT_TOKEN, FLOW_LOG_RETENTION_DAYS, flowLogDeliveryPolicy, flowLogsOn, flowLogTrustPolicy} from '../../../source/domain/controls/flow-logs.js';
import {cliScript} from '../../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../../source/domain/export-cloudformation.js';
import {findingsFor} from '../../../source/domain/findings.js';
import {buildPlan} from '../../../source/domain/plan.js';
import {defaultSpec, type LaunchSpec} from '../../../source/domain/spec.js';
import {validateSpec} from '../../../source/domain/validate.js';
import {checkProfile} from '../../../source/store/profile-schema.js';

function withNetwork(network: Partial<LaunchSpec['network']>): LaunchSpec {
  const spec = defaultSpec();
  return {...spec, network: {...spec.network, ...network}};
}
const newVpc = () => withNetwork({vpc: 'new', subnet: 'public'});
const flowSteps = (spec: LaunchSpec) => buildPlan(spec).steps.filter((step) => step.controls.includes('vpc-flow-logs'));

describe('VPC flow logs', () => {
  it('are on by default for a VPC tandem creates and off for the default or an existing VPC, unless the spec says', () => {
    expect(flowLogsOn(newVpc())).toBe(true);
    expect(flowLogsOn(defaultSpec())).toBe(false);
    expect(flowLogsOn(withNetwork({vpc: 'vpc-0abc1234', subnet: 'subnet-0def5678'}))).toBe(false);
    expect(flowLogsOn(withNetwork({flowLogs: true}))).toBe(true);
    expect(flowLogsOn({...newVpc(), network: {...newVpc().network, flowLogs: false}})).toBe(false);
    // A profile written before the field existed still loads, and means the same.
    const loaded = checkProfile({version: 1, network: {vpc: 'new'}});
    expect(loaded.ok && flowLogsOn(loaded.spec)).toBe(true);
    expect(checkProfile({version: 1, network: {flowLogs: 'yes'}}).ok).toBe(false);
    expect(validateSpec(withNetwork({flowLogs: 'yes' as unknown as boolean})).map((problem) => problem.field)).toContain('network.flowLogs');
  });

  it('plan a log group kept 365 days, a delivery role and an ALL-traffic flow log on the VPC, in that order', () => {
    const steps = flowSteps(newVpc());
    expect(steps.map((step) => `${step.service}:${step.action}`)).toEqual(['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'iam:CreateRole', 'iam:PutRolePolicy', 'ec2:CreateFlowLogs']);
    expect(steps[1].params).toEqual({logGroupName: '/tandem/vpc-flow-logs/web-1', retentionInDays: 365});
    const flowLog = steps[4];
    expect(flowLog.params).toMatchObject({ResourceIds: [{ref: 'vpc', output: 'Vpc.VpcId'}], ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs'});
    expect(flowLog.params.DeliverLogsPermissionArn).toEqual({ref: 'flow-log-role', output: 'Role.Arn'});
    expect(flowLog.dependsOn).toEqual(expect.arrayContaining(['vpc', 'flow-log-group', 'flow-log-retention', 'flow-log-role', 'flow-log-role-policy']));
    expect(flowSteps(defaultSpec())).toEqual([]);
    expect(flowSteps(withNetwork({flowLogs: true}))[4].params.ResourceIds).toEqual([{ref: 'vpc', output: 'Vpcs.0.VpcId'}]);
  });

  it("let only this account's flow logs assume the role, which may only write to its own log group", () => {
    const trust = JSON.parse(flowLogTrustPolicy(newVpc())) as {Statement: Array<Record<string, unknown>>};
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: {Service: 'vpc-flow-logs.amazonaws.com'},
        Action: 'sts:AssumeRole',
        Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT_TOKEN}, ArnLike: {'aws:SourceArn': `arn:aws:ec2:us-east-1:${ACCOUNT_TOKEN}:vpc-flow-log/*`}},
      },
    ]);
    const policy = JSON.parse(flowLogDeliveryPolicy(newVpc())) as {Statement: Array<{Action: string[]; Resource: string}>};
    expect(policy.Statement.flatMap((statement) => statement.Action).sort()).toEqual(['logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents']);
    for (const statement of policy.Statement) expect(statement.Resource.startsWith(`arn:aws:logs:us-east-1:${ACCOUNT_TOKEN}:log-group:/tandem/vpc-flow-logs/web-1:`)).toBe(true);
  });

  it('predict EC2.6 and Prowler to pass with them, to fail without them, and the log group to fail the KMS checks', () => {
    const byId = (spec: LaunchSpec) => Object.fromEntries(checkerVerdicts(spec, factsFromSpec(spec), templateFor(spec)).map((entry) => [entry.id, entry.verdict]));
    expect(byId(newVpc())).toMatchObject({
      'EC2.6': 'pass',
      vpc_flow_logs_enabled: 'pass',
      cloudwatch_log_group_retention_policy_specific_days_enabled: 'pass',
      CKV_AWS_66: 'pass',
      cloudwatch_log_group_kms_encryption_enabled: 'fail',
      CKV_AWS_158: 'fail',
    });
    expect(byId(defaultSpec())).toMatchObject({'EC2.6': 'fail', vpc_flow_logs_enabled: 'fail'});
    expect(findingsFor(newVpc()).map((finding) => finding.id)).toContain('flow-log-group-no-kms');
    expect(findingsFor(defaultSpec()).find((finding) => finding.id === 'no-flow-logs')?.severity).toBe('medium');
  });

  it('export to CloudFormation as a log group with its retention, a role naming the account by Fn::Sub, and a flow log', () => {
    const template = cloudFormationObject(newVpc(), {profile: 'web'});
    const resources = template.Resources as Record<string, {Type: string; Properties: Record<string, unknown>; DependsOn?: string}>;
    expect(resources.FlowLogGroup).toMatchObject({Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: '/tandem/vpc-flow-logs/web-1', RetentionInDays: FLOW_LOG_RETENTION_DAYS}});
    expect(resources.FlowLog).toMatchObject({
      Type: 'AWS::EC2::FlowLog',
      DependsOn: 'FlowLogGroup',
      Properties: {ResourceId: {Ref: 'Vpc'}, ResourceType: 'VPC', TrafficType: 'ALL', DeliverLogsPermissionArn: {'Fn::GetAtt': ['FlowLogRole', 'Arn']}},
    });
    const role = resources.FlowLogRole.Properties as {
      AssumeRolePolicyDocument: {Statement: Array<{Condition: unknown}>};
      Policies: Array<{PolicyDocument: {Statement: Array<{Resource: unknown}>}}>;
    };
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: {'aws:SourceAccount': {'Fn::Sub': '${AWS::AccountId}'}},
      ArnLike: {'aws:SourceArn': {'Fn::Sub': 'arn:aws:ec2:us-east-1:${AWS::AccountId}:vpc-flow-log/*'}},
    });
    expect(role.Policies[0].PolicyDocument.Statement[1].Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:logs:us-east-1:${AWS::AccountId}:log-group:/tandem/vpc-flow-logs/web-1:log-stream:*',
    });
    // The instance's role keeps the RoleName output; the delivery role does not take it over.
    expect((template.Outputs as Record<string, {Value: unknown}>).RoleName.Value).toEqual({Ref: 'InstanceRole'});
  });

  it('export to the CLI script with the account read before the role, the flow log after it, and each undone on failure', () => {
    const script = cliScript(newVpc(), {profile: 'web'});
    const at = (text: string) => {
      const index = script.indexOf(text);
      expect(index, text).toBeGreaterThan(-1);
      return index;
    };
    expect(at('ACCOUNT_ID=$(aws sts get-caller-identity')).toBeLessThan(at('aws iam create-role \\\n    --role-name tandem-flow-logs-web-1'));
    expect(at('--role-name tandem-flow-logs-web-1')).toBeLessThan(at('aws ec2 create-flow-logs'));
    expect(at('VPC_ID=$(aws ec2 create-vpc')).toBeLessThan(at('aws ec2 create-flow-logs'));
    expect(script).toContain('"aws:SourceAccount":"\'"$ACCOUNT_ID"\'"');
    expect(script).toContain('--retention-in-days 365');
    expect(script).toContain("made 'log group /tandem/vpc-flow-logs/web-1 and the flow records in it' 'aws logs delete-log-group --log-group-name /tandem/vpc-flow-logs/web-1'");
    expect(script).toContain('aws ec2 delete-flow-logs --flow-log-ids "$FLOW_LOG_ID"');
    expect(cliScript(defaultSpec(), {profile: 'web'})).not.toContain('flow-log');
  });
});
