// The review in a terminal short of lines (80×24 and 40×15): every line of its details (the
// pre-flight block, the launch, the drawing, the findings, the API calls) can be brought on
// screen with PgUp/PgDn, and every action can be reached, with a mark saying what is hidden.
import {afterEach, describe, expect, test} from 'vitest';
import type {PreflightResult} from '../../source/domain/preflight.js';
import {findingsFor} from '../../source/domain/findings.js';
import {buildPlan, orderedSteps} from '../../source/domain/plan.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {App} from '../../source/ui/app.js';
import {fakeCloud} from './fake-cloud.js';
import {cleanupAll, KEY, press, renderSized, waitForText} from './helpers.js';

afterEach(() => cleanupAll());

const PGUP = '\u001B[5~';
const PGDN = '\u001B[6~';
const identity = {account: '123456789012', arn: 'arn:aws:iam::123456789012:user/ops', region: 'us-east-1'};

/** Eight problems: a pre-flight block taller than the review's window at 80×24. */
const PROBLEMS: PreflightResult[] = Array.from({length: 8}, (_, index) => ({
  check: 'security-group-name',
  status: 'fail',
  field: `field${index + 1}`,
  detail: `problem number ${index + 1} found in the account`,
  fix: 'change it',
}));

function start(columns: number, rows: number) {
  const spec = defaultSpec('us-east-1');
  const cloud = {...fakeCloud(), preflight: async () => ({references: [], results: PROBLEMS})};
  const app = renderSized(<App mode="live" cloud={cloud} identity={identity} initialSpec={spec} startAtReview onExit={() => undefined} />, columns, rows);
  return {...app, spec, frame: () => app.lastFrame() ?? ''};
}

const SIZES: Array<[number, number]> = [
  [80, 24],
  [40, 15],
];

describe.each(SIZES)('the review at %i×%i', (columns, rows) => {
  test('PgDn brings every line of the details on screen, PgUp goes back to the top, and the frame fits', async () => {
    const app = start(columns, rows);
    await waitForText(app, 'pre-flight found 8 problems');
    const steps = orderedSteps(buildPlan(app.spec));
    const wanted = [
      'Pre-flight',
      ...PROBLEMS.map((problem) => `${problem.field}:`),
      'Your launch',
      'metadata',
      'Resources and who owns them',
      'run by AWS',
      'Findings (',
      'API calls, in order',
      ...steps.map((step, index) => `${index + 1}. ${step.service}:${step.action}`),
    ];
    const seen = new Set<string>();
    const look = () => {
      const frame = app.frame();
      expect(frame.split('\n').length).toBeLessThanOrEqual(rows);
      for (const text of wanted) if (frame.includes(text)) seen.add(text);
    };
    look();
    for (let page = 0; page < 200 && seen.size < wanted.length; page++) {
      await press(app.stdin, PGDN);
      look();
    }
    expect(wanted.filter((text) => !seen.has(text))).toEqual([]);
    for (let page = 0; page < 200 && !app.frame().includes('Nothing has been created'); page++) await press(app.stdin, PGUP);
    expect(app.frame()).toContain('Nothing has been created');
    expect(app.frame()).not.toMatch(/↑ \d+ more/);
  });

  test('every action can be reached on the list, Back and Quit included', async () => {
    const app = start(columns, rows);
    await waitForText(app, 'pre-flight found 8 problems');
    // Where the list is cut, a mark says how many actions are below.
    if (rows === 15 || !app.frame().includes('Quit')) expect(app.frame()).toMatch(/Save as profile\s*\n\s*↓ 2 more/);
    for (const action of ['Save as profile', 'Back', 'Quit']) {
      await press(app.stdin, KEY.down);
      expect(app.frame()).toContain(`› ${action}`);
    }
  });

  test('on the findings, ↑/↓ bring every finding and every line of its explanation on screen', async () => {
    const app = start(columns, rows);
    await waitForText(app, 'pre-flight found 8 problems');
    await press(app.stdin, KEY.tab);
    const findings = findingsFor(app.spec).filter((finding) => !finding.accepted);
    // The last words of each explanation: a finding taller than the window is read to its end.
    const wanted = findings.flatMap((finding) => [finding.title.slice(0, 20), finding.explanation.split(' ').slice(-2).join(' ')]);
    const seen = new Set<string>();
    const look = () => {
      const frame = app.frame().replace(/\s+/g, ' ');
      for (const text of wanted) if (frame.includes(text)) seen.add(text);
    };
    look();
    for (let key = 0; key < 300 && seen.size < wanted.length; key++) {
      await press(app.stdin, KEY.down);
      look();
    }
    expect(wanted.filter((text) => !seen.has(text))).toEqual([]);
  });
});
