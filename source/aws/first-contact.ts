// The first call of a run, made before anything else touches AWS: it tells a silent or
// unreachable endpoint apart from refused credentials, and bounds the wait. A connection that
// gets no answer is reported after one attempt ("no answer from … yet, retrying"), and the run
// gives up after six, naming the endpoint. Credentials are only called refused when AWS says so.
// Each attempt goes through the ordinary client, so the SDK's standard retries still handle
// throttling and 5xx answers inside it.
import type {AwsClients} from './clients.js';
import {answered, describeAwsError, errorCode, errorMessage, isCredentialsExpired} from './errors.js';
import {setTimeout as sleep} from 'node:timers/promises';

export type Contact =
  | {ok: true; account?: string; arn?: string}
  /** silent: nothing answered; refused/expired: AWS rejected the credentials; other: any other answer. */
  | {ok: false; kind: 'silent' | 'refused' | 'expired' | 'other'; message: string};

export interface ContactOptions {
  /** Told once per silent attempt, so a person sees why nothing happens yet. */
  onWaiting?: (message: string) => void;
  /** Longest wait for one attempt (default 6 s, or less when TANDEM_HTTP_TIMEOUT_MS is lower). */
  attemptMs?: number;
  /** Silent attempts before giving up. */
  attempts?: number;
}

const REFUSED = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']);
export const FIRST_ATTEMPT_MS = 6_000;
const ATTEMPTS = 6;

/** The URL a person would recognise for where tandem sends its calls. */
export function endpointName(clients: AwsClients): string {
  return clients.settings.endpointUrl ?? `https://sts.${clients.settings.region}.amazonaws.com`;
}

export async function firstContact(clients: AwsClients, options: ContactOptions = {}): Promise<Contact> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts');
  const attemptMs = options.attemptMs ?? Math.min(FIRST_ATTEMPT_MS, clients.settings.socketTimeoutMs ?? FIRST_ATTEMPT_MS);
  const attempts = options.attempts ?? ATTEMPTS;
  const endpoint = endpointName(clients);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const started = Date.now();
    try {
      const identity = await clients.sts.send(new GetCallerIdentityCommand({}), {abortSignal: AbortSignal.timeout(attemptMs)});
      return {ok: true, account: identity.Account, arn: identity.Arn};
    } catch (error) {
      if (answered(error)) {
        if (isCredentialsExpired(error)) return {ok: false, kind: 'expired', message: describeAwsError(error).message};
        const code = errorCode(error);
        if (REFUSED.has(code)) {
          return {ok: false, kind: 'refused', message: `AWS does not accept these credentials (${code}); check the access key, or pass --profile / set AWS_PROFILE`};
        }
        return {ok: false, kind: 'other', message: `${code}: ${describeAwsError(error).message}`};
      }
      const code = (error as NodeJS.ErrnoException).code ?? errorCode(error);
      last = code === 'AbortError' || code === 'TimeoutError' ? `no answer within ${Math.round(attemptMs / 1000)} s` : `${code}: ${errorMessage(error)}`;
      if (attempt < attempts) {
        options.onWaiting?.(`no answer from ${endpoint} yet, retrying (${last})`);
        // A refused connection fails at once; do not spin on it.
        const spent = Date.now() - started;
        if (spent < attemptMs) await sleep(Math.min(attemptMs - spent, 2_000));
      }
    }
  }
  return {
    ok: false,
    kind: 'silent',
    message: `${endpoint} did not answer (${last}, ${attempts} attempts); nothing was created. Check --endpoint-url / AWS_ENDPOINT_URL and the network`,
  };
}
