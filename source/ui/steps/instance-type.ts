import {instanceTypeChoice, OTHER_TYPE, suggestedTypes} from '../../domain/controls/instance-type.js';
import {detailedMonitoringOn, withDetailedMonitoring} from '../../domain/controls/monitoring.js';
import type {StepScreen} from '../fields.js';
import {choiceField, setAt, textField} from './factories.js';

export const instanceType: StepScreen = {
  id: 'instance-type',
  intro: 'The size of the server. It must match the image architecture.',
  fields: [
    // The list needs no check of its own: its suggestions fit the architecture, and "another
    // type" hands the checking to the field below, where the error belongs.
    choiceField({
      path: 'instance.type',
      label: 'Instance type',
      panel: true,
      options: (spec) => [...suggestedTypes(spec).map((type) => ({value: type, label: type})), {value: OTHER_TYPE, label: 'another type…'}],
      get: (spec) => instanceTypeChoice(spec),
      set: (spec, value) => setAt(spec, 'instance.type', value === OTHER_TYPE ? '' : value),
    }),
    textField({
      id: 'instance.type.other',
      path: 'instance.type',
      label: 'Type',
      required: 'type an instance type, e.g. t3.nano',
      placeholder: 't3.nano',
      visible: (spec) => instanceTypeChoice(spec) === OTHER_TYPE,
    }),
    textField({path: 'instance.name', label: 'Name tag', required: 'give the server a name, e.g. web-1'}),
  ],
  // Detailed monitoring (controls/monitoring.ts), on by default: a key rather than a list, so the
  // type list keeps its lines; its card beside the list says what is chosen and what it costs.
  toggle: {
    key: 'm',
    help: 'monitoring',
    flip: (spec) => withDetailedMonitoring(spec, !detailedMonitoringOn(spec)),
  },
};
