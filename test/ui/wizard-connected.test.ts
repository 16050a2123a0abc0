// What the connection decides is laid over the wizard's state, never copied into it by an effect:
// live once there is a Cloud, and the spec in the region the credentials resolved to.
import {describe, expect, test} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {connected} from '../../source/ui/wizard/mode.js';
import {initialWizard, wizardReducer} from '../../source/ui/wizard-state.js';

describe('the wizard as the connection has it', () => {
  const offline = initialWizard({spec: defaultSpec('us-east-1')});

  test('unchanged (the same object) while nothing differs', () => {
    expect(connected(offline, false, undefined)).toBe(offline);
    expect(connected(offline, false, 'us-east-1')).toBe(offline);
  });

  test('live, in the account region, from the first frame that has them', () => {
    const state = connected(offline, true, 'eu-west-1');
    expect(state.live).toBe(true);
    expect(state.spec.region).toBe('eu-west-1');
    expect(state.spec.instance).toBe(offline.spec.instance);
  });

  test('a resumed draft from another region is shown in the account region while connected', () => {
    const resumed = wizardReducer(offline, {type: 'resume', spec: defaultSpec('ap-south-1'), step: 3});
    expect(connected(resumed, true, 'eu-west-1').spec.region).toBe('eu-west-1');
    // Offline, the draft keeps the region it was written in.
    expect(connected(resumed, false, undefined).spec.region).toBe('ap-south-1');
  });
});
