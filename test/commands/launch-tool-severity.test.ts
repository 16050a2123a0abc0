// `launch --yes` gates on the severity the tools give a finding's checks, not on tandem's own: a
// public address is only medium to tandem and Prowler, but Security Hub EC2.9 rates it high.
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCommand} from '../support/command-io.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-tool-severity-'));
// A new VPC's subnet hands out no addresses, and no role: only the public address itself is left.
const PROFILE = 'version: 1\nnetwork: {vpc: new, subnet: public, publicIp: true}\naccess: {sessionManager: false}\nrole: {mode: none}\n';

async function launchYes(yaml: string) {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const {run} = await import('../../source/commands/launch.js');
  return runCommand(run, [file], {flags: {yes: true}, env: {TANDEM_HOME: path.join(dir, 'home')}});
}

describe('launch --yes and the tools’ severities', () => {
  it('refuses a public address nobody accepted: its own severity is medium, Security Hub EC2.9 says high', async () => {
    const {code, stderr} = await launchYes(PROFILE);
    expect(stderr).toContain('tandem launch: high risk public-ipv4: Public IPv4 address.');
    expect(stderr).toMatch(/nothing was created/);
    expect(code).toBe(2);
  });
});
