// The AWS CLI for baseline (b), pinned, in its own virtualenv (.moto/awscli-venv): awscli 1.x
// pins an exact botocore, which would clash with the boto3/botocore that moto's venv holds.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './terminal.js';

// scripts/moto-setup.mjs installs it (npm run bench runs that first).
export function ensureAwsCli(_log: (line: string) => void): string {
  const aws = path.join(ROOT, '.moto', 'awscli-venv', 'bin', 'aws');
  if (!existsSync(aws)) throw new Error(`the AWS CLI is not installed at ${aws}; run "node scripts/moto-setup.mjs"`);
  return aws;
}
