// A bash script of AWS CLI calls that performs the same launch as tandem, one call at a time,
// each with a comment naming the control it serves: for people who want to see (or adapt) every
// call. Ids are captured with --query/--output text. Every value from the profile is
// shell-quoted; only ids the script captured itself are interpolated.
import {INSTANCE_CONNECT_RULE, wantsInstanceConnect} from './instance-connect.js';
import {CHECKIP_SERVICE, SSH_ME} from './my-address.js';
import {cidrOrThrow, parseCidr} from './cidr.js';
import {SPECIAL_RANGES, specialRangeText} from './special-addresses.js';
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

/**
 * How to take back what one call made: `what` names it for a person (variable() marks allowed),
 * `how` is the shell command that removes it. Both are read when the run fails, so the ids they
 * name have been captured by then.
 */
interface Undo {
  what: string;
  how: string;
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
  /** Records that this run made something, so a failed run removes it (and nothing else). */
  made(undo: Undo) {
    this.lines.push(`made ${word(undo.what)} ${shellQuote(undo.how)}`);
  }
  /**
   * `aws SERVICE ACTION --flag value ...`, one flag per line when long. Responses of calls whose
   * ids are not needed are dropped, unless `show` keeps them on screen; `undo` is recorded as soon
   * as the call has answered.
   */
  call(service: string, action: string, args: Array<[string, string?]>, capture?: {name: string; query: string}, options: {show?: boolean; undo?: Undo} = {}) {
    const parts = [`aws ${service} ${action}`, ...args.map(([flag, value]) => (value === undefined ? flag : `${flag} ${value}`))];
    if (capture) parts.push(`--query ${shellQuote(capture.query)}`, '--output text');
    let command = parts.join(' ').length <= 100 ? parts.join(' ') : parts.join(' \\\n    ');
    if (!capture && !options.show) command += ' >/dev/null';
    this.lines.push(capture ? `${capture.name}=$(${command})` : command);
    if (options.undo) this.made(options.undo);
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

/**
 * The script's own bookkeeping: what this run made, newest last, and how to remove each; a failed
 * or stopped run removes exactly those, newest first, and names whatever it could not remove.
 * Nothing made by anyone else (an earlier run, another launch) is ever on that list.
 */
const RUNTIME = [
  '',
  '# What this run made, oldest first, as "what<TAB>how to remove it".',
  'MADE=()',
  "made() { MADE+=(\"$1\"$'\\t'\"$2\"); }",
  '# A delete that AWS refuses while a just-terminated instance still holds a network interface is',
  '# tried again for up to two minutes; any other refusal is final.',
  'gone() {',
  '  local attempt errors',
  '  for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do',
  '    if errors=$("$@" 2>&1 >/dev/null); then return 0; fi',
  '    case "$errors" in *DependencyViolation*) sleep 10 ;; *) echo "$errors" >&2; return 1 ;; esac',
  '  done',
  '  echo "$errors" >&2',
  '  return 1',
  '}',
  '# Deletes key pair $1 only if it carries this run\'s launch id: one of the same name made by anyone else stays.',
  'delete_own_key_pair() {',
  '  local id',
  '  id=$(aws ec2 describe-key-pairs --key-names "$1" --query "KeyPairs[?Tags[?Key==\'tandem:launch-id\' && Value==\'$LAUNCH_ID\']].KeyPairId | [0]" --output text) || return 1',
  '  if [ "$id" = None ]; then echo "key pair $1 does not carry launch id $LAUNCH_ID" >&2; return 1; fi',
  '  aws ec2 delete-key-pair --key-name "$1" >/dev/null',
  '}',
  '# A stop (Ctrl+C, SIGTERM, SIGHUP) is only noted: bash runs a trap once the AWS call in flight has',
  '# answered, and exiting there would skip recording what that call made. Every aws call below',
  '# first looks for a noted stop, so no new call starts after one, and what the last call made is',
  '# on the list before the run stops and removes it.',
  'STOP=',
  'aws() { if [ -n "$STOP" ]; then exit "$STOP"; fi; command aws "$@"; }',
  'undo() {',
  '  local code=$? i what how errors left=()',
  '  trap - EXIT INT TERM HUP',
  '  if [ -n "$STOP" ]; then code=$STOP; STOP=; fi',
  '  set +e',
  '  if [ "$code" -eq 0 ] || [ ${#MADE[@]} -eq 0 ]; then exit "$code"; fi',
  '  echo "the run stopped (exit $code); removing what this run made, newest first:" >&2',
  '  for ((i = ${#MADE[@]} - 1; i >= 0; i--)); do',
  "    what=${MADE[i]%%$'\\t'*} how=${MADE[i]#*$'\\t'}",
  '    if errors=$(eval "$how" 2>&1 >/dev/null); then',
  '      echo "  removed $what" >&2',
  '    else',
  '      left+=("$what")',
  "      echo \"  could not remove $what${errors:+: ${errors##*$'\\n'}}\" >&2",
  '    fi',
  '  done',
  '  if [ ${#left[@]} -eq 0 ]; then',
  '    echo "nothing this run made remains" >&2',
  '  else',
  '    echo "still there from this run (remove it with the AWS CLI; it carries launch id $LAUNCH_ID):" >&2',
  "    printf '  %s\\n' \"${left[@]}\" >&2",
  '  fi',
  '  exit "$code"',
  '}',
  'trap undo EXIT',
  "trap 'STOP=130' INT",
  "trap 'STOP=143' TERM",
  "trap 'STOP=129' HUP",
];

/** The launch as a bash script of AWS CLI calls. */
export function cliScript(spec: LaunchSpec, options: ExportOptions): string {
  const s = new Script();
  s.raw(
    '#!/usr/bin/env bash',
    `# tandem launch profile ${options.profile.replace(/[\r\n]+/g, ' ')} as AWS CLI calls${options.generatedAt ? `, exported ${options.generatedAt}` : ''}.`,
    '# Each step names the shared-responsibility control it serves. Credentials come from the AWS CLI',
    '# as usual (AWS_PROFILE, SSO, ...). Before creating anything the script checks that the names it',
    '# would create are free (a second run stops there). If a later step fails, or the run is stopped,',
    '# it removes what this run created, newest first, never anything else, and names what it could',
    '# not remove. tandem keeps no journal of a script',
    '# run, so `tandem destroy` cannot remove it: find a finished run by its tandem:launch-id tag',
    '# (the command is printed below) and delete it with the AWS CLI.',
    'set -euo pipefail',
    '',
    `REGION="\${AWS_REGION:-${spec.region}}"`,
    'export AWS_REGION="$REGION" AWS_DEFAULT_REGION="$REGION"',
    'LAUNCH_ID="cli-$(date -u +%Y%m%dT%H%M%SZ)"',
    'echo "LAUNCH_ID=$LAUNCH_ID (region $REGION)" >&2',
    `echo "to find what this run makes: ${CLI_FIND_COMMAND('$LAUNCH_ID')}" >&2`,
    ...RUNTIME,
  );
  imageSteps(s, spec);
  // The checks need the VPC of a security group's name; a new VPC is made after them and has no groups yet.
  if (spec.network.vpc === 'new') {
    checkSteps(s, spec);
    newNetworkSteps(s, spec, options);
  } else {
    existingNetworkSteps(s, spec);
    checkSteps(s, spec);
  }
  roleSteps(s, spec, options);
  sessionRoleSteps(s, spec, options);
  endpointSteps(s, spec, options);
  const keyArn = kmsSteps(s, spec, options);
  groupSteps(s, spec, options);
  keyPairSteps(s, spec, options);
  hostSteps(s, spec, options);
  instanceSteps(s, spec, options, keyArn);
  return `${s.lines.join('\n')}\n`;
}

function imageSteps(s: Script, {instance}: LaunchSpec) {
  s.section('Image', 'ami-provenance (shared): AWS builds and publishes the image; you choose a current one and patch it.');
  if (instance.image === 'ami') {
    s.raw(`IMAGE_ID=${shellQuote(instance.amiId ?? '')}`);
  } else {
    s.call('ssm', 'get-parameter', [['--name', imageParameterName(instance.image, instance.arch)]], {name: 'IMAGE_ID', query: 'Parameter.Value'});
  }
  s.comment('The root device name is where the encrypted root volume is attached.');
  s.call('ec2', 'describe-images', [['--image-ids', '"$IMAGE_ID"']], {name: 'ROOT_DEVICE', query: 'Images[0].RootDeviceName'});
}

/** Where the private key goes (create) or the public key comes from (import). */
function keyPathLine(keyPath: string): string {
  return `KEY_PATH=${keyPath.startsWith('~/') ? `"$HOME"/${shellQuote(keyPath.slice(2))}` : shellQuote(keyPath)}`;
}

const keyPairName = ({keyPair, instance}: LaunchSpec): string => keyPair.name ?? `${instance.name}-key`;

/**
 * Every lookup that can stop the launch, and every name it would create, before anything is
 * created: a second run of the same script (or a name another launch holds) stops here with
 * nothing made and nothing deleted.
 */
function checkSteps(s: Script, spec: LaunchSpec) {
  const {keyPair, role, securityGroup, network, storage} = spec;
  s.section('Before creating anything', 'Names this run would create must be free: a second run of this script stops here, having changed nothing.');
  s.raw(
    'TAKEN=()',
    '# found WHAT COMMAND...: WHAT is taken when COMMAND finds it; "not found" means free, any other answer stops the run.',
    'found() {',
    '  local errors',
    '  if errors=$("${@:2}" 2>&1 >/dev/null); then TAKEN+=("$1"); return 0; fi',
    '  case "$errors" in *NoSuchEntity*|*NotFound*) return 0 ;; esac',
    "  echo \"could not check whether $1 exists: ${errors##*$'\\n'}\" >&2",
    '  exit 1',
    '}',
  );
  if (keyPair.mode === 'create' || keyPair.mode === 'import') {
    const name = keyPairName(spec);
    s.raw(keyPathLine(keyPair.path ?? ''));
    if (keyPair.mode === 'create') s.raw('if [ -e "$KEY_PATH" ]; then TAKEN+=("the private key file $KEY_PATH"); fi');
    s.raw(`found ${word(`key pair ${name}`)} aws ec2 describe-key-pairs --key-names ${shellQuote(name)}`);
  }
  const roles = [role.mode === 'create' ? role.name || DEFAULT_ROLE_NAME : undefined, needsSessionRole(spec) ? sessionRoleName(spec) : undefined].filter((name) => name !== undefined);
  for (const name of roles) s.raw(`found ${word(`IAM role ${name}`)} aws iam get-role --role-name ${shellQuote(name)}`);
  const profile = instanceProfileName(spec);
  if (profile && roles.length > 0) s.raw(`found ${word(`instance profile ${profile}`)} aws iam get-instance-profile --instance-profile-name ${shellQuote(profile)}`);
  if (storage.encrypted && storage.kmsKey === 'new') s.raw(`found ${word(`KMS alias ${kmsAliasOf(spec)}`)} aws kms describe-key --key-id ${shellQuote(kmsAliasOf(spec))}`);
  if (securityGroup.mode === 'create' && network.vpc !== 'new') {
    const query = `SecurityGroups[?GroupName=='${securityGroup.name.replace(/'/g, "\\'")}'].GroupId | [0]`;
    s.raw(
      `if [ "$(aws ec2 describe-security-groups --filters Name=vpc-id,Values="$VPC_ID" --query ${shellQuote(query)} --output text)" != None ]; then`,
      `  TAKEN+=(${word(`security group ${securityGroup.name}`)}" in $VPC_ID")`,
      'fi',
    );
  }
  s.raw(
    'if [ ${#TAKEN[@]} -gt 0 ]; then',
    '  echo "stopped before creating anything: these exist already in $REGION or on this machine:" >&2',
    "  printf '  %s\\n' \"${TAKEN[@]}\" >&2",
    '  echo "an earlier run of this script (or another launch) made them; remove them first, or choose other names in the profile and export again." >&2',
    '  echo "nothing was created and nothing was deleted." >&2',
    '  exit 1',
    'fi',
  );
  addressSteps(s, spec);
}

/**
 * A bash function `special_range ADDRESS` that prints which non-global IPv4 range ADDRESS is in
 * (tandem's own table of special-purpose ranges, most specific first) and succeeds, or fails for
 * a global address: the script refuses the same `ssh: me` answers tandem refuses. An octet over
 * 255 is not an address at all.
 */
export function specialRangeCheck(): string[] {
  const tests = SPECIAL_RANGES.map((entry) => ({entry, cidr: cidrOrThrow(entry.range)}))
    .filter(({cidr}) => cidr.version === 4)
    .map(({entry, cidr}) => {
      const mask = cidr.prefix === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - cidr.prefix)) - 1n);
      return `  if (( (ip & ${mask}) == ${cidr.network} )); then echo ${shellQuote(specialRangeText(entry))}; return 0; fi`;
    });
  return [
    'special_range() {',
    '  local a b c d octet ip',
    "  IFS=. read -r a b c d <<<\"$1\"",
    '  for octet in "$a" "$b" "$c" "$d"; do',
    "    if [[ ! \"$octet\" =~ ^[0-9]{1,3}$ ]] || (( 10#$octet > 255 )); then echo 'not an IPv4 address'; return 0; fi",
    '  done',
    '  ip=$(( (10#$a << 24) | (10#$b << 16) | (10#$c << 8) | 10#$d ))',
    ...tests,
    '  return 1',
    '}',
  ];
}

/** The address for `ssh: me` and the region's Instance Connect prefix list: lookups that can stop the run. */
function addressSteps(s: Script, spec: LaunchSpec) {
  if (spec.securityGroup.mode !== 'create') return;
  if (spec.securityGroup.ssh === SSH_ME) {
    s.comment('The profile says ssh: me: SSH only from your public address, as AWS\'s checkip service sees it.');
    s.raw(
      `MY_ADDRESS="$(curl -fsS --max-time 3 ${shellQuote(CHECKIP_SERVICE)} | tr -d '[:space:]')" || MY_ADDRESS=''`,
      'if [[ ! "$MY_ADDRESS" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ ]]; then',
      '  echo "could not find your public address; replace ssh: me in the profile with your address as a /32" >&2',
      '  exit 2',
      'fi',
      ...specialRangeCheck(),
      'if RANGE="$(special_range "$MY_ADDRESS")"; then',
      '  echo "checkip answered $MY_ADDRESS, which is $RANGE, never the address the internet sees you from; replace ssh: me in the profile with your public address as a /32" >&2',
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
}

const NETWORK_WHY = ['vpc-isolation (AWS, inherited): the VPC keeps this workload apart from other accounts.', 'subnet-routing (customer, hybrid): you decide which subnet reaches the internet.'];

function newNetworkSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  const {instance, network} = spec;
  const cidrs = newVpcCidrs(network);
  const tags = (type: string, name: string) => tagSpecs(spec, options, [{type, name}]);
  s.section('Network', ...NETWORK_WHY);
  s.call('ec2', 'create-vpc', [['--cidr-block', shellQuote(cidrs.vpc)], ['--tag-specifications', tags('vpc', `${instance.name}-vpc`)]], {name: 'VPC_ID', query: 'Vpc.VpcId'}, {
    undo: {what: `VPC ${variable('VPC_ID')}`, how: 'aws ec2 delete-vpc --vpc-id "$VPC_ID"'},
  });
  s.call('ec2', 'modify-vpc-attribute', [['--vpc-id', '"$VPC_ID"'], ['--enable-dns-hostnames', '\'{"Value":true}\'']]);
  s.call('ec2', 'describe-availability-zones', [['--filters', 'Name=state,Values=available']], {name: 'ZONE', query: 'AvailabilityZones[0].ZoneName'});
  s.comment('Neither subnet hands out public addresses; the instance asks for one itself (Security Hub EC2.15).');
  for (const [side, cidr] of [['PUBLIC', cidrs.publicSubnet], ['PRIVATE', cidrs.privateSubnet]] as const) {
    const id = `${side}_SUBNET_ID`;
    s.call('ec2', 'create-subnet', [['--vpc-id', '"$VPC_ID"'], ['--cidr-block', shellQuote(cidr ?? '')], ['--availability-zone', '"$ZONE"'], ['--tag-specifications', tags('subnet', `${instance.name}-${side.toLowerCase()}`)]], {name: id, query: 'Subnet.SubnetId'}, {
      undo: {what: `subnet ${variable(id)}`, how: `gone aws ec2 delete-subnet --subnet-id "$${id}"`},
    });
  }
  s.call('ec2', 'create-internet-gateway', [['--tag-specifications', tags('internet-gateway', `${instance.name}-igw`)]], {name: 'IGW_ID', query: 'InternetGateway.InternetGatewayId'}, {
    undo: {what: `internet gateway ${variable('IGW_ID')}`, how: 'aws ec2 delete-internet-gateway --internet-gateway-id "$IGW_ID"'},
  });
  s.call('ec2', 'attach-internet-gateway', [['--internet-gateway-id', '"$IGW_ID"'], ['--vpc-id', '"$VPC_ID"']], undefined, {
    undo: {what: `the attachment of ${variable('IGW_ID')} to ${variable('VPC_ID')}`, how: 'gone aws ec2 detach-internet-gateway --internet-gateway-id "$IGW_ID" --vpc-id "$VPC_ID"'},
  });
  s.comment('Only the public route table gets a default route to the internet gateway.');
  for (const side of ['PUBLIC', 'PRIVATE'] as const) {
    const table = `${side}_ROUTES_ID`;
    const association = `${side}_ASSOCIATION_ID`;
    s.call('ec2', 'create-route-table', [['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tags('route-table', `${instance.name}-${side.toLowerCase()}-routes`)]], {name: table, query: 'RouteTable.RouteTableId'}, {
      undo: {what: `route table ${variable(table)}`, how: `aws ec2 delete-route-table --route-table-id "$${table}"`},
    });
    if (side === 'PUBLIC') s.call('ec2', 'create-route', [['--route-table-id', '"$PUBLIC_ROUTES_ID"'], ['--destination-cidr-block', '0.0.0.0/0'], ['--gateway-id', '"$IGW_ID"']]);
    s.call('ec2', 'associate-route-table', [['--route-table-id', `"$${table}"`], ['--subnet-id', `"$${side}_SUBNET_ID"`]], {name: association, query: 'AssociationId'}, {
      undo: {what: `route table association ${variable(association)}`, how: `aws ec2 disassociate-route-table --association-id "$${association}"`},
    });
  }
  s.raw(`SUBNET_ID="$${network.subnet === 'private' ? 'PRIVATE' : 'PUBLIC'}_SUBNET_ID"`);
}

function existingNetworkSteps(s: Script, {network}: LaunchSpec) {
  s.section('Network', ...NETWORK_WHY);
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

/** A role with its instance profile, each step recorded so a failed run takes it back. */
function createRole(s: Script, spec: LaunchSpec, options: ExportOptions, roleName: string, profileName: string, policies: {inline?: {name: string; document: string}; managed?: string}) {
  const role = shellQuote(roleName);
  const profile = shellQuote(profileName);
  s.call('iam', 'create-role', [['--role-name', role], ['--assume-role-policy-document', shellQuote(trustPolicy())], ['--tags', json(tagList(spec, options, roleName))]], undefined, {
    undo: {what: `IAM role ${roleName}`, how: `aws iam delete-role --role-name ${role}`},
  });
  if (policies.inline) {
    const policy = shellQuote(policies.inline.name);
    s.call('iam', 'put-role-policy', [['--role-name', role], ['--policy-name', policy], ['--policy-document', shellQuote(policies.inline.document)]], undefined, {
      undo: {what: `inline policy ${policies.inline.name} of ${roleName}`, how: `aws iam delete-role-policy --role-name ${role} --policy-name ${policy}`},
    });
  }
  if (policies.managed) {
    if (policies.inline) s.comment(`session-manager (shared): the AWS managed policy ${SSM_POLICY_NAME} lets the SSM agent register and carry sessions.`);
    const arn = shellQuote(policies.managed);
    s.call('iam', 'attach-role-policy', [['--role-name', role], ['--policy-arn', arn]], undefined, {
      undo: {what: `${SSM_POLICY_NAME} on ${roleName}`, how: `aws iam detach-role-policy --role-name ${role} --policy-arn ${arn}`},
    });
  }
  s.call('iam', 'create-instance-profile', [['--instance-profile-name', profile], ['--tags', json(tagList(spec, options, profileName))]], undefined, {
    undo: {what: `instance profile ${profileName}`, how: `aws iam delete-instance-profile --instance-profile-name ${profile}`},
  });
  s.call('iam', 'add-role-to-instance-profile', [['--instance-profile-name', profile], ['--role-name', role]], undefined, {
    undo: {what: `${roleName} in instance profile ${profileName}`, how: `aws iam remove-role-from-instance-profile --instance-profile-name ${profile} --role-name ${role}`},
  });
  s.call('iam', 'wait', [['instance-profile-exists'], ['--instance-profile-name', profile]]);
}

function roleSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  const {role} = spec;
  if (role.mode !== 'create') return;
  const roleName = role.name || DEFAULT_ROLE_NAME;
  const access = role.access ?? 'read';
  s.section(
    'IAM role',
    'iam-instance-role (customer): only EC2 may assume the role, and it may use one bucket and nothing else',
    '(an inline policy with no "*" action or resource: Prowler iam_inline_policy_no_administrative_privileges).',
  );
  createRole(s, spec, options, roleName, instanceProfileName(spec) ?? roleName, {
    inline: {name: `tandem-s3-${access}`, document: bucketPolicy(role.bucket ?? '', access, spec.region)},
    managed: sessionManagerOn(spec) ? ssmPolicyArn(spec.region) : undefined,
  });
}

function sessionRoleSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  if (!needsSessionRole(spec)) return;
  const roleName = sessionRoleName(spec);
  s.section(
    'IAM role for Session Manager',
    `session-manager (shared): AWS runs the service and its agent; this role holds only ${SSM_POLICY_NAME},`,
    'and who may start a session (ssm:StartSession) is decided in IAM, by you.',
  );
  createRole(s, spec, options, roleName, roleName, {managed: ssmPolicyArn(spec.region)});
}

function endpointSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  if (!needsSsmEndpoints(spec)) return;
  const group = endpointGroupName(spec);
  s.section(
    'Session Manager endpoints',
    'session-manager (shared): the private subnet has no way out, so the agent reaches ssm, ssmmessages and',
    'ec2messages through interface endpoints (private DNS on; billed per endpoint-hour) behind HTTPS from the VPC only.',
  );
  s.call('ec2', 'create-security-group', [['--group-name', shellQuote(group)], ['--description', shellQuote(ENDPOINT_GROUP_DESCRIPTION)], ['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'security-group', name: group}])]], {name: 'ENDPOINT_GROUP_ID', query: 'GroupId'}, {
    undo: {what: `security group ${variable('ENDPOINT_GROUP_ID')}`, how: 'gone aws ec2 delete-security-group --group-id "$ENDPOINT_GROUP_ID"'},
  });
  s.call('ec2', 'authorize-security-group-ingress', [['--group-id', '"$ENDPOINT_GROUP_ID"'], ['--ip-permissions', json([{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{CidrIp: newVpcCidrs(spec.network).vpc, Description: ENDPOINT_RULE_DESCRIPTION}]}])]]);
  for (const service of SSM_ENDPOINT_SERVICES) {
    const id = `${service.toUpperCase()}_ENDPOINT_ID`;
    s.call(
      'ec2',
      'create-vpc-endpoint',
      [
        ['--vpc-endpoint-type', 'Interface'],
        ['--vpc-id', '"$VPC_ID"'],
        ['--service-name', `"com.amazonaws.$REGION.${service}"`],
        ['--subnet-ids', '"$SUBNET_ID"'],
        ['--security-group-ids', '"$ENDPOINT_GROUP_ID"'],
        ['--private-dns-enabled'],
        ['--tag-specifications', tagSpecs(spec, options, [{type: 'vpc-endpoint', name: `${spec.instance.name}-${service}`}])],
      ],
      {name: id, query: 'VpcEndpoint.VpcEndpointId'},
      {undo: {what: `${service} endpoint ${variable(id)}`, how: `aws ec2 delete-vpc-endpoints --vpc-endpoint-ids "$${id}"`}},
    );
  }
}

/** The key for the root volume; true when the script captured its ARN in KEY_ARN. */
function kmsSteps(s: Script, spec: LaunchSpec, options: ExportOptions): boolean {
  const {storage, instance} = spec;
  if (storage.encrypted && storage.kmsKey === 'new') {
    const alias = shellQuote(kmsAliasOf(spec));
    s.section('KMS key', 'kms-key (shared): AWS runs KMS; you own this key, its policy and its rotation (Security Hub KMS.4).');
    s.call('kms', 'create-key', [['--description', shellQuote(`EBS encryption key for ${instance.name}, created by tandem`)], ['--tags', json(tagList(spec, options, `${instance.name}-ebs`, ['TagKey', 'TagValue']))]], {name: 'KEY_ID', query: 'KeyMetadata.KeyId'}, {
      // KMS keys are never deleted at once: the shortest wait is 7 days, and cancel-key-deletion undoes it.
      undo: {what: `KMS key ${variable('KEY_ID')} (deletion scheduled in 7 days)`, how: 'aws kms schedule-key-deletion --key-id "$KEY_ID" --pending-window-in-days 7'},
    });
    s.call('kms', 'create-alias', [['--alias-name', alias], ['--target-key-id', '"$KEY_ID"']], undefined, {
      undo: {what: `KMS alias ${kmsAliasOf(spec)}`, how: `aws kms delete-alias --alias-name ${alias}`},
    });
    s.call('kms', 'enable-key-rotation', [['--key-id', '"$KEY_ID"']]);
    s.call('kms', 'describe-key', [['--key-id', '"$KEY_ID"']], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
    return true;
  }
  if (storage.encrypted && storage.kmsKey !== 'aws/ebs' && storage.kmsKey !== 'alias/aws/ebs') {
    s.section('KMS key', 'kms-key (shared): resolving the key first fails fast on a missing or disabled key.');
    s.call('kms', 'describe-key', [['--key-id', shellQuote(storage.kmsKey)]], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
    return true;
  }
  return false;
}

function groupSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  const {securityGroup, instance} = spec;
  s.section(
    'Security group',
    'security-group-rules (shared, hybrid): AWS enforces the stateful filter and denies inbound by default;',
    'you write every rule. These are exactly the reviewed rules (Security Hub EC2.13, EC2.18, EC2.19).',
  );
  if (securityGroup.mode !== 'create') {
    s.raw(`GROUP_ID=${shellQuote(securityGroup.groupId ?? '')}`);
    return;
  }
  s.call(
    'ec2',
    'create-security-group',
    [['--group-name', shellQuote(securityGroup.name)], ['--description', shellQuote(`Web server ${instance.name}, managed by tandem`.replace(/[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, '-'))], ['--vpc-id', '"$VPC_ID"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'security-group', name: securityGroup.name}])]],
    {name: 'GROUP_ID', query: 'GroupId'},
    {undo: {what: `security group ${variable('GROUP_ID')}`, how: 'gone aws ec2 delete-security-group --group-id "$GROUP_ID"'}},
  );
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
}

function keyPairSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  const {keyPair} = spec;
  if (keyPair.mode === 'existing') s.raw('', `KEY_NAME=${shellQuote(keyPair.name ?? '')}`);
  if (keyPair.mode !== 'create' && keyPair.mode !== 'import') return;
  const name = keyPairName(spec);
  const undo = {what: `key pair ${name}`, how: `delete_own_key_pair ${shellQuote(name)}`};
  s.section('Key pair', 'key-pair (shared): AWS stores the public key and places it on the instance; you guard the private key.');
  if (keyPair.mode === 'create') {
    s.comment('The private key exists only in this response: write it owner-only (umask 077) into a file this run');
    s.comment('makes (noclobber: never over an existing file), and never print it.');
    s.raw(
      'mkdir -p "$(dirname "$KEY_PATH")"',
      '(umask 077 && set -o noclobber && : > "$KEY_PATH")',
      'made "the private key file $KEY_PATH" \'rm -f "$KEY_PATH"\'',
      `if ! aws ec2 create-key-pair --key-name ${shellQuote(name)} --key-type ${keyPair.type ?? 'ed25519'} --key-format pem \\`,
      `    --tag-specifications ${tagSpecs(spec, options, [{type: 'key-pair', name}])} \\`,
      '    --query KeyMaterial --output text >> "$KEY_PATH"; then',
      '  # The key pair may exist with its private key lost: delete it, but only if this run made it.',
      `  delete_own_key_pair ${shellQuote(name)} 2>/dev/null || true`,
      `  echo ${shellQuote(`could not create the key pair ${name} and save its private key`)}" in $KEY_PATH" >&2`,
      '  exit 1',
      'fi',
    );
    s.made(undo);
  } else {
    s.call('ec2', 'import-key-pair', [['--key-name', shellQuote(name)], ['--public-key-material', 'fileb://"$KEY_PATH"'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'key-pair', name}])]], undefined, {undo});
  }
  s.raw(`KEY_NAME=${shellQuote(name)}`);
}

function hostSteps(s: Script, spec: LaunchSpec, options: ExportOptions) {
  const {instance} = spec;
  if (instance.tenancy !== 'host') return;
  s.section('Dedicated host', "tenancy (shared): AWS supplies single-tenant hardware; only instances that name this host land on it.");
  s.call('ec2', 'describe-subnets', [['--subnet-ids', '"$SUBNET_ID"']], {name: 'HOST_ZONE', query: 'Subnets[0].AvailabilityZone'});
  s.call('ec2', 'allocate-hosts', [['--instance-type', shellQuote(instance.type)], ['--availability-zone', '"$HOST_ZONE"'], ['--quantity', '1'], ['--auto-placement', 'off'], ['--tag-specifications', tagSpecs(spec, options, [{type: 'dedicated-host', name: `${instance.name}-host`}])]], {name: 'HOST_ID', query: 'HostIds[0]'}, {
    undo: {what: `dedicated host ${variable('HOST_ID')}`, how: 'aws ec2 release-hosts --host-ids "$HOST_ID"'},
  });
}

function instanceSteps(s: Script, spec: LaunchSpec, options: ExportOptions, keyArn: boolean) {
  const {instance, network, role, storage, keyPair} = spec;
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
  const profileName = instanceProfileName(spec);
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
  const undo = {what: `instance ${variable('INSTANCE_ID')}`, how: 'aws ec2 terminate-instances --instance-ids "$INSTANCE_ID" >/dev/null && aws ec2 wait instance-terminated --instance-ids "$INSTANCE_ID"'};
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
    );
    s.made(undo);
    s.raw('echo "INSTANCE_ID=$INSTANCE_ID" >&2');
  } else {
    s.call('ec2', 'run-instances', args, {name: 'INSTANCE_ID', query: 'Instances[0].InstanceId'}, {undo});
  }
  s.call('ec2', 'wait', [['instance-running'], ['--instance-ids', '"$INSTANCE_ID"']]);

  s.section('Check', 'What AWS reports back for the controls above.');
  s.call('ec2', 'describe-instances', [['--instance-ids', '"$INSTANCE_ID"'], ['--query', shellQuote('Reservations[0].Instances[0].{Type:InstanceType,Tenancy:Placement.Tenancy,HttpTokens:MetadataOptions.HttpTokens,Profile:IamInstanceProfile.Arn,PublicIp:PublicIpAddress,Groups:SecurityGroups[].GroupId}')], ['--output', 'table']], undefined, {show: true});
  s.call('ec2', 'describe-volumes', [['--filters', 'Name=attachment.instance-id,Values="$INSTANCE_ID"'], ['--query', shellQuote('Volumes[].{Volume:VolumeId,Encrypted:Encrypted,Key:KmsKeyId}')], ['--output', 'table']], undefined, {show: true});
  // A stop noted during the last call still counts: the run removes what it made.
  s.raw('', 'if [ -n "$STOP" ]; then exit "$STOP"; fi', 'echo "launched $INSTANCE_ID (launch id $LAUNCH_ID)" >&2');
  if (sessionManagerOn(spec)) s.raw('echo "shell: aws ssm start-session --target $INSTANCE_ID --region $REGION" >&2');
}
