// At 40×15 what a region hides is always said, once: a list cut at the bottom of a step that
// also hides fields below it says both on one "↓" mark, and a filtered list too short for marks
// on lines of their own says them on its count line.
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderSized, type, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
const ROLES = Array.from({length: 200}, (_, n) => ({name: `app-${String(n).padStart(4, '0')}-role`, arn: `arn:aws:iam::123456789012:role/app-${n}`, instanceProfiles: [`app-${n}`]}));

function start() {
  const cloud = fakeCloud({discovery: {instanceRoles: async () => ROLES}});
  const app = renderSized(<App mode="live" cloud={cloud} identity={identity} onExit={() => undefined} />, 40, 15);
  return {...app, frame: () => app.lastFrame() ?? ''};
}

const downMarks = (frame: string) => frame.split('\n').filter((line) => /↓ ?\d/.test(line));

describe('marks at 40×15', () => {
  test('the instance type list and the name field below it share one ↓ mark', async () => {
    const app = start();
    await press(app.stdin, KEY.enter, 2);
    await waitForText(app, 'step 3 of 12');
    expect(app.frame()).toContain('↓ 4 more · 1 more field below');
    expect(downMarks(app.frame())).toHaveLength(1);
  });

  test('a filtered list of 100 roles says how many are hidden, above and below', async () => {
    const app = start();
    await press(app.stdin, KEY.enter, 4);
    await waitForText(app, 'step 5 of 12');
    await press(app.stdin, KEY.down);
    await press(app.stdin, KEY.tab);
    await waitForText(app, '200 roles');
    await type(app.stdin, 'app-01');
    await waitForText(app, '100 of 200 roles');
    expect(app.frame()).toMatch(/↓ ?99\b/);
    await press(app.stdin, KEY.down, 3);
    expect(app.frame()).toMatch(/↑ ?\d+/);
    expect(app.frame()).toMatch(/↓ ?9\d\b/);
    expect(app.frame().split('\n').length).toBeLessThanOrEqual(15);
  });
});
