import type {DiscoveredRole} from '../../domain/cloud.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {inert} from '../../domain/sanitize.js';
import type {StepScreen} from '../fields.js';
import {withName} from '../../domain/preflight.js';
import {existingPicker} from './existing-picker.js';
import {choiceField, options, setAt, textField} from './factories.js';

const createdRole = (spec: LaunchSpec) => (spec.role.mode === 'create' && spec.role.name ? spec.role.name : 'EC2AccessToS3Role');

export const iamRole: StepScreen = {
  id: 'iam-role',
  intro: 'What the server itself may do in AWS. An instance role gives it short-lived credentials instead of stored keys.',
  fields: [
    choiceField({
      path: 'role.mode',
      label: 'Instance role',
      panel: true,
      options: (spec) =>
        options([
          spec.access?.sessionManager
            ? ['none', 'no role for the app (only the Session Manager role tandem adds)']
            : ['none', 'no role (the server gets no AWS permissions)'],
          ['existing', 'an existing role…'],
          ['create', `create ${createdRole(spec)}, scoped to one S3 bucket`],
        ]),
      set: (spec, value) => {
        if (value === 'create') return {...spec, role: {mode: 'create', name: createdRole(spec), bucket: spec.role.bucket, access: spec.role.access ?? 'read'}};
        if (value === 'existing') return {...spec, role: {mode: 'existing', name: spec.role.mode === 'existing' ? spec.role.name : ''}};
        return {...spec, role: {mode: 'none'}};
      },
    }),
    textField({
      path: 'role.bucket',
      label: 'S3 bucket',
      required: 'type the bucket the server may use, e.g. my-site-assets',
      placeholder: 'my-site-assets',
      visible: (spec) => spec.role.mode === 'create',
    }),
    textField({
      id: 'role.name.create',
      path: 'role.name',
      label: 'Role name',
      required: 'give the role a name, e.g. EC2AccessToS3Role',
      visible: (spec) => spec.role.mode === 'create',
      set: (spec, value) => withName(spec, 'role.name', String(value ?? '').trim()),
    }),
    choiceField({
      path: 'role.access',
      label: 'Bucket access',
      visible: (spec) => spec.role.mode === 'create',
      choices: [
        ['read', 'read only (s3:GetObject, s3:ListBucket)'],
        ['read-write', 'read and write (adds s3:PutObject)'],
      ],
      get: (spec) => spec.role.access ?? 'read',
    }),
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
      set: (spec, value) => setAt(spec, 'role.name', value),
    }),
  ],
};
