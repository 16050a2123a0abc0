// The instance type (docs/design.md section 1): the customer's alone; it must match the image's
// architecture.
import type {ControlModule, PanelEdits} from './control.js';
import type {Arch, LaunchSpec} from '../spec.js';
import {show, type FieldRules} from '../field-rules.js';
import {archForInstanceType, isMacFamily, parseInstanceType} from '../instance-types.js';

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

function instanceType(value: unknown, spec: LaunchSpec): string | undefined {
  const parsed = typeof value === 'string' ? parseInstanceType(value) : undefined;
  if (!parsed) return `Instance type ${show(value)} is not an instance type name; expected family.size, like t3.micro or m7g.large.`;
  if (isMacFamily(parsed.family)) return `Instance type ${show(value)} runs macOS on a dedicated Mac host; tandem launches Amazon Linux, so choose a Linux type such as t3.micro.`;
  const needs = archForInstanceType(value as string);
  if (needs && needs !== spec.instance.arch) {
    const hint = needs === 'arm64' ? 'Graviton (arm64)' : 'x86_64';
    return `Instance type ${show(value)} is ${hint} but the image is ${spec.instance.arch}; choose a ${spec.instance.arch === 'arm64' ? 'Graviton type such as t4g.micro' : 'type such as t3.micro'} or switch the image to ${needs}.`;
  }
  return undefined;
}

const rules: FieldRules = {'instance.type': instanceType};

export const instanceTypeControl: ControlModule<never, 'instance-type', 'instance-type'> = {
  step: 'instance-type',
  stepTitle: 'Instance type',
  rules,
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

/** What verification expects: the instance runs the type chosen. */
export function instanceTypeExpectation(spec: LaunchSpec): {type: string; expected: string} {
  return {type: spec.instance.type, expected: spec.instance.type};
}
