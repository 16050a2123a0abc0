// Each kind of plan step as AWS CLI calls (docs/design.md section 2): the command a step becomes,
// the shell variable that holds the id it answers with, and what undoes it when the run fails.
// IAM names are known before the call, so references to a role or profile are its name.
import {json, shellQuote, variable, word, type Script} from './export-cli-script.js';
import {asRef, lastPart, list, params, splitRegion, tagsWithProfile, text, type PlanIndex} from './export-render.js';
import {BACKUP_POLICY_NAME} from './controls/backups.js';
import {SSH_ME} from './my-address.js';
import {ACCOUNT_TOKEN} from './controls/flow-logs.js';
import {partitionOf} from './partition.js';
import {isStepRef} from './plan-graph.js';
import type {ParamValue, PlanStep, StepRef} from './plan-types.js';

/** What a renderer reads and writes: the script so far, the plan, and the export's values. */
export interface CliContext {
  s: Script;
  plan: PlanIndex;
  region: string;
  profile: string;
  /** Step ids whose main output a later line names by another variable (the instance's subnet). */
  aliases: Map<string, string>;
}

/** Variables of the steps whose outputs the script captures. */
const STEP_VARIABLES: Record<string, string> = {
  'image-parameter': 'IMAGE_ID',
  vpc: 'VPC_ID',
  subnet: 'SUBNET_ID',
  'internet-gateway': 'IGW_ID',
  'security-group': 'GROUP_ID',
  'ssm-endpoint-group': 'ENDPOINT_GROUP_ID',
  'instance-connect-prefix-list': 'EIC_LIST_ID',
  'kms-key': 'KEY_ID',
  'key-pair': 'KEY_NAME',
  'dedicated-host': 'HOST_ID',
  'run-instances': 'INSTANCE_ID',
  'backup-plan': 'BACKUP_PLAN_ID',
  'backup-selection': 'BACKUP_SELECTION_ID',
  'root-volume-read': 'ROOT_VOLUME_ID',
  'root-snapshot': 'SNAPSHOT_ID',
  'lb-security-group': 'LB_GROUP_ID',
  'target-group': 'TARGET_GROUP_ARN',
  'load-balancer': 'LB_ARN',
  'listener-http': 'HTTP_LISTENER_ARN',
  'listener-https': 'HTTPS_LISTENER_ARN',
  certificate: 'CERTIFICATE_ARN',
};

/** The variable holding one output of a step, or the name itself for IAM (known before the call). */
export function variableOf(cli: CliContext, target: StepRef): string {
  const step = cli.plan.step(target.ref);
  if (target.ref === '$launch') return 'LAUNCH_ID';
  if (!step) return target.ref.toUpperCase();
  // subnet-public-2 (the load balancer's second public subnet) is PUBLIC_2, not 2.
  const side = (step.action === 'CreateSubnet' ? step.id.replace(/^subnet-/, '') : lastPart(step.id)).replace(/-/g, '_').toUpperCase();
  if (step.action === 'DescribeImages') return target.output.endsWith('RootDeviceName') ? 'ROOT_DEVICE' : 'IMAGE_ID';
  // The script reads a created key's ARN back after creating it, and an existing key's when it resolves it.
  if (step.service === 'kms' && target.output.endsWith('Arn')) return 'KEY_ARN';
  if (step.action === 'CreateSubnet') return cli.aliases.get(step.id) ?? `${side}_SUBNET_ID`;
  if (step.action === 'CreateRouteTable') return `${side}_ROUTES_ID`;
  if (step.action === 'CreateVpcEndpoint') return `${side}_ENDPOINT_ID`;
  // The zones the plan pins its subnets to (behind a load balancer): ZONE is the first, ZONE_1 the second.
  if (step.action === 'DescribeAvailabilityZones') return (/^AvailabilityZones\.(\d+)\./.exec(target.output)?.[1] ?? '0') === '0' ? 'ZONE' : 'ZONE_1';
  return STEP_VARIABLES[step.id] ?? `${step.id.replace(/-/g, '_').toUpperCase()}_ID`;
}

/** A plan value for the script: StepRefs become captured variables, IAM references their names. */
export function valueOf(cli: CliContext, value: ParamValue | undefined): unknown {
  if (isStepRef(value)) {
    const step = cli.plan.step(value.ref);
    if (step?.action === 'CreateRole') return text(step.params.RoleName);
    if (step?.action === 'CreateInstanceProfile') return text(step.params.InstanceProfileName);
    return variable(variableOf(cli, value));
  }
  if (Array.isArray(value)) return value.map((item) => valueOf(cli, item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, valueOf(cli, item)]));
  return value;
}

/** One shell word for a plan value. */
export const wordOf = (cli: CliContext, value: ParamValue | undefined): string => {
  const given = valueOf(cli, value);
  return typeof given === 'string' ? word(given) : json(given);
};

/** A tag list with the profile tag, as JSON. */
export const tagsOf = (cli: CliContext, tags: ParamValue | undefined): string => json(valueOf(cli, tagsWithProfile(list(tags), cli.profile)));

/** TagSpecifications with the profile tag in each, as JSON. */
export function tagSpecsJson(cli: CliContext, tagSpecifications: ParamValue | undefined): string {
  const specs = list(tagSpecifications).map((entry) => ({...params(entry), Tags: tagsWithProfile(list(params(entry).Tags), cli.profile)}));
  return json(valueOf(cli, specs));
}

/** A step's TagSpecifications with the profile tag in each, as JSON. */
export const tagSpecsOf = (cli: CliContext, step: PlanStep): string => tagSpecsJson(cli, step.params.TagSpecifications);

/** `Name=X,Values=Y` words of EC2 filters. */
function filters(cli: CliContext, value: ParamValue | undefined): string {
  return list(value)
    .map((entry) => `Name=${text(params(entry).Name)},Values=${wordOf(cli, list(params(entry).Values)[0])}`)
    .join(' ');
}

const capture = (cli: CliContext, step: PlanStep, output: string, query: string) => ({name: variableOf(cli, {ref: step.id, output}), query});

export type CliRenderer = (step: PlanStep, cli: CliContext) => void;

const getParameter: CliRenderer = (step, cli) => {
  cli.s.call('ssm', 'get-parameter', [['--name', shellQuote(text(step.params.Name))]], {name: 'IMAGE_ID', query: 'Parameter.Value'});
};

const describeImages: CliRenderer = (step, cli) => {
  const imageId = list(step.params.ImageIds)[0];
  if (typeof imageId === 'string') cli.s.raw(`IMAGE_ID=${shellQuote(imageId)}`);
  cli.s.comment('The root device name is where the encrypted root volume is attached.');
  cli.s.call('ec2', 'describe-images', [['--image-ids', '"$IMAGE_ID"']], {name: 'ROOT_DEVICE', query: 'Images[0].RootDeviceName'});
};

const describeVpcs: CliRenderer = (step, cli) => {
  const given = list(step.params.VpcIds)[0];
  if (typeof given === 'string') {
    cli.s.raw(`VPC_ID=${shellQuote(given)}`);
    return;
  }
  cli.s.call('ec2', 'describe-vpcs', [['--filters', filters(cli, step.params.Filters)]], {name: 'VPC_ID', query: 'Vpcs[0].VpcId'});
  cli.s.raw('if [ "$VPC_ID" = None ]; then echo "this region has no default VPC; use a profile with network.vpc: new" >&2; exit 1; fi');
};

const describeSubnets: CliRenderer = (step, cli) => {
  const given = list(step.params.SubnetIds)[0];
  if (typeof given === 'string') {
    cli.s.comment('Filtering by the VPC as well makes a subnet of another VPC come back as None.');
    cli.s.call(
      'ec2',
      'describe-subnets',
      [
        ['--subnet-ids', shellQuote(given)],
        ['--filters', filters(cli, step.params.Filters)],
      ],
      {name: 'SUBNET_ID', query: 'Subnets[0].SubnetId'},
    );
  } else {
    cli.s.call('ec2', 'describe-subnets', [['--filters', filters(cli, step.params.Filters)]], {name: 'SUBNET_ID', query: 'Subnets[0].SubnetId'});
  }
  cli.s.raw('if [ "$SUBNET_ID" = None ]; then echo "no usable subnet found in $VPC_ID" >&2; exit 1; fi');
};

const createVpc: CliRenderer = (step, cli) => {
  cli.s.call(
    'ec2',
    'create-vpc',
    [
      ['--cidr-block', shellQuote(text(step.params.CidrBlock))],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: 'VPC_ID', query: 'Vpc.VpcId'},
    {
      undo: {what: `VPC ${variable('VPC_ID')}`, how: 'aws ec2 delete-vpc --vpc-id "$VPC_ID"'},
    },
  );
  // A VPC the exports make answers DNS names, which interface endpoints' private DNS needs.
  cli.s.call('ec2', 'modify-vpc-attribute', [
    ['--vpc-id', '"$VPC_ID"'],
    ['--enable-dns-hostnames', '\'{"Value":true}\''],
  ]);
  // Both subnets go into the region's first zone.
  cli.s.call('ec2', 'describe-availability-zones', [['--filters', 'Name=state,Values=available']], {name: 'ZONE', query: 'AvailabilityZones[0].ZoneName'});
  cli.s.comment('Neither subnet hands out public addresses; the instance asks for one itself (Security Hub EC2.15).');
};

const createSubnet: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'Subnet.SubnetId'});
  cli.s.call(
    'ec2',
    'create-subnet',
    [
      ['--vpc-id', wordOf(cli, step.params.VpcId)],
      ['--cidr-block', shellQuote(text(step.params.CidrBlock))],
      ['--availability-zone', step.params.AvailabilityZone ? wordOf(cli, step.params.AvailabilityZone) : '"$ZONE"'],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: id, query: 'Subnet.SubnetId'},
    {undo: {what: `subnet ${variable(id)}`, how: `gone aws ec2 delete-subnet --subnet-id "$${id}"`}},
  );
};

const createInternetGateway: CliRenderer = (step, cli) => {
  cli.s.call(
    'ec2',
    'create-internet-gateway',
    [['--tag-specifications', tagSpecsOf(cli, step)]],
    {name: 'IGW_ID', query: 'InternetGateway.InternetGatewayId'},
    {
      undo: {what: `internet gateway ${variable('IGW_ID')}`, how: 'aws ec2 delete-internet-gateway --internet-gateway-id "$IGW_ID"'},
    },
  );
};

const attachInternetGateway: CliRenderer = (step, cli) => {
  cli.s.call(
    'ec2',
    'attach-internet-gateway',
    [
      ['--internet-gateway-id', wordOf(cli, step.params.InternetGatewayId)],
      ['--vpc-id', wordOf(cli, step.params.VpcId)],
    ],
    undefined,
    {
      undo: {what: `the attachment of ${variable('IGW_ID')} to ${variable('VPC_ID')}`, how: 'gone aws ec2 detach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"'},
    },
  );
};

/** A route table held in variable `table`; `tags` are its TagSpecifications. */
export function routeTable(cli: CliContext, table: string, vpc: ParamValue | undefined, tags: string): void {
  cli.s.call(
    'ec2',
    'create-route-table',
    [
      ['--vpc-id', wordOf(cli, vpc)],
      ['--tag-specifications', tags],
    ],
    {name: table, query: 'RouteTable.RouteTableId'},
    {
      undo: {what: `route table ${variable(table)}`, how: `aws ec2 delete-route-table --route-table-id "$${table}"`},
    },
  );
}

export function associate(cli: CliContext, table: string, subnet: string): void {
  // Named after the subnet when it has a side of its own: one table serves both public subnets
  // behind a load balancer, and each association needs its own variable for its undo.
  const association = /^[A-Z0-9_]+_SUBNET_ID$/.test(subnet) ? subnet.replace(/_SUBNET_ID$/, '_ASSOCIATION_ID') : table.replace(/_ROUTES_ID$/, '_ASSOCIATION_ID');
  cli.s.call(
    'ec2',
    'associate-route-table',
    [
      ['--route-table-id', `"$${table}"`],
      ['--subnet-id', `"$${subnet}"`],
    ],
    {name: association, query: 'AssociationId'},
    {
      undo: {what: `route table association ${variable(association)}`, how: `aws ec2 disassociate-route-table --association-id "$${association}"`},
    },
  );
}

const createRouteTable: CliRenderer = (step, cli) => {
  if (cli.plan.first('CreateRouteTable') === step) cli.s.comment('Only the public route table gets a default route to the internet gateway.');
  routeTable(cli, variableOf(cli, {ref: step.id, output: 'RouteTable.RouteTableId'}), step.params.VpcId, tagSpecsOf(cli, step));
};

const createRoute: CliRenderer = (step, cli) => {
  cli.s.call('ec2', 'create-route', [
    ['--route-table-id', wordOf(cli, step.params.RouteTableId)],
    ['--destination-cidr-block', shellQuote(text(step.params.DestinationCidrBlock))],
    ['--gateway-id', wordOf(cli, step.params.GatewayId)],
  ]);
};

const associateRouteTable: CliRenderer = (step, cli) => {
  const table = asRef(step.params.RouteTableId);
  const subnet = asRef(step.params.SubnetId);
  if (table && subnet) associate(cli, variableOf(cli, table), variableOf(cli, subnet));
};

const createSecurityGroup: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'GroupId'});
  cli.s.call(
    'ec2',
    'create-security-group',
    [
      ['--group-name', shellQuote(text(step.params.GroupName))],
      ['--description', shellQuote(text(step.params.Description))],
      ['--vpc-id', wordOf(cli, step.params.VpcId)],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: id, query: 'GroupId'},
    {undo: {what: `security group ${variable(id)}`, how: `gone aws ec2 delete-security-group --group-id "$${id}"`}},
  );
};

/** `ssh: me` rules take the address the script looked up (MY_CIDR) before creating anything. */
function permissionsOf(cli: CliContext, permissions: ParamValue | undefined): unknown {
  const withAddress = list(permissions).map((permission) => {
    const entry = params(permission);
    if (!entry.IpRanges) return permission;
    return {...entry, IpRanges: list(entry.IpRanges).map((range) => (params(range).CidrIp === SSH_ME ? {...params(range), CidrIp: variable('MY_CIDR')} : range))};
  });
  return valueOf(cli, withAddress);
}

const authorizeIngress: CliRenderer = (step, cli) => {
  cli.s.call('ec2', 'authorize-security-group-ingress', [
    ['--group-id', wordOf(cli, step.params.GroupId)],
    ['--ip-permissions', json(permissionsOf(cli, step.params.IpPermissions))],
    ['--tag-specifications', tagSpecsOf(cli, step)],
  ]);
};

const createVpcEndpoint: CliRenderer = (step, cli) => {
  const id = variableOf(cli, {ref: step.id, output: 'VpcEndpoint.VpcEndpointId'});
  const service = text(step.params.ServiceName);
  const parts = splitRegion(service, cli.region);
  cli.s.call(
    'ec2',
    'create-vpc-endpoint',
    [
      ['--vpc-endpoint-type', shellQuote(text(step.params.VpcEndpointType))],
      ['--vpc-id', wordOf(cli, step.params.VpcId)],
      ['--service-name', parts ? `"${parts[0]}$REGION${parts[1]}"` : shellQuote(service)],
      // A gateway endpoint (the package repositories' S3) is a route in route tables, with a policy.
      ...(step.params.VpcEndpointType === 'Gateway'
        ? ([
            ['--route-table-ids', wordOf(cli, list(step.params.RouteTableIds)[0])],
            ['--policy-document', shellQuote(text(step.params.PolicyDocument))],
          ] as Array<[string, string]>)
        : ([
            ['--subnet-ids', wordOf(cli, list(step.params.SubnetIds)[0])],
            ['--security-group-ids', wordOf(cli, list(step.params.SecurityGroupIds)[0])],
            ...(step.params.PrivateDnsEnabled === true ? [['--private-dns-enabled'] as [string]] : []),
          ] as Array<[string, string?]>)),
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: id, query: 'VpcEndpoint.VpcEndpointId'},
    {undo: {what: `${lastPart(step.id)} endpoint ${variable(id)}`, how: `aws ec2 delete-vpc-endpoints --vpc-endpoint-ids "$${id}"`}},
  );
};

/**
 * A policy document as one shell word; one that names the account gets it from STS, read once
 * before the first such document.
 */
function documentWord(cli: CliContext, document: string): string {
  if (!document.includes(ACCOUNT_TOKEN)) return shellQuote(document);
  if (!cli.aliases.has(ACCOUNT_READ)) {
    cli.aliases.set(ACCOUNT_READ, 'ACCOUNT_ID');
    cli.s.call('sts', 'get-caller-identity', [], {name: 'ACCOUNT_ID', query: 'Account'});
  }
  return word(document.split(ACCOUNT_TOKEN).join(variable('ACCOUNT_ID')));
}
/** Marks in `aliases` that the script has read the account id. */
const ACCOUNT_READ = '$account';

const createRole: CliRenderer = (step, cli) => {
  const name = text(step.params.RoleName);
  const role = shellQuote(name);
  cli.s.call(
    'iam',
    'create-role',
    [
      ['--role-name', role],
      ['--assume-role-policy-document', documentWord(cli, text(step.params.AssumeRolePolicyDocument))],
      ['--tags', tagsOf(cli, step.params.Tags)],
    ],
    undefined,
    {
      undo: {what: `IAM role ${name}`, how: `aws iam delete-role --role-name ${role}`},
    },
  );
};

const putRolePolicy: CliRenderer = (step, cli) => {
  const name = String(valueOf(cli, step.params.RoleName));
  const [role, policy] = [shellQuote(name), shellQuote(text(step.params.PolicyName))];
  cli.s.call(
    'iam',
    'put-role-policy',
    [
      ['--role-name', role],
      ['--policy-name', policy],
      ['--policy-document', documentWord(cli, text(step.params.PolicyDocument))],
    ],
    undefined,
    {
      undo: {what: `inline policy ${text(step.params.PolicyName)} of ${name}`, how: `aws iam delete-role-policy --role-name ${role} --policy-name ${policy}`},
    },
  );
};

const attachRolePolicy: CliRenderer = (step, cli) => {
  const name = String(valueOf(cli, step.params.RoleName));
  const arn = text(step.params.PolicyArn);
  const policyName = arn.slice(arn.lastIndexOf('/') + 1);
  const [role, quotedArn] = [shellQuote(name), shellQuote(arn)];
  if (cli.plan.first('PutRolePolicy') && policyName !== BACKUP_POLICY_NAME)
    cli.s.comment(`session-manager (shared): the AWS managed policy ${policyName} lets the SSM agent register and carry sessions.`);
  cli.s.call(
    'iam',
    'attach-role-policy',
    [
      ['--role-name', role],
      ['--policy-arn', quotedArn],
    ],
    undefined,
    {
      undo: {what: `${policyName} on ${name}`, how: `aws iam detach-role-policy --role-name ${role} --policy-arn ${quotedArn}`},
    },
  );
};

const createInstanceProfile: CliRenderer = (step, cli) => {
  const name = text(step.params.InstanceProfileName);
  const profile = shellQuote(name);
  cli.s.call(
    'iam',
    'create-instance-profile',
    [
      ['--instance-profile-name', profile],
      ['--tags', tagsOf(cli, step.params.Tags)],
    ],
    undefined,
    {
      undo: {what: `instance profile ${name}`, how: `aws iam delete-instance-profile --instance-profile-name ${profile}`},
    },
  );
};

const addRoleToProfile: CliRenderer = (step, cli) => {
  const [roleName, profileName] = [String(valueOf(cli, step.params.RoleName)), String(valueOf(cli, step.params.InstanceProfileName))];
  const [role, profile] = [shellQuote(roleName), shellQuote(profileName)];
  cli.s.call(
    'iam',
    'add-role-to-instance-profile',
    [
      ['--instance-profile-name', profile],
      ['--role-name', role],
    ],
    undefined,
    {
      undo: {what: `${roleName} in instance profile ${profileName}`, how: `aws iam remove-role-from-instance-profile --instance-profile-name ${profile} --role-name ${role}`},
    },
  );
  cli.s.call('iam', 'wait', [['instance-profile-exists'], ['--instance-profile-name', profile]]);
};

const describeKey: CliRenderer = (step, cli) => {
  cli.s.call('kms', 'describe-key', [['--key-id', shellQuote(text(step.params.KeyId))]], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
};

const createKey: CliRenderer = (step, cli) => {
  cli.s.call(
    'kms',
    'create-key',
    [
      ['--description', shellQuote(text(step.params.Description))],
      ['--tags', tagsOf(cli, step.params.Tags)],
    ],
    capture(cli, step, 'KeyMetadata.KeyId', 'KeyMetadata.KeyId'),
    {
      // KMS keys are never deleted at once: the shortest wait is 7 days, and cancel-key-deletion undoes it.
      undo: {what: `KMS key ${variable('KEY_ID')} (deletion scheduled in 7 days)`, how: 'aws kms schedule-key-deletion --key-id "$KEY_ID" --pending-window-in-days 7'},
    },
  );
};

const createAlias: CliRenderer = (step, cli) => {
  const alias = shellQuote(text(step.params.AliasName));
  cli.s.call(
    'kms',
    'create-alias',
    [
      ['--alias-name', alias],
      ['--target-key-id', wordOf(cli, step.params.TargetKeyId)],
    ],
    undefined,
    {
      undo: {what: `KMS alias ${text(step.params.AliasName)}`, how: `aws kms delete-alias --alias-name ${alias}`},
    },
  );
};

const enableKeyRotation: CliRenderer = (step, cli) => {
  cli.s.call('kms', 'enable-key-rotation', [['--key-id', wordOf(cli, step.params.KeyId)]]);
};

/** The private key exists only in the response: written owner-only into a file this run makes. */
const createKeyPair: CliRenderer = (step, cli) => {
  const name = text(step.params.KeyName);
  cli.s.comment('The private key exists only in this response: write it owner-only (umask 077) into a file this run');
  cli.s.comment('makes (noclobber: never over an existing file), and never print it.');
  cli.s.raw(
    'mkdir -p "$(dirname "$KEY_PATH")"',
    '(umask 077 && set -o noclobber && : > "$KEY_PATH")',
    'made "the private key file $KEY_PATH" \'rm -f "$KEY_PATH"\'',
    `if ! aws ec2 create-key-pair --key-name ${shellQuote(name)} --key-type ${shellQuote(text(step.params.KeyType))} --key-format ${shellQuote(text(step.params.KeyFormat))} \\`,
    `    --tag-specifications ${tagSpecsOf(cli, step)} \\`,
    '    --query KeyMaterial --output text >> "$KEY_PATH"; then',
    '  # The key pair may exist with its private key lost: delete it, but only if this run made it.',
    `  delete_own_key_pair ${shellQuote(name)} 2>/dev/null || true`,
    `  echo ${shellQuote(`could not create the key pair ${name} and save its private key`)}" in $KEY_PATH" >&2`,
    '  exit 1',
    'fi',
  );
  cli.s.made({what: `key pair ${name}`, how: `delete_own_key_pair ${shellQuote(name)}`});
  cli.s.raw(`KEY_NAME=${shellQuote(name)}`);
};

const importKeyPair: CliRenderer = (step, cli) => {
  const name = text(step.params.KeyName);
  cli.s.call(
    'ec2',
    'import-key-pair',
    [
      ['--key-name', shellQuote(name)],
      ['--public-key-material', 'fileb://"$KEY_PATH"'],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    undefined,
    {
      undo: {what: `key pair ${name}`, how: `delete_own_key_pair ${shellQuote(name)}`},
    },
  );
  cli.s.raw(`KEY_NAME=${shellQuote(name)}`);
};

/** The host goes into the zone of the instance's subnet, which the script reads back first. */
const allocateHosts: CliRenderer = (step, cli) => {
  const zone = asRef(step.params.AvailabilityZone);
  const subnet = zone && cli.plan.step(zone.ref);
  const subnetId = subnet ? variableOf(cli, {ref: subnet.id, output: 'SubnetId'}) : 'SUBNET_ID';
  // The plan allocates one host; a number is all --quantity takes.
  const quantity = typeof step.params.Quantity === 'number' ? step.params.Quantity : 1;
  cli.s.call('ec2', 'describe-subnets', [['--subnet-ids', `"$${subnetId}"`]], {name: 'HOST_ZONE', query: 'Subnets[0].AvailabilityZone'});
  cli.s.call(
    'ec2',
    'allocate-hosts',
    [
      ['--instance-type', shellQuote(text(step.params.InstanceType))],
      ['--availability-zone', '"$HOST_ZONE"'],
      ['--quantity', String(quantity)],
      ['--auto-placement', shellQuote(text(step.params.AutoPlacement))],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: 'HOST_ID', query: 'HostIds[0]'},
    {undo: {what: `dedicated host ${variable('HOST_ID')}`, how: 'aws ec2 release-hosts --host-ids "$HOST_ID"'}},
  );
};

/** AWS Backup and CloudWatch Logs take tags as a map: the profile tag joins the launch id, as in every tag list. */
function tagMapOf(cli: CliContext, tags: ParamValue | undefined): string {
  const entries = tagsWithProfile(
    Object.entries(params(tags)).map(([Key, Value]) => ({Key, Value})),
    cli.profile,
  );
  return json(Object.fromEntries(entries.map((tag) => [text(params(tag).Key), valueOf(cli, params(tag).Value)])));
}

const createBackupVault: CliRenderer = (step, cli) => {
  const name = shellQuote(text(step.params.BackupVaultName));
  cli.s.call(
    'backup',
    'create-backup-vault',
    [
      ['--backup-vault-name', name],
      ['--backup-vault-tags', tagMapOf(cli, step.params.BackupVaultTags)],
    ],
    undefined,
    // A vault holding recovery points cannot be deleted; a failed run has made none yet.
    {undo: {what: `backup vault ${text(step.params.BackupVaultName)}`, how: `aws backup delete-backup-vault --backup-vault-name ${name}`}},
  );
};

const createBackupPlan: CliRenderer = (step, cli) => {
  cli.s.call(
    'backup',
    'create-backup-plan',
    [
      ['--backup-plan', json(valueOf(cli, step.params.BackupPlan))],
      ['--backup-plan-tags', tagMapOf(cli, step.params.BackupPlanTags)],
    ],
    capture(cli, step, 'BackupPlanId', 'BackupPlanId'),
    {undo: {what: `backup plan ${variable('BACKUP_PLAN_ID')}`, how: 'aws backup delete-backup-plan --backup-plan-id "$BACKUP_PLAN_ID"'}},
  );
};

/** The role's ARN is read back first: the selection names the role by ARN, the script knows its name. */
const createBackupSelection: CliRenderer = (step, cli) => {
  const selection = params(step.params.BackupSelection);
  const role = cli.plan.target(selection.IamRoleArn);
  cli.s.call('iam', 'get-role', [['--role-name', shellQuote(text(role?.params.RoleName))]], {name: 'BACKUP_ROLE_ARN', query: 'Role.Arn'});
  cli.s.call(
    'backup',
    'create-backup-selection',
    [
      ['--backup-plan-id', wordOf(cli, step.params.BackupPlanId)],
      ['--backup-selection', json({...(valueOf(cli, selection) as object), IamRoleArn: variable('BACKUP_ROLE_ARN')})],
    ],
    capture(cli, step, 'SelectionId', 'SelectionId'),
    {
      undo: {
        what: `backup selection ${variable('BACKUP_SELECTION_ID')}`,
        how: 'aws backup delete-backup-selection --backup-plan-id "$BACKUP_PLAN_ID" --selection-id "$BACKUP_SELECTION_ID"',
      },
    },
  );
};

const describeVolumes: CliRenderer = (step, cli) => {
  cli.s.call('ec2', 'describe-volumes', [['--filters', filters(cli, step.params.Filters)]], capture(cli, step, 'Volumes.0.VolumeId', 'Volumes[0].VolumeId'));
};

const createSnapshot: CliRenderer = (step, cli) => {
  cli.s.call(
    'ec2',
    'create-snapshot',
    [
      ['--volume-id', wordOf(cli, step.params.VolumeId)],
      ['--description', shellQuote(text(step.params.Description))],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    capture(cli, step, 'SnapshotId', 'SnapshotId'),
    {undo: {what: `snapshot ${variable('SNAPSHOT_ID')}`, how: 'aws ec2 delete-snapshot --snapshot-id "$SNAPSHOT_ID"'}},
  );
};

const createLogGroup: CliRenderer = (step, cli) => {
  const name = text(step.params.logGroupName);
  cli.s.call(
    'logs',
    'create-log-group',
    [
      ['--log-group-name', shellQuote(name)],
      ['--tags', tagMapOf(cli, step.params.tags)],
    ],
    undefined,
    {undo: {what: `log group ${name} and the flow records in it`, how: `aws logs delete-log-group --log-group-name ${shellQuote(name)}`}},
  );
};

const putRetentionPolicy: CliRenderer = (step, cli) => {
  cli.s.call('logs', 'put-retention-policy', [
    ['--log-group-name', shellQuote(text(step.params.logGroupName))],
    ['--retention-in-days', JSON.stringify(step.params.retentionInDays)],
  ]);
};

/** The role's ARN is made from its name and the account, both known before the call. */
const createFlowLogs: CliRenderer = (step, cli) => {
  const role = asRef(step.params.DeliverLogsPermissionArn);
  const roleName = text(role ? cli.plan.step(role.ref)?.params.RoleName : undefined);
  const roleArn = `arn:${partitionOf(cli.region)}:iam::${variable('ACCOUNT_ID')}:role/${roleName}`;
  cli.s.call(
    'ec2',
    'create-flow-logs',
    [
      ['--resource-type', shellQuote(text(step.params.ResourceType))],
      ['--resource-ids', wordOf(cli, list(step.params.ResourceIds)[0])],
      ['--traffic-type', shellQuote(text(step.params.TrafficType))],
      ['--log-destination-type', shellQuote(text(step.params.LogDestinationType))],
      ['--log-group-name', shellQuote(text(step.params.LogGroupName))],
      ['--deliver-logs-permission-arn', word(roleArn)],
      ['--max-aggregation-interval', JSON.stringify(step.params.MaxAggregationInterval)],
      ['--tag-specifications', tagSpecsOf(cli, step)],
    ],
    {name: 'FLOW_LOG_ID', query: 'FlowLogIds[0]'},
    {undo: {what: `flow log ${variable('FLOW_LOG_ID')}`, how: 'aws ec2 delete-flow-logs --flow-log-ids "$FLOW_LOG_ID"'}},
  );
};

const waitRunning: CliRenderer = (step, cli) => {
  cli.s.call('ec2', 'wait', [['instance-running'], ['--instance-ids', wordOf(cli, list(step.params.InstanceIds)[0])]]);
};

// The VPC's own filters (controls/network-guard.ts): the new VPC's default group and list are
// found by filter, changed in place, and go with the VPC, so nothing here needs an undo of its own.

const describeDefaultGroup: CliRenderer = (step, cli) => {
  cli.s.comment("The new VPC's default security group: nothing should use it, so both of its rules go (Security Hub EC2.2).");
  cli.s.call('ec2', 'describe-security-groups', [['--filters', filters(cli, step.params.Filters)]], capture(cli, step, 'SecurityGroups.0.GroupId', 'SecurityGroups[0].GroupId'));
};

const revokeDefaultGroupRule: CliRenderer = (step, cli) => {
  cli.s.call('ec2', step.action === 'RevokeSecurityGroupIngress' ? 'revoke-security-group-ingress' : 'revoke-security-group-egress', [
    ['--group-id', wordOf(cli, step.params.GroupId)],
    ['--ip-permissions', json(valueOf(cli, step.params.IpPermissions))],
  ]);
};

const describeDefaultAcl: CliRenderer = (step, cli) => {
  cli.s.comment("The new VPC's network ACL, which both subnets use: tandem's entries first, then the VPC's allow-everything rule 100 becomes a deny.");
  cli.s.call('ec2', 'describe-network-acls', [['--filters', filters(cli, step.params.Filters)]], capture(cli, step, 'NetworkAcls.0.NetworkAclId', 'NetworkAcls[0].NetworkAclId'));
};

const numberOf = (value: ParamValue | undefined): number => (typeof value === 'number' ? value : 0);

/** create-network-acl-entry or replace-network-acl-entry; `ssh: me` takes the address the script looked up. */
const aclEntry: CliRenderer = (step, cli) => {
  const range = params(step.params.PortRange);
  const cidr = text(step.params.CidrBlock);
  const where: [string, string] = step.params.Ipv6CidrBlock
    ? ['--ipv6-cidr-block', shellQuote(text(step.params.Ipv6CidrBlock))]
    : ['--cidr-block', cidr === SSH_ME ? '"$MY_CIDR"' : shellQuote(cidr)];
  cli.s.call('ec2', step.action === 'CreateNetworkAclEntry' ? 'create-network-acl-entry' : 'replace-network-acl-entry', [
    ['--network-acl-id', wordOf(cli, step.params.NetworkAclId)],
    [step.params.Egress === true ? '--egress' : '--ingress'],
    ['--rule-number', String(numberOf(step.params.RuleNumber))],
    ['--protocol', shellQuote(text(step.params.Protocol))],
    ...(step.params.PortRange ? [['--port-range', `From=${numberOf(range.From)},To=${numberOf(range.To)}`] as [string, string]] : []),
    where,
    ['--rule-action', shellQuote(text(step.params.RuleAction))],
  ]);
};

/**
 * Steps the script writes as they are; the instance (export-cli-instance.ts) and the lookups that
 * run before anything is created (the checks in export-cli.ts) are written apart. A VPC the
 * script makes has DNS hostnames on from the start, so ModifyVpcAttribute has nothing left to do.
 */
export const CLI_RENDERERS: Record<string, CliRenderer> = {
  GetParameter: getParameter,
  DescribeImages: describeImages,
  DescribeVpcs: describeVpcs,
  DescribeSubnets: describeSubnets,
  CreateVpc: createVpc,
  CreateSubnet: createSubnet,
  CreateInternetGateway: createInternetGateway,
  AttachInternetGateway: attachInternetGateway,
  CreateRouteTable: createRouteTable,
  CreateRoute: createRoute,
  AssociateRouteTable: associateRouteTable,
  ModifyVpcAttribute: () => undefined,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeIngress,
  DescribeManagedPrefixLists: () => undefined,
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
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  AllocateHosts: allocateHosts,
  WaitUntilInstanceRunning: waitRunning,
  CreateBackupVault: createBackupVault,
  CreateBackupPlan: createBackupPlan,
  CreateBackupSelection: createBackupSelection,
  DescribeVolumes: describeVolumes,
  CreateSnapshot: createSnapshot,
  CreateLogGroup: createLogGroup,
  PutRetentionPolicy: putRetentionPolicy,
  CreateFlowLogs: createFlowLogs,
  DescribeSecurityGroups: describeDefaultGroup,
  RevokeSecurityGroupIngress: revokeDefaultGroupRule,
  RevokeSecurityGroupEgress: revokeDefaultGroupRule,
  DescribeNetworkAcls: describeDefaultAcl,
  CreateNetworkAclEntry: aclEntry,
  ReplaceNetworkAclEntry: aclEntry,
};
