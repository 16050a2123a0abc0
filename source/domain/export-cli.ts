// A bash script of AWS CLI calls that performs the same launch as tandem: a rendering of the plan
// (docs/design.md section 2), one call at a time, each step as the command it stands for
// (export-cli-steps.ts), grouped in sections that name the control they serve: for people who
// want to see (or adapt) every call. Ids are captured with --query/--output text. Every value
// from the profile is shell-quoted; only ids the script captured itself are interpolated.
import {FLOW_LOG_RETENTION_DAYS} from './controls/flow-logs.js';
import {CHECKIP_SERVICE, SSH_ME} from './my-address.js';
import {maskOf} from './cidr.js';
import {SPECIAL_BLOCKS, specialRangeText} from './special-addresses.js';
import {LAUNCH_ID_TAG} from './plan-tags.js';
import {buildPlan} from './plan.js';
import {sessionManagerOn, SSM_POLICY_NAME} from './controls/ways-in.js';
import {Script, shellQuote, word} from './export-cli-script.js';
import {CLI_RENDERERS as STEP_RENDERERS, associate, routeTable, tagSpecsJson, variableOf, type CliContext} from './export-cli-steps.js';
import {renderReport, renderRunInstances} from './export-cli-instance.js';
import {PlanIndex, lastPart, list, params, specTags, text} from './export-render.js';
import type {Plan, PlanStep} from './plan-types.js';
import type {LaunchSpec} from './spec.js';
import {LOAD_BALANCER_CLI} from './export-cli-load-balancer.js';

/** Every kind of step's CLI rendering: the plan's own, and the load balancer's. */
const CLI_RENDERERS = {...STEP_RENDERERS, ...LOAD_BALANCER_CLI};
import type {ExportOptions} from './export-cloudformation.js';

export {shellQuote};

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
  'made() { MADE+=("$1"$\'\\t\'"$2"); }',
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
  "# Deletes key pair $1 only if it carries this run's launch id: one of the same name made by anyone else stays.",
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
  '      echo "  could not remove $what${errors:+: ${errors##*$\'\\n\'}}" >&2',
  '    fi',
  '  done',
  '  if [ ${#left[@]} -eq 0 ]; then',
  '    echo "nothing this run made remains" >&2',
  '  else',
  '    echo "still there from this run (remove it with the AWS CLI; it carries launch id $LAUNCH_ID):" >&2',
  '    printf \'  %s\\n\' "${left[@]}" >&2',
  '  fi',
  '  exit "$code"',
  '}',
  'trap undo EXIT',
  "trap 'STOP=130' INT",
  "trap 'STOP=143' TERM",
  "trap 'STOP=129' HUP",
];
/**
 * A bash function `special_range ADDRESS` that prints which non-global IPv4 range ADDRESS is in
 * (tandem's own table of special-purpose ranges, most specific first) and succeeds, or fails for
 * a global address: the script refuses the same `ssh: me` answers tandem refuses. An octet over
 * 255 is not an address at all.
 */
export function specialRangeCheck(): string[] {
  const tests = SPECIAL_BLOCKS.filter(([cidr]) => cidr.version === 4).map(
    ([cidr, entry]) => `  if (( (ip & ${maskOf(4, cidr.prefix)}) == ${cidr.network} )); then echo ${shellQuote(specialRangeText(entry))}; return 0; fi`,
  );
  return [
    'special_range() {',
    '  local a b c d octet ip',
    '  IFS=. read -r a b c d <<<"$1"',
    '  for octet in "$a" "$b" "$c" "$d"; do',
    '    if [[ ! "$octet" =~ ^[0-9]{1,3}$ ]] || (( 10#$octet > 255 )); then echo \'not an IPv4 address\'; return 0; fi',
    '  done',
    '  ip=$(( (10#$a << 24) | (10#$b << 16) | (10#$c << 8) | 10#$d ))',
    ...tests,
    '  return 1',
    '}',
  ];
}

/** Where the private key goes (create) or the public key comes from (import). */
function keyPathLine(keyPath: string): string {
  return `KEY_PATH=${keyPath.startsWith('~/') ? `"$HOME"/${shellQuote(keyPath.slice(2))}` : shellQuote(keyPath)}`;
}

/** The names the plan's create steps would take: each must be free before anything is created. */
function nameChecks(cli: CliContext): string[] {
  const lines: string[] = [];
  const found = (what: string, command: string) => lines.push(`found ${word(what)} ${command}`);
  for (const step of cli.plan.ofAction('CreateKeyPair', 'ImportKeyPair')) {
    const name = text(step.params.KeyName);
    lines.push(keyPathLine(step.keyFile ?? ''));
    if (step.action === 'CreateKeyPair') lines.push('if [ -e "$KEY_PATH" ]; then TAKEN+=("the private key file $KEY_PATH"); fi');
    found(`key pair ${name}`, `aws ec2 describe-key-pairs --key-names ${shellQuote(name)}`);
  }
  for (const step of cli.plan.ofAction('CreateRole')) found(`IAM role ${text(step.params.RoleName)}`, `aws iam get-role --role-name ${shellQuote(text(step.params.RoleName))}`);
  for (const step of cli.plan.ofAction('CreateInstanceProfile')) {
    const name = text(step.params.InstanceProfileName);
    found(`instance profile ${name}`, `aws iam get-instance-profile --instance-profile-name ${shellQuote(name)}`);
  }
  // Load balancer and target group names are unique per account and region.
  for (const step of cli.plan.ofAction('CreateLoadBalancer'))
    found(`load balancer ${text(step.params.Name)}`, `aws elbv2 describe-load-balancers --names ${shellQuote(text(step.params.Name))}`);
  for (const step of cli.plan.ofAction('CreateTargetGroup'))
    found(`target group ${text(step.params.Name)}`, `aws elbv2 describe-target-groups --names ${shellQuote(text(step.params.Name))}`);
  for (const step of cli.plan.ofAction('CreateAlias')) found(`KMS alias ${text(step.params.AliasName)}`, `aws kms describe-key --key-id ${shellQuote(text(step.params.AliasName))}`);
  // A group name is taken only in a VPC that exists already; a new VPC has no groups yet.
  for (const step of cli.plan.ofAction('CreateSecurityGroup').filter((group) => cli.plan.target(group.params.VpcId)?.action.startsWith('Describe'))) {
    const name = text(step.params.GroupName);
    const query = `SecurityGroups[?GroupName=='${name.replace(/'/g, "\\'")}'].GroupId | [0]`;
    lines.push(
      `if [ "$(aws ec2 describe-security-groups --filters Name=vpc-id,Values="$VPC_ID" --query ${shellQuote(query)} --output text)" != None ]; then`,
      `  TAKEN+=(${word(`security group ${name}`)}" in $VPC_ID")`,
      'fi',
    );
  }
  return lines;
}

/**
 * Every lookup that can stop the launch, and every name it would create, before anything is
 * created: a second run of the same script (or a name another launch holds) stops here with
 * nothing made and nothing deleted.
 */
function checkSteps(cli: CliContext) {
  const {s} = cli;
  s.section('Before creating anything', 'Names this run would create must be free: a second run of this script stops here, having changed nothing.');
  s.raw(
    'TAKEN=()',
    '# found WHAT COMMAND...: WHAT is taken when COMMAND finds it; "not found" means free, any other answer stops the run.',
    'found() {',
    '  local errors',
    '  if errors=$("${@:2}" 2>&1 >/dev/null); then TAKEN+=("$1"); return 0; fi',
    '  case "$errors" in *NoSuchEntity*|*NotFound*) return 0 ;; esac',
    '  echo "could not check whether $1 exists: ${errors##*$\'\\n\'}" >&2',
    '  exit 1',
    '}',
    ...nameChecks(cli),
    'if [ ${#TAKEN[@]} -gt 0 ]; then',
    '  echo "stopped before creating anything: these exist already in $REGION or on this machine:" >&2',
    '  printf \'  %s\\n\' "${TAKEN[@]}" >&2',
    '  echo "an earlier run of this script (or another launch) made them; remove them first, or choose other names in the profile and export again." >&2',
    '  echo "nothing was created and nothing was deleted." >&2',
    '  exit 1',
    'fi',
  );
  addressSteps(cli);
}

/** True when an ingress rule of the plan says `ssh: me`. */
function wantsMyAddress(cli: CliContext): boolean {
  return cli.plan
    .ofAction('AuthorizeSecurityGroupIngress')
    .flatMap((step) => list(step.params.IpPermissions))
    .some((permission) => list(params(permission).IpRanges).some((range) => params(range).CidrIp === SSH_ME));
}

/** The address for `ssh: me` and the region's Instance Connect prefix list: lookups that can stop the run. */
function addressSteps(cli: CliContext) {
  const {s} = cli;
  if (wantsMyAddress(cli)) {
    s.comment("The profile says ssh: me: SSH only from your public address, as AWS's checkip service sees it.");
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
  if (cli.plan.first('DescribeManagedPrefixLists')) {
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

/** The script's sections, in the order it runs them; each plan step belongs to one. */
type Group =
  | 'image'
  | 'network-lookup'
  | 'check'
  | 'network'
  | 'flow-logs'
  | 'role'
  | 'endpoints'
  | 'kms'
  | 'lb-group'
  | 'security-group'
  | 'vpc-guard'
  | 'key-pair'
  | 'host'
  | 'instance'
  | 'load-balancer'
  | 'backup';
const GROUPS: readonly Group[] = [
  'image',
  'network-lookup',
  'check',
  'network',
  'flow-logs',
  'role',
  'endpoints',
  'kms',
  // The load balancer's group before the instance's, whose web rule names it.
  'lb-group',
  'security-group',
  'vpc-guard',
  'key-pair',
  'host',
  'instance',
  // The load balancer after the instance, which its target group registers.
  'load-balancer',
  'backup',
];

function groupOf(step: PlanStep): Group {
  // Backups come last: the first snapshot needs the running instance's volume.
  if (step.controls[0] === 'volume-backup') return 'backup';
  // The group, its role and the flow log go together, once the VPC is known.
  if (step.controls[0] === 'vpc-flow-logs') return 'flow-logs';
  if (step.controls[0] === 'chained-groups') return 'lb-group';
  // A requested certificate is waited for just before the listeners that use it.
  if (step.service === 'elbv2' || step.service === 'acm' || step.service === 'route53') return 'load-balancer';
  if (step.service === 'ssm' || step.action === 'DescribeImages') return 'image';
  if (step.service === 'iam') return 'role';
  if (step.service === 'kms') return 'kms';
  if (step.action === 'DescribeManagedPrefixLists') return 'check';
  if (step.controls.includes('session-manager')) return 'endpoints';
  if (step.action.endsWith('KeyPair')) return 'key-pair';
  if (step.action === 'AllocateHosts') return 'host';
  if (step.action === 'RunInstances' || step.action === 'WaitUntilInstanceRunning') return 'instance';
  if (step.controls[0] === 'security-group-rules') return 'security-group';
  // The new VPC's own group and list are found once the VPC exists, so they are not lookups.
  if (step.controls[0] === 'default-security-group' || step.controls[0] === 'network-acl') return 'vpc-guard';
  // Lookups of an existing network come before the checks, which need the VPC's id.
  return step.action.startsWith('Describe') ? 'network-lookup' : 'network';
}

const NETWORK_WHY = [
  'vpc-isolation (AWS, inherited): the VPC keeps this workload apart from other accounts.',
  'subnet-routing (customer, hybrid): you decide which subnet reaches the internet.',
];

/** Each section's title and why, from the steps in it. */
function sectionOf(group: Group, steps: PlanStep[]): string[] | undefined {
  const sessionRole = steps.some((step) => step.action === 'CreateRole' && step.controls.includes('session-manager'));
  const sections: Partial<Record<Group, string[]>> = {
    image: ['Image', 'ami-provenance (shared): AWS builds and publishes the image; you choose a current one and patch it.'],
    'network-lookup': ['Network', ...NETWORK_WHY],
    network: ['Network', ...NETWORK_WHY],
    role: sessionRole
      ? [
          'IAM role for Session Manager',
          `session-manager (shared): AWS runs the service and its agent; this role holds only ${SSM_POLICY_NAME},`,
          'and who may start a session (ssm:StartSession) is decided in IAM, by you.',
        ]
      : [
          'IAM role',
          'iam-instance-role (customer): only EC2 may assume the role, and it may use one bucket and nothing else',
          '(an inline policy with no "*" action or resource: Prowler iam_inline_policy_no_administrative_privileges).',
        ],
    'flow-logs': [
      'VPC flow logs',
      `vpc-flow-logs (shared): AWS records the VPC's traffic and delivers it; you keep and read it. Kept ${FLOW_LOG_RETENTION_DAYS} days;`,
      "only this account's flow logs may assume the role, which may only write to this one log group.",
    ],
    endpoints: [
      'Session Manager endpoints',
      'session-manager (shared): the private subnet has no way out, so the agent reaches ssm, ssmmessages and',
      'ec2messages through interface endpoints (private DNS on; billed per endpoint-hour) behind HTTPS from the VPC only.',
    ],
    kms: steps.some((step) => step.action === 'CreateKey')
      ? ['KMS key', 'kms-key (shared): AWS runs KMS; you own this key, its policy and its rotation (Security Hub KMS.4).']
      : ['KMS key', 'kms-key (shared): resolving the key first fails fast on a missing or disabled key.'],
    'security-group': [
      'Security group',
      'security-group-rules (shared, hybrid): AWS enforces the stateful filter and denies inbound by default;',
      'you write every rule. These are exactly the reviewed rules (Security Hub EC2.13, EC2.18, EC2.19).',
    ],
    'vpc-guard': [
      "The new VPC's default security group and network ACL",
      'default-security-group (customer, hybrid): nothing should use it, so its rules go (Security Hub EC2.2).',
      'network-acl (shared, hybrid): the list admits only the web ports, SSH as reviewed and replies (Prowler ec2_networkacl_*).',
    ],
    'lb-group': [
      "The load balancer's security group",
      "chained-groups (shared, hybrid): the web ports from the world reach the load balancer's group; the instance's",
      'group admits its web port from this group alone (a group reference, no address range).',
    ],
    'load-balancer': ['Load balancer', 'load-balancer (shared): AWS runs, scales and patches it; you own its listeners, TLS policy and attributes.'],
    'key-pair': ['Key pair', 'key-pair (shared): AWS stores the public key and places it on the instance; you guard the private key.'],
    host: ['Dedicated host', 'tenancy (shared): AWS supplies single-tenant hardware; only instances that name this host land on it.'],
    backup: [
      'Backups of the root volume',
      'volume-backup (shared, hybrid): AWS runs AWS Backup and keeps what it copies; you choose what is backed up,',
      'how often and how long (Security Hub EC2.28; Prowler ec2_ebs_volume_protected_by_backup_plan, ec2_ebs_volume_snapshots_exists).',
    ],
    instance: [
      'Instance',
      'instance-type (customer), tenancy (shared), ebs-encryption (shared; Security Hub EC2.3),',
      'imds-v2 (shared, hybrid; Security Hub EC2.8), public-ip (customer, hybrid; Security Hub EC2.9).',
    ],
  };
  return sections[group];
}

/**
 * After the network: every subnet the script made gets a route table of its own (the private
 * one holds only the VPC's local route), and SUBNET_ID names the instance's subnet.
 */
function finishNetwork(cli: CliContext): void {
  for (const subnet of cli.plan.subnetsWithoutRouteTable()) {
    const table = `${lastPart(subnet.id).toUpperCase()}_ROUTES_ID`;
    routeTable(cli, table, subnet.params.VpcId, tagSpecsJson(cli, [{ResourceType: 'route-table', Tags: specTags(subnet)}]));
    associate(cli, table, variableOf(cli, {ref: subnet.id, output: 'Subnet.SubnetId'}));
  }
  const run = cli.plan.first('RunInstances');
  const chosen = cli.plan.target(params(list(run?.params.NetworkInterfaces)[0]).SubnetId);
  if (chosen?.action === 'CreateSubnet') {
    cli.s.raw(`SUBNET_ID="$${variableOf(cli, {ref: chosen.id, output: 'Subnet.SubnetId'})}"`);
    cli.aliases.set(chosen.id, 'SUBNET_ID');
  }
}

/** After the key steps: the ARN the volume names, and a note when the group admits nothing. */
function finishGroup(cli: CliContext, group: Group, steps: PlanStep[]): void {
  if (group === 'network') finishNetwork(cli);
  if (group === 'kms' && steps.some((step) => step.action === 'CreateKey')) cli.s.call('kms', 'describe-key', [['--key-id', '"$KEY_ID"']], {name: 'KEY_ARN', query: 'KeyMetadata.Arn'});
  if (group === 'security-group' && !steps.some((step) => step.action === 'AuthorizeSecurityGroupIngress')) cli.s.comment('No inbound rules: the group denies all inbound traffic.');
}

function renderGroup(cli: CliContext, group: Group, steps: PlanStep[]): void {
  if (group === 'check') {
    checkSteps(cli);
    return;
  }
  if (steps.length === 0) return;
  const [title, ...why] = sectionOf(group, steps) ?? [group];
  cli.s.section(title, ...why);
  for (const step of steps) {
    if (step.action === 'RunInstances') renderRunInstances(step, cli);
    else CLI_RENDERERS[step.action]?.(step, cli);
  }
  finishGroup(cli, group, steps);
}

function header(s: Script, spec: LaunchSpec, options: ExportOptions): void {
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
}

/** The launch as a bash script of AWS CLI calls: the plan's steps, section by section. */
export function cliScript(spec: LaunchSpec, options: ExportOptions, plan: Plan = buildPlan(spec)): string {
  const s = new Script();
  header(s, spec, options);
  const cli: CliContext = {s, plan: new PlanIndex(plan), region: spec.region, profile: options.profile, aliases: new Map()};
  for (const group of GROUPS)
    renderGroup(
      cli,
      group,
      plan.steps.filter((step) => groupOf(step) === group),
    );
  renderReport(cli, sessionManagerOn(spec));
  return `${s.lines.join('\n')}\n`;
}
