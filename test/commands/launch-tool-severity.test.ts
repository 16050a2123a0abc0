// `launch --yes` gates on the severity the tools give a finding's checks, not on tandem's own: a
// public address is only medium to tandem and Prowler, but Security Hub EC2.9 rates it high.
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {withAcceptedRisks} from '../../source/commands/accept-risk.js';
import {UsageError} from '../../source/commands/types.js';
import {CONFUSED_DEPUTY_REASON} from '../../source/domain/controls/role.js';
import {unacceptedHighRisks} from '../../source/domain/findings.js';
import {defaultSpec} from '../../source/domain/spec.js';
import {runCommand} from '../support/command-io.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-tool-severity-'));
// A new VPC's subnet hands out no addresses, and no role: the public address is left (with the web
// port open on the instance's own group).
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

  it('names every open high risk of the default web server in one flag that, pasted with a reason, accepts them all', async () => {
    const ids = unacceptedHighRisks(defaultSpec('us-east-1')).map((finding) => finding.id);
    expect(ids.length).toBe(7);
    const {code, stderr} = await launchYes('version: 1\n');
    expect(code).toBe(2);
    const flag = `--accept-risk ${ids.join(',')}=REASON`;
    expect(stderr).toContain(`to accept all 7 with one reason: ${flag}`);
    const accepted = withAcceptedRisks(defaultSpec('us-east-1'), [`${ids.join(',')}=public web server, by design`]);
    expect(unacceptedHighRisks(accepted)).toEqual([]);
    expect(accepted.acceptedRisks).toEqual(ids.map((finding) => ({finding, reason: 'public web server, by design'})));
  });

  it('--accept-risk with several findings and no reason takes only the reasons tandem offers, and names the first that has none', () => {
    const spec = defaultSpec('us-east-1');
    expect(withAcceptedRisks(spec, ['role-trust-unscoped']).acceptedRisks).toEqual([{finding: 'role-trust-unscoped', reason: CONFUSED_DEPUTY_REASON}]);
    expect(() => withAcceptedRisks(spec, ['role-trust-unscoped,public-ipv4'])).toThrow(
      new UsageError('--accept-risk public-ipv4 needs a reason: --accept-risk public-ipv4="why it is acceptable here"'),
    );
    expect(() => withAcceptedRisks(spec, ['public-ipv4,,network-acl-open=lab'])).toThrow(/unknown finding "\(empty\)"/);
  });
});
