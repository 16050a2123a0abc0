// The small rules several checkers share: which inbound rules face the whole internet, which
// ports they open, whether a policy statement grants everything. Pure; both the live checkers
// (facts from Describe calls) and the template checkers (CloudFormation) use them.
import type {IngressFact, PolicyStatementFact} from './checker-facts.js';

export type Verdict = 'pass' | 'fail' | 'not-applicable';

/** Security Hub EC2.19's high-risk ports (its control page). */
export const SECURITY_HUB_HIGH_RISK_PORTS: readonly number[] = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300,
];
/** prowler/config/config.yaml ec2_high_risk_ports (Prowler 5); the ports below have checks of their own. */
export const PROWLER_HIGH_RISK_PORTS: readonly number[] = [25, 110, 135, 143, 445, 3000, 4333, 5000, 5500, 8080, 8088];
/**
 * Prowler 5's checks of one service's ports each, all of severity high: the `check_ports` of each
 * ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_*.py. They sit beside the high-risk
 * list, so an auditor sees 3389 or 5432 failed by a check named after it.
 */
export const PROWLER_PORT_CHECKS: ReadonlyArray<{ports: readonly number[]; check: string}> = [
  {ports: [22], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22'},
  {ports: [3389], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389'},
  {ports: [20, 21], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_ftp_20_21'},
  {ports: [23], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_telnet_23'},
  {ports: [3306], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306'},
  {ports: [1433, 1434], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_sql_server_1433_1434'},
  {ports: [5432], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_postgres_5432'},
  {ports: [9200, 9300, 5601], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_elasticsearch_kibana_9200_9300_5601'},
  {ports: [7199, 9160, 8888], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_cassandra_7199_9160_8888'},
  {ports: [1521, 2483], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_oracle_1521_2483'},
  {ports: [6379], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_redis_6379'},
  {ports: [9092], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_kafka_9092'},
  {ports: [11211], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_memcached_11211'},
  {ports: [27017, 27018], check: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mongodb_27017_27018'},
];

/** The Prowler per-port checks that fail a world-open rule on any of `ports`, in the table's order. */
export function prowlerPortChecks(ports: readonly number[]): string[] {
  return PROWLER_PORT_CHECKS.filter((entry) => entry.ports.some((port) => ports.includes(port))).map((entry) => entry.check);
}

/** The ports of EC2.19's list that Prowler checks one by one, grouped as its checks group them: "3389, 20/21, …". */
export function prowlerOwnCheckPorts(): string {
  return PROWLER_PORT_CHECKS.map((entry) => entry.ports.filter((port) => SECURITY_HUB_HIGH_RISK_PORTS.includes(port)))
    .filter((ports) => ports.length > 0)
    .map((ports) => ports.join('/'))
    .join(', ');
}
/** Security Hub EC2.18's default authorizedTcpPorts. */
export const AUTHORISED_TCP_PORTS: readonly number[] = [80, 443];

/** The sources Security Hub and Prowler call "the internet". */
export function isOpenWorld(source: string): boolean {
  return source === '0.0.0.0/0' || source === '::/0';
}

function carriesPort(rule: IngressFact, port: number, protocols: readonly string[]): boolean {
  if (rule.protocol === 'all' || rule.protocol === '-1') return true;
  return protocols.includes(rule.protocol) && rule.fromPort <= port && port <= rule.toPort;
}

/** Some rule admits the whole internet to `port` over TCP (or every protocol). */
export function worldOpensPort(ingress: readonly IngressFact[], port: number): boolean {
  return ingress.some((rule) => isOpenWorld(rule.source) && carriesPort(rule, port, ['tcp', '6']));
}

/** Ports of `candidates` that the whole internet reaches over TCP. */
export function worldOpenPorts(ingress: readonly IngressFact[], candidates: readonly number[]): number[] {
  return candidates.filter((port) => worldOpensPort(ingress, port));
}

/** Some world-open rule reaches beyond the authorised TCP ports (Security Hub EC2.18's rule). */
export function worldOpensUnauthorised(ingress: readonly IngressFact[], authorisedTcp: readonly number[]): boolean {
  return ingress.some((rule) => {
    if (!isOpenWorld(rule.source)) return false;
    if (rule.protocol !== 'tcp' && rule.protocol !== '6') return true;
    for (let port = rule.fromPort; port <= rule.toPort; port += 1) {
      if (!authorisedTcp.includes(port)) return true;
    }
    return false;
  });
}

/**
 * An Allow of every action on every resource: full administrator. Prowler's check_admin_access
 * (iam/lib/policy.py) also nets Deny and NotAction statements; tandem never writes either.
 */
export function grantsAdministrator(statement: PolicyStatementFact): boolean {
  const everyAction = statement.actions.some((action) => action === '*' || action === '*:*');
  const everyResource = statement.resources.some((resource) => resource === '*' || resource === '*/*' || resource === '*:*');
  return statement.effect === 'Allow' && everyAction && everyResource;
}

/** Checkov's CKV_AWS_62 test, exactly: an Allow listing "*" among both actions and resources. */
export function grantsStarOnStar(statement: PolicyStatementFact): boolean {
  return statement.effect === 'Allow' && statement.actions.includes('*') && statement.resources.includes('*');
}

/** An Allow whose actions include "*" on any resource. */
export function grantsStarAction(statement: PolicyStatementFact): boolean {
  return statement.effect === 'Allow' && statement.actions.includes('*');
}

export const passIf = (ok: boolean): Verdict => (ok ? 'pass' : 'fail');

/** A policy document's statements (one statement may stand alone, not in a list), as plain objects. */
export function statementsOf(document: unknown): Array<Record<string, unknown>> {
  const raw = (document as {Statement?: unknown} | undefined)?.Statement;
  const all: unknown[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return all.filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object');
}

/** A policy field that may be one string or a list of them (Action, Resource, a principal's Service). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** An IAM action pattern ('s3:Get*', '*') matches `action`, case-insensitive as IAM compares. */
export function actionMatches(pattern: string, action: string): boolean {
  const expression = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`).test(action.toLowerCase());
}

function onEveryResource(statement: PolicyStatementFact): boolean {
  return statement.effect === 'Allow' && !statement.notAction && statement.resources.includes('*');
}

/**
 * An Allow of every action of `service` on Resource "*" (Prowler's check_full_service_access, for
 * the patterns tandem can read without AWS's action list: '*', '*:*', 'service:*').
 */
export function grantsFullService(statement: PolicyStatementFact, service: string): boolean {
  return onEveryResource(statement) && statement.actions.some((action) => ['*', '*:*', `${service}:*`].includes(action.toLowerCase()));
}

/** An Allow on Resource "*" whose actions cover `action` (a wildcard counts). */
export function grantsActionOnAll(statement: PolicyStatementFact, action: string): boolean {
  return onEveryResource(statement) && statement.actions.some((pattern) => actionMatches(pattern, action));
}

function principalIsAnyone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as {AWS?: unknown} | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * An endpoint policy lets a principal of any account use the endpoint: a statement for Principal
 * "*" with no condition naming `account` (Prowler's vpc_endpoint_connections_trust_boundaries,
 * which accepts aws:PrincipalAccount, aws:SourceAccount and the like). AWS's default endpoint
 * policy is exactly such a statement.
 */
export function endpointPolicyOpen(document: unknown, account: string | undefined): boolean {
  return statementsOf(document).some((statement) => {
    if (statement.Effect !== 'Allow' || !principalIsAnyone(statement.Principal)) return false;
    const condition = statement.Condition ? JSON.stringify(statement.Condition) : '';
    return !(account && condition.includes(account));
  });
}

/** Prowler lib/policy.py: the services AWS itself keeps to the caller's account, which it exempts. */
const SAME_ACCOUNT_SERVICES = new Set(['secretsmanager.amazonaws.com', 'eks.amazonaws.com']);
/** Prowler is_condition_block_restrictive: the keys that tie a service principal to one account or resource. */
const SOURCE_KEYS = new Set(['aws:sourceaccount', 'aws:sourcearn', 'aws:sourceowner', 'aws:sourcevpce', 'aws:principalaccount', 'aws:resourceaccount']);

type TrustStatement = Record<string, unknown>;

/** A statement letting the principal assume the role (Prowler matches the action text as it stands). */
function letsAssume(statement: TrustStatement): boolean {
  const actions = stringList(statement.Action);
  return ['sts:AssumeRole', 'sts:*', '*'].some((action) => actions.some((given) => given.includes(action)));
}

/** Some key of the condition block ties the caller to an account or resource. */
function conditionScopes(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  return Object.values(condition as Record<string, unknown>).some(
    (keys) => Boolean(keys) && typeof keys === 'object' && Object.keys(keys as object).some((key) => SOURCE_KEYS.has(key.toLowerCase())),
  );
}

/**
 * Prowler iam_role_cross_service_confused_deputy_prevention (iam_service.py is_service_role and
 * lib/policy.py is_policy_public with check_cross_service_confused_deputy): undefined when the
 * trust policy is not a service role's (every statement an Allow of sts:AssumeRole to a
 * `Service` principal alone), which Prowler does not report; else true when some statement lets an
 * AWS service assume the role with no aws:SourceAccount/aws:SourceArn-style condition. Prowler
 * also compares the condition's value with the audited account; tandem only writes its own.
 */
export function trustLeavesServiceUnscoped(document: unknown): boolean | undefined {
  const statements = statementsOf(document);
  const serviceRole =
    statements.length > 0 &&
    statements.every((statement) => {
      const principal = statement.Principal;
      return statement.Effect === 'Allow' && letsAssume(statement) && Boolean(principal) && typeof principal === 'object' && Object.keys(principal as object).join() === 'Service';
    });
  if (!serviceRole) return undefined;
  return statements.some((statement) => {
    const services = stringList((statement.Principal as {Service?: unknown}).Service);
    const crossService = services.some((service) => service === '*' || service.endsWith('.amazonaws.com') || service.endsWith('.amazon.com'));
    const exempt = services.some((service) => SAME_ACCOUNT_SERVICES.has(service));
    return crossService && !exempt && !conditionScopes(statement.Condition);
  });
}
