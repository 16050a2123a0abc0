// The control vocabulary as the wizard has always listed it, written out once for the tests that
// pin it: derived from the registry in the source, it must not move or lose an id.
export const WIZARD_CONTROLS = [
  'ami-provenance',
  'hypervisor-isolation',
  'media-sanitization',
  'instance-type',
  'vpc-isolation',
  'subnet-routing',
  'public-ip',
  'iam-instance-role',
  'tenancy',
  'ebs-encryption',
  'kms-key',
  'security-group-rules',
  'default-security-group',
  'network-acl',
  'key-pair',
  'session-manager',
  'imds-v2',
  'os-patching',
  'application-security',
  'instance-config-protection',
];
