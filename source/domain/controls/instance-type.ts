// The instance type (docs/design.md section 1): the customer's alone; it must match the image's
// architecture.
import type {ControlModule, PanelEdits} from './control.js';
import type {Arch, LaunchSpec} from '../spec.js';

/** The instance types the wizard suggests for each architecture; anything else is typed. */
export const SUGGESTED_TYPES = {
  x86_64: ['t3.micro', 't3.small', 't3.medium', 'm7i.large', 'c7i.large'],
  arm64: ['t4g.micro', 't4g.small', 't4g.medium', 'm7g.large', 'c7g.large'],
} as const satisfies Record<Arch, readonly string[]>;

/** The instance-type list's last option: type a name that is not suggested. */
export const OTHER_TYPE = 'other';

export function suggestedTypes(spec: LaunchSpec): readonly string[] {
  return SUGGESTED_TYPES[spec.instance.arch];
}

export function instanceTypeChoice(spec: LaunchSpec): string {
  return suggestedTypes(spec).includes(spec.instance.type) ? spec.instance.type : OTHER_TYPE;
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  // "another type…" explains the typed type once there is one, never the word "other".
  const picked = option === OTHER_TYPE ? spec.instance.type : (option ?? spec.instance.type);
  const type = picked && picked !== OTHER_TYPE ? picked : 'the type you type';
  return {
    'instance-type': {
      customer: `${type}: check that it fits the load and runs ${spec.instance.arch} images, like the image you picked.`,
      verify: `The instance's InstanceType is ${type}.`,
    },
  };
}

export const instanceTypeControl: ControlModule<never, 'instance-type', 'instance-type'> = {
  step: 'instance-type',
  stepTitle: 'Instance type',
  catalog: [
    {
      id: 'instance-type',
      step: 'instance-type',
      title: 'Instance type',
      owner: 'Customer',
      kind: 'customer-specific',
      aws: 'Offers the instance families and sizes and runs the hardware behind them.',
      customer: "Pick a type that fits the load and matches the image's architecture (x86_64 or arm64).",
      verify: "The instance's InstanceType equals the type you chose.",
      compliance: [],
    },
  ],
  findingIds: [],
  option: (spec) => spec.instance.type,
  panel,
};
