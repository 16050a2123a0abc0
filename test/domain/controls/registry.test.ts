// The registry of control modules: the catalog, the findings and the panel are built from it, so
// every control and finding id has exactly one module, in wizard order.
import {describe, expect, it} from 'vitest';
import {CONTROLS, STEP_TITLES} from '../../../source/domain/catalog.js';
import {CONTROL_IDS, FIELD_RULES, FINDING_IDS, REGISTRY, STEP_IDS} from '../../../source/domain/controls/index.js';
import {VALIDATED_FIELDS} from '../../../source/domain/validate.js';
import {WIZARD_CONTROLS} from '../control-vocabulary.js';

const WIZARD_STEPS = ['image', 'isolation', 'instance-type', 'network', 'iam-role', 'tenancy', 'storage', 'security-group', 'key-pair', 'metadata', 'after-launch'];

describe('the control registry', () => {
  it('holds every catalog control once, in wizard order', () => {
    const ids = REGISTRY.flatMap((control) => control.catalog.map((entry) => entry.id));
    expect(ids).toEqual([...CONTROL_IDS]);
    expect(CONTROLS.map((control) => control.id)).toEqual([...CONTROL_IDS]);
    expect([...CONTROL_IDS]).toEqual(WIZARD_CONTROLS);
  });

  it('derives the wizard steps and their titles from its modules', () => {
    expect([...STEP_IDS]).toEqual(WIZARD_STEPS);
    expect(STEP_TITLES).toEqual({
      image: 'Image',
      isolation: 'Isolation',
      'instance-type': 'Instance type',
      network: 'Network',
      'iam-role': 'IAM role',
      tenancy: 'Tenancy',
      storage: 'Storage',
      'security-group': 'Security group',
      'key-pair': 'Key pair',
      metadata: 'Instance metadata',
      'after-launch': 'After launch',
    });
  });

  it("lists its modules in step order, each entry on its module's step", () => {
    const steps = REGISTRY.map((control) => STEP_IDS.indexOf(control.step));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const control of REGISTRY) for (const entry of control.catalog) expect(entry.step).toBe(control.step);
  });

  it('gives every finding id one owner', () => {
    expect(new Set(FINDING_IDS).size).toBe(FINDING_IDS.length);
  });

  it('has each control module validate its own fields, applied in profile order', () => {
    const owners = REGISTRY.flatMap((control) => Object.keys(control.rules ?? {}).map((field) => `${control.step}:${field}`));
    expect(owners).toContain('storage:storage.kmsKey');
    expect(owners).toContain('security-group:securityGroup.ssh');
    expect(owners).toContain('key-pair:access.sessionManager');
    expect(new Set(owners.map((owner) => owner.split(':')[1])).size).toBe(owners.length);
    expect(Object.keys(FIELD_RULES)).toHaveLength(owners.length);
    expect(VALIDATED_FIELDS).toEqual([
      'version',
      'region',
      'instance.name',
      'instance.image',
      'instance.amiId',
      'instance.arch',
      'instance.type',
      'instance.tenancy',
      'instance.imds',
      'instance.hopLimit',
      'instance.userData',
      'instance.detailedMonitoring',
      'network.vpc',
      'network.subnet',
      'network.cidr',
      'network.publicSubnetCidr',
      'network.privateSubnetCidr',
      'network.publicIp',
      'network.flowLogs',
      'network.loadBalancerSubnets',
      'role.mode',
      'role.name',
      'role.instanceProfile',
      'role.bucket',
      'role.access',
      'storage.sizeGiB',
      'storage.type',
      'storage.encrypted',
      'storage.kmsKey',
      'storage.kmsAlias',
      'backup.plan',
      'backup.retentionDays',
      'backup.firstSnapshot',
      'securityGroup.mode',
      'securityGroup.name',
      'securityGroup.groupId',
      'securityGroup.http',
      'securityGroup.https',
      'securityGroup.ssh',
      'loadBalancer',
      'loadBalancer.certificate',
      'loadBalancer.domain',
      'loadBalancer.validationWaitMinutes',
      'loadBalancer.deletionProtection',
      'loadBalancer.accessLogs',
      'keyPair.mode',
      'keyPair.name',
      'keyPair.type',
      'keyPair.path',
      'access.sessionManager',
      'access.instanceConnect',
      'tags',
      'acceptedRisks',
    ]);
  });

  it('has the modules say which verification rows no API can check, and why', () => {
    const unchecked = REGISTRY.flatMap((control) => Object.entries(control.unchecked ?? {}).map(([id, row]) => `${id}:${row?.by}`));
    expect(unchecked).toEqual([
      'hypervisor-isolation:attestation',
      'media-sanitization:attestation',
      'vpc-isolation:attestation',
      'os-patching:customer',
      'application-security:customer',
      'instance-config-protection:attestation',
    ]);
  });
});
