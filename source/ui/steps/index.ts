// One screen per step of docs/design.md section 1, in that order; each step's fields are in its own
// file here. Option values are the unions their control modules define (source/domain/controls/).
import type {StepId} from '../../domain/catalog-types.js';
import type {StepScreen} from '../fields.js';
import {afterLaunch} from './after-launch.js';
import {iamRole} from './iam-role.js';
import {image} from './image.js';
import {instanceType} from './instance-type.js';
import {isolation} from './isolation.js';
import {keyPair} from './key-pair.js';
import {metadata} from './metadata.js';
import {networkStep} from './network.js';
import {securityGroup} from './security-group.js';
import {storageStep} from './storage.js';
import {tenancy} from './tenancy.js';

export {TYPE_ID} from './existing-picker.js';

export const SCREENS: Record<StepId, StepScreen> = {
  image,
  isolation,
  'instance-type': instanceType,
  network: networkStep,
  'iam-role': iamRole,
  tenancy,
  storage: storageStep,
  'security-group': securityGroup,
  'key-pair': keyPair,
  metadata,
  'after-launch': afterLaunch,
};
