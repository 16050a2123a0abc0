// Inbound security-group rules as verification compares them: plain facts, written as text.
// Both the security-group and the ways-in modules judge them, so they live apart from either
// (the two modules would otherwise import each other).

import type {IngressFact} from './checker-facts.js';

/** One inbound rule as AWS reports it or tandem means to create it (the checkers' fact); source/aws/ turns SDK rules into these. */
export type GroupRule = IngressFact;

export function ruleText(rule: GroupRule): string {
  const ports = rule.protocol === 'all' ? '' : rule.fromPort === rule.toPort ? `/${rule.fromPort}` : `/${rule.fromPort}-${rule.toPort}`;
  return `${rule.protocol}${ports} from ${rule.source}`;
}

export function covers(rule: GroupRule, port: number): boolean {
  const tcpOrUdp = rule.protocol === 'all' || rule.protocol === 'tcp' || rule.protocol === 'udp' || rule.protocol === '6' || rule.protocol === '17';
  return tcpOrUdp && rule.fromPort <= port && port <= rule.toPort;
}
