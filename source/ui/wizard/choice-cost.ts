// The difference a choice makes to the bill, on the panel of the step that makes it (docs/cost.md,
// "The difference a choice makes"). Each priced choice names what it is compared with: the spec
// without it (no public address, no flow logs, no backups) or, for a choice that always has a
// value, the option the step starts from (the first suggested type, an 8 GiB gp3 volume). Both
// specs are planned and priced by the domain (cost/difference.ts); this file only says which two.
import {backupChoice, withBackupChoice} from '../../domain/controls/backups.js';
import {flowLogsOn, withFlowLogs} from '../../domain/controls/flow-logs.js';
import {suggestedTypes} from '../../domain/controls/instance-type.js';
import {detailedMonitoringOn, withDetailedMonitoring} from '../../domain/controls/monitoring.js';
import {AWS_MANAGED_KEY, createsKey} from '../../domain/controls/storage.js';
import {sessionManagerOn, withAccess} from '../../domain/controls/ways-in.js';
import type {StepId} from '../../domain/catalog-types.js';
import {behindLoadBalancer, defaultSpec, type LaunchSpec} from '../../domain/spec.js';

/** One priced choice: what the line names, and the spec it is compared with (none: nothing to compare). */
export interface CostQuestion {
  label: (spec: LaunchSpec) => string;
  compareWith: (spec: LaunchSpec) => LaunchSpec | undefined;
}

/**
 * The network screen's Reach list: a public address, or a load balancer in front. The load balancer
 * is compared with the same launch without it (same subnet, same endpoints), so the line is what
 * the load balancer itself adds: its hours, and its LCUs by their unit price.
 */
const reach: CostQuestion = {
  label: (spec) => (behindLoadBalancer(spec) ? 'load balancer' : 'public IPv4'),
  compareWith: (spec) => {
    if (behindLoadBalancer(spec)) {
      const {loadBalancer: _dropped, ...direct} = spec;
      return direct;
    }
    return spec.network.publicIp ? {...spec, network: {...spec.network, publicIp: false}} : undefined;
  },
};

/** Compared with the first suggested type of the image's architecture (t3.micro, t4g.micro). */
const instanceType: CostQuestion = {
  label: (spec) => `${spec.instance.type} vs ${suggestedTypes(spec)[0]}`,
  compareWith: (spec) => {
    const first = suggestedTypes(spec)[0];
    return spec.instance.type && spec.instance.type !== first ? {...spec, instance: {...spec.instance, type: first}} : undefined;
  },
};

const tenancy: CostQuestion = {
  label: (spec) => (spec.instance.tenancy === 'host' ? 'dedicated host' : 'dedicated instance'),
  compareWith: (spec) => (spec.instance.tenancy !== 'default' ? {...spec, instance: {...spec.instance, tenancy: 'default'}} : undefined),
};

/** The root volume's size and type, compared with the launch's default volume. */
const rootVolume: CostQuestion = {
  label: () => {
    const {sizeGiB, type} = defaultSpec().storage;
    return `root volume vs ${sizeGiB} GiB ${type}`;
  },
  compareWith: (spec) => {
    const {sizeGiB, type} = defaultSpec(spec.region).storage;
    return spec.storage.sizeGiB !== sizeGiB || spec.storage.type !== type ? {...spec, storage: {...spec.storage, sizeGiB, type}} : undefined;
  },
};

const newKey: CostQuestion = {
  label: () => 'new KMS key',
  compareWith: (spec) => (createsKey(spec.storage) ? {...spec, storage: {...spec.storage, kmsKey: AWS_MANAGED_KEY}} : undefined),
};

const backups: CostQuestion = {
  label: () => 'backups',
  compareWith: (spec) => (backupChoice(spec) !== 'backup-none' ? withBackupChoice(spec, 'backup-none') : undefined),
};

/** In a private subnet Session Manager brings its interface endpoints; elsewhere it adds nothing priced. */
const sessionManager: CostQuestion = {
  label: () => 'Session Manager endpoints',
  compareWith: (spec) => (sessionManagerOn(spec) ? withAccess(spec, {sessionManager: false}) : undefined),
};

/** The priced choices by the id of the field that makes them (a text field shares its list's question). */
export const FIELD_COSTS: Readonly<Record<string, CostQuestion>> = {
  'network.publicIp': reach,
  'instance.type': instanceType,
  'instance.type.other': instanceType,
  'instance.tenancy': tenancy,
  'storage.encryption': newKey,
  'storage.kmsAlias': newKey,
  'storage.sizeGiB': rootVolume,
  'storage.type': rootVolume,
  backup: backups,
  'backup.retentionDays': backups,
  'access.sessionManager': sessionManager,
};

/** The priced on/off keys of the steps (fields.ts StepToggle), shown whatever field has the focus. */
export const TOGGLE_COSTS: Partial<Record<StepId, CostQuestion>> = {
  network: {label: () => 'flow logs', compareWith: (spec) => (flowLogsOn(spec) ? withFlowLogs(spec, false) : undefined)},
  'instance-type': {label: () => 'detailed monitoring', compareWith: (spec) => (detailedMonitoringOn(spec) ? withDetailedMonitoring(spec, false) : undefined)},
};
