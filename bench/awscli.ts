// The AWS CLI for baseline (b), pinned, in its own virtualenv (.moto/awscli-venv): awscli 1.x
// pins an exact botocore, which would clash with the boto3/botocore that moto's venv holds.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './terminal.js';

export const AWSCLI_VERSION = '1.46.3';

export function ensureAwsCli(log: (line: string) => void): string {
  const venv = path.join(ROOT, '.moto', 'awscli-venv');
  const aws = path.join(venv, 'bin', 'aws');
  const marker = path.join(venv, `awscli-${AWSCLI_VERSION}.installed`);
  if (existsSync(aws) && existsSync(marker)) return aws;
  log(`installing awscli ${AWSCLI_VERSION} into .moto/awscli-venv (once)…`);
  const python = process.env.PYTHON ?? 'python3';
  const quiet = {stdio: ['ignore', 'ignore', 'inherit'] as const};
  if (!existsSync(path.join(venv, 'bin', 'python'))) execFileSync(python, ['-m', 'venv', venv], {stdio: [...quiet.stdio]});
  execFileSync(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `awscli==${AWSCLI_VERSION}`], {
    stdio: [...quiet.stdio],
  });
  execFileSync('touch', [marker]);
  return aws;
}
