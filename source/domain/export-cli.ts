// A bash script of AWS CLI calls that performs the same launch as tandem, one call at a time,
// each with a comment naming the control it serves: for people who want to see (or adapt) every
// call. Ids are captured with --query/--output text. Every value from the profile is
// shell-quoted; only ids the script captured itself are interpolated.
import {INSTANCE_CONNECT_RULE, wantsInstanceConnect} from './instance-connect.js';
import {CHECKIP_SERVICE, SSH_ME} from './my-address.js';
import {parseCidr} from './cidr.js';
import {LAUNCH_ID_TAG} from './plan-tags.js';
import {newVpcCidrs} from './plan-network.js';
import {DEFAULT_ROLE_NAME, bucketPolicy, instanceProfileName, trustPolicy} from './plan-iam.js';
import {imageParameterName, userDataFor} from './plan.js';
import {kmsAliasOf} from './preflight.js';
import type {LaunchSpec} from './spec.js';
import {ENDPOINT_GROUP_DESCRIPTION, ENDPOINT_RULE_DESCRIPTION, endpointGroupName, needsSessionRole, needsSsmEndpoints, sessionManagerOn, sessionRoleName, SSM_ENDPOINT_SERVICES, SSM_POLICY_NAME, ssmPolicyArn} from './plan-access.js';
import type {ExportOptions} from './export-cloudformation.js';

/** One word for bash: single-quoted unless it is plainly safe. */
export function shellQuote(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A variable the script captured (an id), spliced into JSON or a word. */
const VAR_MARK = '\u0001';
const variable = (name: string) => `${VAR_MARK}${name}${VAR_MARK}`;

/** A shell word from text that may contain variable() marks. */
function word(text: string): string {
  if (!text.includes(VAR_MARK)) return shellQuote(text);
  const parts = text.split(VAR_MARK);
  // Odd parts are variable names.
  return parts.map((part, index) => (index % 2 === 1 ? `"$${part}"` : part === '' ? '' : shellQuote(part))).join('');
}

/** JSON as one shell word, with variable() marks kept as interpolations. */
function json(value: unknown): string {
  const text = JSON.stringify(value).replace(/\\u0001/g, VAR_MARK);
  return word(text);
}

function tagSpecs(spec: LaunchSpec, options: ExportOptions, entries: Array<{type: string; name: string}>): string {
  return json(entries.map(({type, name}) => ({ResourceType: type, Tags: tagList(spec, options, name)})));
}

function tagList(spec: LaunchSpec, options: ExportOptions, name: string, keys: [string, string] = ['Key', 'Value']) {
  const [k, v] = keys;
  const own = Object.entries(spec.tags).filter(([key]) => key !== 'Name' && !key.startsWith('tandem:'));
  return [
    {[k]: 'Name', [v]: name},
    {[k]: LAUNCH_ID_TAG, [v]: variable('LAUNCH_ID')},
    {[k]: 'tandem:profile', [v]: options.profile},
    ...own.map(([key, value]) => ({[k]: key, [v]: value})),
  ];
}

class Script {
  readonly lines: string[] = [];
  section(title: string, ...why: string[]) {
    this.lines.push('', `# ── ${title} ${'─'.repeat(Math.max(3, 90 - title.length))}`, ...why.map((line) => `# ${line}`));
  }
  comment(text: string) {
    this.lines.push(`# ${text}`);
  }
  raw(...lines: string[]) {
    this.lines.push(...lines);
  }
  /** `aws SERVICE ACTION --flag value ...`, one flag per line when long. */
  /** Responses of calls whose ids are not needed are dropped, unless `show` keeps them on screen. */
  call(service: string, action: string, args: Array<[string, string?]>, capture?: {name: string; query: string}, show = false) {
    const parts = [`aws ${service} ${action}`, ...args.map(([flag, value]) => (value === undefined ? flag : `${flag} ${value}`))];
    if (capture) parts.push(`--query ${shellQuote(capture.query)}`, '--output text');
    let command = parts.join(' ').length <= 100 ? parts.join(' ') : parts.join(' \\\n    ');
    if (!capture && !show) command += ' >/dev/null';
    this.lines.push(capture ? `${capture.name}=$(${command})` : command);
    if (capture) this.lines.push(`echo "${capture.name}=$${capture.name}" >&2`);
  }
}

/** Launch ids an exported script makes: cli- and a UTC time, never a tandem journal id. */
const CLI_LAUNCH_ID = /^cli-\d{8}T\d{6}Z$/;

export function isCliLaunchId(value: string): boolean {
  return CLI_LAUNCH_ID.test(value);
}

/** How to list what one script run tagged (EC2 and KMS resources; IAM is found by name). */
const CLI_FIND_COMMAND = (id: string) => `aws resourcegroupstaggingapi get-resources --tag-filters Key=${LAUNCH_ID_TAG},Values=${id}`;

/** What `tandem destroy` and `verify` say about a script's launch id instead of "not a launch id". */
export function cliLaunchNotice(id: string): string {
  return (
    `${id} was made by a script from tandem export --format cli, and tandem keeps no journal of script runs, so it cannot remove or verify it. ` +
    `Find what it made with: ${CLI_FIND_COMMAND(id)} (the IAM role and instance profile carry the names in the script), then delete those with the AWS CLI`
  );
}

/** The launch as a bash script of AWS CLI calls. */
export function cliScript(spec: LaunchSpec, options: ExportOptions): string {
  const {instance, network, role, storage, securityGroup, keyPair} = spec;
  const s = new Script();
  s.raw(
    '#!/usr/bin/env bash',
    `# tandem launch profile ${options.profile.replace(/[\r\n]+/g, ' ')} as AWS CLI calls${options.generatedAt ? `, exported ${options.generatedAt}` : ''}.`,
    '# Each step names the shared-responsibility control it serves. Credentials come from the AWS CLI',
    '# as usual (AWS_PROFILE, SSO, ...). If a step fails the script stops; what it created so far is',
    '# tagged tandem:launch-id with the LAUNCH_ID printed below. tandem keeps no journal of a script',
    '# run, so `tandem destroy` cannot remove it: find it by that tag (the command is printed below)',
    '# and delete it with the AWS CLI; the role and instance profile carry the names used here.',
    'set -euo pipefail',
    '',
    `REGION="\${AWS_REGION:-${spec.region}}"`,
    'export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION"',
    'LAUNCH_ID="cli-$(date -u +%Y%m%dT%H%M%SZ)"',
    'echo "LAUNCH_ID=$LAUNCH_ID (region $REGION)" >&2',
    `echo "to find what this run makes: ${CLI_FIND_COMMAND('$LAUNCH_ID')}" >&2`,
  );

  // Image
  s.section('Image', 'ami-provenance (shared): AWS builds and publishes the image; you choose a current one and patch it.');
  if (instance.image === 'ami') {
    s.raw(`IMAGE_ID=${shellQuote(instance.amiId ?? '')}`);
  } else {
    s.call('ssm', 'get-parameter', [['--name', imageParameterName(instance.image, instance.arch)]], {name: 'IMAGE_ID', query: 'Parameter.Value'});
  }
  s.comment('The root device name is where the encrypted root volume is attached.');
  s.call('ec2', 'describe-images', [['--image-ids', '"$IMAGE_ID"']], {name: 'ROOT_DEVICE', query: 'Images[0].RootDeviceName'});

  // Network
  s.section(
    'Network',
    'vpc-isolation (AWS, inherited): the VPC keeps this workload apart from other accounts.',
    'subnet-routing (customer, hybrid): you decide which subnet reaches the internet.',
  );
  if (network.vpc === 'new') {
    const cidrs = newVpcCidrs(network);
    s.call('ec2', 'create-vpc', [['--cidr-block', shellQuote(cidrs.vpc)], ['--tag-specifications', tagSpecs(spec, options, [{type: 'vpc', name: `${instance.name}-vpc`}])]], {name: 'VPC_ID', query: 'Vpc.VpcId'});
    s.call('ec2', 'modify-vpc-attribute', [['--vpc-id', '"$VPC_ID"'], ['--enable-dns-hostnames', '\'{"Value":true}\'']]);
    s.call('ec2', 'describe-availability-zones', [['--filters', 'Name=state,Values=available']], {name: 'ZONE', query: 'AvailabilityZones[0].ZoneName'});
    s.comment('Neither subnet hands out public addresses; the instance asks for one itself (Security Hub EC2.15).');
    s.call('ec2', 'create-subnet', [['--vpc-id', '"$VPC_ID"'], ['--cidr-block', shellQuote(cidrs.publicSubnet ?? '')], ['--availability-zone', '"$ZONE"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'subnet', name: `${instance.name}-public`}])]], {name: 'PUBLIC_SUBNET_ID', query: 'Subnet.SubnetId'});
    s.call('ec2', 'create-subnet', [['--vpc-id', '"$VPC_ID"'], ['--cidr-block', shellQuote(cidrs.privateSubnet ?? '')], ['--availability-zone', '"$ZONE"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'subnet', name: `${instance.name}-private`}])]], {name: 'PRIVATE_SUBNET_ID', query: 'Subnet.SubnetId'});
    s.call('ec2', 'create-internet-gateway', [['--tag-specifications', tagSpecs(spec, options, [{type: 'internet-gateway', name: `${instance.name}-igw`}])]], {name: 'IGW_ID', query: 'InternetGateway.InternetGatewayId'});
    s.call('ec2', 'attach-internet-gateway', [['--internet-gateway-id', '"$IGW_ID"'], ['--vpc-id', '"$VPC_ID"']]);
    s.comment('Only the public route table gets a default route to the internet gateway.');
    s.call('ec2', 'create-route-table', [['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'route-table', name: `${instance.name}-public-routes`}])]], {name: 'PUBLIC_ROUTES_ID', query: 'RouteTable.RouteTableId'});
    s.call('ec2', 'create-route', [['--route-table-id', '"$PUBLIC_ROUTES_ID"'], ['--destination-cidr-block', '0.0.0.0/0'], ['--gateway-id', '"$IGW_ID"']]);
    s.call('ec2', 'associate-route-table', [['--route-table-id', '"$PUBLIC_ROUTES_ID"'], ['--subnet-id', '"$PUBLIC_SUBNET_ID"']]);
    s.call('ec2', 'create-route-table', [['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'route-table', name: `${instance.name}-private-routes`}])]], {name: 'PRIVATE_ROUTES_ID', query: 'RouteTable.RouteTableId'});
    s.call('ec2', 'associate-route-table', [['--route-table-id', '"$PRIVATE_ROUTES_ID"'], ['--subnet-id', '"$PRIVATE_SUBNET_ID"']]);
    s.raw(`SUBNET_ID="$${network.subnet === 'private' ? 'PRIVATE' : 'PUBLIC'}_SUBNET_ID"`);
  } else {
    if (network.vpc === 'default') {
      s.call('ec2', 'describe-vpcs', [['--filters', 'Name=isDefault,Values=true']], {name: 'VPC_ID', query: 'Vpcs[0].VpcId'});
      s.raw('if [ "$VPC_ID" = None ]; then echo "this region has no default VPC; use a profile with network.vpc: new" >&2; exit 1; fi');
    } else {
      s.raw(`VPC_ID=${shellQuote(network.vpc)}`);
    }
    if (network.subnet === 'default') {
      s.call('ec2', 'describe-subnets', [['--filters', 'Name=vpc-id,Values="$VPC_ID" Name=default-for-az,Values=true']], {name: 'SUBNET_ID', query: 'Subnets[0].SubnetId'});
    } else {
      s.comment('Filtering by the VPC as well makes a subnet of another VPC come back as None.');
      s.call('ec2', 'describe-subnets', [['--subnet-ids', shellQuote(network.subnet)], ['--filters', 'Name=vpc-id,Values="$VPC_ID"']], {name: 'SUBNET_ID', query: 'Subnets[0].SubnetId'});
    }
    s.raw('if [ "$SUBNET_ID" = None ]; then echo "no usable subnet found in $VPC_ID" >&2; exit 1; fi');
  }

  // IAM role
  const profileName = instanceProfileName(spec);
  if (role.mode === 'create') {
    const roleName = role.name || DEFAULT_ROLE_NAME;
    const access = role.access ?? 'read';
    s.section(
      'IAM role',
      'iam-instance-role (customer): only EC2 may assume the role, and it may use one bucket and nothing else',
      '(an inline policy with no "*" action or resource: Prowler iam_inline_policy_no_administrative_privileges).',
    );
    s.call('iam', 'create-role', [['--role-name', shellQuote(roleName)], ['--assume-role-policy-document', shellQuote(trustPolicy())], ['--tags', json(tagList(spec, options, roleName))]]);
    s.call('iam', 'put-role-policy', [['--role-name', shellQuote(roleName)], ['--policy-name', shellQuote(`tandem-s3-${access}`)], ['--policy-document', shellQuote(bucketPolicy(role.bucket ?? '', access, spec.region))]]);
    if (sessionManagerOn(spec)) {
      s.comment(`session-manager (shared): the AWS managed policy ${SSM_POLICY_NAME} lets the SSM agent register and carry sessions.`);
      s.call('iam', 'attach-role-policy', [['--role-name', shellQuote(roleName)], ['--policy-arn', shellQuote(ssmPolicyArn(spec.region))]]);
    }
    s.call('iam', 'create-instance-profile', [['--instance-profile-name', shellQuote(profileName ?? roleName)], ['--tags', json(tagList(spec, options, profileName ?? roleName))]]);
    s.call('iam', 'add-role-to-instance-profile', [['--instance-profile-name', shellQuote(profileName ?? roleName)], ['--role-name', shellQuote(roleName)]]);
    s.call('iam', 'wait', [['instance-profile-exists'], ['--instance-profile-name', shellQuote(profileName ?? roleName)]]);
  }

  if (needsSessionRole(spec)) {
    const roleName = sessionRoleName(spec);
    s.section(
      'IAM role for Session Manager',
      `session-manager (shared): AWS runs the service and its agent; this role holds only ${SSM_POLICY_NAME},`,
      'and who may start a session (ssm:StartSession) is decided in IAM, by you.',
    );
    s.call('iam', 'create-role', [['--role-name', shellQuote(roleName)], ['--assume-role-policy-document', shellQuote(trustPolicy())], ['--tags', json(tagList(spec, options, roleName))]]);
    s.call('iam', 'attach-role-policy', [['--role-name', shellQuote(roleName)], ['--policy-arn', shellQuote(ssmPolicyArn(spec.region))]]);
    s.call('iam', 'create-instance-profile', [['--instance-profile-name', shellQuote(roleName)], ['--tags', json(tagList(spec, options, roleName))]]);
    s.call('iam', 'add-role-to-instance-profile', [['--instance-profile-name', shellQuote(roleName)], ['--role-name', shellQuote(roleName)]]);
    s.call('iam', 'wait', [['instance-profile-exists'], ['--instance-profile-name', shellQuote(roleName)]]);
  }

  if (needsSsmEndpoints(spec)) {
    const group = endpointGroupName(spec);
    s.section(
      'Session Manager endpoints',
      'session-manager (shared): the private subnet has no way out, so the agent reaches ssm, ssmmessages and',
      'ec2messages through interface endpoints (private DNS on; billed per endpoint-hour) behind HTTPS from the VPC only.',
    );
    s.call('ec2', 'create-security-group', [['--group-name', shellQuote(group)], ['--description', shellQuote(ENDPOINT_GROUP_DESCRIPTION)], ['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'security-group', name: group}])]], {name: 'ENDPOINT_GROUP_ID', query: 'GroupId'});
    s.call('ec2', 'authorize-security-group-ingress', [['--group-id', '"$ENDPOINT_GROUP_ID"'], ['--ip-permissions', json([{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: newVpcCidrs(network).vpc, Description: ENDPOINT_RULE_DESCRIPTION}]}])]]);
    for (const service of SSM_ENDPOINT_SERVICES) {
      s.call('ec2', 'create-vpc-endpoint', [
        ['--vpc-endpoint-type', 'Interface'],
        ['--vpc-id', '"$VPC_ID"'],
        ['--service-name', `"com.amazonaws.$REGION.${service}"`],
        ['--subnet-ids', '"$SUBNET_ID"'],
        ['--security-group-ids', '"$ENDPOINT_GROUP_ID"'],
        ['--private-dns-enabled'],
        ['--tag-specifications', tagSpecs(spec, options, [{type: 'vpc-endpoint', name: `${instance.name}-${service}`}])],
      ]);
    }
  }

  // Storage key
  let keyArn = false;
  if (storage.encrypted && storage.kmsKey === 'new') {
    keyArn = true;
    s.section('KMS key', 'kms-key (shared): AWS runs KMS; you own this key, its policy and its rotation (Security Hub KMS.4).');
    s.call('kms', 'create-key', [['--description', shellQuote(`EBS encryption key for ${instance.name}, created by tandem`)], ['--tags', json(tagList(spec, options, `${instance.name}-ebs`, ['TagKey', 'TagValue']))]], {name: 'KEY_ID', query: 'KeyMetadata.KeyId'});
    s.call('kms', 'create-alias', [['--alias-name', shellQuote(kmsAliasOf(spec))], ['--target-key-id', '"$KEY_ID"']]);
    s.call('kms', 'enable-key-rotation', [['--key-id', '"$KEY_ID"']]);
    s.call('kms', 'describe-key', [['--key-id', '"$KEY_ID"']], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
  } else if (storage.encrypted && storage.kmsKey !== 'aws/ebs' && storage.kmsKey !== 'alias/aws/ebs') {
    keyArn = true;
    s.section('KMS key', 'kms-key (shared): resolving the key first fails fast on a missing or disabled key.');
    s.call('kms', 'describe-key', [['--key-id', shellQuote(storage.kmsKey)]], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
  }

  // Security group
  s.section(
    'Security group',
    'security-group-rules (shared, hybrid): AWS enforces the stateful filter and denies inbound by default;',
    'you write every rule. These are exactly the reviewed rules (Security Hub EC2.13, EC2.18, EC2.19).',
  );
  if (securityGroup.mode === 'create') {
    s.call(
      'ec2',
      'create-security-group',
      [['--group-name', shellQuote(securityGroup.name)], ['--description', shellQuote(`Web server ${instance.name}, managed by tandem`.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '-'))], ['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'security-group', name: securityGroup.name}])]],
      {name: 'GROUP_ID', query: 'GroupId'},
    );
    if (securityGroup.ssh === SSH_ME) {
      s.comment('The profile says ssh: me: SSH only from your public address, as AWS\'s checkip service sees it.');
      s.raw(
        `MY_ADDRESS="$(curl -fsS --max-time 3 ${shellQuote(CHECKIP_SERVICE)} | tr -d '[:space:]')" || MY_ADDRESS=''`,
        'if [[ ! "$MY_ADDRESS" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]]; then',
        '  echo "could not find your public address; replace ssh: me in the profile with your address as a /32" >&2',
        '  exit 2',
        'fi',
        'MY_CIDR="$MY_ADDRESS/32"',
      );
    }
    if (wantsInstanceConnect(spec)) {
      s.comment("EC2 Instance Connect: port 22 only from the region's Instance Connect prefix list, never an address range.");
      s.raw(
        `EIC_LIST_ID=$(aws ec2 describe-managed-prefix-lists --filters "Name=prefix-list-name,Values=com.amazonaws.$REGION.ec2-instance-connect" --query 'PrefixLists[0].PrefixListId' --output text)`,
        'if [[ "$EIC_LIST_ID" != pl-* ]]; then',
        '  echo "region $REGION has no EC2 Instance Connect prefix list (com.amazonaws.$REGION.ec2-instance-connect)" >&2',
        '  exit 2',
        'fi',
        'echo "EIC_LIST_ID=$EIC_LIST_ID" >&2',
      );
    }
    const permissions: object[] = ([['http', 80, 'HTTP to the web server'], ['https', 443, 'HTTPS to the web server'], ['ssh', 22, 'SSH for administration']] as const).flatMap(([field, port, Description]) => {
      const given = securityGroup[field];
      if (given === false) return [];
      const cidr = given === SSH_ME ? variable('MY_CIDR') : given;
      const parsed = parseCidr(cidr);
      const text = parsed.ok ? parsed.cidr.text : cidr;
      const v6 = parsed.ok ? parsed.cidr.version === 6 : cidr.includes(':');
      return [{IpProtocol: 'tcp', FromPort: port, ToPort: port, ...(v6 ? {Ipv6Ranges: [{CidrIpv6: text, Description}]} : {IpRanges: [{CidrIp: text, Description}]})}];
    });
    if (wantsInstanceConnect(spec)) {
      permissions.push({IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{PrefixListId: variable('EIC_LIST_ID'), Description: INSTANCE_CONNECT_RULE}]});
    }
    if (permissions.length > 0) s.call('ec2', 'authorize-security-group-ingress', [['--group-id', '"$GROUP_ID"'], ['--ip-permissions', json(permissions)]]);
    else s.comment('No inbound rules: the group denies all inbound traffic.');
  } else {
    s.raw(`GROUP_ID=${shellQuote(securityGroup.groupId ?? '')}`);
  }

  // Key pair
  if (keyPair.mode === 'create' || keyPair.mode === 'import') {
    const name = keyPair.name ?? `${instance.name}-key`;
    const keyPath = keyPair.path ?? '';
    s.section('Key pair', 'key-pair (shared): AWS stores the public key and places it on the instance; you guard the private key.');
    s.raw(`KEY_PATH=${keyPath.startsWith('~/') ? `"$HOME"/${shellQuote(keyPath.slice(2))}` : shellQuote(keyPath)}`);
    if (keyPair.mode === 'create') {
      s.comment('The private key exists only in this response: write it owner-only (umask 077), never over an');
      s.comment('existing file (noclobber), and never print it. If it cannot be saved, delete the key pair.');
      s.raw('mkdir -p "$(dirname "$KEY_PATH")"');
      s.raw(
        `if ! (umask 077 && set -o noclobber && aws ec2 create-key-pair --key-name ${shellQuote(name)} --key-type ${keyPair.type ?? 'ed25519'} --key-format pem \\`,
        `    --tag-specifications ${tagSpecs(spec, options, [{type: 'key-pair', name}])} \\`,
        '    --query KeyMaterial --output text > "$KEY_PATH"); then',
        `  aws ec2 delete-key-pair --key-name ${shellQuote(name)} >/dev/null 2>&1 || true`,
        '  echo "could not write the private key to $KEY_PATH (does it exist already?); no key pair was kept" >&2',
        '  exit 1',
        'fi',
      );
    } else {
      s.call('ec2', 'import-key-pair', [['--key-name', shellQuote(name)], ['--public-key-material', 'fileb://"$KEY_PATH"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'key-pair', name}])]]);
    }
    s.raw(`KEY_NAME=${shellQuote(name)}`);
  } else if (keyPair.mode === 'existing') {
    s.raw('', `KEY_NAME=${shellQuote(keyPair.name ?? '')}`);
  }

  // Dedicated host
  if (instance.tenancy === 'host') {
    s.section('Dedicated host', "tenancy (shared): AWS supplies single-tenant hardware; only instances that name this host land on it.");
    s.call('ec2', 'describe-subnets', [['--subnet-ids', '"$SUBNET_ID"']], {name: 'HOST_ZONE', query: 'Subnets[0].AvailabilityZone'});
    s.call('ec2', 'allocate-hosts', [['--instance-type', shellQuote(instance.type)], ['--availability-zone', '"$HOST_ZONE"'], ['--quantity', '1'], ['--auto-placement', 'off'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'dedicated-host', name: `${instance.name}-host`}])]], {name: 'HOST_ID', query: 'HostIds[0]'});
  }

  // Instance
  s.section(
    'Instance',
    'instance-type (customer), tenancy (shared), ebs-encryption (shared; Security Hub EC2.3),',
    'imds-v2 (shared, hybrid; Security Hub EC2.8), public-ip (customer, hybrid; Security Hub EC2.9).',
  );
  const ebs: Record<string, unknown> = {VolumeSize: storage.sizeGiB, VolumeType: storage.type, DeleteOnTermination: true};
  if (storage.type === 'io2') ebs.Iops = 3000;
  if (storage.encrypted) {
    ebs.Encrypted = true;
    if (keyArn) ebs.KmsKeyId = variable('KEY_ARN');
  }
  const userData = userDataFor(spec);
  if (userData !== undefined) {
    s.comment('First-boot script: install and start the web server.');
    s.raw("USER_DATA=$(cat <<'USERDATA'", atob(userData).replace(/\n$/, ''), 'USERDATA', ')');
  }
  const args: Array<[string, string?]> = [
    ['--image-id', '"$IMAGE_ID"'],
    ['--instance-type', shellQuote(instance.type)],
    ['--network-interfaces', json([{DeviceIndex: 0, SubnetId: variable('SUBNET_ID'), Groups: [variable('GROUP_ID')], AssociatePublicIpAddress: network.publicIp, DeleteOnTermination: true}])],
    ['--block-device-mappings', json([{DeviceName: variable('ROOT_DEVICE'), Ebs: ebs}])],
    ['--placement', json(instance.tenancy === 'host' ? {Tenancy: 'host', HostId: variable('HOST_ID')} : {Tenancy: instance.tenancy})],
    ['--metadata-options', json({HttpTokens: instance.imds, HttpPutResponseHopLimit: instance.hopLimit, HttpEndpoint: 'enabled'})],
  ];
  if (profileName) args.push(['--iam-instance-profile', json({Name: profileName})]);
  if (keyPair.mode !== 'none') args.push(['--key-name', '"$KEY_NAME"']);
  if (userData !== undefined) args.push(['--user-data', '"$USER_DATA"']);
  args.push(['--tag-specifications', tagSpecs(spec, options, [{type: 'instance', name: instance.name}, {type: 'volume', name: `${instance.name}-root`}])]);
  if (role.mode === 'create' || needsSessionRole(spec)) {
    s.comment('A new instance profile takes a few seconds to become visible to EC2: retry on that error only.');
    s.raw('ERRORS=$(mktemp)', 'for attempt in 1 2 3 4 5 6 7 8; do', '  if INSTANCE_ID=$(');
    const command = ['aws ec2 run-instances', ...args.map(([flag, value]) => `${flag} ${value}`), "--query 'Instances[0].InstanceId' --output text 2>\"$ERRORS\""];
    s.raw(`    ${command.join(' \\\n      ')}`, '  ); then break; fi');
    s.raw(
      '  if ! grep -q "Invalid IAM Instance Profile" "$ERRORS"; then cat "$ERRORS" >&2; exit 1; fi',
      '  echo "waiting for the instance profile to reach EC2 (attempt $attempt)" >&2',
      '  INSTANCE_ID=""',
      '  sleep $((attempt * 2))',
      'done',
      'rm -f "$ERRORS"',
      ': "${INSTANCE_ID:?the instance profile never became visible to EC2}"',
      'echo "INSTANCE_ID=$INSTANCE_ID" >&2',
    );
  } else {
    s.call('ec2', 'run-instances', args, {name: 'INSTANCE_ID', query: 'Instances[0].InstanceId'});
  }
  s.call('ec2', 'wait', [['instance-running'], ['--instance-ids', '"$INSTANCE_ID"']]);

  // Check
  s.section('Check', 'What AWS reports back for the controls above.');
  s.call('ec2', 'describe-instances', [['--instance-ids', '"$INSTANCE_ID"'], ['--query', shellQuote('Reservations[0].Instances[0].{Type:InstanceType,Tenancy:Placement.Tenancy,HttpTokens:MetadataOptions.HttpTokens,Profile:IamInstanceProfile.Arn,PublicIp:PublicIpAddress,Groups:SecurityGroups[].GroupId}')], ['--output', 'table']], undefined, true);
  s.call('ec2', 'describe-volumes', [['--filters', 'Name=attachment.instance-id,Values="$INSTANCE_ID"'], ['--query', shellQuote('Volumes[].{Volume:VolumeId,Encrypted:Encrypted,Key:KmsKeyId}')], ['--output', 'table']], undefined, true);
  s.raw('', 'echo "launched $INSTANCE_ID (launch id $LAUNCH_ID)" >&2');
  if (sessionManagerOn(spec)) s.raw('echo "shell: aws ssm start-session --target $INSTANCE_ID --region $REGION" >&2');
  return `${s.lines.join('\n')}\n`;
}
