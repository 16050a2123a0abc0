import {SSH_WORLD, sshAddressFrom, sshAddressProblem, sshChoice} from '../../domain/controls/security-group.js';
import type {AddressLookupState, LookupFailure} from '../../domain/my-address.js';
import type {DiscoveredSecurityGroup} from '../../domain/cloud.js';
import {withName} from '../../domain/preflight.js';
import {cell, t} from '../../domain/safe-text.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {StepScreen} from '../fields.js';
import {existingPicker, searchText, vpcIdOf} from './existing-picker.js';
import {choiceField, options, textField} from './factories.js';
import {instanceConnectField} from './ways-in.js';

/** The input for the operator's own address; the address tandem finds is suggested here. */
export const MY_ADDRESS_FIELD = 'securityGroup.ssh.address';

const LOOKUP_FAILED: Record<LookupFailure, string> = {
  slow: 'did not answer in time',
  offline: 'could not be reached',
  garbage: 'gave no usable address',
};

/** Where the suggested address came from, or why there is none: the operator confirms or types. */
function addressHint(lookup: AddressLookupState, typed: string): string | undefined {
  const where = (url: string) => url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  switch (lookup.status) {
    case 'idle':
      return undefined;
    case 'looking':
      return `looking up your public address at ${where(lookup.url)}…`;
    case 'found':
      return typed === lookup.cidr ? `found by ${where(lookup.url)}: enter uses it, typing replaces it` : `${where(lookup.url)} sees you as ${lookup.address}`;
    case 'failed':
      return `${where(lookup.url)} ${LOOKUP_FAILED[lookup.reason]}: type your address`;
  }
}

const group = (spec: LaunchSpec, patch: Partial<LaunchSpec['securityGroup']>): LaunchSpec => ({...spec, securityGroup: {...spec.securityGroup, ...patch}});
const creating = (spec: LaunchSpec) => spec.securityGroup.mode === 'create';

export const securityGroup: StepScreen = {
  id: 'security-group',
  intro: 'Which traffic may reach the server. AWS enforces the filter and denies everything by default; every rule is yours.',
  fields: [
    choiceField({
      path: 'securityGroup.mode',
      label: 'Security group',
      panel: true,
      options: (spec) => [
        {value: 'create', label: `create ${spec.securityGroup.name || 'web-sg'} with only the rules below`},
        {value: 'existing', label: 'an existing group…', disabled: spec.network.vpc === 'new' ? 'a new VPC has no groups yet' : undefined},
      ],
    }),
    choiceField({
      path: 'securityGroup.ssh',
      label: 'SSH (port 22)',
      panel: true,
      visible: creating,
      options: () =>
        options([
          ['ssh-none', 'no SSH at all'],
          ['ssh-address', 'SSH only from your address (/32)'],
          ['ssh-world', `SSH from anywhere (${SSH_WORLD})`],
        ]),
      get: (spec) => sshChoice(spec.securityGroup.ssh),
      set: (spec, value) => group(spec, {ssh: value === 'ssh-none' ? false : value === 'ssh-world' ? SSH_WORLD : ''}),
    }),
    textField({
      id: MY_ADDRESS_FIELD,
      path: 'securityGroup.ssh',
      label: 'Your address',
      required: 'type your public address as a /32, e.g. 203.0.113.7/32',
      placeholder: '203.0.113.7/32',
      visible: (spec) => creating(spec) && sshChoice(spec.securityGroup.ssh) === 'ssh-address',
      parse: sshAddressFrom,
      // The whole internet is refused here too: it is its own choice, never a side effect of typing.
      check: (value) => sshAddressProblem(String(value)),
      get: (spec) => (typeof spec.securityGroup.ssh === 'string' ? spec.securityGroup.ssh : ''),
      hint: (_spec, context, typed) => addressHint(context.myAddress, typed),
    }),
    instanceConnectField(creating),
    choiceField({
      path: 'securityGroup.https',
      label: 'Web traffic',
      visible: creating,
      choices: [
        ['no', 'HTTP (80) from anywhere'],
        ['yes', 'HTTP (80) and HTTPS (443) from anywhere'],
      ],
      get: (spec) => (spec.securityGroup.https ? 'yes' : 'no'),
      set: (spec, value) => group(spec, {https: value === 'yes' ? '0.0.0.0/0' : false}),
    }),
    textField({
      path: 'securityGroup.name',
      label: 'Group name',
      required: 'give the group a name, e.g. web-sg',
      visible: creating,
      set: (spec, value) => withName(spec, 'securityGroup.name', String(value).trim()),
    }),
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
      toOption: (item) => ({value: item.id, label: t.text`${item.id} ${item.name}`, hint: cell(item.description), search: searchText(item.tags)}),
      get: (spec) => spec.securityGroup.groupId ?? '',
      set: (spec, value) => group(spec, {groupId: value}),
    }),
  ],
};
