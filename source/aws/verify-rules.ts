// Security-group rules as AWS reports them, turned into the plain facts the security-group and
// ways-in modules judge (source/domain/group-rules.ts). Pure: no SDK calls.
import type {SecurityGroupRule} from '@aws-sdk/client-ec2';
import type {GroupRule} from '../domain/group-rules.js';

export function fromSdkRule(rule: SecurityGroupRule): GroupRule {
  const protocol = rule.IpProtocol === '-1' ? 'all' : (rule.IpProtocol ?? 'all');
  const all = protocol === 'all';
  return {
    protocol,
    fromPort: all ? 0 : (rule.FromPort ?? 0),
    toPort: all ? 65535 : (rule.ToPort ?? 65535),
    source: rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? 'unknown source',
  };
}
