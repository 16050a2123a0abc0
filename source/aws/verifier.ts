// Verification: describe everything a launch made or used back from AWS and check every control
// of the catalog against the launch spec. Checks run concurrently and independently: a vanished
// resource or a denied call fails that row with a clear reason and never stops the others.
import type {AwsClients} from './clients.js';
import type {VerificationResult} from '../domain/cloud.js';
import type {LaunchRecord} from '../store/journal-types.js';
import {CONTROLS} from '../domain/catalog.js';
import type {ControlId, Owner} from '../domain/catalog-types.js';
import {AwsCallError, toAwsCallError} from './errors.js';
import {createVerifyContext, Missing} from './verify-context.js';
import * as checks from './verify-checks.js';
import type {Check, CheckOutcome} from './verify-checks.js';

const ATTESTED = 'not checkable by API: AWS attestation (SOC 2, ISO 27001 reports in AWS Artifact)';
const YOURS_AFTER_LAUNCH = 'not checkable by API: yours to do on the running instance';

function info(expected: string, actual: string): Check {
  return async () => ({expected, actual, status: 'info'});
}

/** The checks of each control, in catalog order; some controls have two rows. */
const CHECKS: Partial<Record<ControlId, Check[]>> = {
  'ami-provenance': [checks.checkAmiProvenance],
  'hypervisor-isolation': [info('AWS isolates instances with the hypervisor (Nitro or Xen)', ATTESTED)],
  'media-sanitization': [info('AWS wipes disk blocks and scrubs memory before reuse', ATTESTED)],
  'instance-type': [checks.checkInstanceType],
  'vpc-isolation': [info('AWS keeps this VPC apart from other accounts', ATTESTED)],
  'subnet-routing': [checks.checkSubnetRouting],
  'public-ip': [checks.checkPublicIp],
  'iam-instance-role': [checks.checkInstanceRole],
  tenancy: [checks.checkTenancy],
  'ebs-encryption': [checks.checkEbsEncryption, checks.checkEbsDefault],
  'kms-key': [checks.checkKmsKey],
  'security-group-rules': [checks.checkSecurityGroup],
  'key-pair': [checks.checkKeyPair],
  'imds-v2': [checks.checkImds],
  'os-patching': [info('you patch the OS (e.g. dnf upgrade, SSM Patch Manager)', YOURS_AFTER_LAUNCH)],
  'application-security': [info('you secure the web server and its users', YOURS_AFTER_LAUNCH)],
  'instance-config-protection': [info('AWS protects the stored public key and instance configuration', ATTESTED)],
};

function failure(error: unknown): CheckOutcome {
  if (error instanceof Missing) return {expected: '', actual: error.message, status: 'fail'};
  const call = error instanceof AwsCallError ? error : toAwsCallError('check', error);
  return {expected: '', actual: `could not check: ${call.code}: ${call.message}`, status: 'fail'};
}

interface RowSource {
  id: ControlId;
  title: string;
  owner: Owner;
  checkers: string[];
  /** The catalog's sentence on how the control is verified: the expectation when a check cannot run. */
  verify: string;
}

/** The catalog's controls, or just the ids when the catalog does not list one (never crash). */
function controlSources(): RowSource[] {
  const known = new Map(CONTROLS.map((control) => [control.id, control]));
  return (Object.keys(CHECKS) as ControlId[]).map((id) => {
    const control = known.get(id);
    return {
      id,
      title: control?.title ?? id,
      owner: control?.owner ?? 'AWS/Customer',
      checkers: (control?.checkers ?? []).map((checker) => `${checker.tool} ${checker.id}`),
      verify: control?.verify ?? '',
    };
  });
}

/** What AWS reports about each control of the launch, one row per check. */
export async function verifyLaunch(clients: AwsClients, record: LaunchRecord): Promise<VerificationResult[]> {
  const context = createVerifyContext(clients, record);
  const rows = controlSources().flatMap((source) => (CHECKS[source.id] ?? []).map((check) => ({source, check})));
  return Promise.all(
    rows.map(async ({source, check}): Promise<VerificationResult> => {
      let outcome: CheckOutcome;
      try {
        outcome = await check(context);
      } catch (error) {
        outcome = failure(error);
      }
      return {
        control: source.id,
        title: outcome.title ?? source.title,
        owner: source.owner,
        expected: outcome.expected || source.verify,
        actual: outcome.actual,
        status: outcome.status,
        checkers: outcome.checkers ?? source.checkers,
      };
    }),
  );
}
