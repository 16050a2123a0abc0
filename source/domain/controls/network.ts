// The network (docs/design.md section 1): VPC isolation (inherited), subnets and routes, and the
// public IPv4 address (the customer's, on AWS's building blocks).
import type {ControlModule, FindingDraft, PanelEdits} from './control.js';
import {hub, prowler, checkov} from './control.js';
import {one, perInstance, perVpc, type Checker} from '../checker-kit.js';
import {factsFromSpec, type CheckerFacts} from '../checker-facts.js';
import {passIf, type Verdict} from '../checker-rules.js';
import {literal, objects, resourcesOfType, type CfnTemplate} from '../checker-template.js';
import {behindLoadBalancer, type LaunchSpec} from '../spec.js';
import {booleanRule, HEX_ID, show, type FieldRules, type Rule} from '../field-rules.js';
import {cidrContains, cidrOverlaps, parseCidr} from '../cidr.js';
import {newVpcCidrs} from '../plan-network.js';

/** Where the server lives: the default VPC, a new one, or one the operator names. */
export const VPC_CHOICES = ['default', 'new', 'existing'] as const;
export type VpcChoice = (typeof VPC_CHOICES)[number];
export function vpcChoice(spec: LaunchSpec): VpcChoice {
  return spec.network.vpc === 'default' || spec.network.vpc === 'new' ? spec.network.vpc : 'existing';
}

/** The new VPC's subnet the instance goes into. */
export const SUBNET_CHOICES = ['public', 'private'] as const;
export type SubnetChoice = (typeof SUBNET_CHOICES)[number];
export function subnetChoice(spec: LaunchSpec): SubnetChoice {
  return spec.network.subnet === 'private' ? 'private' : 'public';
}

/**
 * What verification expects of the public address. Subnets tandem creates must not hand out
 * addresses by themselves (EC2.15); a default or existing subnet keeps the setting its owner
 * chose, which is reported but not judged.
 */
export function publicIpExpectation(spec: LaunchSpec): {expected: string; publicIp: boolean; subnetMustNotMap: boolean} {
  const publicIp = spec.network.publicIp;
  const subnetMustNotMap = spec.network.vpc === 'new';
  return {expected: `${publicIp ? 'a public IPv4 address' : 'no public IPv4 address'}${subnetMustNotMap ? '; subnet MapPublicIpOnLaunch false' : ''}`, publicIp, subnetMustNotMap};
}

function vpcEdits(vpc: string | undefined, spec: LaunchSpec): PanelEdits {
  if (vpc === 'default')
    return {
      'vpc-isolation': {customer: "You inherit this isolation. The account's default VPC was created by AWS with public subnets."},
      'subnet-routing': {customer: 'Default subnets route to the internet and hand out public addresses, so Security Hub EC2.15 flags them.'},
    };
  if (vpc === 'new') {
    const cidr = spec.network.cidr || 'a new range';
    return {
      'vpc-isolation': {customer: `You inherit this isolation. tandem creates a VPC (${cidr}) used by this launch only.`},
      'subnet-routing': {customer: 'tandem builds a public subnet routed to an internet gateway and a private one with no internet route; you own both.'},
    };
  }
  const known = spec.network.vpc.startsWith('vpc-') ? spec.network.vpc : undefined;
  return {
    'vpc-isolation': {
      customer: known
        ? `You inherit this isolation; you only chose the VPC the instance goes into, ${known}.`
        : 'You inherit this isolation; you only choose which of your existing VPCs the instance goes into.',
    },
    'subnet-routing': {customer: `You vouch for the subnets and routes already in ${known ?? 'that VPC'}; tandem only reads them.`},
  };
}

function panel(option: string | undefined, spec: LaunchSpec): PanelEdits {
  const vpc = option === 'default' || option === 'new' || option === 'existing' ? option : vpcChoice(spec);
  const placement = option === 'public' || option === 'private' ? option : spec.network.subnet;
  const edits = vpcEdits(vpc, spec);
  if (placement === 'public')
    edits['subnet-routing'] = {
      ...edits['subnet-routing'],
      verify: 'The instance sits in the public subnet, whose route table sends 0.0.0.0/0 to an internet gateway.',
    };
  if (placement === 'private')
    edits['subnet-routing'] = {
      customer: behindLoadBalancer(spec)
        ? 'Private subnet: no route to or from the internet. Web traffic arrives through the load balancer in the public subnets; packages come through the S3 gateway endpoint.'
        : 'Private subnet: no route to or from the internet. Reach the instance through Session Manager or a bastion.',
      verify: 'The instance sits in the private subnet, whose route table has no 0.0.0.0/0 route to an internet gateway.',
    };
  const isPublic = placement === 'private' ? false : spec.network.publicIp;
  edits['public-ip'] = isPublic
    ? {customer: 'This instance gets a public IPv4 address, so anyone can reach its open ports. Security Hub EC2.9 will flag it.'}
    : {customer: 'No public IPv4 address: the instance is reachable only from inside the VPC or through a load balancer.'};
  return edits;
}

// ---------------------------------------------------------------------------------------------
// Checkers of the public-ip row (checkers.ts says where each rule was read from)

const subnetMapsPublic = (facts: CheckerFacts) => (facts.subnet ? one(facts.subnet.id, passIf(!facts.subnet.mapPublicIpOnLaunch)) : undefined);

/**
 * The checks of the instance's VPC as a whole: its endpoints and the spread of its subnets. They
 * judge the VPC, not the server, so only a different network removes their failures.
 */
function vpcCheckers(): Checker[] {
  return [
    {
      // Security Hub EC2.10 (medium; FSBP, NIST 800-53), AWS Config's vpc-endpoint-enabled for the
      // ec2 service: fails a VPC with no endpoint for com.amazonaws.<region>.ec2 itself (its FIPS
      // variant counts; ec2messages is another service).
      tool: 'Security Hub',
      id: 'EC2.10',
      group: 'ec2-endpoint',
      row: 'subnet-routing',
      evaluates: 'live',
      title: 'Amazon EC2 should be configured to use VPC endpoints that are created for the Amazon EC2 service',
      resourceType: 'AWS::EC2::VPC',
      rule: 'Fails a VPC without an interface endpoint for the EC2 API (com.amazonaws.<region>.ec2).',
      severity: 'medium',
      standards: ['FSBP', 'NIST 800-53'],
      verdicts: perVpc((vpc) => passIf(vpc.endpoints.some((endpoint) => /^com\.amazonaws\.[a-z0-9-]+\.ec2(-fips)?$/.test(endpoint.serviceName)))),
    },
    {
      // vpc_endpoint_for_ec2_enabled.py: PASS when any endpoint of the VPC has "ec2" in its service
      // name, so the ec2messages endpoint Session Manager needs passes it too.
      tool: 'Prowler',
      id: 'vpc_endpoint_for_ec2_enabled',
      group: 'ec2-endpoint',
      row: 'subnet-routing',
      evaluates: 'live',
      title: 'VPC has an Amazon EC2 VPC endpoint',
      resourceType: 'AWS::EC2::VPC',
      rule: 'Fails a VPC none of whose endpoints has "ec2" in its service name (ec2messages counts).',
      severity: 'medium',
      verdicts: perVpc((vpc) => passIf(vpc.endpoints.some((endpoint) => endpoint.serviceName.includes('ec2')))),
    },
    {
      // vpc_subnet_separate_private_public.py: PASS only when the VPC has both a subnet routed to an
      // internet gateway (0.0.0.0/0 to igw-) and one that is not.
      tool: 'Prowler',
      id: 'vpc_subnet_separate_private_public',
      group: 'separate-subnets',
      row: 'subnet-routing',
      evaluates: 'live',
      title: 'VPC has both public and private subnets',
      resourceType: 'AWS::EC2::VPC',
      rule: 'Fails a VPC whose subnets are all public (as in a default VPC) or all private.',
      severity: 'medium',
      verdicts: perVpc((vpc) => passIf(vpc.publicSubnets > 0 && vpc.privateSubnets > 0)),
    },
    {
      // vpc_subnet_different_az.py: PASS when the VPC's subnets are in more than one zone.
      tool: 'Prowler',
      id: 'vpc_subnet_different_az',
      group: 'subnet-zones',
      row: 'subnet-routing',
      evaluates: 'live',
      title: 'VPC has subnets in more than one Availability Zone',
      resourceType: 'AWS::EC2::VPC',
      rule: 'Fails a VPC whose subnets all sit in one availability zone. AWS picks the zones of a new VPC at launch, so the verdict is known only then.',
      severity: 'medium',
      verdicts: (facts) => (facts.vpc?.zones === undefined ? undefined : one(facts.vpc.id, passIf(facts.vpc.zones > 1))),
    },
  ];
}

/** CKV_AWS_88's walk over the interfaces, in its order: the first explicit true fails, the first interface without the key makes it unknown. */
function explicitPublicIp(template: CfnTemplate, interfaces: ReadonlyArray<Record<string, unknown>>): Verdict {
  for (const eni of interfaces) {
    if (!('AssociatePublicIpAddress' in eni)) return 'not-applicable';
    if (literal(template, eni.AssociatePublicIpAddress) === true) return 'fail';
  }
  return 'pass';
}

const checkers: Checker[] = [
  // Public IPv4 on the instance.
  {
    tool: 'Security Hub',
    id: 'EC2.9',
    severity: 'high',
    standards: ['FSBP', 'NIST 800-53'],
    group: 'public-ipv4',
    row: 'public-ip',
    evaluates: 'live',
    title: 'EC2 instances should not have a public IPv4 address',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails any instance that has a public IPv4 address, whatever it serves.',
    verdicts: perInstance((instance) => passIf(!instance.publicIp)),
  },
  {
    // ec2_instance_public_ip.py: FAIL when instance.public_ip is set.
    tool: 'Prowler',
    id: 'ec2_instance_public_ip',
    severity: 'medium',
    group: 'public-ipv4',
    row: 'public-ip',
    evaluates: 'live',
    title: 'EC2 instance has no public IP',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails any running instance with a public IPv4 address.',
    verdicts: perInstance((instance) => passIf(!instance.publicIp)),
  },
  {
    // EC2PublicIP.py: looks only at an explicit AssociatePublicIpAddress on a network interface of
    // an instance or launch template. True fails; an interface without the key is UNKNOWN (the
    // subnet decides, which the template cannot show), reported as neither pass nor fail.
    tool: 'Checkov',
    id: 'CKV_AWS_88',
    severity: 'unrated',
    group: 'public-ipv4',
    row: 'public-ip',
    evaluates: 'template',
    title: 'EC2 instance should not have public IP',
    resourceType: 'AWS::EC2::Instance',
    rule: 'Fails a template whose instance or launch template sets AssociatePublicIpAddress true on a network interface; an address the subnet hands out is invisible to it.',
    verdicts: (template) =>
      resourcesOfType(template, 'AWS::EC2::Instance', 'AWS::EC2::LaunchTemplate').map((resource) => {
        const interfaces =
          resource.type === 'AWS::EC2::Instance'
            ? resource.properties.NetworkInterfaces
            : (resource.properties.LaunchTemplateData as {NetworkInterfaces?: unknown} | undefined)?.NetworkInterfaces;
        return {resource: resource.name, verdict: explicitPublicIp(template, objects(interfaces))};
      }),
  },
  ...vpcCheckers(),
  // Subnets that hand out public addresses.
  {
    tool: 'Security Hub',
    id: 'EC2.15',
    severity: 'medium',
    standards: ['FSBP', 'PCI DSS', 'NIST 800-53'],
    group: 'subnet-public-ip',
    row: 'public-ip',
    evaluates: 'live',
    title: 'EC2 subnets should not automatically assign public IP addresses',
    resourceType: 'AWS::EC2::Subnet',
    rule: 'Fails a subnet whose MapPublicIpOnLaunch is true, as every default subnet is.',
    verdicts: subnetMapsPublic,
  },
  {
    // vpc_subnet_no_public_ip_by_default.py: FAIL when subnet.mapPublicIpOnLaunch.
    tool: 'Prowler',
    id: 'vpc_subnet_no_public_ip_by_default',
    severity: 'high',
    group: 'subnet-public-ip',
    row: 'public-ip',
    evaluates: 'live',
    title: 'VPC subnet does not assign public IP by default',
    resourceType: 'AWS::EC2::Subnet',
    rule: 'Fails a subnet that gives every new instance a public address.',
    verdicts: subnetMapsPublic,
  },
];

const FINDING_IDS = ['public-ipv4', 'subnet-auto-public-ip', 'vpc-without-ec2-endpoint', 'vpc-subnets-all-public'] as const;

/** The VPC checkers that fail this plan's VPC, predicted from the spec (none for a VPC someone else made). */
function failingVpcChecks(spec: LaunchSpec): string[] {
  const facts = factsFromSpec(spec);
  return vpcCheckers().flatMap((checker) => (checker.evaluates === 'live' && checker.verdicts(facts)?.some((verdict) => verdict.verdict === 'fail') ? [checker.id] : []));
}

/** The VPC's own failures: no EC2 endpoint, no private subnet. Neither is the server's doing. */
function vpcFindings(spec: LaunchSpec): FindingDraft[] {
  const failing = failingVpcChecks(spec);
  const drafts: FindingDraft[] = [];
  const endpointChecks = failing.filter((id) => id === 'EC2.10' || id === 'vpc_endpoint_for_ec2_enabled');
  if (endpointChecks.length > 0)
    drafts.push({
      id: 'vpc-without-ec2-endpoint',
      severity: 'low',
      title: 'No VPC endpoint for the EC2 API',
      explanation: `Calls to the EC2 API from inside the VPC leave through its internet route instead of a private interface endpoint, so ${endpointChecks.includes('EC2.10') ? 'Security Hub EC2.10' : ''}${endpointChecks.length === 2 ? ' and ' : ''}${endpointChecks.includes('vpc_endpoint_for_ec2_enabled') ? 'Prowler vpc_endpoint_for_ec2_enabled' : ''} fail the VPC. A web server rarely calls the EC2 API, so tandem does not add one; an interface endpoint for com.amazonaws.<region>.ec2 costs about $0.01 an hour per zone if your software does.`,
      control: 'subnet-routing',
      checkers: endpointChecks.map((id) => (id === 'EC2.10' ? hub(id) : prowler(id))),
    });
  if (failing.includes('vpc_subnet_separate_private_public'))
    drafts.push({
      id: 'vpc-subnets-all-public',
      severity: 'low',
      title: 'The VPC has no private subnet',
      explanation:
        'Every subnet of the default VPC is public, so Prowler vpc_subnet_separate_private_public fails it, whatever this instance does. Only another network removes it: choose a new VPC, which tandem builds with a public and a private subnet.',
      control: 'subnet-routing',
      checkers: [prowler('vpc_subnet_separate_private_public')],
    });
  return drafts;
}

function findings(spec: LaunchSpec): FindingDraft[] {
  const drafts: FindingDraft[] = [];
  if (spec.network.publicIp)
    drafts.push({
      id: 'public-ipv4',
      severity: 'medium',
      title: 'Public IPv4 address',
      explanation:
        'The instance gets a public IPv4 address, so every open port faces the internet. Security Hub EC2.9 and Prowler flag any instance with a public IPv4 address, even a server meant to be public; Checkov CKV_AWS_88 flags the template because it asks for the address explicitly (AssociatePublicIpAddress true), and would miss one the subnet hands out. For a web server this is often intended, and a load balancer in front avoids it.',
      control: 'public-ip',
      architectureOnly: true,
      checkers: [hub('EC2.9'), prowler('ec2_instance_public_ip'), checkov('CKV_AWS_88')],
    });
  if (spec.network.vpc === 'default')
    drafts.push({
      id: 'subnet-auto-public-ip',
      severity: 'low',
      title: 'Default subnet hands out public addresses',
      explanation:
        'Default subnets give every new instance a public IPv4 address unless the launch says otherwise, so Security Hub EC2.15 and Prowler flag the subnet itself, whatever this instance asks for. Checkov cannot see it: the default VPC is not in the template.',
      control: 'public-ip',
      checkers: [hub('EC2.15'), prowler('vpc_subnet_no_public_ip_by_default')],
    });
  drafts.push(...vpcFindings(spec));
  return drafts;
}

function vpc(value: unknown): string | undefined {
  if (value === 'default' || value === 'new') return undefined;
  if (typeof value === 'string' && HEX_ID('vpc').test(value)) return undefined;
  return `VPC ${show(value)} is not valid; expected 'default', 'new' or an existing VPC id like vpc-0abc1234.`;
}

function subnet(value: unknown, spec: LaunchSpec): string | undefined {
  const isId = typeof value === 'string' && HEX_ID('subnet').test(value);
  if (spec.network.vpc === 'new') {
    return value === 'public' || value === 'private' ? undefined : `Subnet ${show(value)} does not fit a new VPC; expected 'public' or 'private'.`;
  }
  // Behind a load balancer, 'private' asks tandem to pick a private subnet of the VPC (load-balancer-placement.ts).
  if (behindLoadBalancer(spec) && value === 'private') return undefined;
  if (spec.network.vpc === 'default') {
    return value === 'default' || isId ? undefined : `Subnet ${show(value)} is not valid in the default VPC; expected 'default' or a subnet id like subnet-0abc1234.`;
  }
  return isId ? undefined : `Subnet ${show(value)} is not a subnet id; an existing VPC needs one of its subnets, like subnet-0abc1234.`;
}

function vpcCidr(value: unknown, spec: LaunchSpec): string | undefined {
  if (spec.network.vpc !== 'new' || value === undefined) return undefined;
  if (typeof value !== 'string') return `VPC CIDR ${show(value)} is not a CIDR block; expected something like 10.0.0.0/16.`;
  const parsed = parseCidr(value);
  if (!parsed.ok) return parsed.message;
  if (parsed.cidr.version !== 4) return `VPC CIDR ${show(value)} is IPv6; a VPC's primary block must be IPv4, like 10.0.0.0/16.`;
  if (parsed.cidr.prefix < 16 || parsed.cidr.prefix > 28) return `VPC CIDR ${show(value)} is a /${parsed.cidr.prefix}; a VPC block must be between /16 and /28.`;
  if (parsed.cidr.prefix > 27 && (!spec.network.publicSubnetCidr || !spec.network.privateSubnetCidr)) {
    return `VPC CIDR ${show(value)} is too small to split into a public and a private subnet; use /27 or larger, like 10.0.0.0/24.`;
  }
  return undefined;
}

function subnetCidr(which: 'public' | 'private'): Rule {
  return (value, spec) => {
    if (spec.network.vpc !== 'new' || value === undefined) return undefined;
    const label = `The ${which} subnet CIDR`;
    if (typeof value !== 'string') return `${label} ${show(value)} is not a CIDR block; expected something like 10.0.0.0/24.`;
    const parsed = parseCidr(value);
    if (!parsed.ok) return parsed.message;
    if (parsed.cidr.version !== 4) return `${label} ${show(value)} is IPv6; tandem's subnets are IPv4, like 10.0.0.0/24.`;
    if (parsed.cidr.prefix < 16 || parsed.cidr.prefix > 28) return `${label} ${show(value)} is a /${parsed.cidr.prefix}; a subnet block must be between /16 and /28.`;
    const vpcBlock = parseCidr(newVpcCidrs(spec.network).vpc);
    if (vpcBlock.ok && !cidrContains(vpcBlock.cidr, parsed.cidr)) {
      return `${label} ${show(value)} lies outside the VPC block ${vpcBlock.cidr.text}; choose a block inside it.`;
    }
    const otherText = which === 'public' ? newVpcCidrs(spec.network).privateSubnet : spec.network.publicSubnetCidr;
    const other = otherText ? parseCidr(otherText) : undefined;
    if (which === 'private' && other?.ok && cidrOverlaps(other.cidr, parsed.cidr)) {
      return `${label} ${show(value)} overlaps the public subnet ${other.cidr.text}; the two subnets need separate blocks.`;
    }
    if (which === 'public' && spec.network.privateSubnetCidr === undefined && other?.ok && cidrOverlaps(other.cidr, parsed.cidr)) {
      return `${label} ${show(value)} overlaps the default private subnet ${other.cidr.text}; set the private subnet CIDR too.`;
    }
    return undefined;
  };
}

const rules: FieldRules = {
  'network.vpc': vpc,
  'network.subnet': subnet,
  'network.cidr': vpcCidr,
  'network.publicSubnetCidr': subnetCidr('public'),
  'network.privateSubnetCidr': subnetCidr('private'),
  'network.publicIp': booleanRule('Public IP'),
};

export const networkControl: ControlModule<(typeof FINDING_IDS)[number], 'vpc-isolation' | 'subnet-routing' | 'public-ip', 'network'> = {
  step: 'network',
  stepTitle: 'Network',
  rules,
  catalog: [
    {
      id: 'vpc-isolation',
      step: 'network',
      title: 'VPC isolation',
      owner: 'AWS',
      kind: 'inherited',
      aws: "Runs the VPC network fabric, which keeps your account's workloads apart from every other account's.",
      customer: 'Nothing to build: you inherit this isolation. You only choose which VPC the instance lives in.',
      verify: "The instance's VpcId is the VPC you chose.",
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
      checkerRows: ['subnet-routing'],
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
      checkerRows: ['public-ip'],
      compliance: ['Security Hub EC2.9 flags any instance with a public IPv4 address, even a web server meant to be public.'],
    },
  ],
  findingIds: FINDING_IDS,
  unchecked: {'vpc-isolation': {expected: 'AWS keeps this VPC apart from other accounts', by: 'attestation'}},
  option: vpcChoice,
  panel,
  findings,
  planSteps: (_spec, context) => context.network.steps,
  planOrder: 20,
  checkers,
};

/** Public or private as the spec meant it; undefined when the spec does not say (an existing subnet). */
function intendedPublic(spec: LaunchSpec): boolean | undefined {
  const {subnet, publicIp} = spec.network;
  if (subnet === 'public') return true;
  if (subnet === 'private') return false;
  // A public address is useless without a route to an internet gateway. (AWS's default VPC has
  // one; moto 5.2's has none, so tests that launch into moto's default VPC must add it.)
  return publicIp ? true : undefined;
}

/** What verification expects of the placement: the VPC and subnet used, routed as the spec meant. */
export function routingExpectation(spec: LaunchSpec, ids: {vpcId?: string; subnetId?: string}): {wantPublic?: boolean; expected: string} {
  const wantPublic = intendedPublic(spec);
  const expected = [
    `VPC ${ids.vpcId ?? '(any)'}`,
    `subnet ${ids.subnetId ?? '(any)'}`,
    wantPublic === undefined ? '' : wantPublic ? 'public (0.0.0.0/0 to an internet gateway)' : 'private (no internet gateway route)',
  ]
    .filter(Boolean)
    .join(', ');
  return {wantPublic, expected};
}
