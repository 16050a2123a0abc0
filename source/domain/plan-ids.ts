// Step ids other modules look for (executor, verifier, progress screen, exports), kept apart from
// the control modules that make the steps so any of them can name another's step.
import type {StepRef} from './plan-types.js';

export const PLAN_STEP = {
  imageParameter: 'image-parameter',
  image: 'image',
  vpc: 'vpc',
  kmsKey: 'kms-key',
  securityGroup: 'security-group',
  instanceConnectList: 'instance-connect-prefix-list',
  keyPair: 'key-pair',
  host: 'dedicated-host',
  runInstances: 'run-instances',
  waitRunning: 'wait-running',
} as const;

/** Where the RunInstances response names the instance. */
export const INSTANCE_ID: StepRef = {ref: PLAN_STEP.runInstances, output: 'Instances.0.InstanceId'};
