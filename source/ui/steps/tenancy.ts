import type {StepScreen} from '../fields.js';
import {choiceField} from './factories.js';

export const tenancy: StepScreen = {
  id: 'tenancy',
  intro: 'Whose hardware the server shares. Shared hardware is isolated by the hypervisor; pick single-tenant hardware when your own policy or a contract asks for it.',
  fields: [
    choiceField({
      path: 'instance.tenancy',
      label: 'Tenancy',
      panel: true,
      choices: [
        ['default', 'shared hardware (default)'],
        ['dedicated', 'dedicated instance (hardware only for your account)'],
        ['host', 'dedicated host (a whole physical server you control)'],
      ],
    }),
  ],
};
