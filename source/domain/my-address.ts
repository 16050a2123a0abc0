// "Your address": the operator's public IPv4, found by asking AWS's checkip service, so SSH can
// be opened to exactly that one address. This module judges the answer and says what became of a
// lookup; the network call itself lives in source/net/checkip.ts (the domain stays pure).
import {cidrOrThrow} from './cidr.js';
import {nonGlobalRange, specialRangeText} from './special-addresses.js';
import type {LaunchSpec} from './spec.js';

/** AWS's service that answers with the caller's public IPv4 address, as plain text. */
export const CHECKIP_SERVICE = 'https://checkip.amazonaws.com';

/** The service to ask: TANDEM_CHECKIP_URL when set (tests point it at a local server). */
export function checkipUrl(env: Record<string, string | undefined>): string {
  return env.TANDEM_CHECKIP_URL?.trim() || CHECKIP_SERVICE;
}

/** What a profile writes as the SSH source to mean "my address, found when launching". */
export const SSH_ME = 'me';

/** True when the spec asks for the operator's address to be found before launching. */
export function wantsMyAddress(spec: LaunchSpec): boolean {
  return spec.securityGroup.mode === 'create' && spec.securityGroup.ssh === SSH_ME;
}

/** The spec with `ssh: me` replaced by the address that was found (as a /32). */
export function withMyAddress(spec: LaunchSpec, cidr: string): LaunchSpec {
  return wantsMyAddress(spec) ? {...spec, securityGroup: {...spec.securityGroup, ssh: cidr}} : spec;
}

/** How an SSH source reads in a summary: `me` says when it becomes an address. */
export function sshSourceText(ssh: string): string {
  return ssh === SSH_ME ? 'your address (found when launching)' : ssh;
}

/** Why a lookup gave no address: too slow, no connection, or an answer that is not one address. */
export type LookupFailure = 'slow' | 'offline' | 'garbage';

export type AddressLookup = {status: 'found'; address: string; cidr: string; url: string} | {status: 'failed'; reason: LookupFailure; message: string; url: string};

/** The wizard's view of the lookup: not asked yet, under way, or settled. */
export type AddressLookupState = {status: 'idle'} | {status: 'looking'; url: string} | AddressLookup;

// A dotted quad of decimal octets 0-255 without leading zeros: the only shape checkip answers in.
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** Longest answer worth reading: an address and a newline, with room for stray whitespace. */
export const CHECKIP_MAX_BYTES = 64;

/**
 * Judges checkip's answer: it must be exactly one globally reachable IPv4 address (trailing newline
 * allowed).
 * Anything else (an HTML page from a captive portal, two addresses, a range) is refused, so a
 * strange answer can never widen the SSH rule.
 */
export function parseCheckipAnswer(body: string): {ok: true; address: string; cidr: string} | {ok: false; message: string} {
  const text = body.trim();
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (!IPV4.test(text)) {
    return {ok: false, message: text ? `the answer "${shown.replace(/[^\x20-\x7e]/g, '?')}" is not one IPv4 address` : 'the answer was empty'};
  }
  const address = cidrOrThrow(`${text}/32`);
  // Only a globally reachable address can be where connections come from: private, shared
  // (carrier-grade NAT), documentation, benchmarking and every other special range is refused.
  const special = nonGlobalRange(address);
  if (special) return {ok: false, message: `the answer ${text} is ${specialRangeText(special)}, not the public address connections come from`};
  return {ok: true, address: text, cidr: `${text}/32`};
}

/** One sentence for a person about a lookup that found nothing, ending with what to do instead. */
export function lookupFailureText(lookup: Extract<AddressLookup, {status: 'failed'}>): string {
  const why =
    lookup.reason === 'slow'
      ? `${lookup.url} did not answer in time`
      : lookup.reason === 'offline'
        ? `${lookup.url} could not be reached (${lookup.message})`
        : `${lookup.url} gave an unusable answer: ${lookup.message}`;
  return `could not find your public address: ${why}`;
}
