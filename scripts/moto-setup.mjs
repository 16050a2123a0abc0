// Makes sure the local AWS endpoint (moto) and the AWS CLI are installed, pinned, in folders git
// ignores, so `npm test` and `npm run bench` work on a fresh machine. Fails loudly: a test that
// needs them must not quietly skip.
//   .moto/venv         moto with its server and CloudFormation extras (cfn-lint comes with them)
//   .moto/awscli-venv  awscli 1.x, in a venv of its own: it pins one exact botocore release that
//                      does not match the boto3/botocore moto's venv holds
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';

export const MOTO_VERSION = '5.2.1';
export const AWSCLI_VERSION = '1.46.3';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function run(cmd, args) {
  execFileSync(cmd, args, {stdio: ['ignore', 'inherit', 'inherit']});
}

function ensureVenv(name, requirement, check) {
  const venv = path.join(root, '.moto', name);
  const python = path.join(venv, 'bin', 'python');
  const marker = path.join(venv, `${requirement.replace(/[^\w.=-]/g, '_')}.installed`);
  if (existsSync(marker)) return;
  const py = process.env.PYTHON ?? 'python3';
  console.error(`tandem: installing ${requirement} into .moto/${name} (once)…`);
  try {
    if (!existsSync(python)) run(py, ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', requirement]);
    run(python, ['-c', check]);
    run('touch', [marker]);
  } catch (error) {
    console.error(`tandem: could not install ${requirement} with ${py} -m pip: ${error.message}`);
    console.error('The tests need it; install Python 3.10+ with venv and pip, then run npm test again.');
    process.exit(1);
  }
}

ensureVenv('venv', `moto[server,cloudformation]==${MOTO_VERSION}`, 'import moto.server');
ensureVenv('awscli-venv', `awscli==${AWSCLI_VERSION}`, 'import awscli');
