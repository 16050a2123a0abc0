import type {StepScreen} from '../fields.js';

export const isolation: StepScreen = {
  id: 'isolation',
  intro: 'Nothing to choose here: this part of security is entirely AWS’s, and you inherit it.',
  fields: [],
  notes: [
    'Your instance runs on a hypervisor (Nitro on current families, Xen on older ones) that keeps it apart from other customers’ instances on the same host.',
    'Before a disk block or a page of memory is given to anyone else, AWS wipes it.',
    'No API call can show this; the evidence is AWS’s third-party audit reports (SOC 2, ISO 27001), which you can download from AWS Artifact.',
  ],
};
