// The shape every control module has (docs/design.md section 2). A module owns one wizard step's
// controls: their catalog entries, how the highlighted option changes the panel, the findings the
// spec triggers, and the questions other code asks about its part of the spec. The registry
// (index.ts) lists the modules; findings, the panel and the catalog ask it.
import type {CheckerRef, Control, ControlId, StepId} from '../catalog-types.js';
import type {Checker} from '../checker-kit.js';
import type {FieldRules} from '../field-rules.js';
import type {NetworkPlan} from '../plan-network.js';
import type {ParamValue, PlanStep} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';

export type Severity = 'high' | 'medium' | 'low' | 'info';

export interface Finding {
  id: string;
  /**
   * In a module's draft, tandem's own judgement; in a finding, the highest severity any tool gives
   * the checks it lists, or tandem's own when none rates them (findings.ts toolSeverity).
   */
  severity: Severity;
  title: string;
  explanation: string;
  /** The catalog control this finding is about. */
  control: ControlId;
  checkers: CheckerRef[];
  /** Present when the spec's acceptedRisks names this finding. */
  accepted?: {reason: string};
  /** A reason tandem offers when the finding cannot be fixed by design (the review and --accept-risk use it). */
  readyReason?: string;
}

/**
 * A finding before the spec's accepted risks are applied. `architectureOnly` marks a failure no
 * setting removes, only a different architecture (a load balancer in front): findings.ts says so.
 */
export type FindingDraft = Omit<Finding, 'accepted'> & {architectureOnly?: boolean};

/** New text for a control; `compliance` replaces the notes, `addCompliance` adds to them. */
export type PanelEdit = Partial<Pick<Control, 'aws' | 'customer' | 'verify' | 'compliance'>> & {addCompliance?: string[]};
export type PanelEdits = Partial<Record<ControlId, PanelEdit>>;

/**
 * A catalog entry as a module writes it: the checkers come from the verification rows named. `Id`
 * and `Step` are the module's own control ids and step, from which the registry derives every id.
 */
export type CatalogEntry<Id extends string = ControlId, Step extends string = StepId> = Omit<Control, 'checkers' | 'id' | 'step'> & {
  id: Id;
  step: Step;
  checkerRows?: readonly string[];
};

/** What every module's plan steps may refer to: the network's steps, which place everything else. */
export interface PlanContext {
  network: NetworkPlan;
}

/** Parameters a module adds to RunInstances, and the steps whose output they use. */
export interface LaunchPart {
  params: {[key: string]: ParamValue};
  dependsOn: string[];
}

/**
 * A verification row no API can check: what the control expects, and why tandem cannot see it
 * (AWS's attestation reports cover it, or it is the customer's work on the running instance).
 */
export interface UncheckedRow {
  expected: string;
  by: 'attestation' | 'customer';
}

/**
 * One control module. Its type arguments name what it adds to the product's vocabulary: the ids of
 * its findings, of its controls and of its wizard step. The registry (index.ts) derives `FindingId`,
 * `ControlId` and `StepId` from them, so a new id is written once, in its module.
 */
export interface ControlModule<FindingId extends string = string, Id extends string = ControlId, Step extends string = StepId> {
  /** The wizard step whose screen shows these controls. */
  step: Step;
  /** The step's title, given by the first module of a step (the one the screen's option belongs to). */
  stepTitle?: string;
  /** Its catalog entries, in wizard order. */
  catalog: readonly CatalogEntry<Id, Step>[];
  /** The validation of its fields of the launch spec, by dotted path (validate.ts applies them). */
  rules?: FieldRules;
  /** Every finding id `findings` may return. */
  findingIds: readonly FindingId[];
  /**
   * The option the step's screen highlights for what the spec holds. Only the first module of a
   * step that shares its screen answers (the key-pair screen also holds the ways in).
   */
  option?(spec: LaunchSpec): string | undefined;
  /** How the highlighted option (or, without one, the spec) changes the panel's text. */
  panel?(option: string | undefined, spec: LaunchSpec): PanelEdits;
  /** Risks visible in the spec before launch. */
  findings?(spec: LaunchSpec): FindingDraft[];
  /** Its steps of the plan (docs/design.md section 2), listed in the order of `planOrder`. */
  planSteps?(spec: LaunchSpec, context: PlanContext): PlanStep[];
  /**
   * Where its plan steps are listed, lower first (modules without one follow, in registry order).
   * Dependencies, not this order, decide what waits for what: it keeps the listing (the review, the
   * dry run, the progress screen) stable and readable.
   */
  planOrder?: number;
  /** Its verification rows that no API can check, by control id (the others are read in source/aws/). */
  unchecked?: Partial<Record<Id, UncheckedRow>>;
  /** The checkers whose verdicts show on its verification rows (checkers.ts lists them all). */
  checkers?: readonly Checker[];
}

export const hub = (id: string): CheckerRef => ({tool: 'Security Hub', id});
export const prowler = (id: string): CheckerRef => ({tool: 'Prowler', id});
export const checkov = (id: string): CheckerRef => ({tool: 'Checkov', id});

/** Said wherever only AWS's own audits can show the control works. */
export const ATTESTATION = 'Not checkable by API; cite AWS attestation reports (SOC 2, ISO 27001).';
