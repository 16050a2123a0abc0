// What must never travel to AWS in a request body: private key material in any armour (also
// base64-encoded, as ImportKeyPair's PublicKeyMaterial is) and credentials. Every fault proxy
// scans every body it forwards; the global teardown adds up the counts over the whole run.
import {isPrivateKeyText} from '../../source/domain/key-material.js';

function values(body: string): string[] {
  const found = [body];
  if (body.startsWith('{')) {
    try {
      const walk = (value: unknown): void => {
        if (typeof value === 'string') found.push(value);
        else if (value && typeof value === 'object') for (const item of Object.values(value)) walk(item);
      };
      walk(JSON.parse(body));
    } catch {
      // not JSON after all: the raw body is still scanned
    }
  } else {
    for (const [, value] of new URLSearchParams(body)) found.push(value);
  }
  return found;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]{24,}={0,2}$/;

/** Why this body must not be sent (one reason per finding), or [] when it is clean. */
export function scanRequestBody(body: string, secrets: string[]): string[] {
  const reasons: string[] = [];
  for (const value of values(body)) {
    const decoded = BASE64.test(value) ? Buffer.from(value, 'base64').toString('utf8') : undefined;
    if (isPrivateKeyText(value) || value.includes('PRIVATE KEY')) reasons.push('private key material');
    else if (decoded !== undefined && (isPrivateKeyText(decoded) || decoded.includes('PRIVATE KEY'))) reasons.push('base64-encoded private key material');
    for (const secret of secrets) {
      if (secret && (value.includes(secret) || decoded?.includes(secret))) reasons.push('a credential');
    }
  }
  return [...new Set(reasons)];
}

export interface ScanTally {
  bodies: number;
  leaks: string[];
  /** Calls the proxy's strict mode refused as AWS would (see strict-aws.ts). */
  refusals: number;
}
