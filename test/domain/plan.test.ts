import {describe, expect, it} from 'vitest';
import {INSTANCE_ID} from '../../source/domain/plan-ids.js';
import {partitionOf} from '../../source/domain/partition.js';
import {bucketPolicy, buildPlan, checkPlan, imageParameterName, orderedSteps, planDepth, planLevels, refsIn, transitiveDependencies} from '../../source/domain/plan.js';
import type {Plan, PlanStep} from '../../source/domain/plan-types.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {allCreateSpec, existingSpec} from './plan-fixtures.js';
import {WIZARD_CONTROLS as CONTROL_IDS} from './control-vocabulary.js';

function step(plan: Plan, id: string): PlanStep {
  const found = plan.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`plan has no step ${id}; it has ${plan.steps.map((s) => s.id).join(', ')}`);
  return found;
}

const ids = (plan: Plan) => plan.steps.map((s) => s.id);
const specs: Array<[string, LaunchSpec]> = [
  ['default', defaultSpec()],
  ['all-create', allCreateSpec()],
  ['existing', existingSpec()],
];

describe('buildPlan shape for every kind of spec', () => {
  it.each(specs)('%s plan passes checkPlan (no cycles, known deps, refs waited for)', (_name, spec) => {
    expect(checkPlan(buildPlan(spec))).toEqual([]);
  });

  it.each(specs)('%s plan: every step serves controls from the shared vocabulary', (_name, spec) => {
    for (const s of buildPlan(spec).steps) {
      expect(s.controls.length, s.id).toBeGreaterThan(0);
      for (const control of s.controls) expect(CONTROL_IDS, `${s.id}: ${control}`).toContain(control);
      expect(s.summary.length, s.id).toBeGreaterThan(0);
    }
  });

  it.each(specs)('%s plan: every ref points at a transitive dependency or a launch value', (_name, spec) => {
    const plan = buildPlan(spec);
    for (const s of plan.steps) {
      const before = transitiveDependencies(plan, s.id);
      for (const ref of refsIn(s.params)) {
        if (ref.ref.startsWith('$')) continue;
        expect(before.has(ref.ref), `${s.id} uses ${ref.ref}`).toBe(true);
      }
    }
  });

  it.each(specs)('%s plan: dryRunnable exactly for EC2 calls (not the waiter)', (_name, spec) => {
    for (const s of buildPlan(spec).steps) {
      expect(s.dryRunnable, s.id).toBe(s.service === 'ec2' && !s.action.startsWith('WaitUntil'));
    }
  });

  it.each(specs)('%s plan: every resource-creating step tags Name, launch id and operator tags', (_name, spec) => {
    // A KMS alias cannot carry tags (CreateAlias has none); the journal records it instead.
    const taggable = buildPlan(spec).steps.filter((candidate) => candidate.creates.length > 0 && candidate.action !== 'CreateAlias');
    for (const s of taggable) {
      const text = JSON.stringify(s.params);
      expect(text, s.id).toContain('"Name"');
      expect(text, s.id).toContain('tandem:launch-id');
      expect(text, s.id).toContain('{"ref":"$launch","output":"id"}');
      for (const key of Object.keys(spec.tags)) expect(text, s.id).toContain(key);
    }
  });
});

describe('default spec plan', () => {
  const plan = buildPlan(defaultSpec());

  it('resolves AL2023 through SSM, finds the default VPC and subnet, creates the group and a role for Session Manager', () => {
    expect(ids(plan)).toEqual([
      'image-parameter',
      'image',
      'vpc',
      'subnet',
      'iam-role',
      'iam-role-ssm',
      'instance-profile',
      'instance-profile-role',
      'security-group',
      'security-group-ingress',
      'run-instances',
      'wait-running',
      'root-volume-read',
      'root-snapshot',
    ]);
    expect(step(plan, 'image-parameter').params).toEqual({Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'});
    expect(step(plan, 'image').params).toEqual({ImageIds: [{ref: 'image-parameter', output: 'Parameter.Value'}]});
    expect(step(plan, 'vpc').params).toEqual({Filters: [{Name: 'isDefault', Values: ['true']}]});
    expect(step(plan, 'subnet').params).toEqual({
      Filters: [
        {Name: 'vpc-id', Values: [{ref: 'vpc', output: 'Vpcs.0.VpcId'}]},
        {Name: 'default-for-az', Values: ['true']},
      ],
    });
  });

  it('authorizes exactly the reviewed rule: HTTP from anywhere, nothing else', () => {
    expect(step(plan, 'security-group-ingress').params.IpPermissions).toEqual([
      {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'HTTP to the web server'}]},
    ]);
    expect(step(plan, 'security-group').params.VpcId).toEqual({ref: 'vpc', output: 'Vpcs.0.VpcId'});
  });

  it('launches with encryption, IMDSv2 required, a public IP on the interface and a client token', () => {
    const run = step(plan, 'run-instances');
    expect(run.controls).toEqual(['instance-type', 'detailed-monitoring', 'tenancy', 'ebs-encryption', 'imds-v2', 'public-ip', 'ami-provenance']);
    expect(run.params).toMatchObject({
      ImageId: {ref: 'image', output: 'Images.0.ImageId'},
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      NetworkInterfaces: [{DeviceIndex: 0, SubnetId: {ref: 'subnet', output: 'Subnets.0.SubnetId'}, Groups: [{ref: 'security-group', output: 'GroupId'}], AssociatePublicIpAddress: true}],
      BlockDeviceMappings: [{DeviceName: {ref: 'image', output: 'Images.0.RootDeviceName'}, Ebs: {VolumeSize: 8, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true}}],
      Placement: {Tenancy: 'default'},
      MetadataOptions: {HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled'},
      ClientToken: {ref: '$launch', output: 'clientToken'},
    });
    const ebs = (run.params.BlockDeviceMappings as Array<{Ebs: Record<string, unknown>}>)[0].Ebs;
    expect(ebs).not.toHaveProperty('KmsKeyId');
    expect(run.params).not.toHaveProperty('KeyName');
    // Session Manager is the default way in: the instance carries the role made for it.
    expect(run.params.IamInstanceProfile).toEqual({Name: {ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'}});
    expect(run.dependsOn.sort()).toEqual(['image', 'instance-profile-role', 'security-group', 'subnet']);
  });

  it('installs and starts httpd from base64 user data', () => {
    const script = atob(step(plan, 'run-instances').params.UserData as string);
    expect(script).toContain('dnf install -y httpd');
    expect(script).toContain('systemctl enable --now httpd');
  });

  it('tags the instance and its volume', () => {
    const tagSpecs = step(plan, 'run-instances').params.TagSpecifications as Array<{ResourceType: string; Tags: unknown[]}>;
    expect(tagSpecs.map((t) => t.ResourceType)).toEqual(['instance', 'volume']);
    expect(tagSpecs[0].Tags).toEqual([
      {Key: 'Name', Value: 'web-1'},
      {Key: 'tandem:launch-id', Value: {ref: '$launch', output: 'id'}},
    ]);
  });

  it('waits for the instance to run', () => {
    expect(step(plan, 'wait-running')).toMatchObject({
      service: 'ec2',
      action: 'WaitUntilInstanceRunning',
      params: {InstanceIds: [INSTANCE_ID]},
      creates: [],
      dependsOn: ['run-instances'],
    });
    expect(INSTANCE_ID).toEqual({ref: 'run-instances', output: 'Instances.0.InstanceId'});
  });

  it('orders steps topologically and groups them in levels', () => {
    expect(orderedSteps(plan).map((s) => s.id)).toEqual(ids(plan));
    expect(planLevels(plan).map((level) => level.map((s) => s.id))).toEqual([
      ['image-parameter', 'vpc', 'iam-role', 'instance-profile'],
      ['image', 'subnet', 'iam-role-ssm', 'instance-profile-role', 'security-group'],
      ['security-group-ingress', 'run-instances'],
      ['wait-running'],
      ['root-volume-read'],
      ['root-snapshot'],
    ]);
    expect(planDepth(plan)).toBe(6);
  });
});

describe('all-create spec plan', () => {
  const spec = allCreateSpec();
  const plan = buildPlan(spec);

  it('has every creating step', () => {
    expect(ids(plan)).toEqual([
      'image-parameter',
      'image',
      'vpc',
      'subnet-public',
      'subnet-private',
      'internet-gateway',
      'attach-internet-gateway',
      'route-table-public',
      'route-to-internet',
      'associate-route-table',
      'flow-log-group',
      'flow-log-retention',
      'flow-log-role',
      'flow-log-role-policy',
      'flow-log',
      'iam-role',
      'iam-role-policy',
      'iam-role-ssm',
      'instance-profile',
      'instance-profile-role',
      'kms-key',
      'kms-alias',
      'kms-rotation',
      'security-group',
      'security-group-ingress',
      'default-security-group',
      'default-security-group-ingress',
      'default-security-group-egress',
      'network-acl',
      'network-acl-in-http',
      'network-acl-in-https',
      'network-acl-in-ssh',
      'network-acl-in-return',
      'network-acl-out-http',
      'network-acl-out-https',
      'network-acl-out-return',
      'network-acl-close-in',
      'network-acl-close-out',
      'key-pair',
      'dedicated-host',
      'run-instances',
      'wait-running',
      'root-volume-read',
      'root-snapshot',
    ]);
  });

  it('builds a VPC with a routed public subnet and an unrouted private one, never MapPublicIpOnLaunch', () => {
    expect(step(plan, 'vpc').params.CidrBlock).toBe('10.20.0.0/16');
    expect(step(plan, 'subnet-public').params.CidrBlock).toBe('10.20.0.0/24');
    expect(step(plan, 'subnet-private').params.CidrBlock).toBe('10.20.1.0/24');
    expect(step(plan, 'route-to-internet').params).toEqual({
      RouteTableId: {ref: 'route-table-public', output: 'RouteTable.RouteTableId'},
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: {ref: 'internet-gateway', output: 'InternetGateway.InternetGatewayId'},
    });
    expect(step(plan, 'associate-route-table').params.SubnetId).toEqual({ref: 'subnet-public', output: 'Subnet.SubnetId'});
    expect(JSON.stringify(plan)).not.toContain('MapPublicIpOnLaunch');
  });

  it('RunInstances depends only on what it names (not on routes, rotation, alias or policy)', () => {
    expect(step(plan, 'run-instances').dependsOn.sort()).toEqual(['dedicated-host', 'image', 'instance-profile-role', 'key-pair', 'kms-key', 'security-group', 'subnet-public'].sort());
  });

  it('launches onto the allocated host with the customer key and the created key pair', () => {
    const run = step(plan, 'run-instances');
    expect(run.params.Placement).toEqual({Tenancy: 'host', HostId: {ref: 'dedicated-host', output: 'HostIds.0'}});
    expect(run.params.KeyName).toEqual({ref: 'key-pair', output: 'KeyName'});
    expect(run.params.IamInstanceProfile).toEqual({Name: {ref: 'instance-profile', output: 'InstanceProfile.InstanceProfileName'}});
    expect((run.params.BlockDeviceMappings as Array<{Ebs: unknown}>)[0].Ebs).toEqual({
      VolumeSize: 16,
      VolumeType: 'gp3',
      DeleteOnTermination: true,
      Encrypted: true,
      KmsKeyId: {ref: 'kms-key', output: 'KeyMetadata.Arn'},
    });
    expect(step(plan, 'dedicated-host').params).toMatchObject({
      InstanceType: 't3.micro',
      AvailabilityZone: {ref: 'subnet-public', output: 'Subnet.AvailabilityZone'},
      Quantity: 1,
    });
  });

  it('authorizes exactly HTTP and HTTPS from anywhere and SSH from one address', () => {
    expect(step(plan, 'security-group-ingress').params.IpPermissions).toEqual([
      {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'HTTP to the web server'}]},
      {IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: '0.0.0.0/0', Description: 'HTTPS to the web server'}]},
      {IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '203.0.113.7/32', Description: 'SSH for administration'}]},
    ]);
  });

  it('creates a role only EC2 can assume, scoped to one bucket with no wildcard action or resource', () => {
    const role = step(plan, 'iam-role');
    expect(JSON.parse(role.params.AssumeRolePolicyDocument as string)).toEqual({
      Version: '2012-10-17',
      Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}],
    });
    expect(role.params.Tags).toContainEqual({Key: 'tandem:launch-id', Value: {ref: '$launch', output: 'id'}});
    const policy = JSON.parse(step(plan, 'iam-role-policy').params.PolicyDocument as string) as {
      Statement: Array<{Action: string[]; Resource: string}>;
    };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions.sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    for (const action of actions) expect(action).not.toContain('*');
    expect(policy.Statement.map((s) => s.Resource)).toEqual(['arn:aws:s3:::my-site-assets', 'arn:aws:s3:::my-site-assets/*']);
    for (const s of policy.Statement) expect(['*', 'arn:aws:s3:::*']).not.toContain(s.Resource);
  });

  it('read access grants only GetObject and ListBucket, in the region partition', () => {
    const policy = JSON.parse(bucketPolicy('b-1', 'read', 'cn-north-1')) as {Statement: Array<{Action: string[]; Resource: string}>};
    expect(policy.Statement.flatMap((s) => s.Action).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(policy.Statement[0].Resource).toBe('arn:aws-cn:s3:::b-1');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('eu-central-1')).toBe('aws');
  });

  it('creates a customer key with KMS tags, an alias and rotation', () => {
    expect(step(plan, 'kms-key').params.Tags).toContainEqual({TagKey: 'tandem:launch-id', TagValue: {ref: '$launch', output: 'id'}});
    expect(step(plan, 'kms-key').params.Tags).toContainEqual({TagKey: 'owner', TagValue: 'ops'});
    expect(step(plan, 'kms-alias').params).toEqual({AliasName: 'alias/tandem-web-2', TargetKeyId: {ref: 'kms-key', output: 'KeyMetadata.KeyId'}});
    expect(step(plan, 'kms-rotation').params).toEqual({KeyId: {ref: 'kms-key', output: 'KeyMetadata.KeyId'}});
  });

  it('creates an ed25519 key pair in PEM format', () => {
    expect(step(plan, 'key-pair')).toMatchObject({action: 'CreateKeyPair', params: {KeyName: 'web-key', KeyType: 'ed25519', KeyFormat: 'pem'}});
  });

  it('runs in seven rounds, the last two the first snapshot of the running instance', () => {
    expect(planDepth(plan)).toBe(7);
    expect(planLevels(plan)[0].map((s) => s.id)).toEqual([
      'image-parameter',
      'vpc',
      'internet-gateway',
      'flow-log-group',
      'flow-log-role',
      'iam-role',
      'instance-profile',
      'kms-key',
      'key-pair',
    ]);
    // The network ACL's closing denies wait for its allow entries, and finish beside the instance.
    expect(planLevels(plan)[3].map((s) => s.id)).toEqual(['network-acl-close-in', 'network-acl-close-out', 'run-instances']);
  });
});

describe('existing-resources plan', () => {
  const plan = buildPlan(existingSpec());

  it('creates nothing but the instance and its first snapshot, and reads what it reuses', () => {
    expect(ids(plan)).toEqual(['image', 'vpc', 'subnet', 'kms-key', 'run-instances', 'wait-running', 'root-volume-read', 'root-snapshot']);
    expect(plan.steps.filter((s) => s.creates.length > 0).map((s) => s.id)).toEqual(['run-instances', 'root-snapshot']);
    expect(step(plan, 'image').params).toEqual({ImageIds: ['ami-0abcdef1234567890']});
    expect(step(plan, 'vpc').params).toEqual({VpcIds: ['vpc-0abc1234']});
    expect(step(plan, 'subnet').params).toEqual({SubnetIds: ['subnet-0def5678'], Filters: [{Name: 'vpc-id', Values: [{ref: 'vpc', output: 'Vpcs.0.VpcId'}]}]});
    expect(step(plan, 'kms-key')).toMatchObject({service: 'kms', action: 'DescribeKey', params: {KeyId: 'alias/team-ebs'}});
  });

  it('names existing profile, group and key pair literally', () => {
    const run = step(plan, 'run-instances');
    expect(run.params.IamInstanceProfile).toEqual({Name: 'AppProfile'});
    expect(run.params.KeyName).toBe('team-key');
    expect((run.params.NetworkInterfaces as Array<{Groups: unknown; AssociatePublicIpAddress: boolean}>)[0]).toMatchObject({
      Groups: ['sg-0123abcd'],
      AssociatePublicIpAddress: false,
    });
    expect(run.params.Placement).toEqual({Tenancy: 'dedicated'});
    expect(run.dependsOn.sort()).toEqual(['image', 'kms-key', 'subnet']);
  });
});

describe('plan variants', () => {
  it('uses the AL2 and arm64 parameters', () => {
    expect(imageParameterName('al2', 'arm64')).toBe('/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-arm64-gp2');
    expect(imageParameterName('al2023', 'arm64')).toBe('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
    const spec = defaultSpec();
    const plan = buildPlan({...spec, instance: {...spec.instance, image: 'al2', arch: 'arm64', type: 't4g.micro'}});
    expect(step(plan, 'image-parameter').params.Name).toBe('/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-arm64-gp2');
    expect(atob(step(plan, 'run-instances').params.UserData as string)).toContain('yum install -y httpd');
  });

  it('imports a key from the local public key file', () => {
    const spec = defaultSpec();
    const plan = buildPlan({...spec, keyPair: {mode: 'import', name: 'mine', path: '~/.ssh/id_ed25519.pub'}});
    expect(step(plan, 'key-pair')).toMatchObject({
      action: 'ImportKeyPair',
      params: {KeyName: 'mine', PublicKeyMaterial: {ref: '$local', output: 'publicKeyMaterial'}},
      creates: ['key-pair'],
    });
    expect(checkPlan(plan)).toEqual([]);
  });

  it('places the instance in the private subnet, skips user data, and omits encryption when off', () => {
    const spec = allCreateSpec();
    const plan = buildPlan({
      ...spec,
      instance: {...spec.instance, tenancy: 'default', userData: 'none', imds: 'optional', hopLimit: 2},
      network: {...spec.network, subnet: 'private', publicIp: false},
      storage: {...spec.storage, encrypted: false},
    });
    const run = step(plan, 'run-instances');
    expect(run.dependsOn).toContain('subnet-private');
    expect(run.params).not.toHaveProperty('UserData');
    expect(run.params.MetadataOptions).toEqual({HttpTokens: 'optional', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled'});
    expect(plan.steps.some((s) => s.id.startsWith('kms'))).toBe(false);
    expect((run.params.BlockDeviceMappings as Array<{Ebs: object}>)[0].Ebs).not.toHaveProperty('Encrypted');
  });

  it('puts IPv6 sources in Ipv6Ranges and leaves out the ingress step when there are no rules', () => {
    const spec = defaultSpec();
    const v6 = buildPlan({...spec, securityGroup: {...spec.securityGroup, http: '::/0'}});
    expect(step(v6, 'security-group-ingress').params.IpPermissions).toEqual([
      {IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Ipv6Ranges: [{CidrIpv6: '::/0', Description: 'HTTP to the web server'}]},
    ]);
    const none = buildPlan({...spec, securityGroup: {...spec.securityGroup, http: false}});
    expect(ids(none)).not.toContain('security-group-ingress');
  });

  it('asks io2 volumes for explicit IOPS', () => {
    const spec = defaultSpec();
    const run = step(buildPlan({...spec, storage: {...spec.storage, type: 'io2', sizeGiB: 10}}), 'run-instances');
    expect((run.params.BlockDeviceMappings as Array<{Ebs: Record<string, unknown>}>)[0].Ebs.Iops).toBe(3000);
  });
});

describe('checkPlan', () => {
  const base = (overrides: Partial<PlanStep>): PlanStep => ({
    id: 'a',
    service: 'ec2',
    action: 'DescribeVpcs',
    params: {},
    creates: [],
    dependsOn: [],
    controls: ['vpc-isolation'],
    dryRunnable: true,
    summary: 'x',
    ...overrides,
  });

  it('reports cycles, unknown dependencies, unwaited refs and empty controls', () => {
    const plan: Plan = {
      steps: [
        base({id: 'a', dependsOn: ['b']}),
        base({id: 'b', dependsOn: ['a']}),
        base({id: 'c', dependsOn: ['ghost']}),
        base({id: 'd', params: {VpcId: {ref: 'c', output: 'Vpc.VpcId'}}}),
        base({id: 'e', controls: []}),
        base({id: 'f', params: {X: {ref: '$launch', output: 'nope'}}}),
      ],
    };
    const problems = checkPlan(plan);
    expect(problems).toContain("Step 'c' depends on 'ghost', which is not in the plan.");
    expect(problems).toContain("Step 'd' uses output of 'c' without waiting for it.");
    expect(problems).toContain("Step 'e' serves no control.");
    expect(problems).toContain("Step 'f' asks for unknown launch value $launch.nope.");
    expect(problems.some((p) => p.includes('cycle') && p.includes('a → b → a'))).toBe(true);
    // Steps in a cycle are still listed, after the rest.
    expect(orderedSteps(plan).map((s) => s.id)).toEqual(['c', 'd', 'e', 'f', 'a', 'b']);
  });

  it('accepts a ref reached through an intermediate step', () => {
    const plan: Plan = {
      steps: [base({id: 'a'}), base({id: 'b', dependsOn: ['a']}), base({id: 'c', dependsOn: ['b'], params: {X: [{ref: 'a', output: 'Vpcs.0.VpcId'}]}})],
    };
    expect(checkPlan(plan)).toEqual([]);
  });
});
