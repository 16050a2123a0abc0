// The wizard's storage step shows the key as the storage control classifies it: a profile that
// names the AWS managed key by its alias (alias/aws/ebs) opens on "AWS managed key aws/ebs", not on
// "an existing key", and asks for no key details or alias.
import {describe, expect, test} from 'vitest';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import type {ChoiceField, FieldContext} from '../../source/ui/fields.js';
import {storageStep} from '../../source/ui/steps/storage.js';

const context = {live: true, discovery: {}} as unknown as FieldContext;
const field = (id: string) => storageStep.fields.find((candidate) => candidate.id === id)!;
const withKey = (kmsKey: string): LaunchSpec => ({...defaultSpec(), storage: {...defaultSpec().storage, encrypted: true, kmsKey}});

describe('the storage step', () => {
  test('alias/aws/ebs is the AWS managed choice, with no key picker and no alias to type', () => {
    const spec = withKey('alias/aws/ebs');
    expect((field('storage.encryption') as ChoiceField).get(spec, context)).toBe('aws/ebs');
    const shown = storageStep.fields.filter((candidate) => (candidate.visible ? Boolean(candidate.visible(spec, context)) : true)).map((candidate) => candidate.id);
    expect(shown.some((id) => id.startsWith('storage.kmsKey'))).toBe(false);
    expect(shown).not.toContain('storage.kmsAlias');
  });

  test('a customer key by alias is still an existing key', () => {
    expect((field('storage.encryption') as ChoiceField).get(withKey('alias/web'), context)).toBe('existing');
  });
});
