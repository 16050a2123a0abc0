// `securityGroup.ssh: me` in a profile: the operator's address is found (checkip) when launching,
// before any AWS call, and written into the spec as a /32. A lookup that finds nothing stops the
// launch with exit 2: SSH is never opened wider, and never silently dropped either.
import {lookupFailureText, wantsMyAddress, withMyAddress, type AddressLookup} from '../domain/my-address.js';
import {createOutput, t} from '../output.js';
import type {LaunchSpec} from '../domain/spec.js';
import type {CommandIO} from './types.js';

export type FoundAddress = Extract<AddressLookup, {status: 'found'}>;

export type MyAddressOutcome = {ok: true; spec: LaunchSpec; found?: FoundAddress} | {ok: false};

export async function resolveMyAddress(spec: LaunchSpec, io: CommandIO, command = 'tandem launch'): Promise<MyAddressOutcome> {
  if (!wantsMyAddress(spec)) return {ok: true, spec};
  const out = createOutput(io);
  const {lookUpMyAddress} = await import('../net/checkip.js');
  const lookup = await lookUpMyAddress({env: io.env});
  if (lookup.status === 'failed') {
    out.say(t`${command}: securityGroup.ssh is "me", but tandem ${lookupFailureText(lookup)}.`);
    out.say(t`${command}: Write your address into the profile instead (ssh: 203.0.113.7/32), or ssh: false for no SSH; nothing was created.`);
    return {ok: false};
  }
  out.say(t`${command}: securityGroup.ssh: me is ${lookup.cidr} (your public address, as ${lookup.url} sees it)`);
  return {ok: true, spec: withMyAddress(spec, lookup.cidr), found: lookup};
}
