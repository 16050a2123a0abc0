// Types of the provisioning plan: the spec turned into a graph of AWS API calls.
import type {ControlId} from './catalog-types.js';

export type Service = 'ec2' | 'iam' | 'kms' | 'ssm' | 'sts' | 'backup' | 'logs' | 'elbv2' | 'acm' | 'route53';

/**
 * A value known only at launch time. `ref` is a step id and `output` a dotted path into that
 * step's SDK response (`{ref: 'vpc', output: 'Vpc.VpcId'}`), or one of the launch-time values:
 * `{ref: '$launch', output: 'id'}` (the launch id, used in tags), `{ref: '$launch', output:
 * 'clientToken'}` (RunInstances idempotency), `{ref: '$launch', output: 'idempotencyToken'}` (the same
 * token as ACM takes it), `{ref: '$local', output: 'publicKeyMaterial'}` (bytes
 * of the public key file named by spec.keyPair.path, read by the executor).
 */
export interface StepRef {
  ref: string;
  output: string;
}
export type ParamValue = string | number | boolean | null | StepRef | ParamValue[] | {[key: string]: ParamValue};

export type ResourceKind =
  | 'vpc'
  | 'subnet'
  | 'internet-gateway'
  | 'route-table'
  | 'vpc-endpoint'
  | 'iam-role'
  | 'iam-instance-profile'
  | 'kms-key'
  | 'kms-alias'
  | 'security-group'
  | 'dedicated-host'
  | 'key-pair'
  | 'instance'
  | 'backup-vault'
  | 'backup-plan'
  | 'backup-selection'
  | 'ebs-snapshot'
  | 'flow-log'
  | 'log-group'
  | 'load-balancer'
  | 'target-group'
  | 'listener'
  | 'certificate'
  | 'dns-record';

export interface PlanStep {
  /** Unique within the plan, e.g. 'vpc', 'subnet-public', 'run-instances'. */
  id: string;
  service: Service;
  /** The SDK command name without "Command", e.g. 'CreateVpc', 'RunInstances'. */
  action: string;
  params: {[key: string]: ParamValue};
  /** Resources this step creates (empty for steps that only configure or read). */
  creates: ResourceKind[];
  dependsOn: string[];
  /** Catalog control ids this call serves; the first is the main one. Never empty. */
  controls: ControlId[];
  /** True when EC2 accepts DryRun for this call; IAM and KMS calls cannot be dry-run. */
  dryRunnable: boolean;
  /** One line a person reads in the review and progress screens. */
  summary: string;
  /**
   * The local file a key-pair step writes (a created private key, mode 0600) or reads (the public
   * key to import): the CLI script names it, the CloudFormation template describes it.
   */
  keyFile?: string;
}

export interface Plan {
  steps: PlanStep[];
}
