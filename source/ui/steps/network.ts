import {flowLogsOn, withFlowLogs} from '../../domain/controls/flow-logs.js';
import {LOAD_BALANCER_DEFAULTS} from '../../domain/controls/load-balancer.js';
import {certificateChoice, withCertificate, withWebTraffic, webTrafficOf, type CertificateChoice} from '../../domain/controls/load-balancer-choice.js';
import {SUBNET_CHOICES, subnetChoice, vpcChoice} from '../../domain/controls/network.js';
import type {DiscoveredSubnet, DiscoveredVpc} from '../../domain/cloud.js';
import {t} from '../../domain/safe-text.js';
import {behindLoadBalancer, inNewPrivateSubnet, loadBalancerOf, subnetDefaults, type LaunchSpec} from '../../domain/spec.js';
import type {Field, StepScreen} from '../fields.js';
import {existingPicker, isId, searchText, vpcsRequest} from './existing-picker.js';
import {choiceField, options, textField} from './factories.js';

const network = (spec: LaunchSpec, patch: Partial<LaunchSpec['network']>): LaunchSpec => ({...spec, network: {...spec.network, ...patch}});
const existing = (spec: LaunchSpec) => vpcChoice(spec) === 'existing';
const certificateIs = (spec: LaunchSpec, choice: CertificateChoice) => {
  const lb = loadBalancerOf(spec);
  return lb !== undefined && certificateChoice(lb) === choice;
};

const VPC_CHOICES = [
  ['default', 'the account’s default VPC'],
  ['new', 'a new VPC with a public and a private subnet'],
  ['existing', 'an existing VPC…'],
] as const;
/** Why the default VPC is not offered behind a load balancer: its subnets are all public. */
const NO_PRIVATE_SUBNET = 'a load balancer needs a private subnet for the server';

/**
 * A change of VPC or subnet. Moving into a new VPC's private subnet drops the public IP and the
 * web server install (neither can work without a way out); moving out of it brings them back.
 * Any other move leaves them as they are.
 */
function place(spec: LaunchSpec, patch: Partial<LaunchSpec['network']>): LaunchSpec {
  const next = network(spec, patch);
  if (inNewPrivateSubnet(next.network) === inNewPrivateSubnet(spec.network)) return next;
  const placed = subnetDefaults(next.network);
  return {...next, network: {...next.network, publicIp: placed.publicIp}, instance: {...next.instance, userData: placed.userData}};
}

export const networkStep: StepScreen = {
  id: 'network',
  intro: 'Where the server lives. AWS isolates every VPC; the subnets and routes inside it are yours.',
  fields: [
    choiceField({
      path: 'network.vpc',
      label: 'VPC',
      panel: true,
      options: (spec) => options(VPC_CHOICES).map((option) => (option.value === 'default' && behindLoadBalancer(spec) ? {...option, disabled: NO_PRIVATE_SUBNET} : option)),
      get: vpcChoice,
      set: (spec, value) => {
        if (value === 'default') return place(spec, {vpc: 'default', subnet: 'default'});
        if (value === 'new') return place(spec, {vpc: 'new', subnet: subnetChoice(spec), cidr: spec.network.cidr ?? '10.0.0.0/16'});
        return place(spec, {vpc: '', subnet: ''});
      },
    }),
    textField({
      path: 'network.cidr',
      label: 'VPC CIDR',
      required: 'type the VPC address range, e.g. 10.0.0.0/16',
      visible: (spec) => spec.network.vpc === 'new',
    }),
    choiceField({
      path: 'network.subnet',
      label: 'Subnet',
      panel: true,
      // Behind a load balancer the server is always in the private subnet.
      visible: (spec) => spec.network.vpc === 'new' && !behindLoadBalancer(spec),
      choices: [
        [SUBNET_CHOICES[0], 'public subnet (route to the internet gateway)'],
        [SUBNET_CHOICES[1], 'private subnet (no route to the internet)'],
      ],
      get: subnetChoice,
      set: (spec, value) => place(spec, {subnet: value}),
    }),
    ...existingPicker<DiscoveredVpc>({
      id: 'network.vpc.id',
      label: 'VPC id',
      path: 'network.vpc',
      required: 'type the VPC id, e.g. vpc-0123456789abcdef0',
      placeholder: 'vpc-…',
      shown: existing,
      request: () => vpcsRequest,
      noun: 'VPCs',
      toOption: (vpc) => ({
        value: vpc.id,
        label: t.text`${vpc.id} ${vpc.cidr}${vpc.isDefault ? t` (default)` : ''}${vpc.name ? t` ${vpc.name}` : ''}`,
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
      shown: existing,
      request: (spec) => (isId(spec.network.vpc, 'vpc-') ? {key: `subnets:${spec.network.vpc}`, what: 'subnets', load: (d, onPage) => d.subnets(spec.network.vpc, onPage)} : undefined),
      noun: 'subnets',
      toOption: (subnet) => ({
        search: searchText(subnet.tags),
        value: subnet.id,
        label: t.text`${subnet.id} ${subnet.cidr} ${subnet.availabilityZone} ${subnet.public ? 'public' : 'private'}${subnet.name ? t` ${subnet.name}` : ''}`,
      }),
      get: (spec) => spec.network.subnet,
      set: (spec, value) => network(spec, {subnet: value}),
    }),
    ...loadBalancerFields(),
  ],
  // Flow logs (controls/flow-logs.ts): on for a new VPC, offered for any other. A key rather than a
  // list, so the screen's lists keep their lines; the flow-log card beside them says what is chosen
  // and what it costs.
  toggle: {
    key: 'f',
    help: 'flow logs',
    flip: (spec) => withFlowLogs(spec, !flowLogsOn(spec)),
  },
};

/** How the server is reached, and the load balancer's certificate (controls/load-balancer-choice.ts). */
function loadBalancerFields(): Field[] {
  return [
    // One list for how the server is reached, so a 24-line terminal keeps room for the panel.
    choiceField({
      path: 'network.publicIp',
      label: 'Reach',
      choices: [
        ['yes', 'a public IPv4 address: straight to the server'],
        ['no', 'no public address (a VPN, Session Manager)'],
        ['load-balancer', 'through a load balancer (server in a private subnet)'],
      ],
      get: (spec) => (webTrafficOf(spec) === 'load-balancer' ? 'load-balancer' : spec.network.publicIp ? 'yes' : 'no'),
      set: (spec, value) => {
        if (value === 'load-balancer') return withWebTraffic(spec, 'load-balancer');
        const direct = withWebTraffic(spec, 'direct');
        return network(direct, {publicIp: value === 'yes'});
      },
    }),
    choiceField({
      path: 'loadBalancer.certificate',
      id: 'loadBalancer.certificate.choice',
      label: 'Certificate',
      visible: behindLoadBalancer,
      choices: [
        ['none', 'none: HTTP only'],
        ['request', 'ask ACM for one (DNS validation)'],
        ['arn', 'an ACM certificate ARN…'],
      ],
      get: (spec) => certificateChoice(loadBalancerOf(spec) ?? LOAD_BALANCER_DEFAULTS),
      set: (spec, value) => withCertificate(spec, value as CertificateChoice),
    }),
    textField({
      path: 'loadBalancer.certificate',
      label: 'Certificate ARN',
      required: 'type the ARN of an ISSUED ACM certificate in this region',
      placeholder: 'arn:aws:acm:…',
      visible: (spec) => certificateIs(spec, 'arn'),
    }),
    textField({
      path: 'loadBalancer.domain',
      label: 'Domain',
      required: 'type the name the certificate is for, e.g. www.example.com',
      placeholder: 'www.example.com',
      visible: (spec) => certificateIs(spec, 'request'),
    }),
  ];
}
