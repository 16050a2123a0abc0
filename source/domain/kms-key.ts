// Which KMS keys can encrypt an EBS volume: an enabled, symmetric encryption key. Anything else
// would let RunInstances start an instance that stops again when EBS cannot use the key.
export interface KmsKeyFacts {
  state?: string;
  usage?: string;
  spec?: string;
}

/** Why EBS cannot use the key, or undefined when it can (or when a fact is unknown). */
export function ebsKeyProblem(key: KmsKeyFacts): string | undefined {
  if (key.state && key.state !== 'Enabled') return `the key is ${key.state}, not Enabled`;
  if (key.usage && key.usage !== 'ENCRYPT_DECRYPT') return `the key is for ${key.usage}, not encryption`;
  if (key.spec && key.spec !== 'SYMMETRIC_DEFAULT') return `the key is ${key.spec}; EBS needs a symmetric key`;
  return undefined;
}
