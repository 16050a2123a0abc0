// The spec as label/value lines a person reads top to bottom (the review's "Your launch").
import {sshSourceText} from '../../domain/my-address.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {backupOf} from '../../domain/controls/backups.js';
import {FLOW_LOG_RETENTION_DAYS, flowLogGroupName, flowLogsOn} from '../../domain/controls/flow-logs.js';
import {detailedMonitoringOn, monitoringMonthly} from '../../domain/controls/monitoring.js';
import {loadBalancerSummary} from '../../domain/controls/load-balancer.js';
import {keyDescription} from '../../domain/controls/storage.js';
import {instanceConnectChosen, needsSessionRole, sessionManagerOn, SSM_POLICY_NAME} from '../../domain/controls/ways-in.js';
import {chainedFirewall, INSTANCE_CONNECT_SOURCE, sessionRoleText, wayInText} from '../../domain/report-summary.js';

const IMAGE_NAMES: Record<LaunchSpec['instance']['image'], string> = {al2023: 'Amazon Linux 2023', al2: 'Amazon Linux 2', ami: 'AMI'};

/** The root volume's backups as chosen: the first snapshot, then the plan. */
function backupText(spec: LaunchSpec): string {
  const {plan, retentionDays, firstSnapshot} = backupOf(spec);
  const planText = plan ? `a daily AWS Backup plan, each backup kept ${retentionDays} day(s)` : 'no backup plan';
  return `${firstSnapshot ? 'a first snapshot at launch' : 'no first snapshot'}, ${planText}`;
}

/** The spec as label/value lines a person reads top to bottom. */
export function specLines(spec: LaunchSpec): Array<[string, string]> {
  const {instance, network, role, storage, securityGroup: sg, keyPair} = spec;
  const image = instance.image === 'ami' ? `AMI ${instance.amiId ?? '(none)'}` : IMAGE_NAMES[instance.image];
  const vpc = network.vpc === 'default' ? 'default VPC' : network.vpc === 'new' ? `new VPC ${network.cidr ?? ''}`.trim() : `VPC ${network.vpc}`;
  const subnet = network.vpc === 'new' ? `${network.subnet} subnet` : network.subnet === 'default' ? 'a default subnet' : `subnet ${network.subnet}`;
  const roleText =
    role.mode === 'none'
      ? needsSessionRole(spec)
        ? sessionRoleText(spec)
        : 'none'
      : role.mode === 'create'
        ? `create ${role.name ?? 'EC2AccessToS3Role'} (${role.access ?? 'read'} on bucket ${role.bucket ?? '?'}${sessionManagerOn(spec) ? `, plus ${SSM_POLICY_NAME}` : ''})`
        : `existing ${role.name ?? ''}`;
  const keyName = keyDescription(storage);
  const key = keyName === undefined ? 'NOT encrypted' : `encrypted with ${keyName}`;
  const rules =
    sg.mode === 'existing'
      ? `existing ${sg.groupId ?? ''}`
      : [
          sg.http ? `HTTP from ${sg.http}` : undefined,
          sg.https ? `HTTPS from ${sg.https}` : undefined,
          sg.ssh === false ? (instanceConnectChosen(spec) ? undefined : 'no SSH') : `SSH from ${sshSourceText(sg.ssh) || '?'}`,
          instanceConnectChosen(spec) ? INSTANCE_CONNECT_SOURCE : undefined,
        ]
          .filter(Boolean)
          .join(', ');
  // Behind a load balancer the firewall is two chained groups, said as the summary says them.
  const chained = chainedFirewall(spec);
  const balancer = loadBalancerSummary(spec);
  const keyText =
    keyPair.mode === 'none'
      ? 'none'
      : keyPair.mode === 'create'
        ? `create ${keyPair.name} (${keyPair.type ?? 'ed25519'}), private key to ${keyPair.path}`
        : keyPair.mode === 'import'
          ? `import ${keyPair.path} as ${keyPair.name}`
          : `existing ${keyPair.name ?? ''}`;
  return [
    ['region', spec.region],
    ['image', `${image}, ${instance.arch}`],
    ['instance', `${instance.name}, ${instance.type}, tenancy ${instance.tenancy}`],
    ['metrics', detailedMonitoringOn(spec) ? `detailed monitoring, every minute, ${monitoringMonthly()}` : 'basic monitoring, every 5 minutes (free)'],
    ['network', `${vpc}, ${subnet}, ${network.publicIp ? 'public IPv4' : 'no public IPv4'}`],
    ['flow logs', flowLogsOn(spec) ? `all traffic to ${flowLogGroupName(spec)}, kept ${FLOW_LOG_RETENTION_DAYS} days` : 'off'],
    ['role', roleText],
    ['storage', `${storage.sizeGiB} GiB ${storage.type}, ${key}`],
    ['backups', backupText(spec)],
    ['firewall', chained ?? `${sg.mode === 'create' ? `create ${sg.name}: ` : ''}${rules}`],
    ...(balancer ? [['balancer', balancer] as [string, string]] : []),
    ['key pair', keyText],
    ['way in', wayInText(spec)],
    ['metadata', `${instance.imds === 'required' ? 'IMDSv2 required' : 'IMDSv1 allowed'}, hop limit ${instance.hopLimit}`],
  ];
}
