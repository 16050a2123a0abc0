// Each kind of plan step as CloudFormation (docs/design.md section 2): what resource, parameter
// or output a step becomes, and what a reference to its output becomes (Ref, Fn::GetAtt, or the
// parameter that stands for a value that differs per account or deployment). Steps that change a
// resource another step created (a rule, a policy, rotation) become properties of that resource.
import {isWorld, parseCidr} from './cidr.js';
import {asRef, list, nameTag, params, specTags, splitRegion, tagsWithProfile, text, type Params, type PlanIndex} from './export-render.js';
import {BACKUP_STEP} from './controls/backups.js';
import {SSH_ME} from './my-address.js';
import {ACCOUNT_TOKEN, FLOW_LOG_STEP} from './controls/flow-logs.js';
import {NACL_SSH_STEP} from './controls/network-guard.js';
import {PLAN_STEP} from './plan-ids.js';
import {partitionOf} from './partition.js';
import type {ParamValue, PlanStep} from './plan-types.js';

export type Json = string | number | boolean | Json[] | {[key: string]: Json};
export type JsonObject = {[key: string]: Json};
export type Template = JsonObject & {Parameters: JsonObject; Resources: JsonObject; Outputs: JsonObject};

export const ref = (name: string): Json => ({Ref: name});
export const getAtt = (resource: string, attribute: string): Json => ({'Fn::GetAtt': [resource, attribute]});
export const sub = (value: string): Json => ({'Fn::Sub': value});

/** Amazon Linux images put the root volume here; a custom AMI gets a parameter. */
export const AMAZON_LINUX_ROOT_DEVICE = '/dev/xvda';

/** Logical ids of the resources steps create: stable, so a stack update keeps its resources. */
const LOGICAL_IDS: Record<string, string> = {
  vpc: 'Vpc',
  'subnet-public': 'PublicSubnet',
  'subnet-private': 'PrivateSubnet',
  'internet-gateway': 'InternetGateway',
  'attach-internet-gateway': 'GatewayAttachment',
  'route-table-public': 'PublicRouteTable',
  'route-to-internet': 'PublicDefaultRoute',
  'associate-route-table': 'PublicSubnetRouteTableAssociation',
  'iam-role': 'InstanceRole',
  'instance-profile': 'InstanceProfile',
  'kms-key': 'EbsKey',
  'kms-alias': 'EbsKeyAlias',
  'ssm-endpoint-group': 'SessionEndpointSecurityGroup',
  'security-group': 'SecurityGroup',
  'key-pair': 'KeyPair',
  'dedicated-host': 'DedicatedHost',
  'run-instances': 'Instance',
};

/** 'ssm-endpoint-ssmmessages' → 'SessionEndpointSsmmessages'; other ids by their table entry or in PascalCase. */
export function logicalId(id: string): string {
  if (id.startsWith('ssm-endpoint-') && id !== 'ssm-endpoint-group') {
    const service = id.slice('ssm-endpoint-'.length);
    return `SessionEndpoint${service.charAt(0).toUpperCase()}${service.slice(1)}`;
  }
  return LOGICAL_IDS[id] ?? id.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase());
}

/** What a renderer reads and writes: the template so far, the plan, and the deployment's values. */
export interface CfnContext {
  template: Template;
  plan: PlanIndex;
  region: string;
  profile: string;
  /** Any value of the plan in CloudFormation: StepRefs become Ref/GetAtt/parameters. */
  value(value: ParamValue | undefined): Json;
  /** A step's tag list as CloudFormation Tags (Key/Value), with the stack as launch id. */
  tags(tags: ParamValue[]): Json;
}

export interface CfnRenderer {
  render(step: PlanStep, cfn: CfnContext): void;
  /** A reference to one of the step's outputs. */
  ref?(step: PlanStep, output: string, cfn: CfnContext): Json;
}

const resource = (cfn: CfnContext, step: PlanStep | string): JsonObject => (cfn.template.Resources[logicalId(typeof step === 'string' ? step : step.id)] ?? {}) as JsonObject;
const properties = (cfn: CfnContext, step: PlanStep | string): JsonObject => (resource(cfn, step).Properties ?? {}) as JsonObject;

/** An ARN of the plan's partition, with the partition left to CloudFormation. */
function partitionFree(cfn: CfnContext, arn: string): Json {
  const concrete = `arn:${partitionOf(cfn.region)}:`;
  return arn.startsWith(concrete) ? sub(arn.replace(concrete, 'arn:${AWS::Partition}:')) : arn;
}

const imageParameter: CfnRenderer = {
  render(step, cfn) {
    const name = text(step.params.Name);
    cfn.template.Parameters.ImageId = {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: name,
      Description: `Public SSM parameter naming the latest ${name.includes('al2023') ? 'Amazon Linux 2023' : 'Amazon Linux 2'} image (ami-provenance)`,
    };
  },
  ref: () => ref('ImageId'),
};

const describeImages: CfnRenderer = {
  render(step, cfn) {
    const imageId = list(step.params.ImageIds)[0];
    if (typeof imageId !== 'string') return;
    cfn.template.Parameters.ImageId = {Type: 'AWS::EC2::Image::Id', Default: imageId, Description: 'AMI to launch (ami-provenance: you vouch for its source)'};
    cfn.template.Parameters.RootDeviceName = {Type: 'String', Default: AMAZON_LINUX_ROOT_DEVICE, Description: "The AMI's root device name (DescribeImages RootDeviceName)"};
  },
  ref(step, output) {
    if (output !== 'Images.0.RootDeviceName') return ref('ImageId');
    return typeof list(step.params.ImageIds)[0] === 'string' ? ref('RootDeviceName') : AMAZON_LINUX_ROOT_DEVICE;
  },
};

const describeVpcs: CfnRenderer = {
  render(step, cfn) {
    const given = text(list(step.params.VpcIds)[0]);
    cfn.template.Parameters.VpcId = {
      Type: 'AWS::EC2::VPC::Id',
      ...(given ? {Default: given} : {}),
      Description: given ? 'VPC to launch into' : "The target account's default VPC (its id differs per account)",
    };
  },
  ref: () => ref('VpcId'),
};

const describeSubnets: CfnRenderer = {
  render(step, cfn) {
    const given = text(list(step.params.SubnetIds)[0]);
    cfn.template.Parameters.SubnetId = {Type: 'AWS::EC2::Subnet::Id', ...(given ? {Default: given} : {}), Description: 'Subnet of that VPC for the instance'};
  },
  ref(_step, output, cfn) {
    if (output !== 'Subnets.0.AvailabilityZone') return ref('SubnetId');
    cfn.template.Parameters.HostAvailabilityZone = {Type: 'AWS::EC2::AvailabilityZone::Name', Description: "Availability zone of SubnetId (the host must be in the subnet's zone)"};
    return ref('HostAvailabilityZone');
  },
};

const createVpc: CfnRenderer = {
  render(step, cfn) {
    // A VPC the template makes answers DNS names, which the endpoints' private DNS needs.
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::VPC',
      Properties: {CidrBlock: text(step.params.CidrBlock), EnableDnsSupport: true, EnableDnsHostnames: true, Tags: cfn.tags(specTags(step))},
    };
  },
  ref: (step) => ref(logicalId(step.id)),
};

const createSubnet: CfnRenderer = {
  render(step, cfn) {
    // Public addresses are asked for per instance, never handed out by the subnet (EC2.15); both
    // subnets share the region's first zone.
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::Subnet',
      Properties: {
        VpcId: cfn.value(step.params.VpcId),
        CidrBlock: text(step.params.CidrBlock),
        // Behind a load balancer the plan picks the zones (two public subnets in two); otherwise the first.
        AvailabilityZone: step.params.AvailabilityZone ? cfn.value(step.params.AvailabilityZone) : {'Fn::Select': [0, {'Fn::GetAZs': ''}]},
        MapPublicIpOnLaunch: false,
        Tags: cfn.tags(specTags(step)),
      },
    };
  },
  ref: (step, output) => (output.endsWith('AvailabilityZone') ? getAtt(logicalId(step.id), 'AvailabilityZone') : ref(logicalId(step.id))),
};

const createdWithTags = (type: string): CfnRenderer => ({
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {Type: type, Properties: {...(step.params.VpcId ? {VpcId: cfn.value(step.params.VpcId)} : {}), Tags: cfn.tags(specTags(step))}};
  },
  ref: (step) => ref(logicalId(step.id)),
});

const attachGateway: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::VPCGatewayAttachment',
      Properties: {VpcId: cfn.value(step.params.VpcId), InternetGatewayId: cfn.value(step.params.InternetGatewayId)},
    };
  },
};

const createRoute: CfnRenderer = {
  render(step, cfn) {
    // The gateway must be attached before a route may point at it: the step waits for the attachment.
    const attachment = step.dependsOn.find((id) => cfn.plan.step(id)?.action === 'AttachInternetGateway');
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::Route',
      ...(attachment ? {DependsOn: logicalId(attachment)} : {}),
      Properties: {RouteTableId: cfn.value(step.params.RouteTableId), DestinationCidrBlock: text(step.params.DestinationCidrBlock), GatewayId: cfn.value(step.params.GatewayId)},
    };
  },
};

const associateRouteTable: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::SubnetRouteTableAssociation',
      Properties: {SubnetId: cfn.value(step.params.SubnetId), RouteTableId: cfn.value(step.params.RouteTableId)},
    };
  },
};

const modifyVpcAttribute: CfnRenderer = {
  render(step, cfn) {
    const vpc = properties(cfn, asRef(step.params.VpcId)?.ref ?? '');
    if (params(step.params.EnableDnsHostnames).Value === true) vpc.EnableDnsHostnames = true;
  },
};

/**
 * Only the operator's group keeps its reviewed name; groups tandem adds for itself (the endpoints')
 * are named by CloudFormation, so updating a stack never has to replace them.
 */
const createSecurityGroup: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        ...(step.id === PLAN_STEP.securityGroup ? {GroupName: text(step.params.GroupName)} : {}),
        GroupDescription: text(step.params.Description),
        VpcId: cfn.value(step.params.VpcId),
        SecurityGroupIngress: [],
        Tags: cfn.tags(specTags(step)),
      },
    };
  },
  ref: (step) => getAtt(logicalId(step.id), 'GroupId'),
};

/**
 * SSH comes from the operator's own address, which differs per deployment: a parameter whose
 * default is the reviewed address (`ssh: me` has none until someone deploys; only a /32 fits).
 */
function sshSource(cfn: CfnContext, cidr: string): Json {
  const parsed = parseCidr(cidr);
  cfn.template.Parameters.SshSourceCidr =
    cidr === SSH_ME
      ? {
          Type: 'String',
          AllowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/32$',
          ConstraintDescription: 'one IPv4 address as a /32, like 203.0.113.7/32',
          Description: 'Your own public address as a /32 (the profile says ssh: me; curl https://checkip.amazonaws.com shows it)',
        }
      : {
          Type: 'String',
          Default: parsed.ok ? parsed.cidr.text : cidr,
          Description: `Address allowed to SSH (your own as a /32)${isWorld(cidr) ? '; the reviewed profile allows the whole internet, Security Hub EC2.13 flags that' : ''}`,
        };
  return ref('SshSourceCidr');
}

/** One EC2 IpPermission as CloudFormation ingress rules, one per source. */
function ingressOf(cfn: CfnContext, permission: Params): Json[] {
  const {IpProtocol, FromPort, ToPort} = permission;
  const head = {IpProtocol: text(IpProtocol), FromPort: FromPort as number, ToPort: ToPort as number};
  const ranges = [...list(permission.IpRanges).map((range) => ['CidrIp', params(range)] as const), ...list(permission.Ipv6Ranges).map((range) => ['CidrIpv6', params(range)] as const)];
  const rules: Json[] = ranges.map(([field, range]) => {
    const cidr = text(range[field]);
    return {...head, [field]: FromPort === 22 ? sshSource(cfn, cidr) : cidr, Description: text(range.Description)};
  });
  for (const entry of list(permission.PrefixListIds).map(params)) rules.push({...head, SourcePrefixListId: cfn.value(entry.PrefixListId), Description: text(entry.Description)});
  // A chained rule: another group, the load balancer's, is the source (docs/load-balancer.md).
  for (const entry of list(permission.UserIdGroupPairs).map(params)) rules.push({...head, SourceSecurityGroupId: cfn.value(entry.GroupId), Description: text(entry.Description)});
  return rules;
}

const authorizeIngress: CfnRenderer = {
  render(step, cfn) {
    const group = properties(cfn, asRef(step.params.GroupId)?.ref ?? '');
    group.SecurityGroupIngress = [...((group.SecurityGroupIngress ?? []) as Json[]), ...list(step.params.IpPermissions).flatMap((permission) => ingressOf(cfn, params(permission)))];
  },
};

const describePrefixLists: CfnRenderer = {
  render(step, cfn) {
    // Instance Connect's prefix list has its own id in every region: given at deploy time.
    const listName = text(list(params(list(step.params.Filters)[0]).Values)[0]);
    cfn.template.Parameters.InstanceConnectPrefixListId = {
      Type: 'String',
      AllowedPattern: '^pl-[0-9a-f]{8,17}$',
      ConstraintDescription: 'a prefix list id, like pl-0123456789abcdef0',
      Description: `Id of the managed prefix list com.amazonaws.<region>.ec2-instance-connect in the deployment's region (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=${listName})`,
    };
  },
  ref: () => ref('InstanceConnectPrefixListId'),
};

const createVpcEndpoint: CfnRenderer = {
  render(step, cfn) {
    const service = text(step.params.ServiceName);
    const parts = splitRegion(service, cfn.region);
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: text(step.params.VpcEndpointType),
        VpcId: cfn.value(step.params.VpcId),
        ServiceName: parts ? sub(`${parts[0]}\${AWS::Region}${parts[1]}`) : service,
        // A gateway endpoint (the package repositories' S3) is a route in route tables, with a policy.
        ...(step.params.VpcEndpointType === 'Gateway'
          ? {RouteTableIds: cfn.value(step.params.RouteTableIds), PolicyDocument: JSON.parse(text(step.params.PolicyDocument)) as Json}
          : {SubnetIds: cfn.value(step.params.SubnetIds), SecurityGroupIds: cfn.value(step.params.SecurityGroupIds), PrivateDnsEnabled: step.params.PrivateDnsEnabled === true}),
      },
    };
  },
};

/** IAM names are global: left to CloudFormation, so one template deploys to many regions of an account. */
const createRole: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: text(step.params.Description),
        AssumeRolePolicyDocument: withAccount(JSON.parse(text(step.params.AssumeRolePolicyDocument)) as Json),
        Tags: cfn.tags(list(step.params.Tags)),
      },
    };
    if (step.id === BACKUP_STEP.role) cfn.template.Outputs.BackupRoleName = {Description: 'IAM role AWS Backup assumes (volume-backup)', Value: ref(logicalId(step.id))};
    // The flow logs' delivery role is not the instance's.
    else if (step.id !== FLOW_LOG_STEP.role) cfn.template.Outputs.RoleName = {Description: 'IAM role the instance uses (iam-instance-role)', Value: ref(logicalId(step.id))};
  },
  ref: (step, output) => (output.endsWith('Arn') ? getAtt(logicalId(step.id), 'Arn') : ref(logicalId(step.id))),
};

/** Text naming the account (ACCOUNT_TOKEN, CloudFormation's own pseudo parameter) becomes Fn::Sub; the rest stays. */
function withAccount(value: Json): Json {
  if (typeof value === 'string') return value.includes(ACCOUNT_TOKEN) ? sub(value) : value;
  if (Array.isArray(value)) return value.map(withAccount);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withAccount(inner)]));
  return value;
}

/** Policy documents with the partition of every ARN left to CloudFormation. */
function policyDocument(cfn: CfnContext, document: string): Json {
  const policy = JSON.parse(document) as {Statement: Array<{Resource?: Json}>};
  for (const statement of policy.Statement) {
    if (typeof statement.Resource === 'string') {
      // partitionFree already makes an ARN of the plan's partition an Fn::Sub, which takes the account too.
      const free = partitionFree(cfn, statement.Resource);
      statement.Resource = typeof free === 'string' ? withAccount(free) : free;
    }
  }
  return policy;
}

const putRolePolicy: CfnRenderer = {
  render(step, cfn) {
    const role = properties(cfn, asRef(step.params.RoleName)?.ref ?? '');
    role.Policies = [...((role.Policies ?? []) as Json[]), {PolicyName: text(step.params.PolicyName), PolicyDocument: policyDocument(cfn, text(step.params.PolicyDocument))}];
  },
};

const attachRolePolicy: CfnRenderer = {
  render(step, cfn) {
    const role = properties(cfn, asRef(step.params.RoleName)?.ref ?? '');
    role.ManagedPolicyArns = [...((role.ManagedPolicyArns ?? []) as Json[]), partitionFree(cfn, text(step.params.PolicyArn))];
  },
};

const createInstanceProfile: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {Type: 'AWS::IAM::InstanceProfile', Properties: {Roles: []}};
    cfn.template.Outputs.InstanceProfileName = {Description: 'Instance profile holding the role', Value: ref(logicalId(step.id))};
  },
  ref: (step) => ref(logicalId(step.id)),
};

const addRoleToProfile: CfnRenderer = {
  render(step, cfn) {
    const profile = properties(cfn, asRef(step.params.InstanceProfileName)?.ref ?? '');
    profile.Roles = [...((profile.Roles ?? []) as Json[]), cfn.value(step.params.RoleName)];
  },
};

const describeKey: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Parameters.KmsKeyId = {Type: 'String', Default: text(step.params.KeyId), Description: 'KMS key (id, ARN or alias) encrypting the root volume'};
  },
  ref: () => ref('KmsKeyId'),
};

const createKey: CfnRenderer = {
  render(step, cfn) {
    const id = logicalId(step.id);
    const kmsTags = list(step.params.Tags).map((tag) => ({Key: params(tag).TagKey ?? '', Value: params(tag).TagValue ?? ''}));
    cfn.template.Resources[id] = {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: text(step.params.Description),
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            // The key policy every new key gets by default: the account's IAM policies decide who uses it.
            {Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: {AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root')}, Action: 'kms:*', Resource: '*'},
          ],
        },
        Tags: cfn.tags(kmsTags),
      },
    };
    cfn.template.Outputs.KmsKeyArn = {Description: 'Customer managed key encrypting the root volume (kms-key)', Value: getAtt(id, 'Arn')};
  },
  ref: (step, output) => (output === 'KeyMetadata.Arn' ? getAtt(logicalId(step.id), 'Arn') : ref(logicalId(step.id))),
};

const createAlias: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {Type: 'AWS::KMS::Alias', Properties: {AliasName: text(step.params.AliasName), TargetKeyId: cfn.value(step.params.TargetKeyId)}};
  },
};

const enableKeyRotation: CfnRenderer = {
  render(step, cfn) {
    properties(cfn, asRef(step.params.KeyId)?.ref ?? '').EnableKeyRotation = true;
  },
};

/** CloudWatch Logs tags are a map; CloudFormation wants them as a Key/Value list. */
const createLogGroup: CfnRenderer = {
  render(step, cfn) {
    const tags = Object.entries(params(step.params.tags)).map(([Key, Value]) => ({Key, Value}));
    cfn.template.Resources[logicalId(step.id)] = {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: text(step.params.logGroupName), Tags: cfn.tags(tags)}};
    cfn.template.Outputs.FlowLogGroupName = {Description: 'Log group receiving the VPC flow logs (vpc-flow-logs)', Value: ref(logicalId(step.id))};
  },
  ref: (step) => ref(logicalId(step.id)),
};

const putRetentionPolicy: CfnRenderer = {
  render(step, cfn) {
    properties(cfn, FLOW_LOG_STEP.group).RetentionInDays = step.params.retentionInDays as number;
  },
};

const createFlowLogs: CfnRenderer = {
  render(step, cfn) {
    const {ResourceType, TrafficType, LogDestinationType, MaxAggregationInterval} = step.params;
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::FlowLog',
      // The group must exist (with its retention) before records arrive.
      DependsOn: logicalId(FLOW_LOG_STEP.group),
      Properties: {
        ResourceId: cfn.value(list(step.params.ResourceIds)[0]),
        ResourceType: text(ResourceType),
        TrafficType: text(TrafficType),
        LogDestinationType: text(LogDestinationType),
        LogGroupName: text(step.params.LogGroupName),
        DeliverLogsPermissionArn: cfn.value(step.params.DeliverLogsPermissionArn),
        MaxAggregationInterval: MaxAggregationInterval as number,
        Tags: cfn.tags(specTags(step)),
      },
    };
    cfn.template.Outputs.FlowLogId = {Description: 'Flow log of the VPC (vpc-flow-logs)', Value: ref(logicalId(step.id))};
  },
};

/** A key CloudFormation creates keeps its private half in SSM Parameter Store. */
const keyPair: CfnRenderer = {
  render(step, cfn) {
    const id = logicalId(step.id);
    const created = step.action === 'CreateKeyPair';
    cfn.template.Resources[id] = {
      Type: 'AWS::EC2::KeyPair',
      Properties: {
        KeyName: text(step.params.KeyName),
        ...(created ? {KeyType: text(step.params.KeyType)} : {PublicKeyMaterial: cfn.value(step.params.PublicKeyMaterial)}),
        Tags: cfn.tags(specTags(step)),
      },
    };
    cfn.template.Outputs.KeyPairName = {Description: 'Key pair on the instance (key-pair)', Value: ref(id)};
    if (created) {
      cfn.template.Outputs.PrivateKeyParameter = {
        Description: 'SSM parameter holding the private key; fetch it once with get-parameter --with-decryption into a 0600 file',
        Value: sub(`/ec2/keypair/\${${id}.KeyPairId}`),
      };
    } else {
      cfn.template.Parameters.PublicKeyMaterial = {Type: 'String', Description: `Contents of the public key file (${step.keyFile || 'the .pub file'})`};
    }
  },
  ref: (step) => ref(logicalId(step.id)),
};

/** Allocated in the subnet's zone, for the instance's type; only instances that name it land on it. */
const allocateHosts: CfnRenderer = {
  render(step, cfn) {
    const id = logicalId(step.id);
    cfn.template.Resources[id] = {
      Type: 'AWS::EC2::Host',
      Properties: {InstanceType: ref('InstanceType'), AvailabilityZone: cfn.value(step.params.AvailabilityZone), AutoPlacement: text(step.params.AutoPlacement)},
    };
    cfn.template.Outputs.DedicatedHostId = {Description: 'Dedicated host (tenancy)', Value: ref(id)};
  },
  ref: (step) => ref(logicalId(step.id)),
};

/** AWS Backup tags are a map; the export's profile tag joins the launch id, as in every tag list. */
function backupTags(cfn: CfnContext, tags: ParamValue | undefined): Json {
  const entries = Object.entries(params(tags)).map(([Key, Value]) => ({Key, Value}));
  const listed = cfn.value(tagsWithProfile(entries, cfn.profile)) as Array<{Key: string; Value: Json}>;
  return Object.fromEntries(listed.map((tag) => [tag.Key, tag.Value]));
}

const createBackupVault: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::Backup::BackupVault',
      Properties: {BackupVaultName: text(step.params.BackupVaultName), BackupVaultTags: backupTags(cfn, step.params.BackupVaultTags)},
    };
  },
  ref: (step) => ref(logicalId(step.id)),
};

/** CloudFormation names a plan's rules BackupPlanRule and their vault TargetBackupVault. */
const createBackupPlan: CfnRenderer = {
  render(step, cfn) {
    const plan = params(step.params.BackupPlan);
    const rules = list(plan.Rules).map((rule) => {
      const {TargetBackupVaultName, ...rest} = params(rule);
      return {...(cfn.value(rest) as JsonObject), TargetBackupVault: cfn.value(TargetBackupVaultName)};
    });
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::Backup::BackupPlan',
      Properties: {BackupPlan: {BackupPlanName: text(plan.BackupPlanName), BackupPlanRule: rules}, BackupPlanTags: backupTags(cfn, step.params.BackupPlanTags)},
    };
    cfn.template.Outputs.BackupPlanId = {Description: "The root volume's daily backup plan (volume-backup)", Value: ref(logicalId(step.id))};
  },
  ref: (step) => ref(logicalId(step.id)),
};

const createBackupSelection: CfnRenderer = {
  render(step, cfn) {
    const selection = params(step.params.BackupSelection);
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::Backup::BackupSelection',
      Properties: {
        BackupPlanId: cfn.value(step.params.BackupPlanId),
        BackupSelection: {
          SelectionName: text(selection.SelectionName),
          IamRoleArn: cfn.value(selection.IamRoleArn),
          Resources: list(selection.Resources).map((arn) => partitionFree(cfn, text(arn))),
          Conditions: cfn.value(selection.Conditions),
        },
      },
    };
  },
};

// The VPC's own filters (controls/network-guard.ts). CloudFormation names the new VPC's default
// group and list (Fn::GetAtt DefaultSecurityGroup, DefaultNetworkAcl) but cannot remove a rule it
// did not make: the group's rules are left to a command after deploying, which an output spells
// out, and the list's allow-everything rule 100 is shadowed by a deny at 99, which comes first.

/** The VPC whose default group or list a Describe step finds: always the one the template makes. */
const vpcOfFilters = (step: PlanStep): string => logicalId(asRef(list(params(list(step.params.Filters)[0]).Values)[0])?.ref ?? PLAN_STEP.vpc);

const describeDefaultGroup: CfnRenderer = {
  render: () => undefined,
  ref: (step) => getAtt(vpcOfFilters(step), 'DefaultSecurityGroup'),
};

/** Both revokes write the one output that says what to run once the stack exists. */
const revokeDefaultGroupRules: CfnRenderer = {
  render(step, cfn) {
    const group = asRef(step.params.GroupId);
    const vpc = group ? vpcOfFilters(cfn.plan.step(group.ref) ?? step) : logicalId(PLAN_STEP.vpc);
    cfn.template.Outputs.DefaultSecurityGroupId = {
      Description:
        "The new VPC's default security group. CloudFormation cannot remove the rules AWS gives it (Security Hub EC2.2); once the stack exists, run: aws ec2 revoke-security-group-ingress --group-id ID --ip-permissions 'IpProtocol=-1,UserIdGroupPairs=[{GroupId=ID}]' and aws ec2 revoke-security-group-egress --group-id ID --ip-permissions 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'",
      Value: getAtt(vpc, 'DefaultSecurityGroup'),
    };
  },
};

const describeDefaultAcl: CfnRenderer = {
  render: () => undefined,
  ref: (step) => getAtt(vpcOfFilters(step), 'DefaultNetworkAcl'),
};

/** One list entry; the SSH entry takes the template's SSH source parameter, as the group's rule does. */
function naclEntry(step: PlanStep, cfn: CfnContext, ruleNumber: number): JsonObject {
  const range = params(step.params.PortRange);
  const ssh = step.id === NACL_SSH_STEP && cfn.template.Parameters.SshSourceCidr !== undefined;
  return {
    NetworkAclId: cfn.value(step.params.NetworkAclId),
    RuleNumber: ruleNumber,
    Protocol: Number(text(step.params.Protocol)),
    RuleAction: text(step.params.RuleAction),
    Egress: step.params.Egress === true,
    ...(step.params.Ipv6CidrBlock ? {Ipv6CidrBlock: text(step.params.Ipv6CidrBlock)} : {CidrBlock: ssh ? ref('SshSourceCidr') : text(step.params.CidrBlock)}),
    ...(step.params.PortRange ? {PortRange: {From: range.From as number, To: range.To as number}} : {}),
  };
}

const createAclEntry: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {Type: 'AWS::EC2::NetworkAclEntry', Properties: naclEntry(step, cfn, step.params.RuleNumber as number)};
  },
};

/** The VPC's rule 100 cannot be replaced from a template: a deny one number lower decides first. */
const replaceAclEntry: CfnRenderer = {
  render(step, cfn) {
    cfn.template.Resources[logicalId(step.id)] = {
      Type: 'AWS::EC2::NetworkAclEntry',
      Metadata: {
        tandem: `Denies everything the entries above do not allow; the VPC's own allow-everything rule ${typeof step.params.RuleNumber === 'number' ? step.params.RuleNumber : 100} comes after it and is never reached.`,
      },
      Properties: naclEntry(step, cfn, (step.params.RuleNumber as number) - 1),
    };
  },
};

/** CloudFormation has no resource for a snapshot: the template says how to take the first one. */
const createSnapshot: CfnRenderer = {
  render(_step, cfn) {
    const metadata = (cfn.template.Metadata ?? {}) as JsonObject;
    const tandem = (metadata.tandem ?? {}) as JsonObject;
    tandem.firstSnapshot =
      'CloudFormation cannot take an EBS snapshot. Once the stack is up, take the root volume\'s first one with: aws ec2 create-snapshot --volume-id "$(aws ec2 describe-volumes --filters Name=attachment.instance-id,Values=<InstanceId output> --query Volumes[0].VolumeId --output text)"';
    cfn.template.Metadata = {...metadata, tandem};
  },
};

export const CFN_RENDERERS: Record<string, CfnRenderer> = {
  GetParameter: imageParameter,
  DescribeImages: describeImages,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  CreateVpc: createVpc,
  CreateSubnet: createSubnet,
  CreateInternetGateway: createdWithTags('AWS::EC2::InternetGateway'),
  AttachInternetGateway: attachGateway,
  CreateRouteTable: createdWithTags('AWS::EC2::RouteTable'),
  CreateRoute: createRoute,
  AssociateRouteTable: associateRouteTable,
  ModifyVpcAttribute: modifyVpcAttribute,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeIngress,
  DescribeManagedPrefixLists: describePrefixLists,
  CreateVpcEndpoint: createVpcEndpoint,
  CreateRole: createRole,
  PutRolePolicy: putRolePolicy,
  AttachRolePolicy: attachRolePolicy,
  CreateInstanceProfile: createInstanceProfile,
  AddRoleToInstanceProfile: addRoleToProfile,
  DescribeKey: describeKey,
  CreateKey: createKey,
  CreateAlias: createAlias,
  EnableKeyRotation: enableKeyRotation,
  CreateKeyPair: keyPair,
  ImportKeyPair: keyPair,
  AllocateHosts: allocateHosts,
  CreateBackupVault: createBackupVault,
  CreateBackupPlan: createBackupPlan,
  CreateBackupSelection: createBackupSelection,
  // Finding the root volume is the first snapshot's business; the template notes how to take it.
  DescribeVolumes: {render: () => undefined},
  CreateSnapshot: createSnapshot,
  CreateLogGroup: createLogGroup,
  PutRetentionPolicy: putRetentionPolicy,
  CreateFlowLogs: createFlowLogs,
  DescribeSecurityGroups: describeDefaultGroup,
  RevokeSecurityGroupIngress: revokeDefaultGroupRules,
  RevokeSecurityGroupEgress: revokeDefaultGroupRules,
  DescribeNetworkAcls: describeDefaultAcl,
  CreateNetworkAclEntry: createAclEntry,
  ReplaceNetworkAclEntry: replaceAclEntry,
};

/** The Name tag of what a step creates, for resources CloudFormation adds beside it. */
export function stepName(step: PlanStep): string {
  return nameTag(specTags(step));
}
