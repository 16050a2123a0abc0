// Makes sure the local AWS endpoint (moto) is installed in .moto/venv, pinned, so `npm test`
// and `npm run bench` work on a fresh machine. Fails loudly: a test that needs moto must not
// quietly skip.
import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';

export const MOTO_VERSION = '5.2.1';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const venv = path.join(root, '.moto', 'venv');
const python = path.join(venv, 'bin', 'python');
const marker = path.join(venv, `moto-${MOTO_VERSION}.installed`);

function run(cmd, args) {
  execFileSync(cmd, args, {stdio: ['ignore', 'inherit', 'inherit']});
}

if (!existsSync(marker)) {
  const py = process.env.PYTHON ?? 'python3';
  console.error(`tandem tests: installing moto ${MOTO_VERSION} into .moto/venv (once)…`);
  try {
    if (!existsSync(python)) run(py, ['-m', 'venv', venv]);
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server,cloudformation]==${MOTO_VERSION}`]);
    run(python, ['-c', 'import moto.server']);
    run('touch', [marker]);
  } catch (error) {
    console.error(`tandem tests: could not install moto ${MOTO_VERSION} with ${py} -m pip: ${error.message}`);
    console.error('The integration tests need it; install Python 3.10+ with venv and pip, then run npm test again.');
    process.exit(1);
  }
}
