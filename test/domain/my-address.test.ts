// `ssh: me` before it becomes an address: valid in a profile, shown as "your address", and
// exported so the address is given (CloudFormation) or found (CLI script) when deploying.
import {execFileSync} from 'node:child_process';
import {describe, expect, test} from 'vitest';
import {cliScript} from '../../source/domain/export-cli.js';
import {cloudFormationObject} from '../../source/domain/export-cloudformation.js';
import {SSH_ME, wantsMyAddress, withMyAddress} from '../../source/domain/my-address.js';
import {buildPlan} from '../../source/domain/plan.js';
import {explainDocument, renderText} from '../../source/domain/report.js';
import {defaultSpec, type LaunchSpec} from '../../source/domain/spec.js';
import {validateSpec} from '../../source/domain/validate.js';

const base = defaultSpec();
const me: LaunchSpec = {...base, securityGroup: {...base.securityGroup, ssh: SSH_ME}};

describe('ssh: me', () => {
  test('is a valid profile value, and becomes the found /32', () => {
    expect(validateSpec(me)).toEqual([]);
    expect(wantsMyAddress(me)).toBe(true);
    expect(withMyAddress(me, '198.51.100.9/32').securityGroup.ssh).toBe('198.51.100.9/32');
    expect(wantsMyAddress({...me, securityGroup: {...me.securityGroup, mode: 'existing', groupId: 'sg-0123456789abcdef0'}})).toBe(false);
  });

  test('reads as "your address" in the plan and the report', () => {
    const ingress = buildPlan(me).steps.find((step) => step.id === 'security-group-ingress');
    expect(ingress?.summary).toContain('SSH your address (found when launching)');
    expect(renderText(explainDocument(me, buildPlan(me)), 200)).toContain('SSH from your address (found when launching)');
  });

  test('CloudFormation asks for one /32 at deploy time, with no default', () => {
    const template = cloudFormationObject(me, {profile: 'x'});
    const parameter = template.Parameters.SshSourceCidr as Record<string, unknown>;
    expect(parameter.Default).toBeUndefined();
    expect(new RegExp(String(parameter.AllowedPattern)).test('198.51.100.9/32')).toBe(true);
    expect(new RegExp(String(parameter.AllowedPattern)).test('0.0.0.0/0')).toBe(false);
  });

  test('the CLI script looks the address up, refuses a non-address, and uses it as a /32', () => {
    const script = cliScript(me, {profile: 'x'});
    expect(script).toContain('https://checkip.amazonaws.com');
    expect(script).toContain(`"CidrIp":"'"$MY_CIDR"'"`);
    expect(script).not.toContain('"CidrIp":"me"');
    execFileSync('bash', ['-n'], {input: script});
    // The address check, run alone: a dotted quad passes, an HTML page does not.
    const check = script.split('\n').filter((line) => line.startsWith('if [[ ! "$MY_ADDRESS"'))[0];
    const run = (address: string) => {
      try {
        execFileSync('bash', ['-c', `MY_ADDRESS='${address}'; ${check} exit 2; fi; exit 0`], {stdio: 'pipe'});
        return 0;
      } catch (error) {
        return (error as {status: number}).status;
      }
    };
    expect(run('198.51.100.9')).toBe(0);
    expect(run('<html>')).toBe(2);
  });
});
