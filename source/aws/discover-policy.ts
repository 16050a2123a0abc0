// Reading IAM policy documents. IAM returns them URL-encoded (RFC 3986); moto returns plain JSON,
// so both are accepted. Pure functions: no SDK here.

export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: string | {[kind: string]: string | string[]};
  Condition?: unknown;
  Sid?: string;
}
export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

export function decodePolicy(raw: string | undefined): PolicyDocument | undefined {
  if (!raw) return undefined;
  for (const text of [raw, safeDecode(raw)]) {
    if (text === undefined) continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') return parsed;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

export function statements(doc: PolicyDocument | undefined): PolicyStatement[] {
  if (!doc?.Statement) return [];
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** True when some Allow statement lets the EC2 service principal call sts:AssumeRole. */
export function allowsEc2Assume(doc: PolicyDocument | undefined): boolean {
  return statements(doc).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const actions = list(statement.Action).map((action) => action.toLowerCase());
    if (!actions.some((action) => action === 'sts:assumerole' || action === 'sts:*' || action === '*')) return false;
    const principal = statement.Principal;
    if (!principal || typeof principal === 'string') return false;
    return list(principal.Service).includes('ec2.amazonaws.com');
  });
}

/**
 * Allow statements that grant a wildcard: Action "*" (IAM.1 full admin when Resource is "*"
 * too), "service:*" (IAM.21), Resource "*", or NotAction (allows everything not listed).
 * Returns one short description per problem, e.g. 'Action "s3:*"'.
 */
export function wildcardGrants(doc: PolicyDocument | undefined): string[] {
  const problems: string[] = [];
  for (const statement of statements(doc)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of list(statement.Action)) {
      if (action === '*' || action.endsWith(':*')) problems.push(`Action "${action}"`);
    }
    if (statement.NotAction !== undefined) problems.push('NotAction');
    for (const resource of list(statement.Resource)) {
      if (resource === '*') problems.push('Resource "*"');
    }
  }
  return [...new Set(problems)];
}

/**
 * What the SSM agent must be allowed for Session Manager to work: register, then open its
 * control and data channels. AmazonSSMManagedInstanceCore grants these (and more).
 */
export const SESSION_ACTIONS = [
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
] as const;

/** IAM action patterns: case-insensitive, `*` any run of characters, `?` one character. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return regex.test(action);
}

/**
 * The session actions no Allow statement of these documents grants. Deny statements and
 * conditions are not weighed: this answers "is anything missing", not "would IAM allow it".
 */
export function sessionActionsMissing(documents: Array<PolicyDocument | undefined>): string[] {
  const allows = documents.flatMap((doc) => statements(doc)).filter((statement) => statement.Effect === 'Allow');
  return SESSION_ACTIONS.filter(
    (action) =>
      !allows.some((statement) =>
        statement.NotAction !== undefined
          ? !list(statement.NotAction).some((pattern) => actionMatches(pattern, action))
          : list(statement.Action).some((pattern) => actionMatches(pattern, action)),
      ),
  );
}
