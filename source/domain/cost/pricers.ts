// One pricing function per kind of resource a plan step creates (docs/cost.md), registered in one
// list the way the control modules are: a new kind of resource (a NAT gateway, say) is
// one function and one line in PRICERS. A kind in neither PRICERS nor FREE_KINDS is not silently
// free: its step gets a line "not priced by tandem" and the total says it is partial.
//
// The pricers read the plan, which is data (docs/design.md section 2): each reads its own step's SDK
// input (RunInstances' InstanceType, CreateVpcEndpoint's SubnetIds), never the launch spec.
import {DETAILED_METRICS} from '../controls/monitoring.js';
import {PLAN_STEP} from '../plan-ids.js';
import type {ParamValue, Plan, PlanStep, ResourceKind} from '../plan-types.js';
import {HOURS_PER_MONTH, type PriceQuery, type UsageItem} from './types.js';

export interface PricingContext {
  region: string;
  plan: Plan;
}

export interface Pricer {
  /** The kinds of resource whose creating steps this function prices. */
  kinds: readonly ResourceKind[];
  usage(step: PlanStep, context: PricingContext): UsageItem[];
}

/** Kinds AWS does not charge for by themselves (their traffic, if any, is priced elsewhere or noted). */
export const FREE_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'vpc',
  'subnet',
  'internet-gateway',
  'route-table',
  'iam-role',
  'iam-instance-profile',
  'kms-alias',
  'security-group',
  'key-pair',
  'backup-vault',
  'backup-selection',
  'log-group',
  // An Application Load Balancer's target groups and listeners have no charge of their own: the
  // load balancer's hours and LCUs (priced below) are the whole bill.
  'target-group',
  'listener',
]);

/** Load balancer capacity units assumed on average: one web server's traffic stays within one. */
export const LCU_ASSUMED = 1;

/** Gigabytes of flow records assumed ingested a month: a quiet web server's VPC. */
export const FLOW_LOG_GB_ASSUMED = 1;

// ---------------------------------------------------------------------------------------------
// Reading a step's SDK input, which is typed as any parameter value

type Params = {[key: string]: ParamValue};
const record = (value: ParamValue | undefined): Params => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Params) : {});
const list = (value: ParamValue | undefined): ParamValue[] => (Array.isArray(value) ? value : []);
const text = (value: ParamValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: ParamValue | undefined): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** A query for a product of the launch's region. */
function query(context: PricingContext, serviceCode: string, unit: string, filters: Record<string, string>, usagetypeSuffix?: string): PriceQuery {
  return {
    serviceCode,
    unit,
    filters: [{field: 'regionCode', value: context.region}, ...Object.entries(filters).map(([field, value]) => ({field, value}))],
    ...(usagetypeSuffix ? {usagetypeSuffix} : {}),
  };
}

/** The root volume RunInstances asks for (its size, type and IOPS), from the plan. */
export function rootVolumeOf(plan: Plan): {sizeGiB: number; type: string; iops?: number} | undefined {
  const run = plan.steps.find((step) => step.id === PLAN_STEP.runInstances);
  const ebs = record(record(list(run?.params.BlockDeviceMappings)[0]).Ebs);
  const sizeGiB = count(ebs.VolumeSize);
  const type = text(ebs.VolumeType) ?? 'gp2';
  const iops = count(ebs.Iops);
  return sizeGiB === undefined ? undefined : {sizeGiB, type, ...(iops === undefined ? {} : {iops})};
}

// ---------------------------------------------------------------------------------------------
// The pricers

/** The instance's hours (unless a dedicated host carries it), its root volume, public IPv4 and metrics. */
function instanceUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  const {params} = step;
  const type = text(params.InstanceType) ?? '?';
  const tenancy = text(record(params.Placement).Tenancy) ?? 'default';
  const items: UsageItem[] = [];
  if (tenancy !== 'host') {
    const listed = tenancy === 'dedicated' ? 'Dedicated' : 'Shared';
    items.push({
      stepId: step.id,
      resource: `instance ${type} (Linux, ${tenancy === 'dedicated' ? 'dedicated' : 'shared'} tenancy)`,
      usage: HOURS_PER_MONTH,
      unit: 'hour',
      query: query(context, 'AmazonEC2', 'Hrs', {
        productFamily: 'Compute Instance',
        instanceType: type,
        tenancy: listed,
        operatingSystem: 'Linux',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        licenseModel: 'No License required',
      }),
    });
  }
  if (tenancy === 'dedicated') {
    // AWS adds a fee per region for every hour any dedicated instance of the account runs there,
    // however many run. The price list has it as a product of its own: family Fee, group
    // "EC2-Dedicated Usage", usagetype <region prefix>-DedicatedUsage (docs/cost.md).
    items.push({
      stepId: step.id,
      resource: 'dedicated instances, fee per region',
      usage: HOURS_PER_MONTH,
      unit: 'hour',
      query: query(context, 'AmazonEC2', 'Hrs', {productFamily: 'Fee', group: 'EC2-Dedicated Usage'}, 'DedicatedUsage'),
      remark: 'AWS charges it once per region for each hour any dedicated instance of the account runs there; nothing more if one already does',
    });
  }
  items.push(...volumeUsage(step, context));
  const nic = record(list(params.NetworkInterfaces)[0]);
  if (nic.AssociatePublicIpAddress === true) {
    items.push({
      stepId: step.id,
      resource: 'public IPv4 address',
      usage: HOURS_PER_MONTH,
      unit: 'hour',
      query: query(context, 'AmazonVPC', 'Hrs', {}, 'PublicIPv4:InUseAddress'),
    });
  }
  if (record(params.Monitoring).Enabled === true) {
    items.push({
      stepId: step.id,
      resource: 'detailed monitoring (1-minute metrics)',
      usage: DETAILED_METRICS,
      unit: 'metric-month',
      query: query(context, 'AmazonCloudWatch', 'Metrics', {productFamily: 'Metric'}, 'CW:MetricMonitorUsage'),
    });
  }
  return items;
}

/** The root volume's storage, and the IOPS an io2 volume provisions. */
function volumeUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  const volume = rootVolumeOf({steps: [step]});
  if (!volume) return [];
  const items: UsageItem[] = [
    {
      stepId: step.id,
      resource: `root volume ${volume.type}, ${volume.sizeGiB} GiB`,
      usage: volume.sizeGiB,
      unit: 'GB-month',
      query: query(context, 'AmazonEC2', 'GB-Mo', {productFamily: 'Storage', volumeApiName: volume.type}),
    },
  ];
  if (volume.type === 'io2' && volume.iops !== undefined) {
    items.push({
      stepId: step.id,
      resource: `provisioned IOPS (io2, ${volume.iops})`,
      usage: volume.iops,
      unit: 'IOPS-month',
      query: query(context, 'AmazonEC2', 'IOPS-Mo', {productFamily: 'System Operation', volumeApiName: 'io2'}, 'EBS:VolumeP-IOPS.io2'),
    });
  }
  return items;
}

/** A dedicated host is billed whole, by the hour, for its instance family. */
function hostUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  const type = text(step.params.InstanceType) ?? text(step.params.InstanceFamily) ?? '?';
  const family = type.split('.')[0];
  const hosts = count(step.params.Quantity) ?? 1;
  return [
    {
      stepId: step.id,
      resource: `dedicated host (${family} family${hosts > 1 ? `, ${hosts} hosts` : ''}; the instance on it is not billed apart)`,
      usage: HOURS_PER_MONTH * hosts,
      unit: 'hour',
      query: query(context, 'AmazonEC2', 'Hrs', {productFamily: 'Dedicated Host'}, `HostUsage:${family}`),
    },
  ];
}

function kmsKeyUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  return [{stepId: step.id, resource: 'KMS customer managed key', usage: 1, unit: 'key-month', query: query(context, 'awskms', 'Keys', {productFamily: 'Encryption Key'}, 'KMS-Keys')}];
}

/** An interface endpoint is billed per hour in each availability zone (one subnet each); gateway endpoints are free. */
function endpointUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  if (text(step.params.VpcEndpointType) !== 'Interface') return [];
  const zones = Math.max(list(step.params.SubnetIds).length, 1);
  const service = text(step.params.ServiceName) ?? 'endpoint';
  return [
    {
      stepId: step.id,
      resource: `interface endpoint ${service} (${zones} AZ)`,
      usage: HOURS_PER_MONTH * zones,
      unit: 'hour',
      query: query(context, 'AmazonVPC', 'Hrs', {productFamily: 'VpcEndpoint'}, 'VpcEndpoint-Hours'),
    },
  ];
}

/** Flow records delivered to CloudWatch Logs are billed as vended-log ingestion: an assumption, stated. */
function flowLogUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  if (text(step.params.LogDestinationType) !== 'cloud-watch-logs') return [];
  return [
    {
      stepId: step.id,
      resource: 'VPC flow logs ingested',
      usage: FLOW_LOG_GB_ASSUMED,
      unit: 'GB',
      query: query(context, 'AmazonCloudWatch', 'GB', {productFamily: 'Data Payload'}, 'VendedLog-Bytes'),
      assumption: `assumes ${FLOW_LOG_GB_ASSUMED} GB of flow records a month; each GB more costs the unit price`,
    },
  ];
}

/** Snapshot storage, billed per GB-month of blocks stored: at most the whole volume, stated as such. */
function snapshotStorage(step: PlanStep, context: PricingContext, resource: string, assumption: string): UsageItem[] {
  const volume = rootVolumeOf(context.plan);
  if (!volume) return [];
  return [
    {
      stepId: step.id,
      resource,
      usage: volume.sizeGiB,
      unit: 'GB-month',
      query: query(context, 'AmazonEC2', 'GB-Mo', {productFamily: 'Storage Snapshot'}, 'EBS:SnapshotUsage'),
      assumption,
    },
  ];
}

function firstSnapshotUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  return snapshotStorage(step, context, 'first snapshot of the root volume', 'assumes the whole volume is stored; a snapshot keeps only written blocks, so this is the most it costs');
}

/** AWS Backup keeps EBS recovery points at the EBS snapshot rate; the daily copies after the first hold only changed blocks. */
function backupPlanUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  const rule = record(list(record(step.params.BackupPlan).Rules)[0]);
  const days = count(record(rule.Lifecycle).DeleteAfterDays);
  const kept = days === undefined ? '' : `, kept ${days} days`;
  return snapshotStorage(
    step,
    context,
    `AWS Backup recovery points of the root volume (daily${kept})`,
    'assumes one full copy of the volume; the daily ones after it store only the blocks that changed, which this leaves out',
  );
}

/**
 * An Application Load Balancer is billed for each hour it exists and for the load balancer capacity
 * units (LCUs) its traffic uses each hour. The plan cannot know the traffic, so the LCUs are an
 * assumption, stated on the line. Only the application type is priced: another type asks nothing and
 * shows as "not priced by tandem" rather than at the application rate.
 */
function loadBalancerUsage(step: PlanStep, context: PricingContext): UsageItem[] {
  const type = text(step.params.Type) ?? 'application';
  if (type !== 'application') {
    return [{stepId: step.id, resource: `${type} load balancer`, usage: HOURS_PER_MONTH, unit: 'hour', query: null}];
  }
  const family = {productFamily: 'Load Balancer-Application'};
  return [
    {
      stepId: step.id,
      resource: 'Application Load Balancer',
      usage: HOURS_PER_MONTH,
      unit: 'hour',
      query: query(context, 'AWSELB', 'Hrs', family, 'LoadBalancerUsage'),
    },
    {
      stepId: step.id,
      resource: 'Application Load Balancer capacity units (LCUs)',
      usage: HOURS_PER_MONTH * LCU_ASSUMED,
      unit: 'LCU-hour',
      query: query(context, 'AWSELB', 'LCU-Hrs', family, 'LCUUsage'),
      assumption: `assumes ${LCU_ASSUMED} LCU on average, a quiet web server's traffic; each LCU-hour more costs the unit price`,
    },
  ];
}

/** Every pricing function, by the kinds of resource it prices. */
export const PRICERS: readonly Pricer[] = [
  {kinds: ['instance'], usage: instanceUsage},
  {kinds: ['dedicated-host'], usage: hostUsage},
  {kinds: ['kms-key'], usage: kmsKeyUsage},
  {kinds: ['vpc-endpoint'], usage: endpointUsage},
  {kinds: ['flow-log'], usage: flowLogUsage},
  {kinds: ['ebs-snapshot'], usage: firstSnapshotUsage},
  {kinds: ['backup-plan'], usage: backupPlanUsage},
  {kinds: ['load-balancer'], usage: loadBalancerUsage},
];
