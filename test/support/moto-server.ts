// Runs `python -m moto.server` from .moto/venv on a free loopback port. Used by the vitest
// global setup and by the benchmark. Refuses loudly when moto is missing: run
// `node scripts/moto-setup.mjs` (npm test does) rather than skipping tests.
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const motoPython = path.join(root, '.moto', 'venv', 'bin', 'python');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  if (!existsSync(motoPython)) {
    throw new Error(`moto is not installed at ${motoPython}; run "node scripts/moto-setup.mjs" (npm test does this first)`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(motoPython, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      MOTO_ENABLE_AMI_VALIDATION: 'true',
      MOTO_ENABLE_KEYPAIR_VALIDATION: 'true',
      MOTO_EC2_ENABLE_INSTANCE_TYPE_VALIDATION: 'true',
      // AWS managed policies (AmazonSSMManagedInstanceCore for Session Manager) exist in every
      // account on AWS; moto only has them when asked, and moto-python/sitecustomize.py keeps
      // just the one tandem attaches (all of them stall moto once tests use many accounts).
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      PYTHONPATH: [path.join(root, 'test', 'support', 'moto-python'), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // moto takes a second or two to import; poll its own API until it answers.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
