import {describe, expect, it} from 'vitest';
import {keyRow} from '../../source/ui/key-details.js';

const key = {id: 'k-1', arn: 'arn:aws:kms:us-east-1:123456789012:key/k-1', aliases: ['alias/web'], managedBy: 'Customer' as const};

describe('a KMS key row', () => {
  it('says only what is known before its details are read', () => {
    expect(keyRow(key, undefined)).toEqual({hint: 'customer key'});
    expect(keyRow({...key, managedBy: 'AWS'}, undefined)).toEqual({hint: 'AWS managed, AWS rotates it'});
  });

  it('shows rotation once read, and a key EBS cannot use as unavailable with the reason', () => {
    expect(keyRow(key, {id: 'k-1', state: 'Enabled', spec: 'SYMMETRIC_DEFAULT', rotation: true}).hint).toBe('customer key, rotates yearly');
    expect(keyRow(key, {id: 'k-1', state: 'Enabled', rotation: false}).hint).toBe('customer key, rotation off');
    expect(keyRow(key, {id: 'k-1', state: 'Disabled'}).disabled).toBe('the key is Disabled, not Enabled');
    expect(keyRow(key, {id: 'k-1', spec: 'RSA_2048'}).disabled).toContain('symmetric');
    expect(keyRow(key, {id: 'k-1', error: {code: 'AccessDeniedException', message: 'no'}}).hint).toContain('AccessDeniedException');
  });
});
