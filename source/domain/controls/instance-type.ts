// The instance type (docs/design.md section 1): the customer's alone; it must match the image's
// architecture.
import type {ControlModule, PanelEdits} from './control.js';
import {OTHER_TYPE} from '../choices.js';
import type {LaunchSpec} from '../spec.js';

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
