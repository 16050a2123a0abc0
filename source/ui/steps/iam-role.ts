import type {DiscoveredRole, RoleTags} from '../../domain/cloud.js';
import type {LaunchSpec} from '../../domain/spec.js';
import {cell, t} from '../../domain/safe-text.js';
import type {DiscoveryRequest, FieldContext, StepScreen} from '../fields.js';
import {withName} from '../../domain/preflight.js';
import {sessionManagerOn} from '../../domain/controls/ways-in.js';
import {existingPicker, searchText} from './existing-picker.js';
import {choiceField, options, setAt, textField} from './factories.js';

/**
 * Roles are listed without their tags (IAM's list calls leave them out), and ListRoleTags costs
 * one call per role. So tags are read only when a filter asks for one (it contains '='), once the
 * list is complete, a few roles at a time (source/aws/discover-roles.ts), and kept for the run.
 */
const ROLES = 'roles';
const ROLE_TAGS = 'role-tags';
const wantsTags = (query: string) => query.includes('=');

function roleTagsRequest(context: FieldContext, query: string): DiscoveryRequest | undefined {
  const roles = context.discovery[ROLES];
  if (!wantsTags(query) || roles?.status !== 'ready' || roles.more) return undefined;
  const names = (roles.data as DiscoveredRole[]).map((role) => role.name);
  return {key: ROLE_TAGS, what: 'role tags', load: (d, onPage) => d.roleTags(names, onPage)};
}

// Looked up for every option on every render: index each answer (or page of it) once.
const indexed = new WeakMap<object, Map<string, string[]>>();
function tagsOf(context: FieldContext, name: string): string[] | undefined {
  const state = context.discovery[ROLE_TAGS];
  if (state?.status !== 'ready') return undefined;
  const list = state.data as RoleTags[];
  let index = indexed.get(list);
  if (!index) {
    index = new Map(list.map((entry) => [entry.name, entry.tags]));
    indexed.set(list, index);
  }
  return index.get(name);
}

function roleTagsNote(context: FieldContext, query: string): string | undefined {
  if (!wantsTags(query)) return undefined;
  const state = context.discovery[ROLE_TAGS];
  const roles = context.discovery[ROLES];
  const total = roles?.status === 'ready' ? (roles.data as unknown[]).length : 0;
  if (state?.status === 'failed') return t.text`tags unreadable (${state.code}): names only`;
  if (state?.status === 'ready' && !state.more) return undefined;
  if (!state && (roles?.status !== 'ready' || roles.more)) return 'tags are read once every role is listed…';
  const read = state?.status === 'ready' ? (state.data as unknown[]).length : 0;
  return `reading tags: ${read} of ${total} roles…`;
}

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
          sessionManagerOn(spec) ? ['none', 'no role for the app (only the Session Manager role tandem adds)'] : ['none', 'no role (the server gets no AWS permissions)'],
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
      set: (spec, value) => withName(spec, 'role.name', String(value).trim()),
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
      request: () => ({key: ROLES, what: 'roles EC2 can assume', load: (d, onPage) => d.instanceRoles(onPage)}),
      noun: 'roles',
      details: (_spec, context, query) => roleTagsRequest(context, query),
      filterNote: roleTagsNote,
      toOption: (item, context) => ({
        value: item.name,
        label: cell(item.name),
        hint: item.instanceProfiles?.length !== 0 ? undefined : 'no instance profile',
        search: searchText(tagsOf(context, item.name)),
      }),
      get: (spec) => spec.role.name ?? '',
      set: (spec, value) => setAt(spec, 'role.name', value),
    }),
  ],
};
