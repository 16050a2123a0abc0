// After launch (docs/design.md section 1): patching and the application are the customer's; AWS
// protects the stored key and the instance's configuration. Guidance only, nothing to check.
import {ATTESTATION, type ControlModule, type PanelEdit, type PanelEdits} from './control.js';
import {sessionManagerOn, SSM_POLICY_NAME} from './ways-in.js';
import type {LaunchSpec} from '../spec.js';

function panel(_option: string | undefined, spec: LaunchSpec): PanelEdits {
  const how =
    spec.instance.image === 'al2023'
      ? 'with dnf upgrade, or AWS Systems Manager Patch Manager'
      : spec.instance.image === 'al2'
        ? 'with yum update while fixes still come (Amazon Linux 2 support ended 2026-06-30), then move to AL2023'
        : "with your image's own package manager, or AWS Systems Manager Patch Manager if the image runs its agent";
  const patching: PanelEdit = {customer: `Patch the operating system and its packages on a schedule for the instance's whole life, ${how}.`};
  if (sessionManagerOn(spec)) {
    patching.addCompliance = [`The role that lets Session Manager in (${SSM_POLICY_NAME}) also lets Systems Manager Patch Manager scan and patch this OS on a schedule you set.`];
  }
  return {'os-patching': patching};
}

export const afterLaunchControl: ControlModule<never, 'os-patching' | 'application-security' | 'instance-config-protection', 'after-launch'> = {
  step: 'after-launch',
  stepTitle: 'After launch',
  catalog: [
    {
      id: 'os-patching',
      step: 'after-launch',
      title: 'OS patching',
      owner: 'Customer',
      kind: 'customer-specific',
      aws: 'Publishes updated packages and images, but never changes the OS of a running instance.',
      customer: "Patch the operating system and its packages on a schedule for the instance's whole life.",
      verify: 'Guidance only: tandem does not look inside the OS after launch.',
      compliance: [],
    },
    {
      id: 'application-security',
      step: 'after-launch',
      title: 'Application and identity',
      owner: 'Customer',
      kind: 'customer-specific',
      aws: 'Nothing inside your application or middleware.',
      customer: 'Secure the platform the application runs on, the application itself, and its users and access from the middleware up.',
      verify: 'Guidance only: application-level controls are not visible to AWS APIs.',
      compliance: [],
    },
    {
      id: 'instance-config-protection',
      step: 'after-launch',
      title: 'Stored key and instance configuration',
      owner: 'AWS',
      kind: 'inherited',
      aws: 'Stores and protects the public key and the configuration of the instance in its own systems.',
      customer: 'Nothing to configure: you inherit this protection.',
      verify: ATTESTATION,
      compliance: [],
    },
  ],
  findingIds: [],
  unchecked: {
    'os-patching': {expected: 'you patch the OS (e.g. dnf upgrade, SSM Patch Manager)', by: 'customer'},
    'application-security': {expected: 'you secure the web server and its users', by: 'customer'},
    'instance-config-protection': {expected: 'AWS protects the stored public key and instance configuration', by: 'attestation'},
  },
  panel,
};
