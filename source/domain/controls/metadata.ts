// Instance metadata (docs/design.md section 1): IMDSv2 required by default, and the hop limit.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import {checkov, hub, prowler} from './control.js';
import {perInstance, type Checker} from '../checker-kit.js';
import {passIf} from '../checker-rules.js';
import {literal, resourcesOfType} from '../checker-template.js';
import type {ParamValue} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';
import {oneOf, show, type FieldRules} from '../field-rules.js';

/** The IMDS token settings and hop limits the wizard offers. */
export const HTTP_TOKENS = ['required', 'optional'] as const;
export const HOP_LIMITS = ['1', '2'] as const;

export type HopLimitChoice = (typeof HOP_LIMITS)[number];

/** What verification expects the instance to report; IMDSv1 only as an accepted risk. */
export function metadataExpectation(spec: LaunchSpec): {expected: string; httpTokens: string; hopLimit: number; needsAccepted?: 'imdsv1-allowed'} {
  const {imds, hopLimit} = spec.instance;
  const optional = imds === 'optional';
  return {
    expected: `HttpTokens ${imds}, hop limit ${hopLimit}${optional ? ' (accepted risk imdsv1-allowed)' : ''}`,
    httpTokens: imds,
    hopLimit,
    ...(optional ? {needsAccepted: 'imdsv1-allowed' as const} : {}),
  };
}

/** RunInstances' MetadataOptions: the token setting and hop limit as chosen, the service on. */
export function metadataOptions(spec: LaunchSpec): ParamValue {
  return {HttpTokens: spec.instance.imds, HttpPutResponseHopLimit: spec.instance.hopLimit, HttpEndpoint: 'enabled'};
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const tokens = option ?? spec.instance.imds;
  if (tokens === 'optional')
    return {
      'imds-v2': {
        customer: "IMDSv1 stays on: one SSRF bug in the web app can read the role's credentials. Security Hub EC2.8 will fail.",
        verify: 'EC2.8 is expected to fail: MetadataOptions.HttpTokens reports optional.',
      },
    };
  return {'imds-v2': {customer: `IMDSv2 required, hop limit ${spec.instance.hopLimit}: tokens stay on the instance and credentials resist SSRF.`}};
}

// ---------------------------------------------------------------------------------------------
// Checkers of the metadata row (checkers.ts says where each rule was read from)

/** Security Hub EC2.8 (its control page): passes only when HttpTokens is required; optional fails even with the endpoint off. */
const tokensRequired = perInstance((instance) => passIf(instance.httpTokens === 'required'));
/** Prowler ec2_instance_imdsv2_enabled.py: a disabled endpoint passes too. */
const tokensRequiredOrEndpointOff = perInstance((instance) => (instance.httpEndpoint === 'disabled' ? 'pass' : passIf(instance.httpTokens === 'required')));

const checkers: Checker[] = [
  // Instance metadata.
  {
    tool: 'Security Hub',
    id: 'EC2.8',
    severity: 'high',
    standards: ['FSBP', 'CIS', 'PCI DSS', 'NIST 800-53'],
    group: 'imdsv2',
    row: 'imds-v2',
    evaluates: 'live',
    title: 'EC2 instances should use IMDSv2',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails an instance whose HttpTokens is optional, even when its metadata endpoint is disabled.',
    verdicts: tokensRequired,
  },
  {
    // ec2_instance_imdsv2_enabled.py: PASS when tokens are required or the endpoint is disabled.
    tool: 'Prowler',
    id: 'ec2_instance_imdsv2_enabled',
    severity: 'high',
    group: 'imdsv2',
    row: 'imds-v2',
    evaluates: 'live',
    title: 'EC2 instance requires IMDSv2',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails a running instance whose metadata endpoint is on without required tokens; a disabled endpoint passes.',
    verdicts: tokensRequiredOrEndpointOff,
  },
  {
    // IMDSv1Disabled.py: LaunchTemplateData.MetadataOptions HttpTokens must be "required" (or HttpEndpoint disabled).
    tool: 'Checkov',
    id: 'CKV_AWS_79',
    severity: 'unrated',
    group: 'imdsv2',
    row: 'imds-v2',
    evaluates: 'template',
    title: 'Instance Metadata Service version 1 is not enabled',
    resourceType: 'AWS::EC2::LaunchTemplate',
    rule: 'Fails a launch template in the template whose metadata options do not require tokens.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::LaunchTemplate').map((lt) => {
        const options = (lt.properties.LaunchTemplateData as {MetadataOptions?: Record<string, unknown>} | undefined)?.MetadataOptions ?? {};
        const ok = literal(template, options.HttpEndpoint) === 'disabled' || literal(template, options.HttpTokens) === 'required';
        return {resource: lt.name, verdict: passIf(ok)};
      }),
  },
];

const FINDING_IDS = ['imdsv1-allowed'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  if (spec.instance.imds !== 'optional') return [];
  return [
    {
      id: 'imdsv1-allowed',
      severity: 'high',
      title: 'IMDSv1 allowed',
      explanation:
        "Without session tokens, any server-side request forgery in the web app can read the instance's role credentials from the metadata service. Security Hub EC2.8, Prowler and Checkov (on the launch template) fail it; require IMDSv2.",
      control: 'imds-v2',
      checkers: [hub('EC2.8'), prowler('ec2_instance_imdsv2_enabled'), checkov('CKV_AWS_79')],
    },
  ];
}

function hopLimit(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 64) return undefined;
  return `Hop limit ${show(value)} is out of range; expected a whole number from 1 to 64 (1 keeps metadata tokens on the instance).`;
}

const rules: FieldRules = {'instance.imds': oneOf('IMDS token setting', HTTP_TOKENS), 'instance.hopLimit': hopLimit};

export const metadataControl: ControlModule<(typeof FINDING_IDS)[number], 'imds-v2', 'metadata'> = {
  step: 'metadata',
  stepTitle: 'Instance metadata',
  rules,
  catalog: [
    {
      id: 'imds-v2',
      step: 'metadata',
      title: 'Instance metadata (IMDSv2)',
      owner: 'AWS/Customer',
      kind: 'hybrid',
      aws: 'Runs the instance metadata service and, when told to, answers only requests that carry a session token (IMDSv2).',
      customer: 'Require IMDSv2 and keep the hop limit at 1 (2 only for containers), so role credentials cannot leak via SSRF.',
      verify: 'The instance reports MetadataOptions.HttpTokens = required.',
      checkerRows: ['imds-v2'],
      compliance: [],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.instance.imds,
  panel,
  findings,
  checkers,
};
