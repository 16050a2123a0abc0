// Filtering the role list by tag in the wizard: roles are listed without tags, so typing a tag
// filter (team=web) reads them, once, for the whole list, says so meanwhile, and then narrows the
// list to the tagged roles. A filter without '=' never reads tags.
import {afterEach, describe, expect, test} from 'vitest';
import type {DiscoveredRole, RoleTags} from '../../source/domain/cloud.js';
import {App} from '../../source/ui/app.js';
import {awsError, deferred, fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderAt, type, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};
// 100 roles tagged team=web, 20 tagged team=data; none of their names says which.
const NAMES = Array.from({length: 120}, (_, n) => `app-${String(n).padStart(4, '0')}-role`);
const teamOf = (name: string) => (Number(name.slice(4, 8)) < 100 ? 'web' : 'data');
const ROLES: DiscoveredRole[] = NAMES.map((name) => ({name, arn: `arn:aws:iam::123456789012:role/${name}`, instanceProfiles: [name]}));

function start(refuse?: Error) {
  const asked: string[][] = [];
  const answer = deferred<void>();
  const cloud = fakeCloud({
    discovery: {
      instanceRoles: async () => ROLES,
      roleTags: async (names, onPage) => {
        asked.push(names);
        if (refuse) throw refuse;
        const all: RoleTags[] = names.map((name) => ({name, tags: [`team=${teamOf(name)}`]}));
        onPage?.(all.slice(0, 10));
        await answer.promise;
        return all;
      },
    },
  });
  const app = renderAt(<App mode="live" cloud={cloud} identity={identity} makeLaunchId={() => 'l-20260101t120000-abcdef'} onExit={() => undefined} />, 100);
  return {app, asked, answer};
}

/** Steps 1–4 with Enter, then "an existing role…" and into its list. */
async function roleList(app: ReturnType<typeof start>['app']) {
  await waitForText(app, 'step 1 of');
  for (let step = 2; step <= 5; step++) {
    await press(app.stdin, KEY.enter);
    await waitForText(app, `step ${step} of`);
  }
  await press(app.stdin, KEY.down);
  await waitForText(app, '120 roles');
  await press(app.stdin, KEY.tab);
}

describe('the role list filtered by tag', () => {
  test('team=web reads the tags once, says so while it does, then shows the 100 tagged roles', async () => {
    const {app, asked, answer} = start();
    await roleList(app);
    await type(app.stdin, 'app-01');
    await waitForText(app, '20 of 120 roles');
    expect(asked).toEqual([]);

    for (let index = 0; index < 6; index++) await press(app.stdin, KEY.backspace);
    await type(app.stdin, 'team=web');
    await waitForText(app, 'reading tags: 10 of 120 roles…');
    expect(app.lastFrame()).toContain('10 of 120 roles  filter: team=web');
    expect(app.lastFrame()).not.toContain('nothing matches');
    answer.resolve();
    await waitForText(app, '100 of 120 roles  filter: team=web');
    expect(app.lastFrame()).not.toContain('reading tags');
    expect(asked).toEqual([NAMES]);

    // The tags are kept: another tag filter costs no more calls.
    for (let index = 0; index < 3; index++) await press(app.stdin, KEY.backspace);
    await type(app.stdin, 'data');
    await waitForText(app, '20 of 120 roles  filter: team=data');
    expect(asked).toHaveLength(1);
  });

  test('tags that cannot be read say why, and the filter still matches names', async () => {
    const {app, asked} = start(awsError('AccessDenied', 'not authorized to perform: iam:ListRoleTags'));
    await roleList(app);
    await type(app.stdin, 'team=web');
    await waitForText(app, 'tags unreadable (AccessDenied): names only');
    expect(asked).toHaveLength(1);
    expect(app.lastFrame()).toContain('0 of 120 roles  filter: team=web');
  });
});
