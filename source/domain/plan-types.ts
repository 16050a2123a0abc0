// Types of the provisioning plan: the spec turned into a graph of AWS API calls.

export type Service = 'ec2' | 'iam' | 'kms' | 'ssm' | 'sts';

/** A value that is only known once another step has run: `{ref: 'vpc', output: 'VpcId'}`. */
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
  | 'iam-role'
  | 'iam-instance-profile'
  | 'kms-key'
  | 'kms-alias'
  | 'security-group'
  | 'key-pair'
  | 'instance';

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
  /** Catalog control id this call serves. */
  control: string;
  /** True when EC2 accepts DryRun for this call; IAM and KMS calls cannot be dry-run. */
  dryRunnable: boolean;
  /** One line a person reads in the review and progress screens. */
  summary: string;
}

export interface Plan {
  steps: PlanStep[];
}
