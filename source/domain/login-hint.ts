// How to log in to a launched instance, worded once for the TUI end screen, the headless summary
// and its JSON event. It follows the way in the spec chose: a key tandem created (its file is
// known), an imported public key (the private key is the operator's, usually beside the .pub),
// a reused key pair (tandem never sees its private key), EC2 Instance Connect, Session Manager
// (the exact start-session command), or none.
import {sessionManagerOn, wantsInstanceConnect} from './controls/ways-in.js';
import {t, type Trusted} from './safe-text.js';
import type {LaunchSpec} from './spec.js';

export interface Reach {
  /** Public DNS name or IPv4 address; absent when the instance has none. */
  host?: string;
  instanceId?: string;
  /** Where tandem wrote a created private key. */
  keyPath?: string;
  region: string;
  /** The AWS CLI profile the launch used (--profile or AWS_PROFILE), repeated in the commands. */
  profile?: string;
}

/** `--region R`, and `--profile P` when the launch used one: where an AWS CLI command acts. */
function cliScope(reach: Reach): Trusted {
  return t`--region ${reach.region}${reach.profile ? t` --profile ${reach.profile}` : ''}`;
}

/** The exact command that opens a shell through Session Manager, or undefined when it is off. */
export function sessionCommand(spec: LaunchSpec, reach: Reach): string | undefined {
  if (!sessionManagerOn(spec) || !reach.instanceId) return undefined;
  return t.text`aws ssm start-session --target ${reach.instanceId} ${cliScope(reach)}`;
}

/** The login user of Amazon Linux; another image decides its own. */
function userOf(spec: LaunchSpec): string {
  return spec.instance.image === 'ami' ? '<user of your image>' : 'ec2-user';
}

/** The private key file to name in `ssh -i`, as far as tandem can know it. */
function privateKeyOf(spec: LaunchSpec, reach: Reach): Trusted {
  const {keyPair} = spec;
  if (keyPair.mode === 'create') return (reach.keyPath ?? keyPair.path) ? t`${reach.keyPath ?? keyPair.path}` : t`<the key file tandem wrote>`;
  if (keyPair.mode === 'import' && keyPair.path?.endsWith('.pub')) return t`${keyPair.path.slice(0, -'.pub'.length)}`;
  if (keyPair.mode === 'import') return keyPair.path ? t`<the private key of ${keyPair.path}>` : t`<the private key of the imported public key>`;
  return t`<the private key of key pair ${keyPair.name ?? ''}>`;
}

/** One line: the command to log in, or why there is no way in. */
export function loginHint(spec: LaunchSpec, reach: Reach): string {
  // Instance Connect was chosen as the way in: its command needs no key file on this machine.
  if (wantsInstanceConnect(spec) && reach.instanceId) {
    const command = t.text`aws ec2-instance-connect ssh --instance-id ${reach.instanceId} ${cliScope(reach)}`;
    // The rule admits the Instance Connect service (the console's Connect button); the CLI connects from here.
    return spec.securityGroup.ssh === false
      ? `${command} (port 22 admits only EC2 Instance Connect's service: from this machine it needs your address allowed too, or use Connect in the EC2 console)`
      : command;
  }
  const sshOpen = spec.securityGroup.mode === 'existing' || spec.securityGroup.ssh !== false;
  if (spec.keyPair.mode !== 'none' && sshOpen) {
    const host = reach.host ? t`${reach.host}` : t`<its private address>`;
    const where = reach.host ? '' : ', from inside its VPC (it has no public address)';
    return t.text`ssh -i ${privateKeyOf(spec, reach)} ${userOf(spec)}@${host}${where}`;
  }
  const session = sessionCommand(spec, reach);
  if (session) return session;
  const why = spec.keyPair.mode === 'none' ? 'no key pair' : 'no SSH rule';
  if (spec.role.mode !== 'none' && reach.instanceId) {
    return t.text`aws ssm start-session --target ${reach.instanceId} --region ${reach.region} (${why}; Session Manager needs the role to allow it, e.g. AmazonSSMManagedInstanceCore)`;
  }
  return `no way in: ${why}, and no role for Session Manager`;
}
