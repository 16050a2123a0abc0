// How each wizard option changes what the control panel says. Kept apart from the catalog so the
// base facts stay readable; every function here edits copies of the step's controls.
import type {Control, ControlId, StepId} from './catalog-types.js';
import type {LaunchSpec} from './spec.js';
import {instanceConnectListName} from './instance-connect.js';
import {inert} from './sanitize.js';
import {isWholeInternet, OTHER_TYPE, SESSION_CHOICES, sessionChoice, sshChoice, storageChoice, vpcChoice, type SessionChoice, type SshChoice} from './choices.js';
import {ENDPOINT_HOURLY_USD, needsSsmEndpoints, sessionRoleName, SSM_POLICY_NAME} from './plan-access.js';

/** New text for a control; `compliance` replaces the notes, `addCompliance` adds to them. */
type Edit = Partial<Pick<Control, 'aws' | 'customer' | 'verify' | 'compliance'>> & {addCompliance?: string[]};
type Edits = Partial<Record<ControlId, Edit>>;
type Adapter = (option: string | undefined, spec: LaunchSpec) => Edits;

/** The option the wizard would highlight for `step` given what the spec already holds. */
export function optionFromSpec(step: StepId, spec: LaunchSpec): string | undefined {
  switch (step) {
    case 'image':
      return spec.instance.image;
    case 'instance-type':
      return spec.instance.type;
    case 'network':
      return vpcChoice(spec);
    case 'iam-role':
      return spec.role.mode;
    case 'tenancy':
      return spec.instance.tenancy;
    case 'storage':
      return storageChoice(spec);
    case 'security-group':
      return spec.securityGroup.mode;
    case 'key-pair':
      return spec.keyPair.mode;
    case 'metadata':
      return spec.instance.imds;
    default:
      return undefined;
  }
}

const image: Adapter = (option) => {
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
};

const instanceType: Adapter = (option, spec) => {
  // "another type…" explains the typed type once there is one, never the word "other".
  const picked = option === OTHER_TYPE ? spec.instance.type : (option ?? spec.instance.type);
  const type = picked && picked !== OTHER_TYPE ? picked : 'the type you type';
  return {
    'instance-type': {
      customer: `${type}: check that it fits the load and runs ${spec.instance.arch} images, like the image you picked.`,
      verify: `The instance's InstanceType is ${type}.`,
    },
  };
};

const network: Adapter = (option, spec) => {
  const vpc = option === 'default' || option === 'new' || option === 'existing' ? option : optionFromSpec('network', spec);
  const placement = option === 'public' || option === 'private' ? option : spec.network.subnet;
  const edits: Edits = {};
  if (vpc === 'default') {
    edits['vpc-isolation'] = {customer: "You inherit this isolation. The account's default VPC was created by AWS with public subnets."};
    edits['subnet-routing'] = {
      customer: 'Default subnets route to the internet and hand out public addresses, so Security Hub EC2.15 flags them.',
    };
  } else if (vpc === 'new') {
    const cidr = spec.network.cidr || 'a new range';
    edits['vpc-isolation'] = {customer: `You inherit this isolation. tandem creates a VPC (${cidr}) used by this launch only.`};
    edits['subnet-routing'] = {
      customer: 'tandem builds a public subnet routed to an internet gateway and a private one with no internet route; you own both.',
    };
  } else {
    const known = spec.network.vpc.startsWith('vpc-') ? spec.network.vpc : undefined;
    edits['vpc-isolation'] = {
      customer: known
        ? `You inherit this isolation; you only chose the VPC the instance goes into, ${known}.`
        : 'You inherit this isolation; you only choose which of your existing VPCs the instance goes into.',
    };
    edits['subnet-routing'] = {customer: `You vouch for the subnets and routes already in ${known ?? 'that VPC'}; tandem only reads them.`};
  }
  if (placement === 'public')
    edits['subnet-routing'] = {
      ...edits['subnet-routing'],
      verify: 'The instance sits in the public subnet, whose route table sends 0.0.0.0/0 to an internet gateway.',
    };
  if (placement === 'private')
    edits['subnet-routing'] = {
      customer: 'Private subnet: no route to or from the internet. Reach the instance through Session Manager or a bastion.',
      verify: "The instance sits in the private subnet, whose route table has no 0.0.0.0/0 route to an internet gateway.",
    };
  const isPublic = placement === 'private' ? false : spec.network.publicIp;
  edits['public-ip'] = isPublic
    ? {customer: 'This instance gets a public IPv4 address, so anyone can reach its open ports. Security Hub EC2.9 will flag it.'}
    : {customer: 'No public IPv4 address: the instance is reachable only from inside the VPC or through a load balancer.'};
  return edits;
};

const iamRole: Adapter = (option, spec) => {
  const mode = option ?? spec.role.mode;
  if (mode === 'none' && spec.access?.sessionManager)
    return {
      'iam-instance-role': {
        customer: `No role for the app; for Session Manager tandem creates ${sessionRoleName(spec)} with only ${SSM_POLICY_NAME}. Prowler flags any role on a public instance.`,
        verify: `The instance profile ${sessionRoleName(spec)} is attached, holds its role, and EC2 may assume it.`,
      },
    };
  if (mode === 'none')
    return {
      'iam-instance-role': {
        customer: 'No role: code on the instance gets no AWS credentials. Prowler ec2_instance_profile_attached will flag it.',
        verify: 'The instance has no instance profile attached.',
      },
    };
  if (mode === 'create') {
    const bucket = spec.role.bucket || 'one bucket';
    const access = spec.role.access ?? 'read';
    return {
      'iam-instance-role': {
        customer: `tandem creates ${spec.role.name || 'EC2AccessToS3Role'}, trusted by EC2 only, for ${access} access to ${bucket}. You own it after.`,
      },
    };
  }
  return {
    'iam-instance-role': {
      customer: `You vouch for ${spec.role.name || 'the existing role'}: its trust policy and every permission it gives code on this instance.`,
    },
  };
};

const tenancy: Adapter = (option, spec) => {
  const choice = option ?? spec.instance.tenancy;
  if (choice === 'dedicated')
    return {
      tenancy: {
        aws: 'Runs your instances on hardware used by your account alone; AWS still decides which host they land on.',
        customer: 'You manage everything from the OS upwards and pay more for dedicated capacity, billed while instances run.',
        verify: 'Placement.Tenancy reports dedicated.',
      },
    };
  if (choice === 'host')
    return {
      tenancy: {
        aws: 'Allocates a whole physical server (a dedicated host) to your account and keeps other accounts off it.',
        customer: 'You manage host placement, capacity and bring-your-own licences, and pay for the whole host while it is allocated.',
        verify: 'Placement.Tenancy reports host, on the host allocated for this launch.',
      },
    };
  return {
    tenancy: {
      aws: 'Runs the instance on hardware shared with other accounts, kept apart by the hypervisor.',
      customer: 'You manage everything from the OS upwards; shared hardware suits most workloads outside strict compliance scopes.',
      verify: 'Placement.Tenancy reports default.',
    },
  };
};

const storage: Adapter = (option, spec) => {
  const choice = option ?? storageChoice(spec);
  if (choice === 'off')
    return {
      'ebs-encryption': {
        aws: 'Offers encryption but applies it only when asked: this volume is written unencrypted unless the account default is on.',
        customer: 'Volumes will be unencrypted and Security Hub EC2.3 will fail. Encrypt inside the OS (LUKS) or pick a key.',
        verify: 'EC2.3 is expected to fail: the attached volume reports Encrypted = false.',
      },
      'kms-key': {customer: 'No key is used, so there is nothing to rotate or guard.', verify: 'Nothing to check: no key is used.'},
    };
  if (choice === 'new')
    return {
      'kms-key': {
        customer: 'You own the new customer key: its key policy, who may use it, and its rotation (tandem switches rotation on).',
        verify: 'Automatic rotation is enabled on the new key (Security Hub KMS.4).',
      },
    };
  if (choice === 'existing') {
    const key = spec.storage.kmsKey && spec.storage.kmsKey !== 'aws/ebs' && spec.storage.kmsKey !== 'new' ? spec.storage.kmsKey : 'the key you pick';
    return {
      'kms-key': {
        customer: `You own ${key}: its policy must let EC2 use it for this account, and its rotation is your job.`,
        verify: `Volumes are encrypted with ${key}; rotation on it is checked (Security Hub KMS.4).`,
      },
    };
  }
  return {
    'kms-key': {
      aws: 'Creates the AWS managed key aws/ebs for the account and rotates it on its own schedule.',
      customer: 'Nothing to manage, but you cannot edit its policy, rotate it yourself, or share snapshots it encrypts with other accounts.',
      verify: "Volumes are encrypted with the account's default EBS key, which is aws/ebs unless the account changed it; the key actually used is reported.",
    },
  };
};

const securityGroup: Adapter = (option, spec) => {
  const sg = spec.securityGroup;
  const mode = option === 'create' || option === 'existing' ? option : sg.mode;
  const ssh = option?.startsWith('ssh-') ? (option as SshChoice) : sshChoice(sg.ssh);
  if (mode === 'existing') {
    const id = sg.groupId || 'the group you pick';
    return {
      'security-group-rules': {
        customer: `You vouch for every rule already in ${id}; tandem attaches it and changes none of its rules.`,
        verify: `The instance uses ${id}; rules opening 22 or another high-risk port to the internet fail.`,
      },
    };
  }
  // Instance Connect, when highlighted: one more rule, from AWS's list of its service addresses.
  if (option?.startsWith('instance-connect-')) {
    if (option !== 'instance-connect-on') return {'security-group-rules': {customer: 'You own every rule. No rule for EC2 Instance Connect: its service cannot reach port 22.'}};
    const list = instanceConnectListName(spec.region);
    return {
      'security-group-rules': {
        aws: `Runs EC2 Instance Connect, keeps its service addresses in the managed prefix list ${list}, and ships its agent in Amazon Linux 2023.`,
        customer: 'You decide in IAM who may push a one-time key (ec2-instance-connect:SendSSHPublicKey) and keep the agent on the instance; each push is logged in CloudTrail.',
        verify: `Port 22's source is the prefix list ${list} itself, never an address range.`,
      },
    };
  }
  const customer =
    ssh === 'ssh-world'
      ? 'You own every rule. SSH is open to the whole internet: scanners try logins within minutes; EC2.13 and EC2.19 fail.'
      : ssh === 'ssh-address'
        ? `You own every rule. SSH only from ${typeof sg.ssh === 'string' && sg.ssh && !isWholeInternet(sg.ssh) ? sg.ssh : 'your address'}; update it when your address changes.`
        : spec.access?.sessionManager
          ? 'You own every rule. No SSH rule at all: port 22 stays closed, and Session Manager gives you a shell through the agent instead.'
          : spec.role.mode === 'none'
            ? 'You own every rule. No SSH rule at all: nobody logs in over the network. Session Manager is off, so nobody gets a shell at all.'
            : 'You own every rule. No SSH rule at all: nobody logs in over the network; Session Manager is off here, so the role alone opens no shell.';
  if (spec.access?.instanceConnect) {
    const list = instanceConnectListName(spec.region);
    const eic = `Port 22 also admits EC2 Instance Connect's service, through the prefix list ${list} (no address range); IAM decides who may push a key.`;
    return {'security-group-rules': {customer: ssh === 'ssh-none' ? `You own every rule. ${eic}` : `${customer} ${eic}`, verify: `The group holds exactly the intended rules; port 22's Instance Connect rule has the prefix list ${list} as its source; nothing opens 22 or another high-risk port to 0.0.0.0/0 or ::/0.`}};
  }
  return {'security-group-rules': {customer}};
};

/** The Session Manager control as the option highlighted (or the spec) has it. */
function sessionEdit(choice: SessionChoice, spec: LaunchSpec): Edit {
  if (choice === 'ssm-off')
    return {
      aws: 'Runs the service, but this instance will not be registered with it.',
      customer: 'Session Manager is off: the instance gets no role for it, and only SSH (if you open it) reaches a shell.',
      verify: 'Nothing to check: Session Manager is not used.',
    };
  const role =
    spec.role.mode === 'existing'
      ? `Pre-flight checks that role ${spec.role.name || 'you pick'} already carries ${SSM_POLICY_NAME}; tandem never changes a role it did not create.`
      : spec.role.mode === 'create'
        ? `${SSM_POLICY_NAME} is attached to the role tandem creates, beside its S3 policy.`
        : `tandem creates a role holding only ${SSM_POLICY_NAME}, and its instance profile.`;
  const endpoints = needsSsmEndpoints(spec)
    ? [`The private subnet gets interface endpoints for ssm, ssmmessages and ec2messages; each costs about $${ENDPOINT_HOURLY_USD.toFixed(2)} per hour (us-east-1; other regions charge a little more), plus data processed.`]
    : [];
  return {addCompliance: [role, ...endpoints]};
}

// The step holds two lists: the key pair's modes and Session Manager on/off.
const keyPair: Adapter = (option, spec) => {
  const onSession = (SESSION_CHOICES as readonly string[]).includes(option ?? '');
  return {
    ...keyPairEdits(onSession ? undefined : option, spec),
    'session-manager': sessionEdit(onSession ? (option as SessionChoice) : sessionChoice(spec), spec),
  };
};

const keyPairEdits = (option: string | undefined, spec: LaunchSpec): Edits => {
  const kp = spec.keyPair;
  const mode = option ?? kp.mode;
  if (mode === 'create') {
    const where = kp.path || 'a local file';
    return {'key-pair': {customer: `The private ${kp.type ?? 'ed25519'} key is written once to ${where} (mode 0600) and exists nowhere else: guard it.`}};
  }
  // tandem never sees the private key of an imported or reused pair, so it cannot check that file.
  if (mode === 'import')
    return {
      'key-pair': {
        customer: `Only your public key (${kp.path || 'a local .pub file'}) is uploaded; the private key never leaves your machine.`,
        verify: "The key pair exists with your public key's fingerprint and the instance uses it; the private key stays with you, unchecked.",
      },
    };
  if (mode === 'existing')
    return {
      'key-pair': {
        customer: `You reuse ${kp.name || 'an existing pair'}: whoever holds its private key can log in. Know who that is.`,
        verify: 'The key pair exists and the instance uses it; tandem cannot see where its private key is kept.',
      },
    };
  return {
    'key-pair': {
      aws: 'Places no key on the instance.',
      customer: spec.access?.sessionManager
        ? 'No key pair: nobody logs in with an SSH key, and there is no private key to guard. Session Manager gives you a shell.'
        : 'No key pair: nobody can log in with SSH keys, and Session Manager is off, so the instance has no way in.',
      verify: 'The instance reports no key name.',
    },
  };
};

const metadata: Adapter = (option, spec) => {
  const tokens = option ?? spec.instance.imds;
  if (tokens === 'optional')
    return {
      'imds-v2': {
        customer: "IMDSv1 stays on: one SSRF bug in the web app can read the role's credentials. Security Hub EC2.8 will fail.",
        verify: 'EC2.8 is expected to fail: MetadataOptions.HttpTokens reports optional.',
      },
    };
  return {'imds-v2': {customer: `IMDSv2 required, hop limit ${spec.instance.hopLimit}: tokens stay on the instance and credentials resist SSRF.`}};
};

const afterLaunch: Adapter = (_option, spec) => {
  const how =
    spec.instance.image === 'al2023'
      ? 'with dnf upgrade, or AWS Systems Manager Patch Manager'
      : spec.instance.image === 'al2'
        ? 'with yum update while fixes still come (Amazon Linux 2 support ended 2026-06-30), then move to AL2023'
        : "with your image's own package manager, or AWS Systems Manager Patch Manager if the image runs its agent";
  const patching: Edit = {customer: `Patch the operating system and its packages on a schedule for the instance's whole life, ${how}.`};
  if (spec.access?.sessionManager) {
    patching.addCompliance = [`The role that lets Session Manager in (${SSM_POLICY_NAME}) also lets Systems Manager Patch Manager scan and patch this OS on a schedule you set.`];
  }
  return {'os-patching': patching};
};

/** The encryption screen's note on the account default, wherever the list is drawn. */
export function ebsDefaultNote(state: {enabled: boolean; kmsKeyId?: string}): string {
  return state.enabled
    ? `this account encrypts new volumes by default${state.kmsKeyId ? ` (key ${inert(state.kmsKeyId)})` : ''}`
    : 'this account does not encrypt new volumes by default, so the encryption option you choose decides';
}

const adapters: Partial<Record<StepId, Adapter>> = {
  'after-launch': afterLaunch,
  image,
  'instance-type': instanceType,
  network,
  'iam-role': iamRole,
  tenancy,
  storage,
  'security-group': securityGroup,
  'key-pair': keyPair,
  metadata,
};

export function adaptControls(step: StepId, controls: Control[], option: string | undefined, spec: LaunchSpec): Control[] {
  const adapter = adapters[step];
  if (!adapter) return controls;
  const edits = adapter(option ?? optionFromSpec(step, spec), spec);
  return controls.map((control) => {
    const edit = edits[control.id];
    if (!edit) return control;
    const {addCompliance = [], compliance = control.compliance, ...text} = edit;
    return {...control, ...text, compliance: [...compliance, ...addCompliance]};
  });
}
