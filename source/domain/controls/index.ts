// The registry of control modules, in wizard order (docs/design.md sections 1 and 2). Adding a
// control is one module and one line here; the catalog, the side panel, the findings, the plan and
// the checkers ask this list instead of knowing any control themselves, and the control, step and
// finding ids are derived from it.
import type {ControlModule} from './control.js';
import {readRegistry} from './registry.js';
import {afterLaunchControl} from './after-launch.js';
import {backupsControl} from './backups.js';
import {flowLogsControl} from './flow-logs.js';
import {imageControl} from './image.js';
import {instanceTypeControl} from './instance-type.js';
import {isolationControl} from './isolation.js';
import {keyPairControl} from './key-pair.js';
import {loadBalancerControl} from './load-balancer.js';
import {metadataControl} from './metadata.js';
import {monitoringControl} from './monitoring.js';
import {networkControl} from './network.js';
import {networkGuardControl} from './network-guard.js';
import {roleControl} from './role.js';
import {securityGroupControl} from './security-group.js';
import {storageControl} from './storage.js';
import {tenancyControl} from './tenancy.js';
import {waysInControl} from './ways-in.js';

export const REGISTRY = [
  imageControl,
  isolationControl,
  instanceTypeControl,
  monitoringControl,
  networkControl,
  flowLogsControl,
  loadBalancerControl,
  roleControl,
  tenancyControl,
  storageControl,
  backupsControl,
  securityGroupControl,
  networkGuardControl,
  keyPairControl,
  waysInControl,
  metadataControl,
  afterLaunchControl,
] as const;

type Registered = (typeof REGISTRY)[number];
type FindingIdOf<M> = M extends ControlModule<infer Id, string, string> ? Id : never;
type ControlIdOf<M> = M extends ControlModule<string, infer Id, string> ? Id : never;
type StepIdOf<M> = M extends ControlModule<string, string, infer Step> ? Step : never;

/** Every finding id any control may raise. */
export type FindingId = FindingIdOf<Registered>;
/** Every control tandem knows; plans, findings and verification key on these. */
export type ControlId = ControlIdOf<Registered>;
/** The wizard's steps (docs/design.md section 1). */
export type StepId = StepIdOf<Registered>;

const modules: readonly ControlModule[] = REGISTRY;
const reading = readRegistry(modules);

// The lists are read from the modules above; their types are the unions derived from the same list.
export const FINDING_IDS = reading.FINDING_IDS as readonly FindingId[];
/** Every control, in wizard order. */
export const CONTROL_IDS = reading.CONTROL_IDS as readonly ControlId[];
/** The wizard's steps in order. */
export const STEP_IDS = reading.STEP_IDS as readonly StepId[];
export const {STEP_TITLES, FIELD_RULES, moduleSteps, controlsOfStep, specFindings, optionOfStep, panelEdits} = reading;
