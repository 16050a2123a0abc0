// The control catalog: for each wizard step, who owns which security control under the AWS shared
// responsibility model, what each side does, and how tandem checks it after launch.
// Facts come from docs/design.md section 1; the panel text adapts to the highlighted option
// (panelControls) so the operator sees the consequence of a choice before making it.
import {STEP_IDS, type CheckerRef, type Control, type ControlId, type StepId} from './catalog-types.js';
import type {LaunchSpec} from './spec.js';
import {adaptControls} from './catalog-options.js';
import {checkersForRow} from './checkers.js';

export {optionFromSpec} from './catalog-options.js';

/** The checkers whose verdicts show on these verification rows (checkers.ts holds their rules). */
const cited = (...rows: string[]): CheckerRef[] =>
  rows.flatMap((row) => checkersForRow(row)).map(({tool, id}) => ({tool, id}));

/** Said wherever only AWS's own audits can show the control works. */
export const ATTESTATION = 'Not checkable by API; cite AWS attestation reports (SOC 2, ISO 27001).';

export const STEP_TITLES: Record<StepId, string> = {
  image: 'Image',
  isolation: 'Isolation',
  'instance-type': 'Instance type',
  network: 'Network',
  'iam-role': 'IAM role',
  tenancy: 'Tenancy',
  storage: 'Storage',
  'security-group': 'Security group',
  'key-pair': 'Key pair',
  metadata: 'Instance metadata',
  'after-launch': 'After launch',
};

const catalog: Control[] = [
  {
    id: 'ami-provenance',
    step: 'image',
    title: 'Image provenance',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Builds and hardens Amazon Linux from trusted package sources and publishes the current image id in a public SSM parameter.',
    customer: 'Pick a current, supported image for the right architecture, then keep its OS patched for as long as it runs.',
    verify: "The instance's ImageId equals the image resolved at launch, and Amazon owns that image.",
    checkers: [],
    compliance: ['Amazon Linux 2 reached end of support on 2026-06-30; Amazon Linux 2023 is the supported choice.'],
  },
  {
    id: 'hypervisor-isolation',
    step: 'isolation',
    title: 'Hypervisor isolation',
    owner: 'AWS',
    kind: 'inherited',
    aws: "Keeps your instance apart from other customers' instances with the hypervisor: Xen in older families, the Nitro System today.",
    customer: 'Nothing to configure: you inherit this control. Keep the AWS audit reports as your evidence.',
    verify: ATTESTATION,
    checkers: [],
    compliance: ['Older instance families run on a customised Xen hypervisor; current families run on Nitro.'],
  },
  {
    id: 'media-sanitization',
    step: 'isolation',
    title: 'Disk and memory sanitization',
    owner: 'AWS',
    kind: 'inherited',
    aws: 'Wipes every disk block before another customer can use it, and scrubs memory before it is reused.',
    customer: 'Nothing to configure: you inherit this control. Delete data and snapshots you no longer need.',
    verify: ATTESTATION,
    checkers: [],
    compliance: [],
  },
  {
    id: 'instance-type',
    step: 'instance-type',
    title: 'Instance type',
    owner: 'Customer',
    kind: 'customer-specific',
    aws: 'Offers the instance families and sizes and runs the hardware behind them.',
    customer: "Pick a type that fits the load and matches the image's architecture (x86_64 or arm64).",
    verify: "The instance's InstanceType equals the type you chose.",
    checkers: [],
    compliance: [],
  },
  {
    id: 'vpc-isolation',
    step: 'network',
    title: 'VPC isolation',
    owner: 'AWS',
    kind: 'inherited',
    aws: "Runs the VPC network fabric, which keeps your account's workloads apart from every other account's.",
    customer: 'Nothing to build: you inherit this isolation. You only choose which VPC the instance lives in.',
    verify: "The instance's VpcId is the VPC you chose.",
    checkers: [],
    compliance: [],
  },
  {
    id: 'subnet-routing',
    step: 'network',
    title: 'Subnets and routes',
    owner: 'Customer',
    kind: 'hybrid',
    aws: 'Provides subnets, route tables and internet gateways as building blocks.',
    customer: 'Design all of it: split public from private subnets and decide which routes lead to the internet.',
    verify: 'SubnetId is as chosen; a public subnet routes 0.0.0.0/0 to an internet gateway, a private one has no such route.',
    checkers: [],
    compliance: [],
  },
  {
    id: 'public-ip',
    step: 'network',
    title: 'Public IPv4 address',
    owner: 'Customer',
    kind: 'hybrid',
    aws: 'Assigns a public IPv4 address when the subnet or the request asks for one, and routes internet traffic to it.',
    customer: 'Decide whether the instance should be reachable from the internet at all; keep subnets from handing out public addresses.',
    verify: "The instance has a public address only if you asked for one; the subnet's MapPublicIpOnLaunch is as intended.",
    checkers: cited('public-ip'),
    compliance: ['Security Hub EC2.9 flags any instance with a public IPv4 address, even a web server meant to be public.'],
  },
  {
    id: 'iam-instance-role',
    step: 'iam-role',
    title: 'Instance role',
    owner: 'Customer',
    kind: 'customer-specific',
    aws: 'Runs IAM and hands the instance short-lived credentials for its role through the metadata service.',
    customer: 'Decide whether the instance needs AWS access at all, and grant only the actions and resources it uses.',
    verify: "The instance profile is attached and holds the role, EC2 may still assume the role, and no policy on it allows '*' as action or resource.",
    checkers: cited('iam-instance-role'),
    compliance: ['Roles, trust relationships and all access to the account are managed entirely by you.'],
  },
  {
    id: 'tenancy',
    step: 'tenancy',
    title: 'Tenancy',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Runs the instance on hardware shared with other accounts, kept apart by the hypervisor, or on single-tenant hardware if asked.',
    customer: 'Choose the tenancy your compliance scope needs. On every tenancy you manage everything from the OS upwards.',
    verify: "The instance's Placement.Tenancy matches your choice.",
    checkers: [],
    compliance: [
      'Single-tenant hardware answers a policy or contract that asks for it. It is not what FIPS 140 is about (that standard validates cryptographic modules), and AWS\'s PCI DSS attestation covers shared tenancy too.',
    ],
  },
  {
    id: 'ebs-encryption',
    step: 'storage',
    title: 'EBS encryption',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Encrypts volumes, their snapshots and the data moving to the host with KMS keys, and runs the key service.',
    customer: 'Switch encryption on (volumes are unencrypted unless the request or account default says so) and pick the key.',
    verify: "Every attached volume is Encrypted with the chosen key; the account's default encryption setting is reported.",
    checkers: cited('ebs-encryption', 'ebs-default-encryption'),
    compliance: ['Encrypting inside the OS with LUKS is an alternative when you must hold the keys yourself.'],
  },
  {
    id: 'kms-key',
    step: 'storage',
    title: 'Encryption key',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Keeps key material inside KMS, where it is used but never exported, and rotates AWS managed keys itself.',
    customer: 'Choose aws/ebs or a customer key; for a customer key you own its key policy, who may use it and its rotation.',
    verify: 'A customer key has automatic rotation enabled.',
    checkers: cited('kms-key'),
    compliance: [],
  },
  {
    id: 'security-group-rules',
    step: 'security-group',
    title: 'Security group rules',
    owner: 'AWS/Customer',
    kind: 'hybrid',
    aws: 'Enforces a stateful filter at every instance and denies all inbound traffic until a rule allows it.',
    customer: 'Write every rule: open only the ports the service needs and allow SSH from your own address only.',
    verify: 'The group holds exactly the intended rules; nothing opens 22 or another high-risk port to 0.0.0.0/0 or ::/0.',
    checkers: cited('security-group-rules'),
    compliance: [
      'Layering several groups, one per tier, is good practice: each tier admits traffic only from the one in front of it.',
      'Checkers disagree on port 80 open to all: Checkov CKV_AWS_260 fails it, Security Hub EC2.18 allows it.',
    ],
  },
  {
    id: 'key-pair',
    step: 'key-pair',
    title: 'Key pair',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Stores the public key and places it on the instance at first boot.',
    customer: 'Guard the private key: file mode 0600, never in chat, tickets or logs; replace the pair when someone leaves.',
    verify: 'The key pair exists with the expected fingerprint, the instance uses it, and the local private key file is mode 0600.',
    checkers: [],
    compliance: [
      'Linux logins prove identity over SSH with the private key.',
      'Windows instances need the private key to decrypt the administrator password.',
    ],
  },
  {
    id: 'session-manager',
    step: 'key-pair',
    title: 'Session Manager',
    owner: 'AWS/Customer',
    kind: 'shared',
    aws: 'Runs the Session Manager service and ships its agent already installed in Amazon Linux 2023; a session opens no inbound port and needs no SSH key.',
    customer: 'Decide in IAM who may call ssm:StartSession on this instance, keep the agent running, and choose whether session logs go to CloudWatch Logs or S3.',
    verify: "The instance role carries AmazonSSMManagedInstanceCore, no rule opens port 22, and the instance has no key pair.",
    checkers: cited('session-manager'),
    compliance: [
      'Every session is allowed by IAM and can be logged, so each shell traces back to a person instead of to a shared key.',
      'In a private subnet the agent reaches the service through interface endpoints (ssm, ssmmessages, ec2messages), each billed by the hour.',
    ],
  },
  {
    id: 'imds-v2',
    step: 'metadata',
    title: 'Instance metadata (IMDSv2)',
    owner: 'AWS/Customer',
    kind: 'hybrid',
    aws: 'Runs the instance metadata service and, when told to, answers only requests that carry a session token (IMDSv2).',
    customer: 'Require IMDSv2 and keep the hop limit at 1 (2 only for containers), so role credentials cannot leak via SSRF.',
    verify: 'The instance reports MetadataOptions.HttpTokens = required.',
    checkers: cited('imds-v2'),
    compliance: [],
  },
  {
    id: 'os-patching',
    step: 'after-launch',
    title: 'OS patching',
    owner: 'Customer',
    kind: 'customer-specific',
    aws: 'Publishes updated packages and images, but never changes the OS of a running instance.',
    customer: "Patch the operating system and its packages on a schedule for the instance's whole life.",
    verify: 'Guidance only: tandem does not look inside the OS after launch.',
    checkers: [],
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
    checkers: [],
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
    checkers: [],
    compliance: [],
  },
];

function freeze(control: Control): Control {
  Object.freeze(control.checkers);
  Object.freeze(control.compliance);
  return Object.freeze(control);
}

export const CONTROLS: readonly Control[] = Object.freeze(catalog.map(freeze));

/** A copy callers may change without touching the catalog. */
export function copyControl(control: Control): Control {
  return {...control, checkers: control.checkers.map((c) => ({...c})), compliance: [...control.compliance]};
}

export function controlById(id: ControlId): Control {
  const control = CONTROLS.find((c) => c.id === id);
  if (!control) throw new RangeError(`unknown control "${id}"`);
  return control;
}

export function controlsForStep(step: StepId): Control[] {
  return CONTROLS.filter((c) => c.step === step);
}

/** Every control of every step, in wizard order, with text describing what this spec chose. */
export function specControls(spec: LaunchSpec): Control[] {
  return STEP_IDS.flatMap((step) => panelControls(step, undefined, spec));
}

/**
 * The step's controls as the side panel shows them while `option` is highlighted. Without an
 * option (or for steps that have none), the text reflects what `spec` already holds.
 */
export function panelControls(step: StepId, option: string | undefined, spec: LaunchSpec): Control[] {
  return adaptControls(step, controlsForStep(step).map(copyControl), option, spec);
}
