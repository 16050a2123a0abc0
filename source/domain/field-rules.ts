// What a validation rule is, and the helpers the rules are written with. Each control module
// validates its own fields (its `rules`); validate.ts applies them all, in profile order.
import {t} from './safe-text.js';
import type {LaunchSpec} from './spec.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The message for a field's value in the context of the spec, or undefined when it is fine. */
export type Rule = (value: unknown, spec: LaunchSpec) => string | undefined;
/** Rules by the dotted spec path they check. */
export type FieldRules = Readonly<Record<string, Rule>>;

// Values come from profile files and typed fields: a control character must never reach the terminal.
export const show = (value: unknown): string => (typeof value === 'string' ? t.text`'${value}'` : (JSON.stringify(value) ?? String(value)));

export function oneOf(label: string, options: readonly string[]): Rule {
  return (value) =>
    typeof value === 'string' && options.includes(value)
      ? undefined
      : `${label} ${show(value)} is not one of the choices; expected ${options
          .map((option) => `'${option}'`)
          .join(', ')
          .replace(/, ([^,]*)$/, ' or $1')}.`;
}

export function booleanRule(label: string): Rule {
  return (value) => (typeof value === 'boolean' ? undefined : `${label} must be true or false, not ${show(value)}.`);
}

export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
export const HEX_ID = (prefix: string) => new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
