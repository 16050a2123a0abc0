// Tags every created resource carries: its Name, the launch id (so `destroy` and auditors can
// find everything one launch made) and the operator's own tags.
import type {LaunchSpec} from './spec.js';
import type {ParamValue, StepRef} from './plan-types.js';

export const LAUNCH_ID_TAG = 'tandem:launch-id';
export const LAUNCH_ID: StepRef = {ref: '$launch', output: 'id'};
export const CLIENT_TOKEN: StepRef = {ref: '$launch', output: 'clientToken'};
export const PUBLIC_KEY_MATERIAL: StepRef = {ref: '$local', output: 'publicKeyMaterial'};

/** Operator tags minus the keys tandem sets itself (validation rejects those anyway). */
function operatorTags(spec: LaunchSpec): Array<[string, string]> {
  return Object.entries(spec.tags ?? {}).filter(([key]) => key !== 'Name' && !key.startsWith('tandem:'));
}

/** EC2 and IAM shape: [{Key, Value}]. */
export function tagList(spec: LaunchSpec, name: string): ParamValue[] {
  return [{Key: 'Name', Value: name}, {Key: LAUNCH_ID_TAG, Value: LAUNCH_ID}, ...operatorTags(spec).map(([Key, Value]) => ({Key, Value}))];
}

/** EC2 TagSpecifications for one or more resource types created by a single call. */
export function tagSpecifications(spec: LaunchSpec, entries: Array<{type: string; name: string}>): ParamValue[] {
  return entries.map(({type, name}) => ({ResourceType: type, Tags: tagList(spec, name)}));
}

/** AWS Backup shape: a map of key to value. */
export function tagMap(spec: LaunchSpec, name: string): {[key: string]: ParamValue} {
  return Object.fromEntries(tagList(spec, name).map((tag) => [(tag as {Key: string}).Key, (tag as {Value: ParamValue}).Value]));
}

/** KMS shape: [{TagKey, TagValue}]. */
export function kmsTagList(spec: LaunchSpec, name: string): ParamValue[] {
  return [{TagKey: 'Name', TagValue: name}, {TagKey: LAUNCH_ID_TAG, TagValue: LAUNCH_ID}, ...operatorTags(spec).map(([TagKey, TagValue]) => ({TagKey, TagValue}))];
}
