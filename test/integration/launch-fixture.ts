// A launch made with direct SDK calls the way tandem makes it for a spec, plus the LaunchRecord
// tandem would keep for it, so verification tests (and the verify command's test) start from a
// known-good launch without going through the executor.
import {randomBytes} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type _InstanceType,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateKeyPairCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateFlowLogsCommand,
  CreateVpcCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  RunInstancesCommand,
  CreateSnapshotCommand,
  DescribeVolumesCommand,
} from '@aws-sdk/client-ec2';
import {takesFirstSnapshot} from '../../source/domain/controls/backups.js';
import {send} from '../../source/aws/actions.js';
import {buildPlan} from '../../source/domain/plan.js';
import {AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, PutRolePolicyCommand} from '@aws-sdk/client-iam';
import {CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand} from '@aws-sdk/client-kms';
import {GetParameterCommand} from '@aws-sdk/client-ssm';
import {CreateLogGroupCommand, PutRetentionPolicyCommand} from '@aws-sdk/client-cloudwatch-logs';
import {FLOW_LOG_RETENTION_DAYS, flowLogGroupName, flowLogRoleName, flowLogTrustPolicy} from '../../source/domain/controls/flow-logs.js';
import type {AwsClients} from '../../source/aws/clients.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import type {LaunchRecord} from '../../source/store/journal-types.js';

export const SSH_FROM = '203.0.113.7/32';
export const BUCKET = 'tandem-verify-bucket';

export interface LaunchFixture {
  imageId: string;
  network: {vpcId: string; subnetId: string};
  /** Launches as tandem would for the default spec changed by `change`; label names the resources. */
  launch(label: string, change?: (spec: LaunchSpec) => void): Promise<LaunchRecord>;
}

/**
 * A new VPC's flow logs, as tandem makes them for the default instance name: the group kept 365
 * days, a delivery role and an ALL-traffic flow log (the launches here share the one VPC and name).
 */
async function flowLogsAsTandemMakesThem(clients: AwsClients, vpcId: string, spec: LaunchSpec): Promise<void> {
  const logGroupName = flowLogGroupName(spec);
  await clients.logs.send(new CreateLogGroupCommand({logGroupName}));
  await clients.logs.send(new PutRetentionPolicyCommand({logGroupName, retentionInDays: FLOW_LOG_RETENTION_DAYS}));
  const trust = flowLogTrustPolicy(spec).split('${AWS::AccountId}').join('123456789012');
  const role = (await clients.iam.send(new CreateRoleCommand({RoleName: flowLogRoleName(spec), AssumeRolePolicyDocument: trust}))).Role!;
  await clients.ec2.send(
    new CreateFlowLogsCommand({
      ResourceIds: [vpcId],
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: logGroupName,
      DeliverLogsPermissionArn: role.Arn,
    }),
  );
}

/**
 * The new VPC's default group and list as tandem leaves them for `spec` (controls/network-guard.ts):
 * the list's own entries are cleared first, since one VPC serves every launch of the fixture.
 */
async function guardVpcAsTandemDoes({ec2}: AwsClients, vpcId: string, spec: LaunchSpec): Promise<void> {
  const byVpc = [{Name: 'vpc-id', Values: [vpcId]}];
  const group = (await ec2.send(new DescribeSecurityGroupsCommand({Filters: [...byVpc, {Name: 'group-name', Values: ['default']}]}))).SecurityGroups![0];
  const acl = (await ec2.send(new DescribeNetworkAclsCommand({Filters: byVpc}))).NetworkAcls![0];
  for (const entry of acl.Entries ?? []) {
    if ((entry.RuleNumber ?? 0) < 100) await ec2.send(new DeleteNetworkAclEntryCommand({NetworkAclId: acl.NetworkAclId, RuleNumber: entry.RuleNumber, Egress: entry.Egress}));
  }
  const ids: Record<string, string> = {'default-security-group': group.GroupId!, 'network-acl': acl.NetworkAclId!};
  const withIds = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(withIds);
    if (value && typeof value === 'object') {
      const ref = (value as {ref?: string}).ref;
      if (ref && ids[ref]) return ids[ref];
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withIds(item)]));
    }
    return value;
  };
  const guardSteps = buildPlan(spec).steps.filter((step) => step.controls[0] === 'network-acl' || step.controls[0] === 'default-security-group');
  for (const step of guardSteps.filter((item) => !item.action.startsWith('Describe'))) {
    const already = step.action.startsWith('Revoke') && (group.IpPermissions?.length ?? 0) + (group.IpPermissionsEgress?.length ?? 0) === 0;
    if (!already) await send({ec2} as AwsClients, 'ec2', step.action, withIds(step.params) as Record<string, unknown>);
  }
}

export async function createLaunchFixture(clients: AwsClients): Promise<LaunchFixture> {
  const {ec2, ssm} = clients;
  const imageId = (await ssm.send(new GetParameterCommand({Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'}))).Parameter!.Value!;
  // A new VPC with a public subnet, as the 'new' network option builds it. moto's default VPC has
  // no internet gateway (AWS's has one), so the default VPC would not look public here.
  const vpcId = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.40.0.0/16'}))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({VpcId: vpcId, CidrBlock: '10.40.1.0/24'}))).Subnet!.SubnetId!;
  const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({InternetGatewayId: igw, VpcId: vpcId}));
  const table = (await ec2.send(new CreateRouteTableCommand({VpcId: vpcId}))).RouteTable!.RouteTableId!;
  await ec2.send(new CreateRouteCommand({RouteTableId: table, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw}));
  await ec2.send(new AssociateRouteTableCommand({RouteTableId: table, SubnetId: subnetId}));
  const network = {vpcId, subnetId};
  await flowLogsAsTandemMakesThem(clients, vpcId, defaultSpec());

  /** Launches like tandem would for `spec`'s choices, returning the record tandem would keep. */
  async function launch(label: string, change: (spec: LaunchSpec) => void = () => {}): Promise<LaunchRecord> {
    const {iam, kms} = clients;
    const spec = defaultSpec();
    spec.network = {vpc: 'new', subnet: 'public', cidr: '10.40.0.0/16', publicSubnetCidr: '10.40.1.0/24', privateSubnetCidr: '10.40.2.0/24', publicIp: true};
    spec.securityGroup = {mode: 'create', name: `${label}-sg`, http: '0.0.0.0/0', https: false, ssh: SSH_FROM};
    // This fixture builds SSH launches by hand; Session Manager launches (the default since issue
    // 13) go through the real executor in test/integration/session-manager.test.ts.
    spec.access = {sessionManager: false, instanceConnect: false};
    change(spec);
    const resolved: LaunchRecord['resolved'] = {imageId, vpcId: network.vpcId, subnetId: network.subnetId};
    await guardVpcAsTandemDoes(clients, network.vpcId, spec);

    const groupId = (await ec2.send(new CreateSecurityGroupCommand({GroupName: spec.securityGroup.name, Description: 'web', VpcId: network.vpcId}))).GroupId!;
    resolved.securityGroupId = groupId;
    const permissions = [{IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '0.0.0.0/0'}]}];
    if (spec.securityGroup.ssh) permissions.push({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: spec.securityGroup.ssh}]});
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({GroupId: groupId, IpPermissions: permissions}));

    if (spec.role.mode === 'create') {
      const roleName = spec.role.name!;
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}],
          }),
        }),
      );
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: 's3-read',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {Effect: 'Allow', Action: ['s3:ListBucket'], Resource: `arn:aws:s3:::${BUCKET}`},
              {Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::${BUCKET}/*`},
            ],
          }),
        }),
      );
      await iam.send(new CreateInstanceProfileCommand({InstanceProfileName: roleName}));
      await iam.send(new AddRoleToInstanceProfileCommand({InstanceProfileName: roleName, RoleName: roleName}));
      resolved.roleName = roleName;
      resolved.instanceProfileName = roleName;
    }

    if (spec.storage.encrypted && spec.storage.kmsKey === 'new') {
      const key = await kms.send(new CreateKeyCommand({Description: `${label} volumes`}));
      await kms.send(new EnableKeyRotationCommand({KeyId: key.KeyMetadata!.KeyId!}));
      await kms.send(new CreateAliasCommand({AliasName: `alias/${label}`, TargetKeyId: key.KeyMetadata!.KeyId!}));
      resolved.kmsKeyId = key.KeyMetadata!.Arn!;
    }

    if (spec.keyPair.mode === 'create') {
      const pair = await ec2.send(new CreateKeyPairCommand({KeyName: spec.keyPair.name!, KeyType: 'ed25519'}));
      const keyPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'tandem-verify-')), `${spec.keyPair.name}.pem`);
      writeFileSync(keyPath, pair.KeyMaterial!, {mode: 0o600});
      resolved.keyName = pair.KeyName!;
      resolved.keyFingerprint = pair.KeyFingerprint!;
      resolved.keyPath = keyPath;
    }

    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: imageId,
        InstanceType: spec.instance.type as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{DeviceIndex: 0, SubnetId: network.subnetId, Groups: [groupId], AssociatePublicIpAddress: spec.network.publicIp, DeleteOnTermination: true}],
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              VolumeSize: spec.storage.sizeGiB,
              VolumeType: spec.storage.type,
              ...(spec.storage.encrypted ? {Encrypted: true} : {}),
              ...(resolved.kmsKeyId ? {KmsKeyId: resolved.kmsKeyId} : {}),
            },
          },
        ],
        Placement: {Tenancy: spec.instance.tenancy === 'host' ? 'host' : spec.instance.tenancy},
        MetadataOptions: {HttpTokens: spec.instance.imds, HttpPutResponseHopLimit: spec.instance.hopLimit, HttpEndpoint: 'enabled'},
        Monitoring: {Enabled: spec.instance.detailedMonitoring !== false},
        ...(resolved.instanceProfileName ? {IamInstanceProfile: {Name: resolved.instanceProfileName}} : {}),
        ...(resolved.keyName ? {KeyName: resolved.keyName} : {}),
      }),
    );
    resolved.instanceId = run.Instances![0].InstanceId!;
    if (takesFirstSnapshot(spec)) {
      // tandem snapshots the root volume once the instance runs (on by default).
      const volumes = await ec2.send(new DescribeVolumesCommand({Filters: [{Name: 'attachment.instance-id', Values: [resolved.instanceId]}]}));
      await ec2.send(new CreateSnapshotCommand({VolumeId: volumes.Volumes![0].VolumeId!}));
    }
    const now = new Date().toISOString();
    return {
      launchId: `l-20260101t000000-${randomBytes(3).toString('hex')}`,
      createdAt: now,
      updatedAt: now,
      region: 'us-east-1',
      spec,
      status: 'launched',
      resources: [],
      resolved,
    };
  }

  return {imageId, network, launch};
}
