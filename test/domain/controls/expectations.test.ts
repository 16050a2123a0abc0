// What verification expects, as each control module says it before anything is read from AWS.
import {describe, expect, it} from 'vitest';
import {metadataExpectation} from '../../../source/domain/controls/metadata.js';
import {publicIpExpectation} from '../../../source/domain/controls/network.js';
import {keyExpectation} from '../../../source/domain/controls/storage.js';
import {defaultSpec} from '../../../source/domain/spec.js';

describe('verification expectations', () => {
  it('the metadata control expects IMDSv2, and IMDSv1 only as an accepted risk', () => {
    expect(metadataExpectation(defaultSpec())).toEqual({expected: 'HttpTokens required, hop limit 1', httpTokens: 'required', hopLimit: 1});
    const optional = {...defaultSpec(), instance: {...defaultSpec().instance, imds: 'optional' as const}};
    expect(metadataExpectation(optional)).toMatchObject({expected: 'HttpTokens optional, hop limit 1 (accepted risk imdsv1-allowed)', needsAccepted: 'imdsv1-allowed'});
  });

  it('the network control judges MapPublicIpOnLaunch only on subnets tandem creates', () => {
    expect(publicIpExpectation(defaultSpec())).toEqual({expected: 'a public IPv4 address', publicIp: true, subnetMustNotMap: false});
    const created = {...defaultSpec(), network: {vpc: 'new', subnet: 'private', publicIp: false}};
    expect(publicIpExpectation(created)).toEqual({expected: 'no public IPv4 address; subnet MapPublicIpOnLaunch false', publicIp: false, subnetMustNotMap: true});
  });

  it('the storage control expects rotation only on a customer key', () => {
    expect(keyExpectation({encrypted: false, kmsKey: 'aws/ebs'}).kind).toBe('none');
    expect(keyExpectation({encrypted: true, kmsKey: 'alias/aws/ebs'})).toMatchObject({kind: 'aws-managed', describe: 'alias/aws/ebs', label: 'aws/ebs'});
    expect(keyExpectation({encrypted: true, kmsKey: 'new'})).toMatchObject({kind: 'customer', label: 'the new customer key (not recorded)'});
    expect(keyExpectation({encrypted: true, kmsKey: 'new'}, 'arn:aws:kms:us-east-1:111122223333:key/k')).toMatchObject({kind: 'customer', describe: 'arn:aws:kms:us-east-1:111122223333:key/k', expected: 'customer key, enabled, automatic rotation on'});
    expect(keyExpectation({encrypted: true, kmsKey: 'alias/web'})).toMatchObject({kind: 'customer', describe: 'alias/web', label: 'alias/web'});
  });
});
