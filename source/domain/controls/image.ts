// The image and its provenance (docs/design.md section 1): Amazon Linux 2023, Amazon Linux 2
// (past end of support) or an AMI the operator names.
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import type {LaunchSpec} from '../spec.js';

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
      explanation:
        'Amazon Linux 2 reached end of support on 2026-06-30 and no longer receives security updates. Use Amazon Linux 2023 unless software you cannot move yet requires AL2.',
      control: 'ami-provenance',
      checkers: [],
    },
  ];
}

export const imageControl: ControlModule<(typeof FINDING_IDS)[number]> = {
  step: 'image',
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
};
