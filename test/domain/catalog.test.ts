import {describe, expect, it} from 'vitest';
import type {ControlId, StepId} from '../../source/domain/catalog-types.js';
import {CONTROL_IDS, STEP_IDS} from '../../source/domain/controls/index.js';
import {CONTROLS, STEP_TITLES, controlById, controlsForStep, panelControls, specControls} from '../../source/domain/catalog.js';
import {ebsDefaultNote} from '../../source/domain/controls/storage.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

// The shared vocabulary from the team brief: id -> [step, owner, kind].
const BRIEF: Record<string, [StepId, string, string]> = {
  'ami-provenance': ['image', 'AWS/Customer', 'shared'],
  'hypervisor-isolation': ['isolation', 'AWS', 'inherited'],
  'media-sanitization': ['isolation', 'AWS', 'inherited'],
  'instance-type': ['instance-type', 'Customer', 'customer-specific'],
  'detailed-monitoring': ['instance-type', 'AWS/Customer', 'hybrid'],
  'vpc-isolation': ['network', 'AWS', 'inherited'],
  'subnet-routing': ['network', 'Customer', 'hybrid'],
  'public-ip': ['network', 'Customer', 'hybrid'],
  // AWS records and delivers the traffic; turning it on, keeping and reading the records is yours.
  'vpc-flow-logs': ['network', 'AWS/Customer', 'shared'],
  // The load-balanced web tier (docs/load-balancer.md): AWS runs and scales the load balancer and
  // renews what ACM issued; the listeners, TLS policy, validation record and every rule are yours.
  'load-balancer': ['network', 'AWS/Customer', 'shared'],
  'lb-certificate': ['network', 'AWS/Customer', 'shared'],
  'chained-groups': ['network', 'AWS/Customer', 'hybrid'],
  'iam-instance-role': ['iam-role', 'Customer', 'customer-specific'],
  tenancy: ['tenancy', 'AWS/Customer', 'shared'],
  'ebs-encryption': ['storage', 'AWS/Customer', 'shared'],
  'kms-key': ['storage', 'AWS/Customer', 'shared'],
  // AWS runs Backup and keeps the copies; what is backed up, how often and how long is the customer's.
  'volume-backup': ['storage', 'AWS/Customer', 'hybrid'],
  'security-group-rules': ['security-group', 'AWS/Customer', 'hybrid'],
  'default-security-group': ['security-group', 'Customer', 'hybrid'],
  'network-acl': ['security-group', 'AWS/Customer', 'hybrid'],
  'key-pair': ['key-pair', 'AWS/Customer', 'shared'],
  // The way in without an open port; AWS runs the service and agent, you decide who may start a session.
  'session-manager': ['key-pair', 'AWS/Customer', 'shared'],
  'imds-v2': ['metadata', 'AWS/Customer', 'hybrid'],
  'os-patching': ['after-launch', 'Customer', 'customer-specific'],
  'application-security': ['after-launch', 'Customer', 'customer-specific'],
  'instance-config-protection': ['after-launch', 'AWS', 'inherited'],
};

// The table of equivalent checks (docs/checkers.md), each id read from the tool (source/domain/checkers.ts).
// IAM.1 and IAM.21 are absent on purpose: they never evaluate the inline policy tandem writes.
const BRIEF_CHECKERS: Record<string, string[]> = {
  'public-ip': ['EC2.9', 'ec2_instance_public_ip', 'CKV_AWS_88', 'EC2.15', 'vpc_subnet_no_public_ip_by_default'],
  'subnet-routing': ['EC2.10', 'vpc_endpoint_for_ec2_enabled', 'vpc_subnet_separate_private_public', 'vpc_subnet_different_az'],
  'iam-instance-role': [
    'ec2_instance_profile_attached',
    'ec2_instance_internet_facing_with_instance_profile',
    'iam_inline_policy_no_administrative_privileges',
    'CKV_AWS_62',
    'CKV_AWS_63',
    'iam_inline_policy_no_full_access_to_cloudtrail',
    'iam_inline_policy_no_full_access_to_kms',
    'iam_inline_policy_no_wildcard_marketplace_subscribe',
    'iam_role_cross_service_confused_deputy_prevention',
  ],
  'ebs-encryption': ['EC2.3', 'ec2_ebs_volume_encryption', 'EC2.7', 'ec2_ebs_default_encryption'],
  'kms-key': ['KMS.4', 'kms_cmk_rotation_enabled', 'CKV_AWS_7'],
  'security-group-rules': [
    'EC2.13',
    'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22',
    'CKV_AWS_24',
    'EC2.18',
    'CKV_AWS_260',
    'EC2.19',
    'ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports',
    'CKV_AWS_25',
    'CKV_AWS_23',
    'ec2_securitygroup_allow_ingress_from_internet_to_any_port',
  ],
  'session-manager': ['ec2_instance_managed_by_ssm', 'vpc_endpoint_multi_az_enabled', 'vpc_endpoint_connections_trust_boundaries'],
  'imds-v2': ['EC2.8', 'ec2_instance_imdsv2_enabled', 'CKV_AWS_79'],
  'volume-backup': ['EC2.28', 'ec2_ebs_volume_protected_by_backup_plan', 'ec2_ebs_volume_snapshots_exists', 'ec2_ebs_snapshots_encrypted', 'CKV_AWS_166'],
};

// Every option the wizard can highlight, per step (from the brief).
const OPTIONS: Record<StepId, Array<string | undefined>> = {
  image: ['al2023', 'al2', 'ami'],
  isolation: [undefined],
  'instance-type': ['t3.micro', 'm7g.large'],
  network: ['default', 'new', 'existing', 'public', 'private'],
  'iam-role': ['none', 'existing', 'create'],
  tenancy: ['default', 'dedicated', 'host'],
  storage: ['aws/ebs', 'new', 'existing', 'off'],
  'security-group': ['create', 'existing', 'ssh-none', 'ssh-address', 'ssh-world'],
  'key-pair': ['create', 'import', 'existing', 'none', 'ssm-on', 'ssm-off'],
  metadata: ['required', 'optional'],
  'after-launch': [undefined],
};

const text = (step: StepId, option: string | undefined, id: string, spec: LaunchSpec = defaultSpec()) => {
  const control = panelControls(step, option, spec).find((c) => c.id === id);
  if (!control) throw new Error(`no control ${id} on ${step}`);
  return control;
};

describe('control catalog', () => {
  it('gives every step at least one control and a title', () => {
    for (const step of STEP_IDS) {
      expect(controlsForStep(step).length, step).toBeGreaterThan(0);
      expect(STEP_TITLES[step], step).toBeTruthy();
    }
  });

  it('has unique ids and complete text for every control', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CONTROLS) {
      for (const field of ['title', 'owner', 'kind', 'aws', 'customer', 'verify'] as const) expect(c[field], `${c.id}.${field}`).toBeTruthy();
    }
  });

  it('matches the brief: same ids, steps, owners and kinds', () => {
    expect(CONTROLS.map((c) => c.id).sort()).toEqual(Object.keys(BRIEF).sort());
    for (const c of CONTROLS) expect([c.step, c.owner, c.kind], c.id).toEqual(BRIEF[c.id]);
  });

  it('keeps owners and kinds consistent: inherited is AWS only, customer-specific is the customer only', () => {
    for (const c of CONTROLS) {
      if (c.kind === 'inherited') expect(c.owner, c.id).toBe('AWS');
      if (c.kind === 'customer-specific') expect(c.owner, c.id).toBe('Customer');
      if (c.kind === 'shared') expect(c.owner, c.id).toBe('AWS/Customer');
    }
  });

  it('names the checkers of the table of equivalent checks', () => {
    for (const [id, expected] of Object.entries(BRIEF_CHECKERS)) {
      expect(
        controlById(id as ControlId)
          .checkers.map((c) => c.id)
          .sort(),
        id,
      ).toEqual([...expected].sort());
    }
  });

  it('sends the auditor to attestation reports where no API can check', () => {
    for (const id of ['hypervisor-isolation', 'media-sanitization', 'instance-config-protection'] as const) {
      expect(controlById(id).verify).toMatch(/not checkable by API.*SOC 2.*ISO 27001/i);
    }
  });

  it('carries the seed facts in its notes', () => {
    expect(controlById('hypervisor-isolation').aws).toMatch(/Xen.*Nitro/);
    // FIPS 140 validates cryptographic modules; it says nothing about tenancy.
    expect(controlById('tenancy').compliance.join(' ')).toMatch(/FIPS 140.*cryptographic modules/);
    expect(controlById('tenancy').compliance.join(' ')).toMatch(/PCI DSS attestation covers shared tenancy/);
    expect(controlById('ebs-encryption').compliance.join(' ')).toMatch(/LUKS/);
    expect(controlById('security-group-rules').compliance.join(' ')).toMatch(/[Ll]ayering/);
    expect(controlById('key-pair').compliance.join(' ')).toMatch(/Windows.*password/);
  });

  it('keeps panel text short enough for a terminal panel, for every option', () => {
    for (const step of STEP_IDS) {
      for (const option of OPTIONS[step]) {
        for (const c of panelControls(step, option, defaultSpec())) {
          for (const field of ['aws', 'customer', 'verify'] as const) {
            expect(c[field].length, `${step}/${option}/${c.id}.${field}: ${c[field]}`).toBeLessThanOrEqual(160);
            expect(c[field].length, `${step}/${option}/${c.id}.${field}`).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('lists every control once, in the order of the one id list', () => {
    expect(CONTROLS.map((control) => control.id)).toEqual([...CONTROL_IDS]);
  });

  it('throws on an unknown control id', () => {
    expect(() => controlById('nope' as ControlId)).toThrow(/unknown control "nope"/);
  });
});

describe('panelControls', () => {
  it('returns the same controls as the step, without changing the catalog', () => {
    const before = JSON.stringify(CONTROLS);
    for (const step of STEP_IDS) {
      for (const option of OPTIONS[step]) {
        const panel = panelControls(step, option, defaultSpec());
        expect(panel.map((c) => c.id)).toEqual(controlsForStep(step).map((c) => c.id));
        panel[0].customer = 'changed';
        panel[0].compliance.push('changed');
      }
    }
    expect(JSON.stringify(CONTROLS)).toBe(before);
  });

  it('explains a dedicated host differently from shared tenancy', () => {
    const host = text('tenancy', 'host', 'tenancy');
    const shared = text('tenancy', 'default', 'tenancy');
    expect(host.customer).not.toBe(shared.customer);
    expect(host.aws).not.toBe(shared.aws);
    expect(host.aws).toMatch(/dedicated host/);
    expect(host.customer).toMatch(/placement/);
    expect(host.customer).toMatch(/licen/);
    expect(host.customer).toMatch(/pay/);
    expect(text('tenancy', 'dedicated', 'tenancy').customer).not.toBe(host.customer);
  });

  it('warns that turning encryption off fails EC2.3', () => {
    const off = text('storage', 'off', 'ebs-encryption');
    const on = text('storage', 'aws/ebs', 'ebs-encryption');
    expect(off.customer).not.toBe(on.customer);
    expect(off.customer).toMatch(/unencrypted/);
    expect(off.customer).toMatch(/EC2\.3/);
    expect(off.verify).toMatch(/EC2\.3/);
  });

  it('describes the key choice: aws/ebs, a new key with rotation, an existing key', () => {
    expect(text('storage', 'aws/ebs', 'kms-key').customer).toMatch(/cannot/);
    expect(text('storage', 'new', 'kms-key').verify).toMatch(/KMS\.4/);
    expect(text('storage', 'new', 'kms-key').customer).toMatch(/rotation/);
    const spec = defaultSpec();
    spec.storage.kmsKey = 'alias/payments';
    expect(text('storage', 'existing', 'kms-key', spec).customer).toContain('alias/payments');
  });

  it('flags the image choice: AL2 end of support, your own AMI', () => {
    expect(text('image', 'al2', 'ami-provenance').customer).toContain('2026-06-30');
    expect(text('image', 'ami', 'ami-provenance').customer).toMatch(/vouch/);
    expect(text('image', 'ami', 'ami-provenance').customer).toMatch(/provenance/);
    expect(text('image', 'al2023', 'ami-provenance').aws).toMatch(/2023/);
  });

  it('tells the three role choices apart', () => {
    const spec = defaultSpec();
    spec.role = {mode: 'create', name: 'EC2AccessToS3Role', bucket: 'my-site-assets', access: 'read'};
    // With Session Manager off, "no role" means no credentials at all (with it on, see the Session Manager panel test).
    spec.access = {sessionManager: false, instanceConnect: false};
    const texts = ['none', 'create', 'existing'].map((o) => text('iam-role', o, 'iam-instance-role', spec).customer);
    expect(new Set(texts).size).toBe(3);
    expect(texts[0]).toMatch(/no AWS credentials/);
    expect(texts[1]).toContain('my-site-assets');
  });

  it('tells a new VPC from the default one, and public from private placement', () => {
    expect(text('network', 'new', 'subnet-routing').customer).not.toBe(text('network', 'default', 'subnet-routing').customer);
    expect(text('network', 'default', 'subnet-routing').customer).toMatch(/EC2\.15/);
    expect(text('network', 'private', 'subnet-routing').customer).toMatch(/[Pp]rivate/);
    expect(text('network', 'private', 'public-ip').customer).toMatch(/No public IPv4/);
    expect(text('network', 'default', 'public-ip').customer).toMatch(/EC2\.9/);
  });

  it('spells out the SSH choices', () => {
    const spec = defaultSpec();
    spec.securityGroup.ssh = '203.0.113.7/32';
    const world = text('security-group', 'ssh-world', 'security-group-rules', spec).customer;
    const address = text('security-group', 'ssh-address', 'security-group-rules', spec).customer;
    const none = text('security-group', 'ssh-none', 'security-group-rules', spec).customer;
    expect(world).toMatch(/EC2\.13/);
    expect(address).toContain('203.0.113.7/32');
    expect(none).toMatch(/No SSH/);
    expect(text('security-group', 'existing', 'security-group-rules', spec).customer).toMatch(/vouch/);
  });

  it('spells out the key pair choices', () => {
    const texts = ['create', 'import', 'existing', 'none'].map((o) => text('key-pair', o, 'key-pair').customer);
    expect(new Set(texts).size).toBe(4);
    expect(texts[0]).toMatch(/0600/);
    expect(texts[3]).toMatch(/No key pair/);
  });

  it('warns that optional IMDS tokens fail EC2.8', () => {
    const optional = text('metadata', 'optional', 'imds-v2');
    expect(optional.customer).toMatch(/IMDSv1/);
    expect(optional.customer).toMatch(/EC2\.8/);
    expect(optional.customer).not.toBe(text('metadata', 'required', 'imds-v2').customer);
  });

  it('falls back to what the spec holds when no option is highlighted', () => {
    const spec = defaultSpec();
    spec.instance.tenancy = 'host';
    spec.storage.encrypted = false;
    expect(panelControls('tenancy', undefined, spec)[0].customer).toBe(text('tenancy', 'host', 'tenancy').customer);
    expect(specControls(spec).find((c) => c.id === 'ebs-encryption')?.customer).toMatch(/EC2\.3/);
    expect(specControls(spec).map((c) => c.id)).toEqual(CONTROLS.map((c) => c.id));
  });
});

describe('panel and check lines fit the choice', () => {
  const withSpec = (change: (spec: LaunchSpec) => void) => {
    const spec = defaultSpec();
    change(spec);
    return spec;
  };
  const all = (step: StepId, option: string | undefined, spec: LaunchSpec) =>
    panelControls(step, option, spec)
      .map((c) => [c.aws, c.customer, c.verify, ...c.compliance].join(' '))
      .join(' ');

  it('claims the private key file is 0600 only for a key tandem wrote', () => {
    expect(panelControls('key-pair', 'create', defaultSpec())[0].verify).toMatch(/mode 0600/);
    for (const option of ['import', 'existing', 'none']) {
      expect(panelControls('key-pair', option, defaultSpec())[0].verify, option).not.toMatch(/0600/);
    }
    expect(panelControls('key-pair', 'import', defaultSpec())[0].verify).toMatch(/private key stays with you, unchecked/);
  });

  it('with a custom AMI, neither the image notes nor After launch speak of Amazon Linux', () => {
    const ami = withSpec((spec) => {
      spec.instance.image = 'ami';
      spec.instance.amiId = 'ami-0123456789abcdef0';
    });
    expect(all('image', 'ami', ami)).not.toMatch(/Amazon Linux|AL2|dnf/);
    expect(all('after-launch', undefined, ami)).not.toMatch(/Amazon Linux 2023|dnf/);
    expect(panelControls('after-launch', undefined, ami).find((c) => c.id === 'os-patching')!.customer).toMatch(/your image's own package manager/);
    expect(panelControls('after-launch', undefined, defaultSpec()).find((c) => c.id === 'os-patching')!.customer).toMatch(/dnf upgrade/);
    // The Amazon Linux 2023 image keeps its note about AL2's end of support.
    expect(all('image', 'al2023', defaultSpec())).toMatch(/Amazon Linux 2 reached end of support/);
  });

  it('says Session Manager gives the shell when it is on, and that nothing does when it is off', () => {
    // The default spec has Session Manager on: no SSH rule, and still a way in.
    const on = text('security-group', 'ssh-none', 'security-group-rules', defaultSpec()).customer;
    expect(on).toMatch(/port 22 stays closed, and Session Manager gives you a shell/);
    const off = withSpec((spec) => (spec.access = {sessionManager: false, instanceConnect: false}));
    expect(text('security-group', 'ssh-none', 'security-group-rules', off).customer).toMatch(/Session Manager is off, so nobody gets a shell at all/);
    const roleOff = withSpec((spec) => {
      spec.role = {mode: 'existing', name: 'WebRole'};
      spec.access = {sessionManager: false, instanceConnect: false};
    });
    expect(text('security-group', 'ssh-none', 'security-group-rules', roleOff).customer).toMatch(/the role alone opens no shell/);
  });

  it('the Session Manager panel says who owns what, and follows the role and the subnet', () => {
    const base = controlById('session-manager');
    expect(base.aws).toMatch(/agent already installed in Amazon Linux 2023/);
    expect(base.customer).toMatch(/ssm:StartSession.*agent running.*CloudWatch Logs or S3/);
    const created = text('key-pair', 'ssm-on', 'session-manager', defaultSpec());
    expect(created.compliance.join(' ')).toMatch(/tandem creates a role holding only AmazonSSMManagedInstanceCore/);
    const existing = withSpec((spec) => (spec.role = {mode: 'existing', name: 'WebRole'}));
    expect(text('key-pair', 'ssm-on', 'session-manager', existing).compliance.join(' ')).toMatch(
      /Pre-flight checks that role WebRole already carries AmazonSSMManagedInstanceCore; tandem never changes a role it did not create/,
    );
    const privateSubnet = withSpec((spec) => (spec.network = {vpc: 'new', subnet: 'private', publicIp: false}));
    expect(text('key-pair', 'ssm-on', 'session-manager', privateSubnet).compliance.join(' ')).toMatch(
      /interface endpoints for ssm, ssmmessages and ec2messages; each costs about \$0\.01 per hour/,
    );
    expect(text('key-pair', 'ssm-off', 'session-manager', defaultSpec()).customer).toMatch(/Session Manager is off/);
    // The key pair's own panel is unchanged by the Session Manager list.
    expect(text('key-pair', 'ssm-on', 'key-pair', defaultSpec()).customer).toMatch(/Session Manager gives you a shell/);
    expect(text('after-launch', undefined, 'os-patching', defaultSpec()).compliance.join(' ')).toMatch(/Patch Manager scan and patch this OS/);
    // "No role" with Session Manager on still means the role made for it.
    expect(text('iam-role', 'none', 'iam-instance-role', defaultSpec()).customer).toMatch(/tandem creates tandem-ssm-web-1 with only AmazonSSMManagedInstanceCore/);
  });

  it('says where the encryption choice is without pointing below it', () => {
    expect(ebsDefaultNote({enabled: false})).toBe('this account does not encrypt new volumes by default, so the encryption option you choose decides');
    expect(ebsDefaultNote({enabled: true, kmsKeyId: 'k\u001b[2J'})).toBe('this account encrypts new volumes by default (key k\\x1b[2J)');
  });

  it('an existing VPC: no "choose the VPC you pick"', () => {
    const none = text('network', 'existing', 'vpc-isolation', defaultSpec()).customer;
    expect(none).not.toMatch(/choose the VPC you pick/);
    expect(none).toBe('You inherit this isolation; you only choose which of your existing VPCs the instance goes into.');
    const picked = withSpec((spec) => {
      spec.network = {vpc: 'vpc-0abc1234', subnet: 'subnet-0abc1234', publicIp: true};
    });
    expect(text('network', 'existing', 'vpc-isolation', picked).customer).toBe('You inherit this isolation; you only chose the VPC the instance goes into, vpc-0abc1234.');
  });
});
