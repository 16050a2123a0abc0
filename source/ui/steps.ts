// One screen per step of DESIGN.md section 1, in that order. Each field reads and writes the
// LaunchSpec; option values are the shared wizard vocabulary that panelControls understands.
import type {
  Discovery,
  DiscoveredKey,
  DiscoveredKeyPair,
  DiscoveredRole,
  DiscoveredSecurityGroup,
  DiscoveredSubnet,
  DiscoveredVpc,
} from '../domain/cloud.js';
import type {StepId} from '../domain/catalog-types.js';
import type {KmsKeyDetails} from '../domain/cloud.js';
import {keyDetailsKey, keyRow} from './key-details.js';
import {ebsDefaultNote} from '../domain/catalog-options.js';
import {sshAddressFrom, sshAddressProblem, sshChoice, SSH_WORLD} from '../domain/choices.js';
import {keyPathFor, kmsAliasOf, withName} from '../domain/preflight.js';
import {inert} from '../domain/sanitize.js';
import type {LaunchSpec} from '../domain/spec.js';
import {publicKeyFileProblem} from '../store/public-key-file.js';
import type {ChoiceField, DiscoveryRequest, FieldContext, Option, StepScreen, TextField} from './fields.js';

/** Choice value meaning "let me type the id instead of picking it from the account". */
export const TYPE_ID = '__type__';

const X86_TYPES = ['t3.micro', 't3.small', 't3.medium', 'm7i.large', 'c7i.large'];
const ARM_TYPES = ['t4g.micro', 't4g.small', 't4g.medium', 'm7g.large', 'c7g.large'];
const OTHER = 'other';

function typesFor(spec: LaunchSpec): string[] {
  return spec.instance.arch === 'arm64' ? ARM_TYPES : X86_TYPES;
}

const instance = (spec: LaunchSpec, patch: Partial<LaunchSpec['instance']>): LaunchSpec => ({...spec, instance: {...spec.instance, ...patch}});
const network = (spec: LaunchSpec, patch: Partial<LaunchSpec['network']>): LaunchSpec => ({...spec, network: {...spec.network, ...patch}});
const role = (spec: LaunchSpec, patch: Partial<LaunchSpec['role']>): LaunchSpec => ({...spec, role: {...spec.role, ...patch}});
const storage = (spec: LaunchSpec, patch: Partial<LaunchSpec['storage']>): LaunchSpec => ({...spec, storage: {...spec.storage, ...patch}});
const group = (spec: LaunchSpec, patch: Partial<LaunchSpec['securityGroup']>): LaunchSpec => ({
  ...spec,
  securityGroup: {...spec.securityGroup, ...patch},
});
const keyPair = (spec: LaunchSpec, patch: Partial<LaunchSpec['keyPair']>): LaunchSpec => ({...spec, keyPair: {...spec.keyPair, ...patch}});

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : String(value ?? ''));

function ready<T>(context: FieldContext, key: string | undefined): T[] | undefined {
  if (!key) return undefined;
  const state = context.discovery[key];
  return state?.status === 'ready' ? (state.data as T[]) : undefined;
}

/**
 * A list of things found in the account (with "type an id…" first), plus the text field that
 * takes a typed id when the list is not there (explain mode, still loading, failed) or not wanted.
 */
function existingPicker<T>(options: {
  id: string;
  label: string;
  path: string;
  required: string;
  placeholder: string;
  shown: (spec: LaunchSpec) => boolean;
  request: (spec: LaunchSpec) => DiscoveryRequest | undefined;
  /** What the items are, plural, for the list's count ("212 roles"). */
  noun: string;
  toOption: (item: T, context: FieldContext) => Option;
  details?: (spec: LaunchSpec) => DiscoveryRequest | undefined;
  get: (spec: LaunchSpec) => string;
  set: (spec: LaunchSpec, value: string) => LaunchSpec;
}): [ChoiceField, TextField] {
  const items = (spec: LaunchSpec, context: FieldContext) => ready<T>(context, options.request(spec)?.key);
  const picked = (spec: LaunchSpec, context: FieldContext) => {
    const value = options.get(spec);
    return (items(spec, context) ?? []).some((item) => options.toOption(item, context).value === value) ? value : TYPE_ID;
  };
  return [
    {
      kind: 'choice',
      id: `${options.id}.pick`,
      label: options.label,
      visible: (spec, context) => context.live && options.shown(spec) && options.request(spec) !== undefined,
      needsData: true,
      source: options.request,
      filter: options.noun,
      ...(options.details ? {details: options.details} : {}),
      options: (spec, context) => [
        {value: TYPE_ID, label: 'type an id…', pinned: true},
        ...(items(spec, context) ?? []).map((item) => options.toOption(item, context)),
      ],
      get: picked,
      set: (spec, value) => options.set(spec, value === TYPE_ID ? '' : value),
    },
    {
      kind: 'text',
      id: options.id,
      label: options.label,
      path: options.path,
      required: options.required,
      placeholder: options.placeholder,
      visible: (spec, context) => options.shown(spec) && (!items(spec, context) || picked(spec, context) === TYPE_ID),
      get: options.get,
      set: (spec, value) => options.set(spec, text(value)),
    },
  ];
}

const isId = (value: string | undefined, prefix: string) => Boolean(value && value.startsWith(prefix));

const vpcsRequest: DiscoveryRequest = {key: 'vpcs', what: 'VPCs', load: (d, onPage) => d.vpcs(onPage)};

/** Tags and other words a list's filter should find an item by. */
const searchText = (...parts: Array<string | string[] | undefined>): string => inert(parts.flat().filter(Boolean).join(' '));

/** The VPC id the spec points at, when it is known before launch. */
async function vpcIdOf(spec: LaunchSpec, d: Discovery): Promise<string | undefined> {
  if (isId(spec.network.vpc, 'vpc-')) return spec.network.vpc;
  if (spec.network.vpc !== 'default') return undefined;
  return (await d.vpcs()).find((vpc) => vpc.isDefault)?.id;
}

export const SCREENS: Record<StepId, StepScreen> = {
  image: {
    id: 'image',
    intro: 'Which image the server boots from. AWS hardens and publishes Amazon Linux; keeping it patched after launch is yours.',
    fields: [
      {
        kind: 'choice',
        id: 'instance.image',
        label: 'Image',
        panel: true,
        source: (spec) => ({
          key: `images:${spec.instance.arch}`,
          what: 'latest Amazon Linux images',
          load: (d) => d.latestImages(spec.instance.arch),
        }),
        options: (spec, context) => {
          const state = context.discovery[`images:${spec.instance.arch}`];
          const images = state?.status === 'ready' ? (state.data as {al2023?: string; al2?: string}) : {};
          return [
            {value: 'al2023', label: 'Amazon Linux 2023, latest (public SSM parameter)', hint: images.al2023},
            {value: 'al2', label: 'Amazon Linux 2 (support ended 2026-06-30)', hint: images.al2},
            {value: 'ami', label: 'a specific AMI id…'},
          ];
        },
        get: (spec) => spec.instance.image,
        set: (spec, value) => instance(spec, {image: value as LaunchSpec['instance']['image']}),
      },
      {
        kind: 'text',
        id: 'instance.amiId',
        label: 'AMI id',
        path: 'instance.amiId',
        required: 'type the AMI id, e.g. ami-0123456789abcdef0',
        placeholder: 'ami-…',
        visible: (spec) => spec.instance.image === 'ami',
        get: (spec) => spec.instance.amiId ?? '',
        set: (spec, value) => instance(spec, {amiId: text(value)}),
      },
      {
        kind: 'choice',
        id: 'instance.arch',
        label: 'Architecture',
        options: () => [
          {value: 'x86_64', label: 'x86_64 (Intel and AMD)'},
          {value: 'arm64', label: 'arm64 (Graviton)'},
        ],
        get: (spec) => spec.instance.arch,
        set: (spec, value) => {
          const arch = value as LaunchSpec['instance']['arch'];
          const next = instance(spec, {arch});
          // Keep the instance type matching the architecture when it was one of our suggestions.
          const suggestions = typesFor(next);
          const type = [...X86_TYPES, ...ARM_TYPES].includes(spec.instance.type) && !suggestions.includes(spec.instance.type) ? suggestions[0] : spec.instance.type;
          return instance(next, {type});
        },
      },
    ],
  },
  isolation: {
    id: 'isolation',
    intro: 'Nothing to choose here: this part of security is entirely AWS’s, and you inherit it.',
    fields: [],
    notes: [
      'Your instance runs on a hypervisor (Nitro on current families, Xen on older ones) that keeps it apart from other customers’ instances on the same host.',
      'Before a disk block or a page of memory is given to anyone else, AWS wipes it.',
      'No API call can show this; the evidence is AWS’s third-party audit reports (SOC 2, ISO 27001), which you can download from AWS Artifact.',
    ],
  },
  'instance-type': {
    id: 'instance-type',
    intro: 'The size of the server. It must match the image architecture.',
    fields: [
      {
        kind: 'choice',
        id: 'instance.type',
        label: 'Instance type',
        panel: true,
        validate: 'instance.type',
        options: (spec) => [...typesFor(spec).map((type) => ({value: type, label: type})), {value: OTHER, label: 'another type…'}],
        get: (spec) => (typesFor(spec).includes(spec.instance.type) ? spec.instance.type : OTHER),
        set: (spec, value) => instance(spec, {type: value === OTHER ? '' : value}),
      },
      {
        kind: 'text',
        id: 'instance.type.other',
        label: 'Type',
        path: 'instance.type',
        required: 'type an instance type, e.g. t3.nano',
        placeholder: 't3.nano',
        visible: (spec) => !typesFor(spec).includes(spec.instance.type),
        get: (spec) => spec.instance.type,
        set: (spec, value) => instance(spec, {type: text(value)}),
      },
      {
        kind: 'text',
        id: 'instance.name',
        label: 'Name tag',
        path: 'instance.name',
        required: 'give the server a name, e.g. web-1',
        get: (spec) => spec.instance.name,
        set: (spec, value) => instance(spec, {name: text(value)}),
      },
    ],
  },
  network: {
    id: 'network',
    intro: 'Where the server lives. AWS isolates every VPC; the subnets and routes inside it are yours.',
    fields: [
      {
        kind: 'choice',
        id: 'network.vpc',
        label: 'VPC',
        panel: true,
        options: () => [
          {value: 'default', label: 'the account’s default VPC'},
          {value: 'new', label: 'a new VPC with a public and a private subnet'},
          {value: 'existing', label: 'an existing VPC…'},
        ],
        get: (spec) => (spec.network.vpc === 'default' || spec.network.vpc === 'new' ? spec.network.vpc : 'existing'),
        set: (spec, value) => {
          if (value === 'default') return network(spec, {vpc: 'default', subnet: 'default'});
          if (value === 'new') return network(spec, {vpc: 'new', subnet: spec.network.subnet === 'private' ? 'private' : 'public', cidr: spec.network.cidr ?? '10.0.0.0/16'});
          return network(spec, {vpc: '', subnet: ''});
        },
      },
      {
        kind: 'text',
        id: 'network.cidr',
        label: 'VPC CIDR',
        path: 'network.cidr',
        required: 'type the VPC address range, e.g. 10.0.0.0/16',
        visible: (spec) => spec.network.vpc === 'new',
        get: (spec) => spec.network.cidr ?? '',
        set: (spec, value) => network(spec, {cidr: text(value)}),
      },
      {
        kind: 'choice',
        id: 'network.subnet',
        label: 'Subnet',
        panel: true,
        visible: (spec) => spec.network.vpc === 'new',
        options: () => [
          {value: 'public', label: 'public subnet (route to the internet gateway)'},
          {value: 'private', label: 'private subnet (no route to the internet)'},
        ],
        get: (spec) => (spec.network.subnet === 'private' ? 'private' : 'public'),
        set: (spec, value) => network(spec, {subnet: value, publicIp: value === 'private' ? false : spec.network.publicIp}),
      },
      ...existingPicker<DiscoveredVpc>({
        id: 'network.vpc.id',
        label: 'VPC id',
        path: 'network.vpc',
        required: 'type the VPC id, e.g. vpc-0123456789abcdef0',
        placeholder: 'vpc-…',
        shown: (spec) => spec.network.vpc !== 'default' && spec.network.vpc !== 'new',
        request: () => vpcsRequest,
        noun: 'VPCs',
        toOption: (vpc) => ({
          value: vpc.id,
          label: inert(`${vpc.id} ${vpc.cidr}${vpc.isDefault ? ' (default)' : ''}${vpc.name ? ` ${vpc.name}` : ''}`),
          search: searchText(vpc.tags),
        }),
        get: (spec) => spec.network.vpc,
        set: (spec, value) => network(spec, {vpc: value, subnet: value === spec.network.vpc ? spec.network.subnet : ''}),
      }),
      ...existingPicker<DiscoveredSubnet>({
        id: 'network.subnet.id',
        label: 'Subnet id',
        path: 'network.subnet',
        required: 'type the subnet id, e.g. subnet-0123456789abcdef0',
        placeholder: 'subnet-…',
        shown: (spec) => spec.network.vpc !== 'default' && spec.network.vpc !== 'new',
        request: (spec) =>
          isId(spec.network.vpc, 'vpc-') ? {key: `subnets:${spec.network.vpc}`, what: 'subnets', load: (d, onPage) => d.subnets(spec.network.vpc, onPage)} : undefined,
        noun: 'subnets',
        toOption: (subnet) => ({
          search: searchText(subnet.tags),
          value: subnet.id,
          label: inert(`${subnet.id} ${subnet.cidr} ${subnet.availabilityZone} ${subnet.public ? 'public' : 'private'}${subnet.name ? ` ${subnet.name}` : ''}`),
        }),
        get: (spec) => spec.network.subnet,
        set: (spec, value) => network(spec, {subnet: value}),
      }),
      {
        kind: 'choice',
        id: 'network.publicIp',
        label: 'Public IPv4',
        options: () => [
          {value: 'yes', label: 'public IPv4 address (reach the web server directly)'},
          {value: 'no', label: 'no public address (reach it through a load balancer or VPN)'},
        ],
        get: (spec) => (spec.network.publicIp ? 'yes' : 'no'),
        set: (spec, value) => network(spec, {publicIp: value === 'yes'}),
      },
    ],
  },
  'iam-role': {
    id: 'iam-role',
    intro: 'What the server itself may do in AWS. An instance role gives it short-lived credentials instead of stored keys.',
    fields: [
      {
        kind: 'choice',
        id: 'role.mode',
        label: 'Instance role',
        panel: true,
        options: (spec) => [
          {value: 'none', label: 'no role (the server gets no AWS permissions)'},
          {value: 'existing', label: 'an existing role…'},
          {value: 'create', label: `create ${spec.role.mode === 'create' && spec.role.name ? spec.role.name : 'EC2AccessToS3Role'}, scoped to one S3 bucket`},
        ],
        get: (spec) => spec.role.mode,
        set: (spec, value) => {
          if (value === 'create') {
            const name = spec.role.mode === 'create' && spec.role.name ? spec.role.name : 'EC2AccessToS3Role';
            return {...spec, role: {mode: 'create', name, bucket: spec.role.bucket, access: spec.role.access ?? 'read'}};
          }
          if (value === 'existing') return {...spec, role: {mode: 'existing', name: spec.role.mode === 'existing' ? spec.role.name : ''}};
          return {...spec, role: {mode: 'none'}};
        },
      },
      {
        kind: 'text',
        id: 'role.bucket',
        label: 'S3 bucket',
        path: 'role.bucket',
        required: 'type the bucket the server may use, e.g. my-site-assets',
        placeholder: 'my-site-assets',
        visible: (spec) => spec.role.mode === 'create',
        get: (spec) => spec.role.bucket ?? '',
        set: (spec, value) => role(spec, {bucket: text(value)}),
      },
      {
        kind: 'text',
        id: 'role.name.create',
        label: 'Role name',
        path: 'role.name',
        required: 'give the role a name, e.g. EC2AccessToS3Role',
        visible: (spec) => spec.role.mode === 'create',
        get: (spec) => spec.role.name ?? '',
        set: (spec, value) => withName(spec, 'role.name', text(value)),
      },
      {
        kind: 'choice',
        id: 'role.access',
        label: 'Bucket access',
        visible: (spec) => spec.role.mode === 'create',
        options: () => [
          {value: 'read', label: 'read only (s3:GetObject, s3:ListBucket)'},
          {value: 'read-write', label: 'read and write (adds s3:PutObject)'},
        ],
        get: (spec) => spec.role.access ?? 'read',
        set: (spec, value) => role(spec, {access: value as 'read' | 'read-write'}),
      },
      ...existingPicker<DiscoveredRole>({
        id: 'role.name',
        label: 'Role name',
        path: 'role.name',
        required: 'type the role name',
        placeholder: 'MyWebServerRole',
        shown: (spec) => spec.role.mode === 'existing',
        request: () => ({key: 'roles', what: 'roles EC2 can assume', load: (d, onPage) => d.instanceRoles(onPage)}),
        noun: 'roles',
        toOption: (item) => ({value: item.name, label: inert(item.name), hint: item.instanceProfiles?.length !== 0 ? undefined : 'no instance profile'}),
        get: (spec) => spec.role.name ?? '',
        set: (spec, value) => role(spec, {name: value}),
      }),
    ],
  },
  tenancy: {
    id: 'tenancy',
    intro: 'Whose hardware the server shares. Shared hardware is isolated by the hypervisor; pick single-tenant hardware when your own policy or a contract asks for it.',
    fields: [
      {
        kind: 'choice',
        id: 'instance.tenancy',
        label: 'Tenancy',
        panel: true,
        options: () => [
          {value: 'default', label: 'shared hardware (default)'},
          {value: 'dedicated', label: 'dedicated instance (hardware only for your account)'},
          {value: 'host', label: 'dedicated host (a whole physical server you control)'},
        ],
        get: (spec) => spec.instance.tenancy,
        set: (spec, value) => instance(spec, {tenancy: value as LaunchSpec['instance']['tenancy']}),
      },
    ],
  },
  storage: {
    id: 'storage',
    intro: 'The root volume. AWS provides encryption; switching it on and choosing the key is yours.',
    fields: [
      {
        kind: 'choice',
        id: 'storage.encryption',
        label: 'Encryption',
        panel: true,
        source: () => ({
          key: 'ebs-default',
          what: 'account default encryption',
          load: (d) => d.ebsDefaultEncryption(),
          describe: (data) => ebsDefaultNote(data as {enabled: boolean; kmsKeyId?: string}),
        }),
        options: () => [
          {value: 'aws/ebs', label: 'on, AWS managed key aws/ebs'},
          {value: 'new', label: 'on, new customer key (rotates yearly)'},
          {value: 'existing', label: 'on, an existing key…'},
          {value: 'off', label: 'off'},
        ],
        get: (spec) => (!spec.storage.encrypted ? 'off' : spec.storage.kmsKey === 'aws/ebs' || spec.storage.kmsKey === 'new' ? spec.storage.kmsKey : 'existing'),
        set: (spec, value) => {
          if (value === 'off') return storage(spec, {encrypted: false});
          if (value === 'existing') return storage(spec, {encrypted: true, kmsKey: ''});
          return storage(spec, {encrypted: true, kmsKey: value});
        },
      },
      ...existingPicker<DiscoveredKey>({
        id: 'storage.kmsKey',
        label: 'KMS key',
        path: 'storage.kmsKey',
        required: 'type a key alias, id or ARN, e.g. alias/web-volumes',
        placeholder: 'alias/…',
        shown: (spec) => spec.storage.encrypted && spec.storage.kmsKey !== 'aws/ebs' && spec.storage.kmsKey !== 'new',
        request: () => ({key: 'kms-keys', what: 'KMS keys', load: (d, onPage) => d.kmsKeys(onPage)}),
        noun: 'KMS keys',
        // State and rotation cost two calls per key: read only for the key under the cursor.
        details: (spec) => {
          const id = spec.storage.kmsKey;
          if (!id || id === 'aws/ebs' || id === 'new' || id.startsWith('alias/aws/')) return undefined;
          return {key: keyDetailsKey(id), what: 'key details', load: async (d) => (await d.kmsKeyDetails([id]))[0]};
        },
        toOption: (key, context) => {
          const value = key.aliases[0] ?? key.id;
          const details = context.discovery[keyDetailsKey(value)];
          return {
            value,
            label: inert(value),
            search: searchText(key.id, key.aliases.slice(1)),
            ...keyRow(key, details?.status === 'ready' ? (details.data as KmsKeyDetails) : undefined),
          };
        },
        get: (spec) => spec.storage.kmsKey,
        set: (spec, value) => storage(spec, {kmsKey: value}),
      }),
      {
        kind: 'text',
        id: 'storage.kmsAlias',
        label: 'Key alias',
        path: 'storage.kmsAlias',
        required: 'give the new key an alias, e.g. alias/web-ebs',
        visible: (spec) => spec.storage.encrypted && spec.storage.kmsKey === 'new',
        get: (spec) => kmsAliasOf(spec),
        set: (spec, value) => withName(spec, 'storage.kmsAlias', text(value)),
      },
      {
        kind: 'text',
        id: 'storage.sizeGiB',
        label: 'Size (GiB)',
        path: 'storage.sizeGiB',
        required: 'type the root volume size in GiB, e.g. 8',
        get: (spec) => String(spec.storage.sizeGiB),
        set: (spec, value) => storage(spec, {sizeGiB: value as number}),
        parse: (raw) => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw.trim()),
      },
      {
        kind: 'choice',
        id: 'storage.type',
        label: 'Volume type',
        options: () => [
          {value: 'gp3', label: 'gp3 (general purpose SSD)'},
          {value: 'gp2', label: 'gp2 (older general purpose SSD)'},
          {value: 'io2', label: 'io2 (provisioned IOPS SSD)'},
        ],
        get: (spec) => spec.storage.type,
        set: (spec, value) => storage(spec, {type: value as LaunchSpec['storage']['type']}),
      },
    ],
  },
  'security-group': {
    id: 'security-group',
    intro: 'Which traffic may reach the server. AWS enforces the filter and denies everything by default; every rule is yours.',
    fields: [
      {
        kind: 'choice',
        id: 'securityGroup.mode',
        label: 'Security group',
        panel: true,
        options: (spec) => [
          {value: 'create', label: `create ${spec.securityGroup.name || 'web-sg'} with only the rules below`},
          {
            value: 'existing',
            label: 'an existing group…',
            disabled: spec.network.vpc === 'new' ? 'a new VPC has no groups yet' : undefined,
          },
        ],
        get: (spec) => spec.securityGroup.mode,
        set: (spec, value) => group(spec, {mode: value as 'create' | 'existing'}),
      },
      {
        kind: 'choice',
        id: 'securityGroup.ssh',
        label: 'SSH (port 22)',
        panel: true,
        visible: (spec) => spec.securityGroup.mode === 'create',
        options: () => [
          {value: 'ssh-none', label: 'no SSH at all'},
          {value: 'ssh-address', label: 'SSH only from your address (/32)'},
          {value: 'ssh-world', label: 'SSH from anywhere (0.0.0.0/0)'},
        ],
        get: (spec) => sshChoice(spec.securityGroup.ssh),
        set: (spec, value) => group(spec, {ssh: value === 'ssh-none' ? false : value === 'ssh-world' ? SSH_WORLD : ''}),
      },
      {
        kind: 'text',
        id: 'securityGroup.ssh.address',
        label: 'Your address',
        path: 'securityGroup.ssh',
        required: 'type your public address as a /32, e.g. 203.0.113.7/32',
        placeholder: '203.0.113.7/32',
        visible: (spec) => spec.securityGroup.mode === 'create' && sshChoice(spec.securityGroup.ssh) === 'ssh-address',
        // A bare address means that one address.
        parse: sshAddressFrom,
        // The whole internet is refused here too: it is its own choice, never a side effect of typing.
        check: (value) => sshAddressProblem(String(value)),
        get: (spec) => (typeof spec.securityGroup.ssh === 'string' ? spec.securityGroup.ssh : ''),
        set: (spec, value) => group(spec, {ssh: text(value)}),
      },
      {
        kind: 'choice',
        id: 'securityGroup.https',
        label: 'Web traffic',
        visible: (spec) => spec.securityGroup.mode === 'create',
        options: () => [
          {value: 'no', label: 'HTTP (80) from anywhere'},
          {value: 'yes', label: 'HTTP (80) and HTTPS (443) from anywhere'},
        ],
        get: (spec) => (spec.securityGroup.https ? 'yes' : 'no'),
        set: (spec, value) => group(spec, {https: value === 'yes' ? '0.0.0.0/0' : false}),
      },
      {
        kind: 'text',
        id: 'securityGroup.name',
        label: 'Group name',
        path: 'securityGroup.name',
        required: 'give the group a name, e.g. web-sg',
        visible: (spec) => spec.securityGroup.mode === 'create',
        get: (spec) => spec.securityGroup.name,
        set: (spec, value) => withName(spec, 'securityGroup.name', text(value)),
      },
      ...existingPicker<DiscoveredSecurityGroup>({
        id: 'securityGroup.groupId',
        label: 'Group id',
        path: 'securityGroup.groupId',
        required: 'type the security group id, e.g. sg-0123456789abcdef0',
        placeholder: 'sg-…',
        shown: (spec) => spec.securityGroup.mode === 'existing',
        request: (spec) =>
          spec.network.vpc === 'new'
            ? undefined
            : {
                key: `security-groups:${spec.network.vpc}`,
                what: 'security groups',
                load: async (d, onPage) => {
                  const vpcId = await vpcIdOf(spec, d);
                  return vpcId ? d.securityGroups(vpcId, onPage) : [];
                },
              },
        noun: 'security groups',
        toOption: (item) => ({value: item.id, label: inert(`${item.id} ${item.name}`), hint: inert(item.description), search: searchText(item.tags)}),
        get: (spec) => spec.securityGroup.groupId ?? '',
        set: (spec, value) => group(spec, {groupId: value}),
      }),
    ],
  },
  'key-pair': {
    id: 'key-pair',
    intro: 'How you log in over SSH. AWS stores the public key and places it on the server; guarding the private key is yours.',
    fields: [
      {
        kind: 'choice',
        id: 'keyPair.mode',
        label: 'Key pair',
        panel: true,
        options: () => [
          {value: 'create', label: 'create a key pair (private key saved here, mode 0600)'},
          {value: 'import', label: 'import your public key (the private key never leaves you)'},
          {value: 'existing', label: 'an existing key pair…'},
          {value: 'none', label: 'no key pair (no SSH login)'},
        ],
        get: (spec) => spec.keyPair.mode,
        set: (spec, value) => {
          const name = spec.keyPair.name || 'web-key';
          if (value === 'create') return {...spec, keyPair: {mode: 'create', name, type: spec.keyPair.type ?? 'ed25519', path: keyPathFor(name)}};
          if (value === 'import') return {...spec, keyPair: {mode: 'import', name, path: '~/.ssh/id_ed25519.pub'}};
          if (value === 'existing') return {...spec, keyPair: {mode: 'existing', name: ''}};
          return {...spec, keyPair: {mode: 'none'}};
        },
      },
      {
        kind: 'text',
        id: 'keyPair.name',
        label: 'Key name',
        path: 'keyPair.name',
        required: 'give the key pair a name, e.g. web-key',
        visible: (spec) => spec.keyPair.mode === 'create' || spec.keyPair.mode === 'import',
        get: (spec) => spec.keyPair.name ?? '',
        // The private key's path follows the name until the path itself is edited.
        set: (spec, value) => withName(spec, 'keyPair.name', text(value)),
      },
      {
        kind: 'choice',
        id: 'keyPair.type',
        label: 'Key type',
        visible: (spec) => spec.keyPair.mode === 'create',
        options: () => [
          {value: 'ed25519', label: 'ED25519 (recommended)'},
          {value: 'rsa', label: 'RSA 2048 (needed for Windows passwords)'},
        ],
        get: (spec) => spec.keyPair.type ?? 'ed25519',
        set: (spec, value) => keyPair(spec, {type: value as 'ed25519' | 'rsa'}),
      },
      {
        kind: 'text',
        id: 'keyPair.path.create',
        label: 'Save private key to',
        path: 'keyPair.path',
        required: 'type where to save the private key, e.g. ~/.ssh/web-key.pem',
        visible: (spec) => spec.keyPair.mode === 'create',
        get: (spec) => spec.keyPair.path ?? '',
        set: (spec, value) => keyPair(spec, {path: text(value)}),
      },
      {
        kind: 'text',
        id: 'keyPair.path.import',
        label: 'Public key file',
        path: 'keyPair.path',
        required: 'type the path of your public key, e.g. ~/.ssh/id_ed25519.pub',
        // Read the file now: a private key typed here must be refused before the review.
        check: (value) => (typeof value === 'string' && value ? publicKeyFileProblem(value) : undefined),
        visible: (spec) => spec.keyPair.mode === 'import',
        get: (spec) => spec.keyPair.path ?? '',
        set: (spec, value) => keyPair(spec, {path: text(value)}),
      },
      ...existingPicker<DiscoveredKeyPair>({
        id: 'keyPair.existing',
        label: 'Key pair name',
        path: 'keyPair.name',
        required: 'type the key pair name',
        placeholder: 'web-key',
        shown: (spec) => spec.keyPair.mode === 'existing',
        request: () => ({key: 'key-pairs', what: 'key pairs', load: (d) => d.keyPairs()}),
        noun: 'key pairs',
        toOption: (item) => ({value: item.name, label: inert(item.name), hint: inert(item.type), search: searchText(item.id, item.tags)}),
        get: (spec) => spec.keyPair.name ?? '',
        set: (spec, value) => keyPair(spec, {name: value}),
      }),
    ],
  },
  metadata: {
    id: 'metadata',
    intro: 'How software on the server reaches the instance metadata service, which hands out the role’s credentials.',
    fields: [
      {
        kind: 'choice',
        id: 'instance.imds',
        label: 'Metadata service',
        panel: true,
        options: () => [
          {value: 'required', label: 'IMDSv2 only: session tokens required'},
          {value: 'optional', label: 'IMDSv1 and IMDSv2 (tokens optional)'},
        ],
        get: (spec) => spec.instance.imds,
        set: (spec, value) => instance(spec, {imds: value as 'required' | 'optional'}),
      },
      {
        kind: 'choice',
        id: 'instance.hopLimit',
        label: 'Hop limit',
        options: () => [
          {value: '1', label: '1: tokens never leave the instance'},
          {value: '2', label: '2: one extra hop, for containers'},
        ],
        get: (spec) => String(spec.instance.hopLimit),
        set: (spec, value) => instance(spec, {hopLimit: Number(value)}),
      },
    ],
  },
  'after-launch': {
    id: 'after-launch',
    intro: 'Nothing to choose here: once the server runs, most of its security is yours.',
    fields: [],
    notes: [
      'Patch the operating system and packages on a schedule; the panel says how for the image you chose.',
      'Secure the web application itself: its code, its dependencies, its users and their passwords.',
      'AWS keeps protecting the stored public key and the instance configuration on its side.',
    ],
  },
};
