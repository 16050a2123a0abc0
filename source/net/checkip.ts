// Asks AWS's checkip service which public IPv4 address our connections come from. The answer is
// judged by domain/my-address.ts; here only the call: a 3 s bound on the whole exchange (an
// answer that never comes is "slow", never a hang), at most a few bytes read, and every failure
// turned into a result rather than a throw, so callers fall back to typing.
import {CHECKIP_MAX_BYTES, checkipUrl, parseCheckipAnswer, type AddressLookup} from '../domain/my-address.js';

export const CHECKIP_TIMEOUT_MS = 3000;

/** Reads at most `limit` bytes of the body; more than that is not an address. */
async function boundedText(response: Response, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function causeOf(error: unknown): string {
  const cause = (error as {cause?: {code?: string; message?: string}}).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

export async function lookUpMyAddress(options: {env: Record<string, string | undefined>; timeoutMs?: number}): Promise<AddressLookup> {
  const url = checkipUrl(options.env);
  const signal = AbortSignal.timeout(options.timeoutMs ?? CHECKIP_TIMEOUT_MS);
  const failed = (reason: 'slow' | 'offline' | 'garbage', message: string): AddressLookup => ({status: 'failed', reason, message, url});
  let response: Response;
  try {
    // No cookies, no cache, no redirects to somewhere else: the one URL answers or nothing does.
    response = await fetch(url, {signal, redirect: 'error', cache: 'no-store', headers: {accept: 'text/plain'}});
  } catch (error) {
    if (signal.aborted) return failed('slow', `no answer within ${(options.timeoutMs ?? CHECKIP_TIMEOUT_MS) / 1000} s`);
    return failed('offline', causeOf(error));
  }
  let body: string | undefined;
  try {
    body = await boundedText(response, CHECKIP_MAX_BYTES);
  } catch (error) {
    if (signal.aborted) return failed('slow', `the answer did not finish within ${(options.timeoutMs ?? CHECKIP_TIMEOUT_MS) / 1000} s`);
    return failed('offline', causeOf(error));
  }
  if (!response.ok) return failed('garbage', `HTTP ${response.status}`);
  if (body === undefined) return failed('garbage', `the answer is longer than ${CHECKIP_MAX_BYTES} bytes, so it is not one address`);
  const parsed = parseCheckipAnswer(body);
  return parsed.ok ? {status: 'found', address: parsed.address, cidr: parsed.cidr, url} : failed('garbage', parsed.message);
}
