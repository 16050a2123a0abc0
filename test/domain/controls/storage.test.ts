// The one classifier of the storage key: every other file asks it which kind of key a spec names.
import {describe, expect, it} from 'vitest';
import {existingKeyOf, expectsRotation, isAwsManagedKey, keyKind, namesOtherServiceKey} from '../../../source/domain/controls/storage.js';

const on = (kmsKey: string) => ({encrypted: true, kmsKey});

describe('keyKind', () => {
  it('names each kind of key once', () => {
    expect(keyKind({encrypted: false, kmsKey: 'new'})).toBe('none');
    expect(keyKind(on('new'))).toBe('new');
    for (const key of ['aws/ebs', 'alias/aws/ebs', 'arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs', 'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/aws/ebs']) {
      expect(keyKind(on(key)), key).toBe('aws-managed');
      expect(isAwsManagedKey(on(key)), key).toBe(true);
      expect(existingKeyOf(on(key)), key).toBeUndefined();
      expect(expectsRotation(on(key)), key).toBe(false);
    }
    for (const key of [
      'alias/web',
      'alias/aws-ebs',
      'alias/aws/ebs-copy',
      '1234abcd-12ab-34cd-56ef-1234567890ab',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]) {
      expect(keyKind(on(key)), key).toBe('customer');
      expect(existingKeyOf(on(key)), key).toBe(key);
      expect(expectsRotation(on(key)), key).toBe(true);
    }
  });

  it("tells another service's AWS managed key apart from the EBS one", () => {
    expect(namesOtherServiceKey('alias/aws/s3')).toBe(true);
    expect(namesOtherServiceKey('arn:aws:kms:us-east-1:111122223333:alias/aws/rds')).toBe(true);
    expect(namesOtherServiceKey('alias/aws/ebs')).toBe(false);
    expect(namesOtherServiceKey('alias/awsome')).toBe(false);
  });
});
