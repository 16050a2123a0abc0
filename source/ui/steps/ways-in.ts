// The ways in that open no port to the world, as the wizard asks for them. Their control is the
// ways-in module (source/domain/controls/ways-in.ts); the fields sit on the screens where the
// choice is made: Session Manager beside the key pair, Instance Connect beside the port-22 rule.
import {instanceConnectChoice, instanceConnectListName, sessionChoice, withAccess} from '../../domain/controls/ways-in.js';
import type {ChoiceField} from '../fields.js';
import {choiceField, options} from './factories.js';

export const sessionManagerField: ChoiceField = choiceField({
  path: 'access.sessionManager',
  label: 'Session Manager',
  panel: true,
  choices: [
    ['ssm-on', 'on: a shell through Systems Manager, no open port, no key'],
    ['ssm-off', 'off'],
  ],
  get: sessionChoice,
  set: (spec, value) => withAccess(spec, {sessionManager: value === 'ssm-on'}),
});

/** Instance Connect, shown only while tandem creates the group (`visible`: the screen's own test). */
export function instanceConnectField(visible: ChoiceField['visible']): ChoiceField {
  return choiceField({
    path: 'access.instanceConnect',
    label: 'EC2 Instance Connect',
    panel: true,
    visible,
    options: (spec) =>
      options([
        ['instance-connect-off', 'off'],
        ['instance-connect-on', `on: port 22 only from the Instance Connect service (${instanceConnectListName(spec.region)})`],
      ]),
    get: instanceConnectChoice,
    set: (spec, value) => withAccess(spec, {instanceConnect: value === 'instance-connect-on'}),
  });
}
