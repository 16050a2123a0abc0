// Tenancy (docs/design.md section 1): shared hardware, a dedicated instance, or a dedicated host.
import type {ControlModule, FindingDraft, LaunchPart, PanelEdits, PlanContext} from './control.js';
import {PLAN_STEP} from '../plan-ids.js';
import {tagSpecifications} from '../plan-tags.js';
import type {PlanStep} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';
import {oneOf, type FieldRules} from '../field-rules.js';

/** The tenancies a launch may ask for. */
export const TENANCIES = ['default', 'dedicated', 'host'] as const;

/** A dedicated host in the subnet's zone, for host tenancy only. */
function hostSteps(spec: LaunchSpec, {network}: PlanContext): PlanStep[] {
  const {instance} = spec;
  if (instance.tenancy !== 'host') return [];
  return [
    {
      id: PLAN_STEP.host,
      service: 'ec2',
      action: 'AllocateHosts',
      params: {
        InstanceType: instance.type,
        AvailabilityZone: network.availabilityZone,
        Quantity: 1,
        // Only instances that name this host may land on it.
        AutoPlacement: 'off',
        TagSpecifications: tagSpecifications(spec, [{type: 'dedicated-host', name: `${instance.name}-host`}]),
      },
      creates: ['dedicated-host'],
      dependsOn: [network.subnetStep],
      controls: ['tenancy'],
      dryRunnable: true,
      summary: `Allocate a dedicated host for ${instance.type} in the subnet's availability zone (billed per hour while allocated)`,
    },
  ];
}

/** RunInstances' Placement: the tenancy, and the host allocated for it. */
export function launchPlacement(spec: LaunchSpec): LaunchPart {
  const {tenancy} = spec.instance;
  if (tenancy !== 'host') return {params: {Placement: {Tenancy: tenancy}}, dependsOn: []};
  return {params: {Placement: {Tenancy: 'host', HostId: {ref: PLAN_STEP.host, output: 'HostIds.0'}}}, dependsOn: [PLAN_STEP.host]};
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const choice = option ?? spec.instance.tenancy;
  if (choice === 'dedicated')
    return {
      tenancy: {
        aws: 'Runs your instances on hardware used by your account alone; AWS still decides which host they land on.',
        customer: 'You manage everything from the OS upwards and pay more for dedicated capacity, billed while instances run.',
        verify: 'Placement.Tenancy reports dedicated.',
      },
    };
  if (choice === 'host')
    return {
      tenancy: {
        aws: 'Allocates a whole physical server (a dedicated host) to your account and keeps other accounts off it.',
        customer: 'You manage host placement, capacity and bring-your-own licences, and pay for the whole host while it is allocated.',
        verify: 'Placement.Tenancy reports host, on the host allocated for this launch.',
      },
    };
  return {
    tenancy: {
      aws: 'Runs the instance on hardware shared with other accounts, kept apart by the hypervisor.',
      customer: "You manage everything from the OS upwards. Shared hardware suits most workloads, PCI DSS scopes included: AWS's attestation covers shared tenancy.",
      verify: 'Placement.Tenancy reports default.',
    },
  };
}

const FINDING_IDS = ['dedicated-tenancy-cost'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  const {tenancy} = spec.instance;
  if (tenancy === 'default') return [];
  return [
    {
      id: 'dedicated-tenancy-cost',
      severity: 'info',
      title: tenancy === 'host' ? 'Dedicated host costs' : 'Dedicated instance costs',
      explanation:
        tenancy === 'host'
          ? 'A dedicated host is billed whole for as long as it is allocated, whatever runs on it, and you manage its placement and licences. Release it when done (tandem destroy does).'
          : "Dedicated instances cost more than shared ones. Choose them when your own policy or a contract asks for single-tenant hardware: standards such as PCI DSS do not, since AWS's attestation covers shared tenancy.",
      control: 'tenancy',
      checkers: [],
    },
  ];
}

const rules: FieldRules = {'instance.tenancy': oneOf('Tenancy', TENANCIES)};

export const tenancyControl: ControlModule<(typeof FINDING_IDS)[number], 'tenancy', 'tenancy'> = {
  step: 'tenancy',
  stepTitle: 'Tenancy',
  rules,
  catalog: [
    {
      id: 'tenancy',
      step: 'tenancy',
      title: 'Tenancy',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Runs the instance on hardware shared with other accounts, kept apart by the hypervisor, or on single-tenant hardware if asked.',
      customer: 'Choose the tenancy your compliance scope needs. On every tenancy you manage everything from the OS upwards.',
      verify: "The instance's Placement.Tenancy matches your choice.",
      compliance: [
        "Single-tenant hardware answers a policy or contract that asks for it. It is not what FIPS 140 is about (that standard validates cryptographic modules), and AWS's PCI DSS attestation covers shared tenancy too.",
      ],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.instance.tenancy,
  panel,
  findings,
  planSteps: hostSteps,
  planOrder: 80,
};

/** What verification expects: the tenancy chosen, and for host tenancy the host allocated for it. */
export function tenancyExpectation(spec: LaunchSpec, allocatedHostId: string | undefined): {tenancy: string; hostId?: string; expected: string} {
  const {tenancy} = spec.instance;
  const hostId = tenancy === 'host' ? allocatedHostId : undefined;
  return {tenancy, hostId, expected: hostId ? `host (${hostId})` : tenancy};
}
