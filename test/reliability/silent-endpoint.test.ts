// An endpoint that accepts connections and never answers (a black-holed proxy, a wrong port on a
// busy host): tandem must say so within one attempt ("no answer from URL yet, retrying"), give up
// after a bounded number of attempts with exit 1 and a sentence naming the endpoint, and never
// blame the credentials. The TUI header says the same while it waits. TANDEM_HTTP_TIMEOUT_MS
// shortens each attempt here; `npm run bench`-style figures with the defaults are in the README's command-line section.
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest';
import {defaultSpec} from '../../source/domain/spec.js';
import {runInteractive} from '../../source/ui/run.js';
import {waitFor} from '../ui/helpers.js';
import {terminalIO} from '../ui/terminal-io.js';
import {everythingSpec, openWorld, startCli, STACK_LINE, writeProfile} from './support.js';

// runInteractive re-renders on its own, as in production: the test watches the terminal instead of act().
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;

const BLAME = /credentials (were )?not accepted|does not accept these credentials|credentials.*refused/i;

let server: net.Server;
let silent: string;
beforeAll(async () => {
  // Accepts every connection and never writes a byte.
  server = net.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  silent = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
});

describe('a silent endpoint', () => {
  it('headless: named within one attempt, exit 1 after a bounded wait, credentials not blamed', async () => {
    const world = await openWorld({AWS_ENDPOINT_URL: '', TANDEM_HTTP_TIMEOUT_MS: '1000'});
    try {
      const profile = writeProfile(world.home, everythingSpec(world.keyDir, 'web-silent'));
      const started = Date.now();
      let firstWord: number | undefined;
      const run = startCli(['launch', profile, '--yes', '--output', 'json', '--endpoint-url', silent], world.env);
      let seen = '';
      run.child.stderr!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (firstWord === undefined && seen.includes('no answer from')) firstWord = Date.now() - started;
      });
      const {code} = await run.exited;
      const seconds = (Date.now() - started) / 1000;
      console.log(`silent endpoint (1 s attempts): first word after ${((firstWord ?? 0) / 1000).toFixed(1)} s, exit ${code} after ${seconds.toFixed(1)} s`);
      expect(run.hung).toBe(false);
      expect(code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`no answer from ${silent} yet, retrying`);
      expect(run.stderr).toContain(`${silent} did not answer`);
      expect(run.stderr).not.toMatch(BLAME);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.stdout).toBe('');
      expect(world.proxy.requests).toEqual([]);
    } finally {
      await world.close();
    }
  }, 120_000);

  it('TUI: the header says there is no answer yet, then that the endpoint did not answer', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIATANDEMTESTKEY01');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_PROFILE', undefined);
    try {
      const terminal = terminalIO({AWS_ENDPOINT_URL: silent, AWS_REGION: 'us-east-1', TANDEM_HTTP_TIMEOUT_MS: '500'});
      let exited: number | undefined;
      const running = runInteractive({
        context: {args: [], flags: {color: false, yes: false, dryRun: false, force: false, keep: false}, io: terminal.io},
        spec: defaultSpec(),
        startAtReview: false,
        profiles: {save: () => undefined},
      }).then((code) => (exited = code));
      await waitFor(() => terminal.screen().includes(`no answer from ${silent} yet, retrying`), 'the waiting header', terminal.screen, 20_000);
      await waitFor(() => terminal.screen().includes(`${silent} did not answer`), 'the endpoint named in the header', terminal.screen, 20_000);
      expect(terminal.screen()).toContain('explain mode — nothing will be created');
      expect(terminal.screen()).not.toMatch(BLAME);
      terminal.stdin.write('\u0003');
      await waitFor(() => exited !== undefined, 'tandem to exit', terminal.screen);
      await running;
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});
