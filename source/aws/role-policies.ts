// A role's permission policies as IAM holds them, read one way for pre-flight (before a launch
// reuses the role) and verification (after it), so that both judge the same policies: the inline
// documents, and the attached policies, whose documents are fetched only when a check needs them.
// Every failure is an AwsCallError naming the operation.
import type {AwsClients} from './clients.js';
import {SSM_POLICY_NAME} from '../domain/controls/ways-in.js';
import {decodePolicy, sessionActionsMissing, type PolicyDocument} from './discover-policy.js';
import {call} from './errors.js';

export interface AttachedPolicy {
  name: string;
  arn: string;
  /** Written by AWS (arn:…:iam::aws:policy/…), not by the account. */
  awsManaged: boolean;
}

export interface RolePolicySet {
  inline: Array<{name: string; document: PolicyDocument | undefined}>;
  attached: AttachedPolicy[];
}

const iamSdk = () => import('@aws-sdk/client-iam');

export async function readRolePolicies(clients: AwsClients, roleName: string): Promise<RolePolicySet> {
  const {paginateListRolePolicies, paginateListAttachedRolePolicies, GetRolePolicyCommand} = await iamSdk();
  const {iam} = clients;
  const names = await call('ListRolePolicies', async () => {
    const all: string[] = [];
    for await (const page of paginateListRolePolicies({client: iam}, {RoleName: roleName})) all.push(...(page.PolicyNames ?? []));
    return all;
  });
  const inline: RolePolicySet['inline'] = [];
  for (const name of names) {
    const answer = await call('GetRolePolicy', () => iam.send(new GetRolePolicyCommand({RoleName: roleName, PolicyName: name})));
    inline.push({name, document: decodePolicy(answer.PolicyDocument)});
  }
  const attached = await call('ListAttachedRolePolicies', async () => {
    const all: AttachedPolicy[] = [];
    for await (const page of paginateListAttachedRolePolicies({client: iam}, {RoleName: roleName})) {
      for (const policy of page.AttachedPolicies ?? []) {
        const arn = policy.PolicyArn ?? '';
        all.push({name: policy.PolicyName ?? arn, arn, awsManaged: /^arn:[^:]+:iam::aws:policy\//.test(arn)});
      }
    }
    return all;
  });
  return {inline, attached};
}

/** The default version of an attached policy's document. */
export async function attachedPolicyDocument(clients: AwsClients, arn: string): Promise<PolicyDocument | undefined> {
  const {GetPolicyCommand, GetPolicyVersionCommand} = await iamSdk();
  const meta = await call('GetPolicy', () => clients.iam.send(new GetPolicyCommand({PolicyArn: arn})));
  const versionId = meta.Policy?.DefaultVersionId ?? 'v1';
  const version = await call('GetPolicyVersion', () => clients.iam.send(new GetPolicyVersionCommand({PolicyArn: arn, VersionId: versionId})));
  return decodePolicy(version.PolicyVersion?.Document);
}

export interface SessionAccess {
  /** AmazonSSMManagedInstanceCore is attached. */
  managed: boolean;
  /** Without it: the session actions no policy of the role allows. */
  missing: string[];
}

/**
 * Whether the role lets Session Manager's agent in: the managed policy, or else the same actions
 * granted by any of its policies (the attached documents fetched through `documentOf`).
 */
export async function sessionAccess(policies: RolePolicySet, documentOf: (arn: string) => Promise<PolicyDocument | undefined>): Promise<SessionAccess> {
  if (policies.attached.some((policy) => policy.awsManaged && policy.arn.endsWith(`/${SSM_POLICY_NAME}`))) return {managed: true, missing: []};
  const attached = await Promise.all(policies.attached.map((policy) => documentOf(policy.arn)));
  return {managed: false, missing: sessionActionsMissing([...policies.inline.map((policy) => policy.document), ...attached])};
}
