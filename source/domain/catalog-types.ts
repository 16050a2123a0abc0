// Types of the control catalog: who owns each security control under the shared
// responsibility model, and how tandem checks it after launch.

export type Owner = 'AWS' | 'Customer' | 'AWS/Customer';
export type ControlKind = 'inherited' | 'shared' | 'hybrid' | 'customer-specific';

// The step and control ids are derived from the registry of control modules (controls/index.ts):
// each module names its own.
import type {ControlId, StepId} from './controls/index.js';

export type {ControlId, StepId};

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
