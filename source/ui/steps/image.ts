import {SUGGESTED_TYPES} from '../../domain/controls/instance-type.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {StepScreen} from '../fields.js';
import {choiceField, textField} from './factories.js';

export const image: StepScreen = {
  id: 'image',
  intro: 'Which image the server boots from. AWS hardens and publishes Amazon Linux; keeping it patched after launch is yours.',
  fields: [
    choiceField({
      path: 'instance.image',
      label: 'Image',
      panel: true,
      source: (spec) => ({key: `images:${spec.instance.arch}`, what: 'latest Amazon Linux images', load: (d) => d.latestImages(spec.instance.arch)}),
      options: (spec, context) => {
        const state = context.discovery[`images:${spec.instance.arch}`];
        const images = state?.status === 'ready' ? (state.data as {al2023?: string; al2?: string}) : {};
        return [
          {value: 'al2023', label: 'Amazon Linux 2023, latest (public SSM parameter)', hint: images.al2023},
          {value: 'al2', label: 'Amazon Linux 2 (support ended 2026-06-30)', hint: images.al2},
          {value: 'ami', label: 'a specific AMI id…'},
        ];
      },
    }),
    textField({
      path: 'instance.amiId',
      label: 'AMI id',
      required: 'type the AMI id, e.g. ami-0123456789abcdef0',
      placeholder: 'ami-…',
      visible: (spec) => spec.instance.image === 'ami',
    }),
    choiceField({
      path: 'instance.arch',
      label: 'Architecture',
      choices: [
        ['x86_64', 'x86_64 (Intel and AMD)'],
        ['arm64', 'arm64 (Graviton)'],
      ],
      set: (spec, value) => {
        const arch = value as LaunchSpec['instance']['arch'];
        // Keep the instance type matching the architecture when it was one of our suggestions.
        const suggested: readonly string[] = SUGGESTED_TYPES[arch];
        const ours = [...SUGGESTED_TYPES.x86_64, ...SUGGESTED_TYPES.arm64] as readonly string[];
        const type = ours.includes(spec.instance.type) && !suggested.includes(spec.instance.type) ? suggested[0] : spec.instance.type;
        return {...spec, instance: {...spec.instance, arch, type}};
      },
    }),
  ],
};
