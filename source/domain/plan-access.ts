// Session Manager's names and plan steps now live in the ways-in control module
// (controls/ways-in.ts); this file only keeps the old import path for the export renderers.
export {
  attachesSsmPolicy,
  defaultSessionRoleName,
  ENDPOINT_GROUP_DESCRIPTION,
  ENDPOINT_HOURLY_USD,
  ENDPOINT_RULE_DESCRIPTION,
  endpointGroupName,
  endpointServiceName,
  endpointSteps,
  needsSessionRole,
  needsSsmEndpoints,
  sessionManagerOn,
  sessionRoleCreateParams,
  sessionRoleName,
  SSM_ENDPOINT_SERVICES,
  SSM_POLICY_NAME,
  ssmPolicyArn,
  ssmPolicyStep,
  type SsmEndpointService,
} from './controls/ways-in.js';
