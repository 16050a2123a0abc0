// Resolving StepRefs in plan params: dotted paths into earlier responses, plus the launch-time
// values ($launch.id, $launch.clientToken, $local.publicKeyMaterial).
import {readFileSync} from 'node:fs';
import {isPrivateKeyText} from '../domain/key-material.js';
import {ACCOUNT_TOKEN} from '../domain/controls/flow-logs.js';
import type {ParamValue, StepRef} from '../domain/plan-types.js';
import {StepError} from './errors.js';
import {expandHome} from './key-file.js';

export function isStepRef(value: unknown): value is StepRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as StepRef).ref === 'string' &&
    typeof (value as StepRef).output === 'string' &&
    Object.keys(value).length === 2
  );
}

export function getPath(value: unknown, dotted: string): unknown {
  let current = value;
  for (const part of dotted.split('.')) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export interface RefContext {
  launchId: string;
  clientToken: string;
  /** Path of the public key file ($local.publicKeyMaterial). */
  publicKeyPath?: string;
  outputs: Map<string, Record<string, unknown>>;
  /** The account the launch runs in: replaces ACCOUNT_TOKEN in policy documents. */
  accountId?: string;
  /** Dry runs substitute a placeholder when the producing step has not really run. */
  placeholder?: (ref: StepRef) => unknown;
}

function resolveRef(ref: StepRef, context: RefContext): unknown {
  if (ref.ref === '$launch') {
    if (ref.output === 'id') return context.launchId;
    if (ref.output === 'clientToken') return context.clientToken;
    // ACM's IdempotencyToken: at most 32 letters, digits or underscores (a UUID without its hyphens).
    if (ref.output === 'idempotencyToken') return context.clientToken.replace(/\W/g, '').slice(0, 32);
  }
  if (ref.ref === '$local' && ref.output === 'publicKeyMaterial') {
    if (!context.publicKeyPath) throw new StepError('NoPublicKey', 'the plan imports a public key but the spec names no key file');
    const file = expandHome(context.publicKeyPath);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(file));
    } catch (error) {
      throw new StepError('PublicKeyUnreadable', `could not read the public key ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    // The last gate before the bytes leave the machine: a private key is never sent, whatever
    // the earlier checks missed (the file may have changed since).
    if (isPrivateKeyText(Buffer.from(bytes).toString('utf8'))) {
      throw new StepError('PrivateKeyRefused', `${file} is a private key; tandem sends only public keys (use the .pub file)`);
    }
    return bytes;
  }
  const output = context.outputs.get(ref.ref);
  if (output === undefined) {
    if (context.placeholder) return context.placeholder(ref);
    throw new StepError('UnresolvedRef', `step "${ref.ref}" has not produced ${ref.output} yet`);
  }
  const value = getPath(output, ref.output);
  if (value === undefined || value === null) {
    throw new StepError('UnresolvedRef', `the response of step "${ref.ref}" has no ${ref.output}`);
  }
  return value;
}

/** True when a plan value names the account (ACCOUNT_TOKEN): the run must learn its account id first. */
export function needsAccountId(params: ParamValue): boolean {
  return JSON.stringify(params).includes(ACCOUNT_TOKEN);
}

function withAccount(text: string, context: RefContext): string {
  if (!text.includes(ACCOUNT_TOKEN)) return text;
  if (!context.accountId) throw new StepError('UnresolvedRef', 'the plan names the account, but the account id is not known yet');
  return text.split(ACCOUNT_TOKEN).join(context.accountId);
}

/** A deep copy of `params` with every StepRef replaced by its value, and the account id put in. */
export function resolveParams(params: {[key: string]: ParamValue}, context: RefContext): Record<string, unknown> {
  const walk = (value: ParamValue): unknown => {
    if (isStepRef(value)) return resolveRef(value, context);
    if (typeof value === 'string') return withAccount(value, context);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    }
    return value;
  };
  return walk(params) as Record<string, unknown>;
}

/** Step ids a step's params refer to (besides $launch/$local). */
export function referencedSteps(params: ParamValue): string[] {
  const found = new Set<string>();
  const walk = (value: ParamValue) => {
    if (isStepRef(value)) {
      if (!value.ref.startsWith('$')) found.add(value.ref);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(params);
  return [...found];
}
