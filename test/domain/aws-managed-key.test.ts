// alias/aws/ebs is the AWS managed key for EBS, the same key as aws/ebs (AWS documents the alias;
// AWS creates and rotates the key, a customer cannot manage its rotation or policy). Every place
// that reads the storage key must treat every spelling of it alike: validation, the wizard's
// choice and panel, the plan, the findings, the checkers' facts, the profile's references and the
// report. Verification's side is in test/integration/verify.test.ts.
import {describe, expect, it} from 'vitest';
import {panelControls} from '../../source/domain/catalog.js';
import {optionOfStep} from '../../source/domain/controls/index.js';
import {factsFromSpec} from '../../source/domain/checker-facts.js';
import {findingsFor} from '../../source/domain/findings.js';
import {buildPlan} from '../../source/domain/plan.js';
import {referencesOf} from '../../source/domain/profile-references.js';
import {launchSummary} from '../../source/domain/report-summary.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {validateField} from '../../source/domain/validate.js';

const ALIAS = 'alias/aws/ebs';
const ALIAS_ARN = 'arn:aws:kms:us-east-1:111122223333:alias/aws/ebs';

const withKey = (kmsKey: string): LaunchSpec => {
  const spec = defaultSpec('us-east-1');
  return {...spec, storage: {...spec.storage, encrypted: true, kmsKey}};
};

describe('every spelling of the AWS managed EBS key means the same key', () => {
  it("validation accepts alias/aws/ebs and its ARN, and refuses another service's AWS managed key", () => {
    expect(validateField('storage.kmsKey', ALIAS, withKey(ALIAS))).toBeUndefined();
    expect(validateField('storage.kmsKey', ALIAS_ARN, withKey(ALIAS_ARN))).toBeUndefined();
    expect(validateField('storage.kmsKey', 'alias/aws/s3', withKey('alias/aws/s3'))).toMatch(/AWS managed key of another service/);
    expect(validateField('storage.kmsKey', 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3', withKey('alias/aws/s3'))).toMatch(/another service/);
  });

  it('the wizard highlights the AWS managed choice and the panel explains aws/ebs, not a key of yours', () => {
    for (const key of [ALIAS, ALIAS_ARN]) {
      const spec = withKey(key);
      expect(optionOfStep('storage', spec)).toBe('aws/ebs');
      const kms = panelControls('storage', undefined, spec).find((control) => control.id === 'kms-key')!;
      expect(kms.aws).toContain('Creates the AWS managed key aws/ebs');
      expect(kms.customer).not.toContain('You own');
    }
  });

  it('the plan sends no KmsKeyId and reads no key for any spelling', () => {
    for (const key of ['aws/ebs', ALIAS, ALIAS_ARN]) {
      const plan = buildPlan(withKey(key));
      expect(
        plan.steps.map((step) => step.id),
        key,
      ).not.toContain('kms-key');
      const run = plan.steps.find((step) => step.id === 'run-instances')!;
      const ebs = (run.params.BlockDeviceMappings as Array<{Ebs: Record<string, unknown>}>)[0].Ebs;
      expect(ebs.Encrypted, key).toBe(true);
      expect(ebs, key).not.toHaveProperty('KmsKeyId');
    }
  });

  it('the finding about the AWS managed key fires for alias/aws/ebs too', () => {
    for (const key of [ALIAS, ALIAS_ARN]) {
      expect(
        findingsFor(withKey(key)).map((finding) => finding.id),
        key,
      ).toContain('kms-aws-managed-key');
    }
  });

  it('the checkers see an AWS managed key, which they do not judge for rotation', () => {
    for (const key of [ALIAS, ALIAS_ARN]) {
      expect(factsFromSpec(withKey(key)).kmsKey, key).toEqual({id: 'aws/ebs', customerManaged: false, enabled: true, rotation: true});
    }
  });

  it('a profile naming alias/aws/ebs points at nothing that must exist beforehand', () => {
    expect(referencesOf(withKey(ALIAS_ARN))).toEqual([]);
  });

  it('the report names the account default key, as it does for aws/ebs', () => {
    const storageLine = (spec: LaunchSpec) => launchSummary(spec).find(([label]) => /storage/i.test(label))?.[1];
    expect(storageLine(withKey(ALIAS))).toBe(storageLine(withKey('aws/ebs')));
  });
});
