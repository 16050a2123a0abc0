// Security-group rules as comparable text, and the checks Security Hub runs on them:
// EC2.13 (22 open to the world), EC2.19 (high-risk ports open to the world). Pure: no SDK calls.
import type {SecurityGroupRule} from '@aws-sdk/client-ec2';
import {wantsInstanceConnect} from '../domain/controls/ways-in.js';
import type {LaunchSpec} from '../domain/spec.js';

/** Ports Security Hub EC2.19 treats as high risk when reachable from 0.0.0.0/0 or ::/0. */
export const HIGH_RISK_PORTS = [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300] as const;

export interface IngressRule {
  protocol: string;
  fromPort: number;
  toPort: number;
  source: string;
}

export function ruleText(rule: IngressRule): string {
  const ports = rule.protocol === 'all' ? '' : rule.fromPort === rule.toPort ? `/${rule.fromPort}` : `/${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol}${ports} from ${rule.source}`;
}

export function fromSdkRule(rule: SecurityGroupRule): IngressRule {
  const protocol = rule.IpProtocol === '-1' ? 'all' : (rule.IpProtocol ?? 'all');
  const all = protocol === 'all';
  return {
    protocol,
    fromPort: all ? 0 : (rule.FromPort ?? 0),
    toPort: all ? 65535 : (rule.ToPort ?? 65535),
    source: rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? 'unknown source',
  };
}

/** The inbound rules the spec asks for when tandem creates the group (with the Instance Connect list the launch found). */
export function intendedRules(spec: LaunchSpec, resolved: {instanceConnectPrefixListId?: string} = {}): IngressRule[] {
  const rules: IngressRule[] = [];
  const add = (port: number, cidr: string | false) => {
    if (cidr) rules.push({protocol: 'tcp', fromPort: port, toPort: port, source: cidr});
  };
  add(80, spec.securityGroup.http);
  add(443, spec.securityGroup.https);
  add(22, spec.securityGroup.ssh);
  if (wantsInstanceConnect(spec)) add(22, resolved.instanceConnectPrefixListId ?? 'the EC2 Instance Connect prefix list (not recorded)');
  return rules;
}

function isWorld(source: string): boolean {
  return source === '0.0.0.0/0' || source === '::/0';
}

export function covers(rule: IngressRule, port: number): boolean {
  const tcpOrUdp = rule.protocol === 'all' || rule.protocol === 'tcp' || rule.protocol === 'udp' || rule.protocol === '6' || rule.protocol === '17';
  return tcpOrUdp && rule.fromPort <= port && port <= rule.toPort;
}

export interface ExposureProblem {
  /** Finding id that can be accepted as a risk in the spec. */
  finding: 'ssh-open-to-internet' | 'high-risk-port-open';
  port: number;
  checker: string;
}

/** World-open rules on 22 (EC2.13) or another high-risk port (EC2.19). */
export function exposures(rules: readonly IngressRule[]): ExposureProblem[] {
  const problems: ExposureProblem[] = [];
  for (const port of HIGH_RISK_PORTS) {
    if (!rules.some((rule) => isWorld(rule.source) && covers(rule, port))) continue;
    problems.push(port === 22 ? {finding: 'ssh-open-to-internet', port, checker: 'EC2.13'} : {finding: 'high-risk-port-open', port, checker: 'EC2.19'});
  }
  return problems;
}

/** One exposure as the verification row says it: the port, the checker, and whether it was accepted. */
export function exposureText(exposure: ExposureProblem, accepted: boolean | undefined): string {
  const base = `port ${exposure.port} open to the internet (${exposure.checker})`;
  if (accepted === undefined) return base;
  return `${base}, ${accepted ? 'accepted' : 'NOT accepted'} risk ${exposure.finding}`;
}

/**
 * What the group should leave open to the internet, from the rules tandem meant to create (or,
 * for a group it reuses, the risks the spec accepted): never "nothing risky" when the launch
 * itself opens a high-risk port.
 */
export function internetExpectation(intended: readonly IngressRule[] | undefined, accepted: (finding: string) => boolean): string {
  if (intended) {
    const risky = exposures(intended);
    if (risky.length === 0) return 'nothing risky open to the internet';
    return risky.map((exposure) => exposureText(exposure, accepted(exposure.finding))).join(', ');
  }
  const allowed = (['ssh-open-to-internet', 'high-risk-port-open'] as const).filter(accepted);
  return allowed.length === 0 ? 'nothing risky open to the internet' : `nothing risky open to the internet beyond the accepted risks ${allowed.join(', ')}`;
}
