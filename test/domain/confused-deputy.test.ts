// Prowler's confused-deputy check on the instance role: the trust policy tandem writes fails it,
// tandem predicts that before launch, says why it cannot apply to ec2.amazonaws.com, and offers the
// reason to accept it (the review's prompt, --accept-risk with the bare id, the --yes refusal line).
import {describe, expect, it} from 'vitest';
import {trustLeavesServiceUnscoped} from '../../source/domain/checker-rules.js';
import {factsFromSpec} from '../../source/domain/checker-facts.js';
import {findChecker} from '../../source/domain/checkers.js';
import {CONFUSED_DEPUTY_REASON} from '../../source/domain/controls/role.js';
import {findingsFor} from '../../source/domain/findings.js';
import {trustPolicy} from '../../source/domain/plan-iam.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {withAcceptedRisks} from '../../source/commands/accept-risk.js';
import type {LiveChecker} from '../../source/domain/checker-kit.js';

const ec2Trust = (condition?: object) => ({
  Version: '2012-10-17',
  Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole', ...(condition ? {Condition: condition} : {})}],
});

describe("Prowler's confused-deputy rule", () => {
  it('fails a service role with no source condition, passes one tied to an account, and ignores roles that are not service roles', () => {
    expect(trustLeavesServiceUnscoped(ec2Trust())).toBe(true);
    expect(trustLeavesServiceUnscoped(ec2Trust({StringEquals: {'aws:SourceAccount': '111122223333'}}))).toBe(false);
    expect(trustLeavesServiceUnscoped(ec2Trust({ArnLike: {'AWS:SourceArn': 'arn:aws:ec2:us-east-1:111122223333:instance/*'}}))).toBe(false);
    // Secrets Manager and EKS keep to the caller's account: Prowler exempts them.
    expect(trustLeavesServiceUnscoped({Statement: [{Effect: 'Allow', Principal: {Service: 'eks.amazonaws.com'}, Action: 'sts:AssumeRole'}]})).toBe(false);
    // A role another account's principal may assume is not a service role: Prowler does not report it.
    expect(trustLeavesServiceUnscoped({Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::111122223333:root'}, Action: 'sts:AssumeRole'}]})).toBeUndefined();
  });

  it('fails the trust policy tandem writes, before launch, on the role tandem creates', () => {
    const checker = findChecker('Prowler', 'iam_role_cross_service_confused_deputy_prevention') as LiveChecker;
    expect(checker.severity).toBe('high');
    expect(trustLeavesServiceUnscoped(JSON.parse(trustPolicy()))).toBe(true);
    const spec = defaultSpec();
    expect(checker.verdicts(factsFromSpec(spec))).toEqual([{resource: 'tandem-ssm-web-1', verdict: 'fail'}]);
    // No role, nothing to judge; an existing role's trust policy is unknown until launch.
    expect(checker.verdicts(factsFromSpec({...spec, access: {sessionManager: false, instanceConnect: false}}))).toBeUndefined();
    expect(checker.verdicts({role: {name: 'web-role', inlinePolicies: []}})).toBeUndefined();
  });
});

describe('the confused-deputy finding', () => {
  it('says why the check cannot apply to an EC2 role and offers a reason ready to accept', () => {
    const finding = findingsFor(defaultSpec()).find((item) => item.id === 'role-trust-unscoped')!;
    expect(finding.checkers).toEqual([{tool: 'Prowler', id: 'iam_role_cross_service_confused_deputy_prevention'}]);
    expect(finding.explanation).toMatch(/EC2 sets neither key/);
    expect(finding.explanation).toMatch(/iam:PassRole/);
    expect(finding.readyReason).toBe(CONFUSED_DEPUTY_REASON);
  });

  it('--accept-risk with the bare id records the ready reason; other findings still need one', () => {
    const accepted = withAcceptedRisks(defaultSpec(), ['role-trust-unscoped']);
    expect(accepted.acceptedRisks).toEqual([{finding: 'role-trust-unscoped', reason: CONFUSED_DEPUTY_REASON}]);
    expect(findingsFor(accepted).find((item) => item.id === 'role-trust-unscoped')!.accepted).toEqual({reason: CONFUSED_DEPUTY_REASON});
    expect(() => withAcceptedRisks(defaultSpec(), ['public-ipv4'])).toThrow(/needs a reason/);
  });
});
