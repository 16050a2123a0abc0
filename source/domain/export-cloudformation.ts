// A CloudFormation template (YAML) that builds what the launch spec builds, with the same
// controls: encrypted root volume with the chosen key (a new key rotates), tenancy, IMDSv2 through
// a launch template (AWS::EC2::Instance has no metadata options of its own), exactly the reviewed
// ingress rules, a role scoped to one bucket, and tags. Values that differ per account or
// deployment are parameters whose defaults are the profile's choices, so the same template works
// with StackSets across accounts and regions.
import {INSTANCE_CONNECT_RULE, instanceConnectListName, wantsInstanceConnect} from './instance-connect.js';
import {SSH_ME} from './my-address.js';
import {isWorld, parseCidr} from './cidr.js';
import {newVpcCidrs} from './plan-network.js';
import {DEFAULT_ROLE_NAME, bucketPolicy, partitionOf, trustPolicy} from './plan-iam.js';
import {imageParameterName, userDataFor} from './plan.js';
import {kmsAliasOf} from './preflight.js';
import type {LaunchSpec} from './spec.js';
import {ENDPOINT_GROUP_DESCRIPTION, ENDPOINT_RULE_DESCRIPTION, attachesSsmPolicy, needsSessionRole, needsSsmEndpoints, SSM_ENDPOINT_SERVICES, SSM_POLICY_NAME} from './plan-access.js';

export const PROFILE_TAG = 'tandem:profile';
export const LAUNCH_ID_TAG = 'tandem:launch-id';
/** Amazon Linux images put the root volume here; a custom AMI gets a parameter. */
const AMAZON_LINUX_ROOT_DEVICE = '/dev/xvda';
const IO2_IOPS = 3000;

/**
 * The profile as AWS sees it (tag value, description): a file's base name without .yaml, or the
 * saved name. Never a local path: a folder names the operator's machine and home, not the profile.
 */
export function profileLabel(source: string, kind: 'saved' | 'file'): string {
  const name = kind === 'file' ? (source.split(/[\\/]/).pop() ?? '').replace(/\.ya?ml$/i, '') : source;
  return name.replace(/[^\p{L}\p{N} _.:=+\-@]/gu, '-').slice(0, 256) || 'profile';
}

export interface ExportOptions {
  /** Saved profile name or file it came from; becomes the tandem:profile tag. */
  profile: string;
  /** ISO time for the header; omitted from the output when not given. */
  generatedAt?: string;
}

type Json = string | number | boolean | Json[] | {[key: string]: Json};
type Template = {[key: string]: Json} & {Parameters: {[key: string]: Json}; Resources: {[key: string]: Json}; Outputs: {[key: string]: Json}};

const ref = (name: string): Json => ({Ref: name});
const getAtt = (resource: string, attribute: string): Json => ({'Fn::GetAtt': [resource, attribute]});
const sub = (text: string): Json => ({'Fn::Sub': text});

/** Tags shown in the console: Name, the stack as launch id, the profile, then the operator's. */
function tags(spec: LaunchSpec, options: ExportOptions, name: string): Json[] {
  const own = Object.entries(spec.tags).filter(([key]) => key !== 'Name' && !key.startsWith('tandem:'));
  return [
    {Key: 'Name', Value: name},
    {Key: LAUNCH_ID_TAG, Value: ref('AWS::StackName')},
    {Key: PROFILE_TAG, Value: options.profile},
    ...own.map(([Key, Value]) => ({Key, Value})),
  ];
}

/** The bucket policy tandem uses, with the partition left to CloudFormation. */
function scopedPolicy(spec: LaunchSpec): Json {
  const concrete = `arn:${partitionOf(spec.region)}:`;
  const policy = JSON.parse(bucketPolicy(spec.role.bucket ?? '', spec.role.access ?? 'read', spec.region)) as {Statement: Array<{Resource: string}>};
  for (const statement of policy.Statement) {
    (statement as {Resource: Json}).Resource = sub(statement.Resource.replace(concrete, 'arn:${AWS::Partition}:'));
  }
  return policy;
}

const INGRESS = [
  {field: 'http', port: 80, label: 'HTTP to the web server'},
  {field: 'https', port: 443, label: 'HTTPS to the web server'},
  {field: 'ssh', port: 22, label: 'SSH for administration'},
] as const;

function ingressRules(spec: LaunchSpec): Json[] {
  const rules: Json[] = [];
  for (const rule of INGRESS) {
    const cidr = spec.securityGroup[rule.field];
    if (cidr === false) continue;
    const parsed = parseCidr(cidr);
    const v6 = parsed.ok ? parsed.cidr.version === 6 : cidr.includes(':');
    // SSH comes from the operator's own address, which differs per deployment: a parameter.
    const source: Json = rule.field === 'ssh' ? ref('SshSourceCidr') : parsed.ok ? parsed.cidr.text : cidr;
    rules.push({IpProtocol: 'tcp', FromPort: rule.port, ToPort: rule.port, [v6 ? 'CidrIpv6' : 'CidrIp']: source, Description: rule.label});
  }
  // Instance Connect's prefix list has its own id in every region: given at deploy time.
  if (wantsInstanceConnect(spec)) rules.push({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, SourcePrefixListId: ref('InstanceConnectPrefixListId'), Description: INSTANCE_CONNECT_RULE});
  return rules;
}

/** The template as data (tests and other formats read it); cloudFormationTemplate() prints it. */
export function cloudFormationObject(spec: LaunchSpec, options: ExportOptions): Template {
  const {instance, network, role, storage, securityGroup, keyPair} = spec;
  const t: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `tandem launch profile ${options.profile}: ${instance.type} web server ${instance.name} with the controls reviewed in tandem (generated by tandem export)`.slice(0, 1024),
    Metadata: {tandem: {profile: options.profile, ...(options.generatedAt ? {generatedAt: options.generatedAt} : {}), specVersion: spec.version}},
    Parameters: {},
    Resources: {},
    Outputs: {},
  };
  const P = t.Parameters;
  const R = t.Resources;
  const O = t.Outputs;

  // Image: the public SSM parameter always names the newest Amazon Linux, resolved at deploy time.
  if (instance.image === 'ami') {
    P.ImageId = {Type: 'AWS::EC2::Image::Id', Default: instance.amiId ?? '', Description: 'AMI to launch (ami-provenance: you vouch for its source)'};
    P.RootDeviceName = {Type: 'String', Default: AMAZON_LINUX_ROOT_DEVICE, Description: "The AMI's root device name (DescribeImages RootDeviceName)"};
  } else {
    P.ImageId = {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: imageParameterName(instance.image, instance.arch),
      Description: `Public SSM parameter naming the latest ${instance.image === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2'} image (ami-provenance)`,
    };
  }
  P.InstanceType = {Type: 'String', Default: instance.type, Description: 'Instance type (instance-type control)'};

  // Network: build the VPC, or take the ids of an existing one (the default VPC differs per account).
  let vpcId: Json;
  let subnetId: Json;
  let subnetZone: Json | undefined;
  if (network.vpc === 'new') {
    const cidrs = newVpcCidrs(network);
    R.Vpc = {Type: 'AWS::EC2::VPC', Properties: {CidrBlock: cidrs.vpc, EnableDnsSupport: true, EnableDnsHostnames: true, Tags: tags(spec, options, `${instance.name}-vpc`)}};
    R.InternetGateway = {Type: 'AWS::EC2::InternetGateway', Properties: {Tags: tags(spec, options, `${instance.name}-igw`)}};
    R.GatewayAttachment = {Type: 'AWS::EC2::VPCGatewayAttachment', Properties: {VpcId: ref('Vpc'), InternetGatewayId: ref('InternetGateway')}};
    const zone: Json = {'Fn::Select': [0, {'Fn::GetAZs': ''}]};
    for (const [id, cidr, kind] of [
      ['PublicSubnet', cidrs.publicSubnet, 'public'],
      ['PrivateSubnet', cidrs.privateSubnet, 'private'],
    ] as const) {
      // Public addresses are asked for per instance, never handed out by the subnet (EC2.15).
      R[id] = {
        Type: 'AWS::EC2::Subnet',
        Properties: {VpcId: ref('Vpc'), CidrBlock: cidr ?? '', AvailabilityZone: zone, MapPublicIpOnLaunch: false, Tags: tags(spec, options, `${instance.name}-${kind}`)},
      };
      R[`${kind === 'public' ? 'Public' : 'Private'}RouteTable`] = {
        Type: 'AWS::EC2::RouteTable',
        Properties: {VpcId: ref('Vpc'), Tags: tags(spec, options, `${instance.name}-${kind}-routes`)},
      };
      R[`${kind === 'public' ? 'Public' : 'Private'}SubnetRouteTableAssociation`] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: {SubnetId: ref(id), RouteTableId: ref(`${kind === 'public' ? 'Public' : 'Private'}RouteTable`)},
      };
    }
    // subnet-routing: only the public subnet reaches the internet; the private one has no such route.
    R.PublicDefaultRoute = {
      Type: 'AWS::EC2::Route',
      DependsOn: 'GatewayAttachment',
      Properties: {RouteTableId: ref('PublicRouteTable'), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref('InternetGateway')},
    };
    const chosen = network.subnet === 'private' ? 'PrivateSubnet' : 'PublicSubnet';
    vpcId = ref('Vpc');
    subnetId = ref(chosen);
    subnetZone = getAtt(chosen, 'AvailabilityZone');
  } else {
    P.VpcId = {
      Type: 'AWS::EC2::VPC::Id',
      ...(network.vpc === 'default' ? {} : {Default: network.vpc}),
      Description: network.vpc === 'default' ? "The target account's default VPC (its id differs per account)" : 'VPC to launch into',
    };
    P.SubnetId = {
      Type: 'AWS::EC2::Subnet::Id',
      ...(network.subnet.startsWith('subnet-') ? {Default: network.subnet} : {}),
      Description: 'Subnet of that VPC for the instance',
    };
    vpcId = ref('VpcId');
    subnetId = ref('SubnetId');
  }

  // IAM role: EC2 may assume it and it may use one bucket. Names are left to CloudFormation so
  // the template deploys to many regions of one account (IAM names are global).
  let instanceProfile: Json | undefined;
  // session-manager: the AWS managed policy goes only onto a role this template creates.
  const managedPolicies: Json = attachesSsmPolicy(spec) ? {ManagedPolicyArns: [sub(`arn:\${AWS::Partition}:iam::aws:policy/${SSM_POLICY_NAME}`)]} : {};
  if (role.mode === 'create' || needsSessionRole(spec)) {
    R.InstanceRole = {
      Type: 'AWS::IAM::Role',
      Properties:
        role.mode === 'create'
          ? {
              Description: `Lets EC2 instances ${role.access === 'read-write' ? 'read and write' : 'read'} S3 bucket ${role.bucket ?? ''} (tandem ${role.name || DEFAULT_ROLE_NAME})`,
              AssumeRolePolicyDocument: JSON.parse(trustPolicy()) as Json,
              Policies: [{PolicyName: `tandem-s3-${role.access ?? 'read'}`, PolicyDocument: scopedPolicy(spec)}],
              ...managedPolicies,
              Tags: tags(spec, options, role.name || DEFAULT_ROLE_NAME),
            }
          : {
              Description: `Lets Session Manager reach instance ${instance.name} (tandem)`.replace(/[^\u0020-\u007e]/g, '-'),
              AssumeRolePolicyDocument: JSON.parse(trustPolicy()) as Json,
              ...managedPolicies,
              Tags: tags(spec, options, `${instance.name}-ssm`),
            },
    };
    R.InstanceProfile = {Type: 'AWS::IAM::InstanceProfile', Properties: {Roles: [ref('InstanceRole')]}};
    instanceProfile = ref('InstanceProfile');
    O.RoleName = {Description: 'IAM role the instance uses (iam-instance-role)', Value: ref('InstanceRole')};
    O.InstanceProfileName = {Description: 'Instance profile holding the role', Value: ref('InstanceProfile')};
  } else if (role.mode === 'existing') {
    P.InstanceProfileName = {Type: 'String', Default: role.instanceProfile || role.name || DEFAULT_ROLE_NAME, Description: 'Existing instance profile for the instance'};
    instanceProfile = ref('InstanceProfileName');
  }

  // Storage key: a new customer key rotates yearly (KMS.4); aws/ebs needs no KmsKeyId at all.
  let kmsKeyId: Json | undefined;
  if (storage.encrypted && storage.kmsKey === 'new') {
    R.EbsKey = {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: `EBS encryption key for ${instance.name}, created by tandem export`,
        EnableKeyRotation: true,
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            // The key policy every new key gets by default: the account's IAM policies decide who uses it.
            {Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: {AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root')}, Action: 'kms:*', Resource: '*'},
          ],
        },
        Tags: tags(spec, options, `${instance.name}-ebs`),
      },
    };
    R.EbsKeyAlias = {Type: 'AWS::KMS::Alias', Properties: {AliasName: kmsAliasOf(spec), TargetKeyId: ref('EbsKey')}};
    kmsKeyId = getAtt('EbsKey', 'Arn');
    O.KmsKeyArn = {Description: 'Customer managed key encrypting the root volume (kms-key)', Value: getAtt('EbsKey', 'Arn')};
  } else if (storage.encrypted && storage.kmsKey !== 'aws/ebs' && storage.kmsKey !== 'alias/aws/ebs') {
    P.KmsKeyId = {Type: 'String', Default: storage.kmsKey, Description: 'KMS key (id, ARN or alias) encrypting the root volume'};
    kmsKeyId = ref('KmsKeyId');
  }

  // session-manager: a private subnet has no way out, so the agent reaches the service through
  // interface endpoints (the VPC above has DNS hostnames on, which their private DNS needs).
  if (needsSsmEndpoints(spec)) {
    R.SessionEndpointSecurityGroup = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: ENDPOINT_GROUP_DESCRIPTION,
        VpcId: vpcId,
        SecurityGroupIngress: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: newVpcCidrs(network).vpc, Description: ENDPOINT_RULE_DESCRIPTION}],
        Tags: tags(spec, options, `${instance.name}-ssm-endpoints`),
      },
    };
    for (const service of SSM_ENDPOINT_SERVICES) {
      R[`SessionEndpoint${service.charAt(0).toUpperCase()}${service.slice(1)}`] = {
        Type: 'AWS::EC2::VPCEndpoint',
        Properties: {
          VpcEndpointType: 'Interface',
          VpcId: vpcId,
          ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
          SubnetIds: [subnetId],
          SecurityGroupIds: [getAtt('SessionEndpointSecurityGroup', 'GroupId')],
          PrivateDnsEnabled: true,
        },
      };
    }
  }

  // Security group: denies all inbound traffic except exactly the reviewed rules.
  let groupId: Json;
  if (securityGroup.mode === 'create') {
    if (securityGroup.ssh !== false) {
      const parsed = parseCidr(securityGroup.ssh);
      // `ssh: me` has no address until someone deploys: they give theirs, and only one address fits.
      P.SshSourceCidr =
        securityGroup.ssh === SSH_ME
          ? {
              Type: 'String',
              AllowedPattern: '^(\\d{1,3}\\.){3}\\d{1,3}/32$',
              ConstraintDescription: 'one IPv4 address as a /32, like 203.0.113.7/32',
              Description: 'Your own public address as a /32 (the profile says ssh: me; curl https://checkip.amazonaws.com shows it)',
            }
          : {
              Type: 'String',
              Default: parsed.ok ? parsed.cidr.text : securityGroup.ssh,
              Description: `Address allowed to SSH (your own as a /32)${isWorld(securityGroup.ssh) ? '; the reviewed profile allows the whole internet, Security Hub EC2.13 flags that' : ''}`,
            };
    }
    if (wantsInstanceConnect(spec)) {
      P.InstanceConnectPrefixListId = {
        Type: 'String',
        AllowedPattern: '^pl-[0-9a-f]{8,17}$',
        ConstraintDescription: 'a prefix list id, like pl-0123456789abcdef0',
        Description: `Id of the managed prefix list com.amazonaws.<region>.ec2-instance-connect in the deployment's region (aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=${instanceConnectListName(spec.region)})`,
      };
    }
    R.SecurityGroup = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupName: securityGroup.name,
        GroupDescription: `Web server ${instance.name}, managed by tandem`.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '-'),
        VpcId: vpcId,
        SecurityGroupIngress: ingressRules(spec),
        Tags: tags(spec, options, securityGroup.name),
      },
    };
    groupId = getAtt('SecurityGroup', 'GroupId');
  } else {
    P.SecurityGroupId = {Type: 'AWS::EC2::SecurityGroup::Id', ...(securityGroup.groupId ? {Default: securityGroup.groupId} : {}), Description: 'Existing security group for the instance'};
    groupId = ref('SecurityGroupId');
  }

  // Key pair: a key CloudFormation creates keeps its private half in SSM Parameter Store.
  let keyName: Json | undefined;
  if (keyPair.mode === 'create' || keyPair.mode === 'import') {
    if (keyPair.mode === 'import') P.PublicKeyMaterial = {Type: 'String', Description: `Contents of the public key file (${keyPair.path ?? 'the .pub file'})`};
    R.KeyPair = {
      Type: 'AWS::EC2::KeyPair',
      Properties: {
        KeyName: keyPair.name ?? `${instance.name}-key`,
        ...(keyPair.mode === 'create' ? {KeyType: keyPair.type ?? 'ed25519'} : {PublicKeyMaterial: ref('PublicKeyMaterial')}),
        Tags: tags(spec, options, keyPair.name ?? `${instance.name}-key`),
      },
    };
    keyName = ref('KeyPair');
    O.KeyPairName = {Description: 'Key pair on the instance (key-pair)', Value: ref('KeyPair')};
    if (keyPair.mode === 'create') {
      O.PrivateKeyParameter = {
        Description: 'SSM parameter holding the private key; fetch it once with get-parameter --with-decryption into a 0600 file',
        Value: sub('/ec2/keypair/${KeyPair.KeyPairId}'),
      };
    }
  } else if (keyPair.mode === 'existing') {
    P.KeyName = {Type: 'AWS::EC2::KeyPair::KeyName', ...(keyPair.name ? {Default: keyPair.name} : {}), Description: 'Existing key pair for the instance'};
    keyName = ref('KeyName');
  }

  // Dedicated host: allocated in the subnet's zone, and only instances that name it land on it.
  if (instance.tenancy === 'host') {
    if (!subnetZone) {
      P.HostAvailabilityZone = {Type: 'AWS::EC2::AvailabilityZone::Name', Description: "Availability zone of SubnetId (the host must be in the subnet's zone)"};
      subnetZone = ref('HostAvailabilityZone');
    }
    R.DedicatedHost = {Type: 'AWS::EC2::Host', Properties: {InstanceType: ref('InstanceType'), AvailabilityZone: subnetZone, AutoPlacement: 'off'}};
    O.DedicatedHostId = {Description: 'Dedicated host (tenancy)', Value: ref('DedicatedHost')};
  }

  // imds-v2: AWS::EC2::Instance cannot set metadata options, a launch template can.
  R.LaunchTemplate = {
    Type: 'AWS::EC2::LaunchTemplate',
    Properties: {
      LaunchTemplateData: {
        MetadataOptions: {HttpTokens: instance.imds, HttpPutResponseHopLimit: instance.hopLimit, HttpEndpoint: 'enabled'},
      },
      TagSpecifications: [{ResourceType: 'launch-template', Tags: tags(spec, options, `${instance.name}-template`)}],
    },
  };

  const ebs: {[key: string]: Json} = {VolumeSize: storage.sizeGiB, VolumeType: storage.type, DeleteOnTermination: true};
  if (storage.type === 'io2') ebs.Iops = IO2_IOPS;
  // ebs-encryption: requested explicitly, never switched off (off leaves it to the account default).
  if (storage.encrypted) {
    ebs.Encrypted = true;
    if (kmsKeyId) ebs.KmsKeyId = kmsKeyId;
  }
  const networkInterface: {[key: string]: Json} = {
    DeviceIndex: '0',
    SubnetId: subnetId,
    GroupSet: [groupId],
    AssociatePublicIpAddress: network.publicIp,
    DeleteOnTermination: true,
  };
  const properties: {[key: string]: Json} = {
    LaunchTemplate: {LaunchTemplateId: ref('LaunchTemplate'), Version: getAtt('LaunchTemplate', 'LatestVersionNumber')},
    ImageId: ref('ImageId'),
    InstanceType: ref('InstanceType'),
    NetworkInterfaces: [networkInterface],
    BlockDeviceMappings: [{DeviceName: instance.image === 'ami' ? ref('RootDeviceName') : AMAZON_LINUX_ROOT_DEVICE, Ebs: ebs}],
    Tenancy: instance.tenancy,
    PropagateTagsToVolumeOnCreation: true,
    Tags: tags(spec, options, instance.name),
  };
  if (instance.tenancy === 'host') properties.HostId = ref('DedicatedHost');
  if (instanceProfile) properties.IamInstanceProfile = instanceProfile;
  if (keyName) properties.KeyName = keyName;
  const userData = userDataFor(spec);
  if (userData !== undefined) properties.UserData = {'Fn::Base64': atob(userData)};

  R.Instance = {
    Type: 'AWS::EC2::Instance',
    // A public instance in a new VPC is only reachable once its route to the gateway exists.
    ...(network.vpc === 'new' && network.subnet !== 'private' ? {DependsOn: 'PublicDefaultRoute'} : {}),
    Properties: properties,
  };

  O.InstanceId = {Description: 'The web server instance', Value: ref('Instance')};
  O.PrivateIp = {Description: 'Private IPv4 address', Value: getAtt('Instance', 'PrivateIp')};
  if (network.publicIp) O.PublicIp = {Description: 'Public IPv4 address (public-ip)', Value: getAtt('Instance', 'PublicIp')};
  O.SecurityGroupId = {Description: 'Security group with the reviewed rules (security-group-rules)', Value: groupId};
  O.VpcId = {Description: 'VPC of the instance (vpc-isolation)', Value: vpcId};
  O.SubnetId = {Description: 'Subnet of the instance (subnet-routing)', Value: subnetId};
  O.LaunchTemplateId = {Description: 'Launch template carrying the metadata options (imds-v2)', Value: ref('LaunchTemplate')};
  return t;
}
