// Types of the control catalog: who owns each security control under the shared
// responsibility model, and how tandem checks it after launch.

export type Owner = 'AWS' | 'Customer' | 'AWS/Customer';
export type ControlKind = 'inherited' | 'shared' | 'hybrid' | 'customer-specific';

/** The wizard's steps, in the order of DESIGN.md section 1. */
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

export interface CheckerRef {
  tool: 'Security Hub' | 'Prowler' | 'Checkov';
  id: string;
}

export interface Control {
  /** Stable id used in plans, findings, verification and JSON output, e.g. 'ebs-encryption'. */
  id: string;
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
