// The image and its provenance (docs/design.md section 1): Amazon Linux 2023, Amazon Linux 2
// (past end of support) or an AMI the operator names, resolved at launch, and what it installs at
// first boot.
import type {ControlModule, FindingDraft, PanelEdits, PlanContext} from './control.js';
import {PLAN_STEP} from '../plan-ids.js';
import type {ParamValue, PlanStep, StepRef} from '../plan-types.js';
import type {LaunchSpec} from '../spec.js';
import {HEX_ID, oneOf, show, type FieldRules} from '../field-rules.js';

/** The images the wizard offers, the architectures, and the first-boot script (installing httpd or nothing). */
export const IMAGE_SOURCES = ['al2023', 'al2', 'ami'] as const;
export const ARCHES = ['x86_64', 'arm64'] as const;
export const USER_DATA = ['httpd', 'none'] as const;

/** Public SSM parameters that always name the newest Amazon Linux image. */
export function imageParameterName(image: 'al2023' | 'al2', arch: 'x86_64' | 'arm64'): string {
  const leaf = image === 'al2023' ? `al2023-ami-kernel-default-${arch}` : `amzn2-ami-hvm-${arch}-gp2`;
  return `/aws/service/ami-amazon-linux-latest/${leaf}`;
}

const IMAGE_LABEL = {al2023: 'Amazon Linux 2023', al2: 'Amazon Linux 2'} as const;

/** Resolve the image: its public SSM parameter (Amazon Linux), then its own record. */
function imageSteps(spec: LaunchSpec): PlanStep[] {
  const {image, arch, amiId} = spec.instance;
  const steps: PlanStep[] = [];
  let imageId: ParamValue = amiId ?? '';
  if (image !== 'ami') {
    steps.push({
      id: PLAN_STEP.imageParameter,
      service: 'ssm',
      action: 'GetParameter',
      params: {Name: imageParameterName(image, arch)},
      creates: [],
      dependsOn: [],
      controls: ['ami-provenance'],
      dryRunnable: false,
      summary: `Look up the latest ${IMAGE_LABEL[image]} (${arch}) image in its public SSM parameter`,
    });
    imageId = {ref: PLAN_STEP.imageParameter, output: 'Parameter.Value'};
  }
  // The image's own record gives its owner (checked after launch) and the root device name the
  // block-device mapping must use to resize and encrypt the root volume.
  steps.push({
    id: PLAN_STEP.image,
    service: 'ec2',
    action: 'DescribeImages',
    params: {ImageIds: [imageId]},
    creates: [],
    dependsOn: image === 'ami' ? [] : [PLAN_STEP.imageParameter],
    controls: ['ami-provenance'],
    dryRunnable: true,
    summary: image === 'ami' ? `Read image ${amiId ?? ''}: owner, architecture, root device` : 'Read the resolved image: owner, architecture, root device',
  });
  return steps;
}

function userDataScript(spec: LaunchSpec): string | undefined {
  if (spec.instance.userData !== 'httpd') return undefined;
  const install: Record<LaunchSpec['instance']['image'], string> = {
    al2023: 'dnf install -y httpd',
    al2: 'yum install -y httpd',
    // A custom image may be either generation; use whichever package manager it has.
    ami: 'if command -v dnf >/dev/null; then dnf install -y httpd; else yum install -y httpd; fi',
  };
  return ['#!/bin/bash', 'set -euo pipefail', install[spec.instance.image], 'systemctl enable --now httpd', ''].join('\n');
}

/** Base64 user data exactly as RunInstances receives it, or undefined for none. */
export function userDataFor(spec: LaunchSpec): string | undefined {
  const script = userDataScript(spec);
  return script === undefined ? undefined : btoa(script);
}

/** What RunInstances takes from the image: its id, and the root device the volume block must name. */
export function imageRecord(output: 'Images.0.ImageId' | 'Images.0.RootDeviceName'): StepRef {
  return {ref: PLAN_STEP.image, output};
}

function panel(option: string | undefined): PanelEdits {
  if (option === 'al2')
    return {
      'ami-provenance': {
        customer: 'Amazon Linux 2 reached end of support on 2026-06-30 and gets no more security fixes; move to AL2023.',
        addCompliance: ['Running an OS past its end of support usually fails patch-management requirements.'],
      },
    };
  if (option === 'ami')
    return {
      'ami-provenance': {
        aws: 'Stores and boots the image you name; for an image Amazon did not publish, AWS vouches for nothing inside it.',
        customer: "You vouch for this image's provenance: who built it, from which sources, and that it is patched.",
        verify: "The instance's ImageId equals the AMI you gave; its owner account is reported.",
        // The base note compares Amazon Linux versions, which says nothing about an image of your own.
        compliance: [
          'Keep a record of how this image was built (its pipeline, sources and package list): auditors ask for it, and AWS attests to none of it.',
          "Check that the image's OS is still supported by its vendor; an unsupported OS gets no security fixes.",
        ],
      },
    };
  return {
    'ami-provenance': {
      aws: 'Publishes Amazon Linux 2023, hardened and built from trusted sources; tandem resolves the latest id via public SSM.',
    },
  };
}

const FINDING_IDS = ['al2-end-of-support'] as const;

function findings(spec: LaunchSpec): FindingDraft[] {
  if (spec.instance.image !== 'al2') return [];
  return [
    {
      id: 'al2-end-of-support',
      severity: 'high',
      title: 'Amazon Linux 2 is past end of support',
      explanation: 'Amazon Linux 2 reached end of support on 2026-06-30 and no longer receives security updates. Use Amazon Linux 2023 unless software you cannot move yet requires AL2.',
      control: 'ami-provenance',
      checkers: [],
    },
  ];
}

function amiId(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.instance.image !== 'ami') return undefined;
  if (typeof value === 'string' && HEX_ID('ami').test(value)) return undefined;
  return `Image id ${value === undefined ? '(missing)' : show(value)} is not an AMI id; expected 'ami-' followed by 8 or 17 lowercase hex digits, like ami-0abcdef1234567890.`;
}

/** Its fields' validation rules, by spec path (validate.ts applies every module's). */
const rules: FieldRules = {
  'instance.image': oneOf('Image', IMAGE_SOURCES),
  'instance.amiId': amiId,
  'instance.arch': oneOf('Architecture', ARCHES),
  'instance.userData': oneOf('User data', USER_DATA),
};

export const imageControl: ControlModule<(typeof FINDING_IDS)[number], 'ami-provenance', 'image'> = {
  step: 'image',
  stepTitle: 'Image',
  rules,
  catalog: [
    {
      id: 'ami-provenance',
      step: 'image',
      title: 'Image provenance',
      owner: 'AWS/Customer',
      kind: 'shared',
      aws: 'Builds and hardens Amazon Linux from trusted package sources and publishes the current image id in a public SSM parameter.',
      customer: 'Pick a current, supported image for the right architecture, then keep its OS patched for as long as it runs.',
      verify: "The instance's ImageId equals the image resolved at launch, and Amazon owns that image.",
      compliance: ['Amazon Linux 2 reached end of support on 2026-06-30; Amazon Linux 2023 is the supported choice.'],
    },
  ],
  findingIds: FINDING_IDS,
  option: (spec) => spec.instance.image,
  panel,
  findings,
  planSteps: (spec: LaunchSpec, _context: PlanContext) => imageSteps(spec),
  planOrder: 10,
};

/**
 * What verification expects of the image: the one resolved at launch (or the AMI named), and for
 * Amazon Linux an image Amazon owns whose name has the family's prefix.
 */
export function imageExpectation(spec: LaunchSpec, resolvedImageId: string | undefined): {imageId?: string; namePrefix?: string; expected: string} {
  const imageId = resolvedImageId ?? spec.instance.amiId;
  const family = spec.instance.image;
  const fromAmazon = family === 'al2023' || family === 'al2';
  const expected = `${imageId ?? '(no image recorded)'}${fromAmazon ? `, ${family === 'al2023' ? 'Amazon Linux 2023' : 'Amazon Linux 2'} owned by Amazon` : ''}`;
  return {imageId, namePrefix: fromAmazon ? (family === 'al2023' ? 'al2023-ami-' : 'amzn2-ami-') : undefined, expected};
}
