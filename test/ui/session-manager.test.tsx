// Enter through every screen now reaches a review whose way in is Session Manager (a
// role made for it, no key, no port 22), and the key pair screen offers it with its panel.
import {afterEach, describe, expect, test} from 'vitest';
import {App} from '../../source/ui/app.js';
import {cleanupAll, enterUntil, renderAt} from './helpers.js';

afterEach(() => cleanupAll());

const flat = (frame: string) => frame.replace(/\s+/g, ' ');

function start(columns = 110) {
  const instance = renderAt(<App mode="explain" onExit={() => {}} />, columns);
  return {...instance, frame: () => instance.lastFrame() ?? ''};
}

describe('Session Manager, the default way in', () => {
  test('the key pair screen offers it, on, with who owns what in the panel', async () => {
    const app = start();
    await enterUntil(app, 'step 9 of 12');
    const frame = flat(app.frame());
    expect(frame).toContain('Session Manager');
    expect(frame).toContain('on: a shell through Systems Manager');
    // The panel: AWS runs the service and ships the agent; you decide who may start a session.
    expect(frame).toMatch(/agent already installed in Amazon Linux 2023/);
    expect(frame).toMatch(/ssm:StartSession/);
  });

  test('the review of the default launch names the new way in, the role made for it, and no key', async () => {
    const app = start();
    await enterUntil(app, 'What next');
    const frame = flat(app.frame());
    expect(frame).toContain('role create tandem-ssm-web-1 with AmazonSSMManagedInstanceCore only (for Session Manager)');
    expect(frame).toContain('key pair none');
    expect(frame).toContain('way in Session Manager (no open port, no key)');
    expect(frame).toContain('no SSH');
    expect(frame).toContain('iam:AttachRolePolicy');
    expect(frame).toContain('Internet-facing instance with a role');
  });
});
