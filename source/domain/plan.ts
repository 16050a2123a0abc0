// The launch spec turned into a graph of AWS SDK calls. Each step's params are exactly the SDK
// command input, with StepRefs where a value only exists at launch time, so the executor can run
// `new Commands[action](resolve(params))` without knowing what any step means. A step depends
// only on the steps whose output it uses (or that must have happened for it to succeed), so
// independent work runs concurrently.
import {sshSourceText} from './my-address.js';
import {parseCidr} from './cidr.js';
import {createdRoleName, roleSteps, instanceProfileName} from './plan-iam.js';
import {endpointSteps, instanceConnectIngress, INSTANCE_CONNECT_LIST_STEP} from './controls/ways-in.js';
import {KMS_KEY_STEP, kmsSteps, rootVolume, volumeText} from './controls/storage.js';
import {networkSteps} from './plan-network.js';
import {CLIENT_TOKEN, PUBLIC_KEY_MATERIAL, tagSpecifications} from './plan-tags.js';
import type {ParamValue, Plan, PlanStep, StepRef} from './plan-types.js';
import type {LaunchSpec} from './spec.js';

export {orderedSteps, planLevels, planDepth, checkPlan, refsIn, transitiveDependencies} from './plan-graph.js';
export {newVpcCidrs} from './plan-network.js';
export {bucketPolicy, trustPolicy, partitionOf, instanceProfileName, createdRoleName, DEFAULT_ROLE_NAME} from './plan-iam.js';

/** Public SSM parameters that always name the newest Amazon Linux image. */
export function imageParameterName(image: 'al2023' | 'al2', arch: 'x86_64' | 'arm64'): string {
  const leaf = image === 'al2023' ? `al2023-ami-kernel-default-${arch}` : `amzn2-ami-hvm-${arch}-gp2`;
  return `/aws/service/ami-amazon-linux-latest/${leaf}`;
}

/** Step ids other modules look for (executor, verifier, progress screen). */
export const PLAN_STEP = {
  imageParameter: 'image-parameter',
  image: 'image',
  vpc: 'vpc',
  kmsKey: KMS_KEY_STEP,
  securityGroup: 'security-group',
  instanceConnectList: INSTANCE_CONNECT_LIST_STEP,
  keyPair: 'key-pair',
  host: 'dedicated-host',
  runInstances: 'run-instances',
  waitRunning: 'wait-running',
} as const;

/** Where the RunInstances response names the instance. */
export const INSTANCE_ID: StepRef = {ref: PLAN_STEP.runInstances, output: 'Instances.0.InstanceId'};

const IMAGE_LABEL = {al2023: 'Amazon Linux 2023', al2: 'Amazon Linux 2'} as const;

function imageSteps(spec: LaunchSpec): PlanStep[] {
  const {image, arch, amiId} = spec.instance;
  const steps: PlanStep[] = [];
  let imageId: ParamValue = amiId ?? '';
  if (image !== 'ami') {
    steps.push({
      id: PLAN_STEP.imageParameter,
      service: 'ssm',
      action: 'GetParameter',
      params: {Name: imageParameterName(image, arch)},
      creates: [],
      dependsOn: [],
      controls: ['ami-provenance'],
      dryRunnable: false,
      summary: `Look up the latest ${IMAGE_LABEL[image]} (${arch}) image in its public SSM parameter`,
    });
    imageId = {ref: PLAN_STEP.imageParameter, output: 'Parameter.Value'};
  }
  // The image's own record gives its owner (checked after launch) and the root device name the
  // block-device mapping must use to resize and encrypt the root volume.
  steps.push({
    id: PLAN_STEP.image,
    service: 'ec2',
    action: 'DescribeImages',
    params: {ImageIds: [imageId]},
    creates: [],
    dependsOn: image === 'ami' ? [] : [PLAN_STEP.imageParameter],
    controls: ['ami-provenance'],
    dryRunnable: true,
    summary: image === 'ami' ? `Read image ${amiId ?? ''}: owner, architecture, root device` : 'Read the resolved image: owner, architecture, root device',
  });
  return steps;
}

export {kmsAliasFor} from './controls/storage.js';

const RULES = [
  {field: 'http', port: 80, label: 'HTTP'},
  {field: 'https', port: 443, label: 'HTTPS'},
  {field: 'ssh', port: 22, label: 'SSH'},
] as const;

/** The reviewed ingress rules as EC2 IpPermissions, one per port, each with a description. */
export function ingressPermissions(spec: LaunchSpec): ParamValue[] {
  const permissions: ParamValue[] = [];
  for (const rule of RULES) {
    const cidr = spec.securityGroup[rule.field];
    if (cidr === false || cidr === undefined) continue;
    const parsed = parseCidr(cidr);
    const text = parsed.ok ? parsed.cidr.text : cidr;
    const Description = rule.field === 'ssh' ? 'SSH for administration' : `${rule.label} to the web server`;
    const v6 = parsed.ok ? parsed.cidr.version === 6 : cidr.includes(':');
    permissions.push({
      IpProtocol: 'tcp',
      FromPort: rule.port,
      ToPort: rule.port,
      ...(v6 ? {Ipv6Ranges: [{CidrIpv6: text, Description}]} : {IpRanges: [{CidrIp: text, Description}]}),
    });
  }
  return permissions;
}

/** Security group names and descriptions accept only these characters. */
function sgText(text: string): string {
  return text.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '-');
}

function securityGroupSteps(spec: LaunchSpec, vpcStep: string, vpcId: StepRef): PlanStep[] {
  const sg = spec.securityGroup;
  if (sg.mode !== 'create') return [];
  const groupId: StepRef = {ref: PLAN_STEP.securityGroup, output: 'GroupId'};
  const steps: PlanStep[] = [
    {
      id: PLAN_STEP.securityGroup,
      service: 'ec2',
      action: 'CreateSecurityGroup',
      params: {
        GroupName: sg.name,
        Description: sgText(`Web server ${spec.instance.name}, managed by tandem`),
        VpcId: vpcId,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group', name: sg.name}]),
      },
      creates: ['security-group'],
      dependsOn: [vpcStep],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: `Create security group ${sg.name} (denies all inbound traffic until rules are added)`,
    },
  ];
  const instanceConnect = instanceConnectIngress(spec);
  steps.push(...instanceConnect.steps);
  const permissions = [...ingressPermissions(spec), ...instanceConnect.permissions];
  const lookups = instanceConnect.steps.map((step) => step.id);
  const sources = [
    ...RULES.filter((rule) => sg[rule.field] !== false && sg[rule.field] !== undefined).map((rule) => `${rule.label} ${sshSourceText(String(sg[rule.field]))}`),
    ...instanceConnect.sources,
  ];
  if (permissions.length > 0) {
    const described = sources.join(', ');
    steps.push({
      id: 'security-group-ingress',
      service: 'ec2',
      action: 'AuthorizeSecurityGroupIngress',
      params: {
        GroupId: groupId,
        IpPermissions: permissions,
        TagSpecifications: tagSpecifications(spec, [{type: 'security-group-rule', name: sg.name}]),
      },
      creates: [],
      dependsOn: [PLAN_STEP.securityGroup, ...lookups],
      controls: ['security-group-rules'],
      dryRunnable: true,
      summary: `Allow inbound ${described}`,
    });
  }
  return steps;
}

function keyPairSteps(spec: LaunchSpec): PlanStep[] {
  const {mode, name = '', type = 'ed25519'} = spec.keyPair;
  const tags = tagSpecifications(spec, [{type: 'key-pair', name}]);
  if (mode === 'create') {
    return [
      {
        id: PLAN_STEP.keyPair,
        service: 'ec2',
        action: 'CreateKeyPair',
        params: {KeyName: name, KeyType: type, KeyFormat: 'pem', TagSpecifications: tags},
        creates: ['key-pair'],
        dependsOn: [],
        controls: ['key-pair'],
        dryRunnable: true,
        summary: `Create ${type} key pair ${name}; the private key is saved to ${spec.keyPair.path ?? ''} (mode 0600)`,
      },
    ];
  }
  if (mode === 'import') {
    return [
      {
        id: PLAN_STEP.keyPair,
        service: 'ec2',
        action: 'ImportKeyPair',
        params: {KeyName: name, PublicKeyMaterial: PUBLIC_KEY_MATERIAL, TagSpecifications: tags},
        creates: ['key-pair'],
        dependsOn: [],
        controls: ['key-pair'],
        dryRunnable: true,
        summary: `Import public key ${spec.keyPair.path ?? ''} as key pair ${name}`,
      },
    ];
  }
  return [];
}

function userDataScript(spec: LaunchSpec): string | undefined {
  if (spec.instance.userData !== 'httpd') return undefined;
  const install: Record<LaunchSpec['instance']['image'], string> = {
    al2023: 'dnf install -y httpd',
    al2: 'yum install -y httpd',
    // A custom image may be either generation; use whichever package manager it has.
    ami: 'if command -v dnf >/dev/null; then dnf install -y httpd; else yum install -y httpd; fi',
  };
  return ['#!/bin/bash', 'set -euo pipefail', install[spec.instance.image], 'systemctl enable --now httpd', ''].join('\n');
}

/** Base64 user data exactly as RunInstances receives it, or undefined for none. */
export function userDataFor(spec: LaunchSpec): string | undefined {
  const script = userDataScript(spec);
  return script === undefined ? undefined : btoa(script);
}

export function buildPlan(spec: LaunchSpec): Plan {
  const {instance, storage, securityGroup, keyPair} = spec;
  const image = imageSteps(spec);
  const network = networkSteps(spec);
  const roles = roleSteps(spec);
  const kms = kmsSteps(spec);
  const groups = securityGroupSteps(spec, network.vpcStep, network.vpcId);
  const keys = keyPairSteps(spec);
  const endpoints = endpointSteps(spec, network.subnetStep, network.subnetId);

  const hosts: PlanStep[] = [];
  if (instance.tenancy === 'host') {
    hosts.push({
      id: PLAN_STEP.host,
      service: 'ec2',
      action: 'AllocateHosts',
      params: {
        InstanceType: instance.type,
        AvailabilityZone: network.availabilityZone,
        Quantity: 1,
        // Only instances that name this host may land on it.
        AutoPlacement: 'off',
        TagSpecifications: tagSpecifications(spec, [{type: 'dedicated-host', name: `${instance.name}-host`}]),
      },
      creates: ['dedicated-host'],
      dependsOn: [network.subnetStep],
      controls: ['tenancy'],
      dryRunnable: true,
      summary: `Allocate a dedicated host for ${instance.type} in the subnet's availability zone (billed per hour while allocated)`,
    });
  }

  const dependsOn: string[] = [PLAN_STEP.image, network.subnetStep];
  const imageRecord = (output: string): StepRef => ({ref: PLAN_STEP.image, output});

  const root = rootVolume(spec);
  dependsOn.push(...root.dependsOn);

  const groupIds: ParamValue[] = [];
  if (securityGroup.mode === 'create') {
    groupIds.push({ref: PLAN_STEP.securityGroup, output: 'GroupId'});
    dependsOn.push(PLAN_STEP.securityGroup);
  } else if (securityGroup.groupId) {
    groupIds.push(securityGroup.groupId);
  }

  const params: {[key: string]: ParamValue} = {
    ImageId: imageRecord('Images.0.ImageId'),
    InstanceType: instance.type,
    MinCount: 1,
    MaxCount: 1,
    // The public address is asked for here, per instance, rather than by the subnet (EC2.15).
    NetworkInterfaces: [
      {
        DeviceIndex: 0,
        SubnetId: network.subnetId,
        Groups: groupIds,
        AssociatePublicIpAddress: spec.network.publicIp,
        DeleteOnTermination: true,
      },
    ],
    BlockDeviceMappings: [{DeviceName: imageRecord('Images.0.RootDeviceName'), Ebs: root.ebs}],
    Placement:
      instance.tenancy === 'host'
        ? {Tenancy: 'host', HostId: {ref: PLAN_STEP.host, output: 'HostIds.0'}}
        : {Tenancy: instance.tenancy},
    MetadataOptions: {
      HttpTokens: instance.imds,
      HttpPutResponseHopLimit: instance.hopLimit,
      HttpEndpoint: 'enabled',
    },
    ClientToken: CLIENT_TOKEN,
    TagSpecifications: tagSpecifications(spec, [
      {type: 'instance', name: instance.name},
      {type: 'volume', name: `${instance.name}-root`},
    ]),
  };
  if (instance.tenancy === 'host') dependsOn.push(PLAN_STEP.host);

  const profile = instanceProfileName(spec);
  if (createdRoleName(spec) !== undefined) {
    // The profile must already hold the role, or the instance starts without credentials.
    params.IamInstanceProfile = {Name: {ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'}};
    dependsOn.push('instance-profile-role');
  } else if (profile) {
    params.IamInstanceProfile = {Name: profile};
  }

  if (keyPair.mode === 'create' || keyPair.mode === 'import') {
    params.KeyName = {ref: PLAN_STEP.keyPair, output: 'KeyName'};
    dependsOn.push(PLAN_STEP.keyPair);
  } else if (keyPair.mode === 'existing' && keyPair.name) {
    params.KeyName = keyPair.name;
  }

  const userData = userDataFor(spec);
  if (userData !== undefined) params.UserData = userData;

  const run: PlanStep = {
    id: PLAN_STEP.runInstances,
    service: 'ec2',
    action: 'RunInstances',
    params,
    creates: ['instance'],
    dependsOn,
    controls: ['instance-type', 'tenancy', 'ebs-encryption', 'imds-v2', 'public-ip', 'ami-provenance'],
    dryRunnable: true,
    summary: `Launch ${instance.type} instance ${instance.name} (${instance.tenancy} tenancy, IMDSv2 ${instance.imds}, ${volumeText(
      storage,
    )}${spec.network.publicIp ? ', public IP' : ''})`,
  };
  const wait: PlanStep = {
    id: PLAN_STEP.waitRunning,
    service: 'ec2',
    action: 'WaitUntilInstanceRunning',
    params: {InstanceIds: [INSTANCE_ID]},
    creates: [],
    dependsOn: [PLAN_STEP.runInstances],
    controls: ['hypervisor-isolation'],
    dryRunnable: false,
    summary: 'Wait until the instance is running',
  };

  return {steps: [...image, ...network.steps, ...endpoints, ...roles, ...kms, ...groups, ...keys, ...hosts, run, wait]};
}
