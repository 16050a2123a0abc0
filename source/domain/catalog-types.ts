// Types of the control catalog: who owns each security control under the shared
// responsibility model, and how tandem checks it after launch.

export type Owner = 'AWS' | 'Customer' | 'AWS/Customer';
export type ControlKind = 'inherited' | 'shared' | 'hybrid' | 'customer-specific';

/** The wizard's steps, in the order of docs/design.md section 1. */
export const STEP_IDS = [
  'image',
  'isolation',
  'instance-type',
  'network',
  'iam-role',
  'tenancy',
  'storage',
  'security-group',
  'key-pair',
  'metadata',
  'after-launch',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** Every control tandem knows, in wizard order; plans, findings and verification key on these. */
export const CONTROL_IDS = [
  'ami-provenance',
  'hypervisor-isolation',
  'media-sanitization',
  'instance-type',
  'vpc-isolation',
  'subnet-routing',
  'public-ip',
  'iam-instance-role',
  'tenancy',
  'ebs-encryption',
  'kms-key',
  'security-group-rules',
  'key-pair',
  'session-manager',
  'imds-v2',
  'os-patching',
  'application-security',
  'instance-config-protection',
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/**
 * Verification rows that check one part of a control on their own: the account's EBS default is a
 * setting of the account, not of the launch's volume, so it gets its own row id.
 */
export const PART_ROWS = {'ebs-default-encryption': 'ebs-encryption'} as const satisfies Record<string, ControlId>;
/** The id of a verification row: its control's, or its own for a part checked apart. */
export type RowId = ControlId | keyof typeof PART_ROWS;

export interface CheckerRef {
  tool: 'Security Hub' | 'Prowler' | 'Checkov';
  id: string;
}

export interface Control {
  /** Stable id used in plans, findings, verification and JSON output, e.g. 'ebs-encryption'. */
  id: ControlId;
  step: StepId;
  title: string;
  owner: Owner;
  kind: ControlKind;
  /** What AWS does. */
  aws: string;
  /** What the customer must do. */
  customer: string;
  /** How tandem verifies it after launch ('' never; say "not checkable by API" where so). */
  verify: string;
  checkers: CheckerRef[];
  compliance: string[];
}
