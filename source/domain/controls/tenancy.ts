// Tenancy (docs/design.md section 1): shared hardware, a dedicated instance, or a dedicated host.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import type {LaunchSpec} from '../spec.js';

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
      customer: 'You manage everything from the OS upwards; shared hardware suits most workloads outside strict compliance scopes.',
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

export const tenancyControl: ControlModule<(typeof FINDING_IDS)[number]> = {
  step: 'tenancy',
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
};
