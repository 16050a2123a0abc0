// Isolation (docs/design.md section 1): what AWS does alone and the customer inherits. Nothing
// to choose, nothing to find in a spec; only AWS's attestation reports show it works.
import {ATTESTATION, type ControlModule} from './control.js';

export const isolationControl: ControlModule<never, 'hypervisor-isolation' | 'media-sanitization', 'isolation'> = {
  step: 'isolation',
  stepTitle: 'Isolation',
  catalog: [
    {
      id: 'hypervisor-isolation',
      step: 'isolation',
      title: 'Hypervisor isolation',
      owner: 'AWS',
      kind: 'inherited',
      aws: "Keeps your instance apart from other customers' instances with the hypervisor: Xen in older families, the Nitro System today.",
      customer: 'Nothing to configure: you inherit this control. Keep the AWS audit reports as your evidence.',
      verify: ATTESTATION,
      compliance: ['Older instance families run on a customised Xen hypervisor; current families run on Nitro.'],
    },
    {
      id: 'media-sanitization',
      step: 'isolation',
      title: 'Disk and memory sanitization',
      owner: 'AWS',
      kind: 'inherited',
      aws: 'Wipes every disk block before another customer can use it, and scrubs memory before it is reused.',
      customer: 'Nothing to configure: you inherit this control. Delete data and snapshots you no longer need.',
      verify: ATTESTATION,
      compliance: [],
    },
  ],
  findingIds: [],
  unchecked: {
    'hypervisor-isolation': {expected: 'AWS isolates instances with the hypervisor (Nitro or Xen)', by: 'attestation'},
    'media-sanitization': {expected: 'AWS wipes disk blocks and scrubs memory before reuse', by: 'attestation'},
  },
};
