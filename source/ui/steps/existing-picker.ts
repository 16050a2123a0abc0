// Lists of things found in the account (VPCs, subnets, roles, keys, groups), each with "type an
// id…" first, and the text field that takes a typed id when the list is not there (explain
// mode, still loading, failed) or not wanted.
import type {Discovery} from '../../domain/cloud.js';
import {cell} from '../../domain/safe-text.js';
import type {LaunchSpec} from '../../domain/spec.js';
import type {ChoiceField, DiscoveryRequest, FieldContext, Option, TextField, TextValue} from '../fields.js';

/** Choice value meaning "let me type the id instead of picking it from the account". */
export const TYPE_ID = '__type__';

const text = (value: TextValue): string => (typeof value === 'string' ? value.trim() : String(value));

function ready<T>(context: FieldContext, key: string | undefined): T[] | undefined {
  if (!key) return undefined;
  const state = context.discovery[key];
  return state?.status === 'ready' ? (state.data as T[]) : undefined;
}

/**
 * A list of things found in the account (with "type an id…" first), plus the text field that
 * takes a typed id when the list is not there (explain mode, still loading, failed) or not wanted.
 */
export function existingPicker<T>(options: {
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
  details?: ChoiceField['details'];
  filterNote?: ChoiceField['filterNote'];
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
      ...(options.filterNote ? {filterNote: options.filterNote} : {}),
      options: (spec, context) => [{value: TYPE_ID, label: 'type an id…', pinned: true}, ...(items(spec, context) ?? []).map((item) => options.toOption(item, context))],
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

export const isId = (value: string | undefined, prefix: string) => Boolean(value && value.startsWith(prefix));

export const vpcsRequest: DiscoveryRequest = {key: 'vpcs', what: 'VPCs', load: (d, onPage) => d.vpcs(onPage)};

/** Tags and other words a list's filter should find an item by. */
export const searchText = (...parts: Array<string | string[] | undefined>): string => cell(parts.flat().filter(Boolean).join(' '));

/** The VPC id the spec points at, when it is known before launch. */
export async function vpcIdOf(spec: LaunchSpec, d: Discovery): Promise<string | undefined> {
  if (isId(spec.network.vpc, 'vpc-')) return spec.network.vpc;
  if (spec.network.vpc !== 'default') return undefined;
  return (await d.vpcs()).find((vpc) => vpc.isDefault)?.id;
}
