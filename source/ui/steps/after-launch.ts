import type {StepScreen} from '../fields.js';

export const afterLaunch: StepScreen = {
  id: 'after-launch',
  intro: 'Nothing to choose here: once the server runs, most of its security is yours.',
  fields: [],
  notes: [
    'Patch the operating system and packages on a schedule; the panel says how for the image you chose.',
    'Secure the web application itself: its code, its dependencies, its users and their passwords.',
    'AWS keeps protecting the stored public key and the instance configuration on its side.',
  ],
};
