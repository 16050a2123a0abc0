import {describe, expect, it} from 'vitest';
import {fromSdkRule} from '../../source/aws/verify-rules.js';
import {exposures, intendedRules} from '../../source/domain/controls/security-group.js';
import {ruleText} from '../../source/domain/group-rules.js';
import {defaultSpec} from '../../source/domain/spec.js';

describe('security group rules', () => {
  it('turns the spec into the exact rules tandem creates', () => {
    const spec = defaultSpec();
    spec.securityGroup = {...spec.securityGroup, http: '0.0.0.0/0', https: '0.0.0.0/0', ssh: '198.51.100.4/32'};
    expect(intendedRules(spec).map(ruleText)).toEqual(['tcp/80 from 0.0.0.0/0', 'tcp/443 from 0.0.0.0/0', 'tcp/22 from 198.51.100.4/32']);
  });

  it('writes SDK rules as comparable text', () => {
    expect(ruleText(fromSdkRule({IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv6: '::/0'}))).toBe('all from ::/0');
    expect(ruleText(fromSdkRule({IpProtocol: 'tcp', FromPort: 1000, ToPort: 2000, ReferencedGroupInfo: {GroupId: 'sg-1'}}))).toBe('tcp/1000-2000 from sg-1');
  });

  it('flags world-open SSH (EC2.13) and other high-risk ports (EC2.19), not web ports (EC2.18)', () => {
    const rule = (from: number, to: number, source = '0.0.0.0/0', protocol = 'tcp') => ({protocol, fromPort: from, toPort: to, source});
    expect(exposures([rule(80, 80), rule(443, 443)])).toEqual([]);
    expect(exposures([rule(22, 22, '203.0.113.9/32')])).toEqual([]);
    expect(exposures([rule(22, 22)])).toEqual([{finding: 'ssh-open-to-internet', port: 22, checker: 'EC2.13'}]);
    expect(exposures([rule(3300, 3400, '::/0')]).map((e) => e.port)).toEqual([3306, 3389]);
    expect(exposures([rule(0, 65535, '0.0.0.0/0', 'all')]).length).toBe(24);
    expect(exposures([rule(8, 8, '0.0.0.0/0', 'icmp')])).toEqual([]);
  });
});
