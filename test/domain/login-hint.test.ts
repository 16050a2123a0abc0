import {describe, expect, it} from 'vitest';
import {loginHint, sessionCommand, type Reach} from '../../source/domain/login-hint.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';

const reach: Reach = {host: '198.51.100.20', instanceId: 'i-0abc', keyPath: '/home/ops/.ssh/web-key.pem', region: 'eu-west-1'};
const spec = (change: (spec: LaunchSpec) => void) => {
  const next = defaultSpec('eu-west-1');
  next.securityGroup.ssh = '203.0.113.7/32';
  change(next);
  return next;
};

describe('loginHint: the right way in for each choice', () => {
  it('a created key: the file tandem wrote', () => {
    expect(
      loginHint(
        spec((s) => (s.keyPair = {mode: 'create', name: 'web-key', path: '~/.ssh/web-key.pem'})),
        reach,
      ),
    ).toBe('ssh -i /home/ops/.ssh/web-key.pem ec2-user@198.51.100.20');
  });

  it('an imported key: the private key beside the .pub, never the .pub itself', () => {
    expect(
      loginHint(
        spec((s) => (s.keyPair = {mode: 'import', name: 'mine', path: '~/.ssh/id_ed25519.pub'})),
        {...reach, keyPath: undefined},
      ),
    ).toBe('ssh -i ~/.ssh/id_ed25519 ec2-user@198.51.100.20');
  });

  it('an existing key pair: tandem names the pair, not a file it cannot know', () => {
    expect(
      loginHint(
        spec((s) => (s.keyPair = {mode: 'existing', name: 'team-key'})),
        {...reach, keyPath: undefined},
      ),
    ).toBe('ssh -i <the private key of key pair team-key> ec2-user@198.51.100.20');
  });

  it('no key or no SSH rule: the exact Session Manager command when it is on, else a role hint or no way in', () => {
    // The default spec has Session Manager on.
    const session = spec((s) => (s.keyPair = {mode: 'none'}));
    expect(loginHint(session, reach)).toBe('aws ssm start-session --target i-0abc --region eu-west-1');
    expect(sessionCommand(session, {...reach, profile: 'audit'})).toBe('aws ssm start-session --target i-0abc --region eu-west-1 --profile audit');
    expect(
      sessionCommand(
        spec((s) => (s.access.sessionManager = false)),
        reach,
      ),
    ).toBeUndefined();
    const withRole = spec((s) => {
      s.keyPair = {mode: 'none'};
      s.role = {mode: 'existing', name: 'WebRole'};
      s.access.sessionManager = false;
    });
    expect(loginHint(withRole, reach)).toBe(
      'aws ssm start-session --target i-0abc --region eu-west-1 (no key pair; Session Manager needs the role to allow it, e.g. AmazonSSMManagedInstanceCore)',
    );
    const closed = spec((s) => {
      s.keyPair = {mode: 'existing', name: 'team-key'};
      s.access.sessionManager = false;
    });
    closed.securityGroup.ssh = false;
    expect(loginHint(closed, reach)).toBe('no way in: no SSH rule, and no role for Session Manager');
  });

  it('a custom image does not promise ec2-user; no public address says where to log in from', () => {
    const ami = spec((s) => {
      s.instance.image = 'ami';
      s.keyPair = {mode: 'create', name: 'k', path: '/k.pem'};
    });
    expect(loginHint(ami, {...reach, host: undefined})).toBe('ssh -i /home/ops/.ssh/web-key.pem <user of your image>@<its private address>, from inside its VPC (it has no public address)');
  });
});
