// The checkers tandem cites, one entry per id: what each evaluates, its rule in tandem's words,
// the equivalent ids in the other tools, the verification row it belongs to, and a pure function
// that decides its verdict from facts (checker-facts.ts: the spec before launch, Describe results
// after) or from the exported CloudFormation template (Checkov scans templates, not resources).
// Each control module (controls/) holds the checkers of its rows; this file lists them all.
//
// Every rule was read from the tool itself, pinned in scripts/checker-setup.mjs:
// - Security Hub: the control pages, docs.aws.amazon.com/securityhub/latest/userguide/
//   ec2-controls.html (EC2.3, EC2.7, EC2.8, EC2.9, EC2.13, EC2.15, EC2.18, EC2.19) and
//   kms-controls.html (KMS.4), for the rule, the severity and the related requirements (CIS, PCI
//   DSS, NIST); fsbp-standard.html for which of them the Foundational Security Best Practices
//   standard holds (EC2.13 and KMS.4 are not among them). IAM.1 and IAM.21 are not listed: they
//   evaluate customer managed policies only, and tandem's role policy is inline.
// - Severities: each entry carries its tool's own. Checkov's open-source checks carry none
//   (checkov/common/checks/base_check.py leaves severity unset), so its entries say 'unrated'.
// - Prowler 5: prowler/providers/aws/services/<service>/<check>/<check>.py and .metadata.json
//   (github.com/prowler-cloud/prowler), and prowler/config/config.yaml for the port lists.
// - Checkov 3: checkov/cloudformation/checks/resource/aws/<Class>.py (github.com/bridgecrewio/checkov).
import type {Checker, CheckerTool} from './checker-kit.js';
import {REGISTRY} from './controls/index.js';

export type {Verdict} from './checker-rules.js';
export type {Checker, CheckerTool} from './checker-kit.js';

/** Every control module's checkers, in wizard order (each module holds those of its rows). */
const registry: Checker[] = REGISTRY.flatMap((control) => control.checkers ?? []);

export const CHECKERS: readonly Checker[] = Object.freeze(registry);

export function checkerKey(checker: Pick<Checker, 'tool' | 'id'>): string {
  return `${checker.tool} ${checker.id}`;
}

export function findChecker(tool: CheckerTool, id: string): Checker | undefined {
  return CHECKERS.find((checker) => checker.tool === tool && checker.id === id);
}

/** The same test in the other tools: EC2.9 ≈ Prowler ec2_instance_public_ip ≈ CKV_AWS_88. */
export function equivalentsOf(checker: Checker): Checker[] {
  return CHECKERS.filter((other) => other.group === checker.group && other !== checker);
}

export function checkersForRow(row: string): Checker[] {
  return CHECKERS.filter((checker) => checker.row === row);
}
