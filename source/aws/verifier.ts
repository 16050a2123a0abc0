// Verification: describe everything a launch made or used back from AWS and check every control
// of the catalog against the launch spec. Checks run concurrently and independently: a vanished
// resource or a denied call fails that row with a clear reason and never stops the others. A
// vanished instance stops it all (InstanceGone): without it, every row would only say so again.
// Beside tandem's own answer, every row carries what each checker would say about that resource.
import type {AwsClients} from './clients.js';
import {InstanceGone, type VerificationResult} from '../domain/cloud.js';
import {checkerKey, checkersForRow} from '../domain/checkers.js';
import {checkerVerdicts, templateFor} from '../domain/checker-run.js';
import {verdictsForRow} from '../domain/checker-verdicts.js';
import type {CfnTemplate} from '../domain/checker-template.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {CONTROLS} from '../domain/catalog.js';
import {PART_ROWS, type ControlId, type Owner, type RowId} from '../domain/catalog-types.js';
import type {UncheckedRow} from '../domain/controls/control.js';
import {REGISTRY} from '../domain/controls/index.js';
import {AwsCallError, toAwsCallError} from './errors.js';
import {createVerifyContext, Missing, type VerifyContext, type VerifyOptions} from './verify-context.js';
import {liveFacts} from './verify-facts.js';
import * as checks from './verify-checks.js';
import {checkVolumeBackup} from './verify-backups.js';
import type {Check, CheckOutcome} from './verify-checks.js';

type OptionalCheck = (context: VerifyContext) => Promise<CheckOutcome | undefined>;
import {checkDefaultGroup, checkNetworkAcl} from './verify-network-guard.js';
import {checkCertificate, checkChainedGroups, checkLoadBalancer} from './verify-load-balancer.js';

const ATTESTED = 'not checkable by API: AWS attestation (SOC 2, ISO 27001 reports in AWS Artifact)';
const YOURS_AFTER_LAUNCH = 'not checkable by API: yours to do on the running instance';

function info({expected, by}: UncheckedRow): Check {
  return async () => ({expected, actual: by === 'attestation' ? ATTESTED : YOURS_AFTER_LAUNCH, status: 'info'});
}

/**
 * The AWS reads that check each row; a row's id is its control's, or its own for a part checked
 * apart. A check that answers undefined has no row in this launch (the load balancer's, without one).
 */
const LIVE_CHECKS: Partial<Record<RowId, Array<Check | OptionalCheck>>> = {
  'ami-provenance': [checks.checkAmiProvenance],
  'instance-type': [checks.checkInstanceType],
  'detailed-monitoring': [checks.checkDetailedMonitoring],
  'subnet-routing': [checks.checkSubnetRouting],
  'public-ip': [checks.checkPublicIp],
  'iam-instance-role': [checks.checkInstanceRole],
  tenancy: [checks.checkTenancy],
  'ebs-encryption': [checks.checkEbsEncryption],
  'ebs-default-encryption': [checks.checkEbsDefault],
  'kms-key': [checks.checkKmsKey],
  'security-group-rules': [checks.checkSecurityGroup],
  'default-security-group': [checkDefaultGroup],
  'network-acl': [checkNetworkAcl],
  'key-pair': [checks.checkKeyPair],
  'session-manager': [checks.checkSessionManager],
  'imds-v2': [checks.checkImds],
  'volume-backup': [checkVolumeBackup],
  'vpc-flow-logs': [checks.checkFlowLogs],
  'load-balancer': [checkLoadBalancer],
  'lb-certificate': [checkCertificate],
  'chained-groups': [checkChainedGroups],
};

/** What each control module says no API can check. */
const UNCHECKED = new Map(REGISTRY.flatMap((control) => Object.entries((control as {unchecked?: Partial<Record<ControlId, UncheckedRow>>}).unchecked ?? {})) as Array<[RowId, UncheckedRow]>);

/** Each control's rows in catalog order, a part checked apart right after its control. */
const ROW_IDS: RowId[] = CONTROLS.flatMap((control) => [control.id, ...(Object.keys(PART_ROWS) as Array<keyof typeof PART_ROWS>).filter((part) => PART_ROWS[part] === control.id)]);

/** The checks of each row: the AWS reads above, or the module's word that none can check it. */
const CHECKS: Partial<Record<RowId, Array<Check | OptionalCheck>>> = Object.fromEntries(
  ROW_IDS.map((id) => {
    const unchecked = UNCHECKED.get(id);
    return [id, LIVE_CHECKS[id] ?? (unchecked ? [info(unchecked)] : [])];
  }),
);

function failure(error: unknown): CheckOutcome {
  if (error instanceof Missing) return {expected: '', actual: error.message, status: 'fail'};
  const call = error instanceof AwsCallError ? error : toAwsCallError('check', error);
  return {expected: '', actual: `could not check: ${call.code}: ${call.message}`, status: 'fail'};
}

interface RowSource {
  id: RowId;
  title: string;
  owner: Owner;
  checkers: string[];
  /** The catalog's sentence on how the control is verified: the expectation when a check cannot run. */
  verify: string;
}

/** The catalog's controls, or just the ids when the catalog does not list one (never crash). */
function controlSources(): RowSource[] {
  const known = new Map(CONTROLS.map((control) => [control.id, control]));
  return (Object.keys(CHECKS) as RowId[]).map((id) => {
    const control = known.get(PART_ROWS[id as keyof typeof PART_ROWS] ?? id);
    return {
      id,
      title: control?.title ?? id,
      owner: control?.owner ?? 'AWS/Customer',
      checkers: checkersForRow(id).map(checkerKey),
      verify: control?.verify ?? '',
    };
  });
}

/**
 * What AWS reports about each control of the launch, one row per check. Checkov's verdicts read
 * the template rendered from the plan; a fleet passes the one template it deployed to every target.
 */
export async function verifyLaunch(clients: AwsClients, record: LaunchRecord, template: CfnTemplate = templateFor(record.spec), options: VerifyOptions = {}): Promise<VerificationResult[]> {
  const context = createVerifyContext(clients, record, options);
  try {
    await context.instance();
  } catch (error) {
    if (error instanceof InstanceGone) throw error;
    // Any other failure (denied, no instance recorded) is reported on the rows that need it.
  }
  const verdicts = liveFacts(context).then((facts) => checkerVerdicts(record.spec, facts, template));
  const rows = controlSources().flatMap((source) => (CHECKS[source.id] ?? []).map((check) => ({source, check})));
  const all = await verdicts;
  const results = await Promise.all(
    rows.map(async ({source, check}): Promise<VerificationResult | undefined> => {
      let outcome: CheckOutcome | undefined;
      try {
        outcome = await check(context);
      } catch (error) {
        outcome = failure(error);
      }
      if (!outcome) return undefined;
      return {
        control: source.id,
        title: outcome.title ?? source.title,
        owner: source.owner,
        expected: outcome.expected || source.verify,
        actual: outcome.actual,
        status: outcome.status,
        checkers: source.checkers,
        checkerVerdicts: verdictsForRow(all, source.id),
        ...(outcome.reachable ? {reachable: outcome.reachable} : {}),
      };
    }),
  );
  return results.filter((result) => result !== undefined);
}
