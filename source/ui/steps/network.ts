import {flowLogsOn, withFlowLogs} from '../../domain/controls/flow-logs.js';
import {SUBNET_CHOICES, subnetChoice, vpcChoice} from '../../domain/controls/network.js';
import type {DiscoveredSubnet, DiscoveredVpc} from '../../domain/cloud.js';
import {t} from '../../domain/safe-text.js';
import {inNewPrivateSubnet, subnetDefaults, type LaunchSpec} from '../../domain/spec.js';
import type {StepScreen} from '../fields.js';
import {existingPicker, isId, searchText, vpcsRequest} from './existing-picker.js';
import {choiceField, textField} from './factories.js';

const network = (spec: LaunchSpec, patch: Partial<LaunchSpec['network']>): LaunchSpec => ({...spec, network: {...spec.network, ...patch}});
const existing = (spec: LaunchSpec) => vpcChoice(spec) === 'existing';

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
      choices: [
        ['default', 'the account’s default VPC'],
        ['new', 'a new VPC with a public and a private subnet'],
        ['existing', 'an existing VPC…'],
      ],
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
      visible: (spec) => spec.network.vpc === 'new',
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
    choiceField({
      path: 'network.publicIp',
      label: 'Public IPv4',
      choices: [
        ['yes', 'public IPv4 address (reach the web server directly)'],
        ['no', 'no public address (reach it through a load balancer or VPN)'],
      ],
      get: (spec) => (spec.network.publicIp ? 'yes' : 'no'),
      set: (spec, value) => network(spec, {publicIp: value === 'yes'}),
    }),
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
