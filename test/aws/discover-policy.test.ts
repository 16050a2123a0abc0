import {describe, expect, it} from 'vitest';
import {allowsEc2Assume, decodePolicy, wildcardGrants} from '../../source/aws/discover-policy.js';

const ec2Trust = {
  Version: '2012-10-17',
  Statement: [{Effect: 'Allow', Principal: {Service: ['ec2.amazonaws.com']}, Action: ['sts:AssumeRole']}],
};

describe('policy documents', () => {
  it('reads URL-encoded documents (as IAM returns them) and plain JSON (as moto does)', () => {
    expect(decodePolicy(encodeURIComponent(JSON.stringify(ec2Trust)))).toEqual(ec2Trust);
    expect(decodePolicy(JSON.stringify(ec2Trust))).toEqual(ec2Trust);
    expect(decodePolicy('%E0%A4%A')).toBeUndefined();
    expect(decodePolicy(undefined)).toBeUndefined();
  });

  it('recognises trust policies that let EC2 assume the role', () => {
    expect(allowsEc2Assume(ec2Trust)).toBe(true);
    expect(allowsEc2Assume({Statement: {Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}})).toBe(true);
    expect(allowsEc2Assume({Statement: [{Effect: 'Deny', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]})).toBe(false);
    expect(allowsEc2Assume({Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})).toBe(false);
    expect(allowsEc2Assume({Statement: [{Effect: 'Allow', Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 'sts:AssumeRole'}]})).toBe(false);
    expect(allowsEc2Assume({Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:TagSession'}]})).toBe(false);
  });

  it('names wildcard grants (IAM.1, IAM.21) and ignores scoped ones', () => {
    const scoped = {Statement: [{Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*'}]};
    expect(wildcardGrants(scoped)).toEqual([]);
    const admin = {Statement: [{Effect: 'Allow', Action: '*', Resource: '*'}]};
    expect(wildcardGrants(admin)).toEqual(['Action "*"', 'Resource "*"']);
    expect(wildcardGrants({Statement: [{Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::b'}]})).toEqual(['Action "s3:*"']);
    expect(wildcardGrants({Statement: [{Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b'}]})).toEqual(['NotAction']);
    expect(wildcardGrants({Statement: [{Effect: 'Deny', Action: '*', Resource: '*'}]})).toEqual([]);
  });
});
