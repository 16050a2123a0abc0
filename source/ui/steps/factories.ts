// The two shapes every wizard input takes. Most fields read and write one spec path, so the
// factories derive get/set from that path; a field that maps its options differently passes its
// own. Options are written once, as [value, label] pairs whose values are domain unions.
import type {LaunchSpec} from '../../domain/spec.js';
import type {ChoiceField, FieldContext, Option, TextField, TextValue} from '../fields.js';

export function valueAt(spec: LaunchSpec, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), spec);
}

/** A copy of `spec` with `value` at the dotted `path` (two levels: section.field). */
export function setAt(spec: LaunchSpec, path: string, value: unknown): LaunchSpec {
  const [section, field] = path.split('.') as [keyof LaunchSpec, string];
  return {...spec, [section]: {...(spec[section] as object), [field]: value}};
}

/** A spec value as an input shows it: text and numbers as written, anything else (unset) empty. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** What a text field writes by default: the typed text, trimmed. */
const trimmed = (value: TextValue): string => (typeof value === 'string' ? value.trim() : String(value));

type Choices = ReadonlyArray<readonly [value: string, label: string]>;

export function options(choices: Choices): Option[] {
  return choices.map(([value, label]) => ({value, label}));
}

export function choiceField(definition: {
  /** Spec path the value lives at; also the field id unless `id` is given. */
  path: string;
  id?: string;
  label: string;
  choices?: Choices;
  options?: ChoiceField['options'];
  get?: ChoiceField['get'];
  set?: ChoiceField['set'];
  panel?: boolean;
  visible?: ChoiceField['visible'];
  source?: ChoiceField['source'];
}): ChoiceField {
  const {path, choices} = definition;
  return {
    kind: 'choice',
    id: definition.id ?? path,
    label: definition.label,
    panel: definition.panel,
    visible: definition.visible,
    source: definition.source,
    options: definition.options ?? (() => options(choices ?? [])),
    get: definition.get ?? ((spec: LaunchSpec, _context: FieldContext) => textOf(valueAt(spec, path))),
    set: definition.set ?? ((spec, value) => setAt(spec, path, value)),
  };
}

export function textField(definition: {
  /** Spec path the text is written to and validated at; also the field id unless `id` is given. */
  path: string;
  id?: string;
  label: string;
  required?: string;
  placeholder?: string;
  visible?: TextField['visible'];
  parse?: TextField['parse'];
  check?: TextField['check'];
  get?: TextField['get'];
  set?: TextField['set'];
  hint?: TextField['hint'];
}): TextField {
  const {path} = definition;
  return {
    kind: 'text',
    id: definition.id ?? path,
    label: definition.label,
    path,
    required: definition.required,
    placeholder: definition.placeholder,
    visible: definition.visible,
    parse: definition.parse,
    check: definition.check,
    hint: definition.hint,
    get: definition.get ?? ((spec) => textOf(valueAt(spec, path))),
    set: definition.set ?? ((spec, value) => setAt(spec, path, trimmed(value))),
  };
}
