import type {StepScreen} from '../fields.js';
import {choiceField, setAt} from './factories.js';

export const metadata: StepScreen = {
  id: 'metadata',
  intro: 'How software on the server reaches the instance metadata service, which hands out the role’s credentials.',
  fields: [
    choiceField({
      path: 'instance.imds',
      label: 'Metadata service',
      panel: true,
      choices: [
        ['required', 'IMDSv2 only: session tokens required'],
        ['optional', 'IMDSv1 and IMDSv2 (tokens optional)'],
      ],
    }),
    choiceField({
      path: 'instance.hopLimit',
      label: 'Hop limit',
      choices: [
        ['1', '1: tokens never leave the instance'],
        ['2', '2: one extra hop, for containers'],
      ],
      set: (spec, value) => setAt(spec, 'instance.hopLimit', Number(value)),
    }),
  ],
};
