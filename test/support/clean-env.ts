// The environment for running the built tandem as a user would on a machine with no AWS set-up:
// the credential chain finds nothing (no keys, no config files, no instance metadata), colour
// settings are left to the terminal, and saved state goes under `home`. Node's compile cache
// (source/compile-cache.ts) is one folder for the whole run, as a user's is for all their runs, so
// most runs start from the cache and a few make it, some at the same time.
import os from 'node:os';
import path from 'node:path';

export const TEST_CODE_CACHE = path.join(os.tmpdir(), `tandem-test-code-cache-${os.userInfo().uid}`);

export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
  }
  return {
    ...env,
    TERM: 'xterm-256color',
    TANDEM_HOME: path.join(home, 'tandem'),
    XDG_CACHE_HOME: TEST_CODE_CACHE,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: path.join(home, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-such-credentials'),
    // Keep the credential chain from probing an instance metadata endpoint that is not there.
    AWS_EC2_METADATA_DISABLED: 'true',
    // "SSH only from your address" looks the address up; tests never ask the real checkip service
    // (port 9 is discard, closed on test machines: the lookup fails at once and the field is typed).
    TANDEM_CHECKIP_URL: 'http://127.0.0.1:9/',
    ...extra,
  };
}
