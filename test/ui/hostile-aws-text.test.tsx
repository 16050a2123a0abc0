// Names, ids, codes and messages come from whoever controls the AWS account. Whatever bytes they
// hold (an escape sequence, an OSC 8 hyperlink, an 8-bit C1 control), they reach the screen as
// visible text: no byte of them can drive the terminal.
import {afterEach, describe, expect, test} from 'vitest';
import type {LaunchEvent} from '../../source/domain/cloud.js';
import type {FleetEvent} from '../../source/domain/fleet.js';
import {App} from '../../source/ui/app.js';
import {FleetProgress} from '../../source/ui/fleet-progress.js';
import {initialFleetProgress, reduceFleetProgress} from '../../source/ui/fleet-progress-state.js';
import {fakeCloud, type FakeCloud} from './fake-cloud.js';
import {cleanupAll, enterUntil, KEY, press, renderAt, waitForText} from './helpers.js';
import {publicWebServerSpec} from '../support/launch-specs.js';

afterEach(() => cleanupAll());

/** A clear screen (CSI), a hyperlink (OSC 8, BEL-terminated), an 8-bit CSI and a C1 NEL. */
const HOSTILE = 'x\u001B[2J\u001B]8;;https://attacker.example/\u0007link\u001B]8;;\u0007\u009B31m\u0085y';
/** How it reads on the screen: every control a visible \xNN. */
const SHOWN = 'x\\x1b[2J\\x1b]8;;https://attacker.example/\\x07link\\x1b]8;;\\x07\\x9b31m\\x85y';

/** Every byte a terminal would act on: C0 but the line break, DEL and C1. */
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

function start(cloud: FakeCloud, columns = 200) {
  const instance = renderAt(
    <App mode="live" cloud={cloud} identity={identity} initialSpec={publicWebServerSpec()} makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} />,
    columns,
  );
  return {...instance, frame: () => instance.lastFrame() ?? ''};
}

/** The frame on one line, so a name the layout wrapped still reads whole. */
const flat = (frame: string) => frame.replace(/\s+/g, '');

describe('AWS text on the screens', () => {
  test('a VPC named with escape sequences and C1 controls shows in the step list as text', async () => {
    const app = start(fakeCloud({discovery: {vpcs: async () => [{id: 'vpc-0evil', cidr: '10.9.0.0/16', isDefault: false, name: HOSTILE}]}}));
    await enterUntil(app, 'step 4 of 12');
    await press(app.stdin, KEY.down, 2);
    await waitForText(app, 'vpc-0evil');
    expect(flat(app.frame())).toContain(flat(SHOWN));
    expect(app.frame()).not.toMatch(CONTROL);
  });

  test('resource ids, AWS codes and messages in the progress view and its rollback show as text', async () => {
    const cloud = fakeCloud({
      script: async (spec, plan, options) => {
        const step = plan.steps[plan.steps.length - 1];
        const emit = (event: LaunchEvent) => options.onEvent(event);
        emit({type: 'step-started', stepId: step.id, action: step.action});
        emit({type: 'step-failed', stepId: step.id, code: `Code${HOSTILE}`, message: `message ${HOSTILE}`, ms: 900});
        emit({type: 'rollback-started', launchId: options.launchId});
        emit({type: 'resource-deleted', resource: {kind: 'security-group', id: `sg-${HOSTILE}`, stepId: 'security-group', region: 'us-east-1'}});
        emit({type: 'resource-delete-failed', resource: {kind: 'vpc', id: `vpc-${HOSTILE}`, stepId: 'vpc', region: 'us-east-1'}, code: `Denied${HOSTILE}`, message: 'no'});
        emit({type: 'summary', launchId: options.launchId, status: 'failed'});
        return {launchId: options.launchId, status: 'failed', resources: []};
      },
    });
    const app = start(cloud);
    await enterUntil(app, 'What next');
    for (let guard = 0; !app.frame().includes('› Launch') && guard < 15; guard++) await press(app.stdin, KEY.down);
    await press(app.stdin, KEY.enter);
    await waitForText(app, `vpc-x\\x1b`);
    const frame = flat(app.frame());
    expect(frame).toContain(flat(`removed security-group sg-${SHOWN}`));
    expect(frame).toContain(flat(`✗ vpc vpc-${SHOWN}: Denied${SHOWN}`));
    expect(app.frame()).not.toMatch(CONTROL);
  });

  test('account, region and reason of a fleet target show as text', () => {
    const targets = [{account: `1111${HOSTILE}`, region: 'us-east-1'}];
    const events: FleetEvent[] = [
      {type: 'preflight', ok: true, problems: []},
      {type: 'operation-started', action: 'create', operationId: 'op-1', targets},
      {type: 'target', operationId: 'op-1', account: targets[0].account, region: 'us-east-1', status: 'failed', reason: `quota ${HOSTILE}`},
    ];
    const state = events.reduce(reduceFleetProgress, initialFleetProgress(`web${HOSTILE}`, targets));
    const frame = renderAt(<FleetProgress state={state} />, 200).lastFrame() ?? '';
    // The target's column is 26 wide: its start is enough to read.
    expect(frame).toContain('1111x\\x1b[2J\\x1b]8;;');
    expect(flat(frame)).toContain(flat(`Fleet web${SHOWN}`));
    expect(flat(frame)).toContain(flat(`failed: quota ${SHOWN}`));
    expect(frame).not.toMatch(CONTROL);
  });
});
